"""The inbox and the ledger: nothing lost, nothing counted twice (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.ingest import Ingestor, IngestReport
from parsers.camt.writer import write as write_camt
from reconcile.model import Line, Statement
from store import ledger
from store.db import session_scope, upgrade
from store.models import FileRow, LineRow, StatementRow
from tests.integration.files import ZS_PENSION_INCOME, Row, icbc_csv

MARCH = [
    Row("2008-03-04 09:12:33", 15843210, voucher="A1"),
    Row("2008-03-08 14:05:02", 123456789, name="某某医院", account="9999888877776666555", voucher="A2"),
    Row("2008-03-08 14:05:02", 123456789, name="某某医院", account="9999888877776666555", voucher="A2"),
]


def app_for(project: Path) -> App:
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    return app


def run(app: App) -> IngestReport:
    return Ingestor(app.config, app.registry, app.database()).run(progress=False)


def counts(app: App) -> tuple[int, int, int]:
    with session_scope(app.database()) as s:
        return (
            s.scalar(select(func.count()).select_from(FileRow)) or 0,
            s.scalar(select(func.count()).select_from(StatementRow)) or 0,
            s.scalar(select(func.count()).select_from(LineRow)) or 0,
        )


def drop(project: Path, name: str, data: bytes) -> Path:
    p = project / "inbox" / name
    p.write_bytes(data)
    return p


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_statement_is_stored_and_archived_under_its_account_and_month(project: Path) -> None:
    app = app_for(project)
    drop(project, "工行流水.csv", icbc_csv(MARCH))
    report = run(app)
    assert (report.ingested, report.added, report.rejected) == (1, 3, 0)
    archived = all_files(project / "archive")
    assert [p.relative_to(project / "archive").parts[:3] for p in archived] == [(ZS_PENSION_INCOME, "2008", "03")]
    assert all_files(project / "inbox") == []
    with session_scope(app.database()) as s:
        amounts = sorted(s.scalars(select(LineRow.amount_fen)))
    assert amounts == [15843210, 123456789, 123456789]  # the identical twins both stay


def test_the_same_file_dropped_twice_is_a_duplicate_and_changes_nothing(project: Path) -> None:
    app = app_for(project)
    drop(project, "a.csv", icbc_csv(MARCH))
    run(app)
    before = counts(app)
    drop(project, "a (1).csv", icbc_csv(MARCH))
    report = run(app)
    assert (report.duplicate, report.added) == (1, 0)
    files, statements, lines = counts(app)
    assert (statements, lines) == before[1:] and files == before[0] + 1
    assert len(all_files(project / "archive")) == 2 and all_files(project / "inbox") == []


def test_an_overlapping_statement_adds_only_its_new_lines(project: Path) -> None:
    app = app_for(project)
    drop(project, "first.csv", icbc_csv(MARCH[:2]))
    run(app)
    later = [*MARCH[:2], Row("2008-03-10 10:00:00", 500000, voucher="A3")]
    drop(project, "second.csv", icbc_csv(later))
    report = run(app)
    assert (report.added, report.skipped) == (1, 2)
    assert counts(app)[2] == 3


def test_each_file_row_keeps_the_lines_it_added_and_skipped(project: Path) -> None:
    """The counts `recon status` shows are on the file's row (written once its lines are stored): the
    overlapping statement's row says 1 added and 2 skipped, the duplicate's and the first's theirs."""
    app = app_for(project)
    drop(project, "first.csv", icbc_csv(MARCH[:2]))
    run(app)
    drop(project, "second.csv", icbc_csv([*MARCH[:2], Row("2008-03-10 10:00:00", 500000, voucher="A3")]))
    drop(project, "third.csv", icbc_csv(MARCH[:2]))
    run(app)
    with session_scope(app.database()) as s:
        rows = {r.name: (r.status, r.lines_added, r.lines_skipped) for r in s.scalars(select(FileRow))}
        ids = {r.id for r in s.scalars(select(FileRow))}
        held = set(s.scalars(select(LineRow.file_id)))
    assert rows == {"first.csv": ("ingested", 2, 0), "second.csv": ("ingested", 1, 2),
                    "third.csv": ("duplicate", 0, 0)}
    assert held <= ids


