"""store.inputs reads a month's lines in the ledger's order (by day, then as stored), whatever
order the database holds them in: the months it keeps are the same payloads for the same ledger
(the report's cache of classes is keyed by their digests). On PostgreSQL a line deleted and
stored again goes to the end of its table (and of its day's entries in an index), and a read
without an order gives it last; on SQLite the index gives the order stored. And what it keeps of
an income account's credits (summed per day, or whole: from a pooled account by number or name,
a reversal, a number written with dashes, a party refunded later) is what the whole read gives,
on a full read and night by night."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, text

from jobs.app import App
from jobs.reconciling import settings
from reconcile.engine.condense import Condenser
from reconcile.model import Line, Statement
from store import files
from store.db import session_scope, upgrade
from store.files import Arrival
from store.inputs import Inputs, config_digest, drop_all, load_inputs
from store.models import EngineInputRow, LineRow
from store.snapshot import load_snapshot
from tests.integration.conftest import write_config

NOW = datetime(2008, 4, 1, 2, 0, tzinfo=UTC)


def _arrival(name: str, sha: str) -> Arrival:
    return Arrival(sha256=sha, name=name, size=10, status="ingested", received_at=NOW, processed_at=NOW,
                   archive_path=f"/archive/{name}")


def _day(d: int) -> date:
    return date(2008, 3, d)


def _ledger(tmp_path: Path, db_url: str) -> App:
    app = App(str(write_config(tmp_path, db_url) / "config.toml"))
    upgrade(app.database(checked=False))
    income = [a for a in app.registry.accounts if a.role == "income"]
    own, other = income[0], income[1]
    pooled = next(a for a in app.registry.accounts if a.role != "income")
    lines = []
    for d in (3, 4, 5):
        lines += [
            Line(_day(d), 100 + d, counterparty_account=f"622200000000{d:04}", counterparty_name="某单位", text="汇入",
                 remark="3月", source=f"row {d}.1"),
            Line(_day(d), 200 + d, counterparty_account=f"622200000001{d:04}", counterparty_name="另一单位",
                 text="汇入", remark="3月", source=f"row {d}.2"),
            Line(_day(d), 300 + d, counterparty_account="", counterparty_name="张三", text="汇入", source=f"row {d}.3"),
            Line(_day(d), 400 + d, counterparty_account=pooled.number, counterparty_name=pooled.name,
                 source=f"row {d}.4"),
            Line(_day(d), 500 + d, counterparty_account="", counterparty_name=other.name, source=f"row {d}.5"),
            Line(_day(d), 600 + d, counterparty_account=f"622200000002{d:04}", text="退汇", reversal=True,
                 source=f"row {d}.6"),
            Line(_day(d), 70 + d, text="利息", counterparty_account="9", source=f"row {d}.7"),
            Line(_day(d), 800 + d, counterparty_account="6222-0000-0003", text="汇入", source=f"row {d}.8"),
            Line(_day(d), -(900 + d), counterparty_account=pooled.number, counterparty_name=pooled.name,
                 text="上解", source=f"row {d}.9"),
            Line(_day(d), -(10 + d), text="手续费", source=f"row {d}.10"),
        ]
    # A party refunded on the 20th: its credits are kept whole, on the days before too.
    lines += [Line(_day(6), 700, counterparty_account="6222000000009999", counterparty_name="退费单位",
                   source="row 6.1"),
              Line(_day(20), -700, counterparty_account="6222000000009999", counterparty_name="退费单位",
                   text="退费", source="row 20.1")]
    statement = Statement(account=own.number, lines=tuple(lines), period_start=_day(1), period_end=_day(31))
    files.record_statements(app.database(), _arrival("甲.csv", "ab" * 32), [(own.number, statement)])
    return app


def _read(app: App, as_of: date, heap: bool = False) -> tuple[Inputs, dict[tuple[str, str], str]]:
    """What store.inputs reads and keeps as of a day (on what it kept before), asserted equal to the
    whole read, and the payloads kept. `heap`: PostgreSQL reads the table in its physical order
    (as its bitmap scans of a large range do), not through an index."""
    codes = settings(app.config, app.registry).codes
    with session_scope(app.database()) as session:
        if heap and session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL enable_indexscan = off"))
            session.execute(text("SET LOCAL enable_bitmapscan = off"))
        got = load_inputs(session, as_of, Condenser(app.registry, codes), config_digest(app.registry, codes))
        session.flush()
        kept = {(a, m): p for a, m, p in session.execute(
            select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload))}
    with session_scope(app.database()) as session:
        whole = load_snapshot(session, as_of, Condenser(app.registry, codes))
    assert sorted(got.lines, key=lambda ln: ln.id) == sorted(whole.lines, key=lambda ln: ln.id), as_of
    assert got.condensed == whole.condensed, as_of
    return got, kept


def _forget(app: App) -> None:
    with session_scope(app.database()) as session:
        drop_all(session)


def test_a_month_kept_is_the_same_payload_whatever_order_the_database_holds_its_lines_in(
        tmp_path: Path, db_url: str) -> None:
    app = _ledger(tmp_path, db_url)
    for as_of in (_day(31), _day(4)):
        _forget(app)
        _, before = _read(app, as_of, heap=True)
        with session_scope(app.database()) as session:  # every other line stored again, as it was, at the end
            ids = ",".join(map(str, sorted(session.scalars(select(LineRow.id)))[::2]))
            session.execute(text(f"CREATE TEMPORARY TABLE moved AS SELECT * FROM lines WHERE id IN ({ids})"))
            session.execute(text(f"DELETE FROM lines WHERE id IN ({ids})"))
            session.execute(text("INSERT INTO lines SELECT * FROM moved"))
            session.execute(text("DROP TABLE moved"))
        _forget(app)
        _, after = _read(app, as_of, heap=True)
        assert after == before, as_of


def test_the_credits_kept_are_those_the_whole_read_keeps_on_a_full_read_and_night_by_night(
        tmp_path: Path, db_url: str) -> None:
    app = _ledger(tmp_path, db_url)
    full, _ = _read(app, _day(31))
    assert [(dc.day, dc.amount_fen, dc.count, dc.interest_fen) for dc in full.condensed] == [
        (_day(d), 100 + d + 200 + d + 300 + d + 70 + d + 800 + d, 5, 70 + d) for d in (3, 4, 5)]
    assert {ln.source for ln in full.lines} >= {"row 6.1", "row 3.4", "row 3.5", "row 3.6"}
    _forget(app)
    nights = [_read(app, _day(d))[0] for d in range(2, 32)]  # each night reads on from the last
    assert sum(n.extended_months for n in nights) >= 20
    assert sorted(nights[-1].lines, key=lambda ln: ln.id) == sorted(full.lines, key=lambda ln: ln.id)
    assert nights[-1].condensed == full.condensed