def test_the_same_files_in_any_order_give_the_same_ledger(project: Path, tmp_path: Path) -> None:
    app = app_for(project)
    a = icbc_csv(MARCH[:2])
    b = icbc_csv(MARCH)
    drop(project, "b.csv", b)
    run(app)
    drop(project, "a.csv", a)
    run(app)
    with session_scope(app.database()) as s:
        got = sorted(s.execute(select(LineRow.booking_date, LineRow.amount_fen, LineRow.fingerprint)).all())
    assert len(got) == 3


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("empty.csv", b"", "0"),
        ("unknown.csv", icbc_csv(MARCH, own="6222000011112222"), "6222000011112222"),
        ("garbage.bin", bytes(range(256)) * 4, ""),
        ("bad-amount.csv", icbc_csv(MARCH).replace("1,234,567.89".encode("gbk"), b"12x4"), "第 4 行：贷方发生额"),
    ],
)
def test_a_file_that_cannot_be_a_statement_is_rejected_with_a_reason_naming_the_problem(
    project: Path, name: str, data: bytes, needle: str
) -> None:
    app = app_for(project)
    drop(project, name, data)
    report = run(app)
    assert report.rejected == 1 and report.ingested == 0
    rejected = project / "rejected"
    assert (rejected / name).read_bytes() == data  # kept, unchanged
    reason = (rejected / f"{name}.reason.txt").read_text(encoding="utf-8")
    assert name in reason and needle in reason
    assert counts(app)[1:] == (0, 0)


def test_a_currency_other_than_cny_is_rejected(project: Path) -> None:
    app = app_for(project)
    st = Statement(account=ZS_PENSION_INCOME, currency="USD", lines=(Line(date(2008, 3, 4), 100),),
                   period_start=date(2008, 3, 4), period_end=date(2008, 3, 4), opening_fen=0, closing_fen=100)
    drop(project, "usd.xml", write_camt([st]))
    report = run(app)
    assert report.rejected == 1
    assert "USD" in (project / "rejected" / "usd.xml.reason.txt").read_text(encoding="utf-8")


def test_an_error_halfway_through_a_file_leaves_no_rows_and_the_file_in_the_inbox(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(project)
    drop(project, "a.csv", icbc_csv(MARCH))
    calls = {"n": 0}
    real = ledger.store_statement

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real(*args, **kwargs)  # the lines are written, then the transaction fails
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("store.files.store_statement", failing)
    with pytest.raises(RuntimeError):
        run(app)
    assert calls["n"] == 1
    assert counts(app) == (0, 0, 0)
    assert [p.name for p in all_files(project / "inbox")] == ["a.csv"]
    monkeypatch.setattr("store.files.store_statement", real)
    assert run(app).ingested == 1
    assert counts(app)[2] == 3


def test_a_crash_between_commit_and_move_is_finished_by_the_next_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(project)
    drop(project, "a.csv", icbc_csv(MARCH))

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr("jobs.inbox.move_to", crash)
    with pytest.raises(KeyboardInterrupt):
        run(app)
    monkeypatch.undo()
    report = run(app)
    assert (report.duplicate, report.ingested) == (0, 0)
    assert counts(app) == (1, 1, 3)
    assert len(all_files(project / "archive")) == 1 and all_files(project / "inbox") == []


def test_parsing_in_a_worker_process_gives_the_same_ledger_as_parsing_inline(project: Path) -> None:
    app = app_for(project)
    for i in range(20):  # enough files for the worker to start (PARALLEL_FROM)
        rows = [Row(f"2008-03-{i % 9 + 10:02d} 09:00:00", 1000 + i, voucher=f"V{i}")]
        drop(project, f"f{i:02d}.csv", icbc_csv(rows))
    report = Ingestor(app.config, app.registry, app.database(), workers=1).run(progress=False)
    assert (report.ingested, report.added) == (20, 20)
    with session_scope(app.database()) as s:
        assert sorted(s.scalars(select(LineRow.amount_fen))) == [1000 + i for i in range(20)]
