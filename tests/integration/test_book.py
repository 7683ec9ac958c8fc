"""Journals in the inbox and the monthly 调节表, on SQLite and PostgreSQL: a journal is ingested whole
or not at all, the same entries twice are held once, and reconcile draws up the statement that
`recon book` shows and explains."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.ingest import Ingestor, IngestReport
from jobs.reconciling import finding_json, run_reconcile
from store.books import load_statements
from store.db import session_scope, upgrade
from store.findings import listing
from store.models import FileRow, JournalEntryRow, JournalRow
from tests.integration.conftest import ROOT, write_config
from tests.integration.files import ZS_PENSION_INCOME, Row, icbc_csv

NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""
BANK = [Row("2008-03-04 09:12:33", 15843210, voucher="A1"), Row("2008-03-08 14:05:02", 123456789, voucher="A2"),
        Row("2008-03-20 10:00:00", -1500, name="", account="", text="手续费", remark="账户管理费", voucher="A3"),
        Row("2008-03-31 15:00:00", -100000000, name="六盘水市社会保险事业局基本养老保险基金收入户",
            account="104861001000000101", text="上解", remark="上解2008年03月养老保险费收入", voucher="A4")]


def journal(rows: list[str], opening: str = "0.00", period: str = "2008-03-01至2008-03-31") -> bytes:
    head = ["银行存款日记账", f"账号,{ZS_PENSION_INCOME}", f"期间,{period}", "日期,凭证号,摘要,对方单位,收入,支出,余额",
            f",,期初余额,,,,{opening}"]
    return ("\r\n".join(head + rows) + "\r\n").encode("gbk")


MARCH = ["2008-03-04,0001,收到养老保险费收入,,158432.10,,158432.10",
         "2008-03-08,0002,收到养老保险费收入,,1234567.89,,1392999.99",
         "2008-03-31,0003,上解,六盘水市社会保险事业局基本养老保险基金收入户,,1000000.00,392999.99",
         "2008-03-31,0004,收到退费退回,,500.00,,393499.99"]


@pytest.fixture
def app(tmp_path: Path, db_url: str) -> App:
    write_config(tmp_path, db_url, NAME_RULE)
    (tmp_path / "inbox").mkdir()
    a = App(str(tmp_path / "config.toml"))
    upgrade(a.database(checked=False))
    return a


def drop(app: App, name: str, data: bytes) -> None:
    (app.config.path("inbox") / name).write_bytes(data)


def ingest(app: App) -> IngestReport:
    return Ingestor(app.config, app.registry, app.database()).run(progress=False)


def entries(app: App) -> int:
    with session_scope(app.database()) as s:
        return s.scalar(select(func.count()).select_from(JournalEntryRow)) or 0


def test_a_journal_is_stored_once_and_archived_beside_its_accounts_statements(app: App) -> None:
    drop(app, "银行日记账3月.csv", journal(MARCH))
    r = ingest(app)
    assert (r.ingested, r.rejected, r.entries, r.added) == (1, 0, 4, 0)
    archived = [p.relative_to(app.config.path("archive")).parts for p in app.config.path("archive").rglob("*.csv")]
    assert archived == [(ZS_PENSION_INCOME, "2008", "03", "银行日记账3月.csv")]
    drop(app, "银行日记账3月 (1).csv", journal(MARCH))  # the same bytes again
    quarter = journal([*MARCH, "2008-04-01,0001,收到养老保险费收入,,10.00,,393509.99"],
                      period="2008-03-01至2008-04-30")  # an overlapping export: one entry new
    drop(app, "银行日记账3-4月.csv", quarter)
    r = ingest(app)
    assert (r.ingested, r.duplicate, r.entries) == (1, 1, 1)
    assert entries(app) == 5
    with session_scope(app.database()) as s:
        assert sorted(s.scalars(select(FileRow.status))) == ["duplicate", "ingested", "ingested"]
        assert s.scalar(select(func.count()).select_from(JournalRow)) == 2


def test_a_journal_that_does_not_add_up_at_its_last_row_is_rejected_whole_naming_the_row(app: App) -> None:
    broken = [*MARCH[:-1], "2008-03-31,0004,收到退费退回,,500.00,,393499.98"]
    drop(app, "日记账.csv", journal(broken))
    r = ingest(app)
    assert (r.ingested, r.rejected) == (0, 1)
    assert entries(app) == 0
    reason = (app.config.path("rejected") / "日记账.csv.reason.txt").read_text(encoding="utf-8")
    assert "日记账.csv，第 9 行：余额 393,499.98 与上面各行推算的不符（应为 393,499.99）" in reason


def test_a_journal_of_no_registered_account_is_rejected_with_the_reason(app: App) -> None:
    drop(app, "日记账.csv", journal(MARCH).replace(ZS_PENSION_INCOME.encode(), b"62220000000000000001"))
    drop(app, "无账号日记账.csv", journal(MARCH).replace(f"账号,{ZS_PENSION_INCOME}".encode("gbk"), b""))
    assert ingest(app).rejected == 2
    reason = {p.name: p.read_text(encoding="utf-8") for p in app.config.path("rejected").glob("*.reason.txt")}
    said = "日记账.csv journal 1 (line 4)：日记账的账号 62220000000000000001 不在账户登记表"
    assert said in reason["日记账.csv.reason.txt"]
    assert "无法确定日记账所属账户" in reason["无账号日记账.csv.reason.txt"]
    assert entries(app) == 0


def recon(app: App, *args: str, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RECON_CRASH_AT", "RECON_CONFIG", "RECON_DATABASE_URL")}
    env |= {"RECON_CRASH_AT": crash_at} if crash_at else {}
    return subprocess.run([sys.executable, "-m", "jobs.cli", "--config", app.config.source, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.parametrize("point", ["ingest.parsed", "ingest.file_row", "ingest.before_commit", "ingest.committed"])
def test_a_kill_while_a_journal_is_ingested_leaves_a_state_the_next_run_repairs(app: App, point: str) -> None:
    drop(app, "日记账.csv", journal(MARCH))
    killed = recon(app, "ingest", crash_at=f"{point}:1")
    assert killed.returncode == -9, killed.stderr
    assert recon(app, "ingest").returncode == 0
    assert entries(app) == 4
    with session_scope(app.database()) as s:
        assert list(s.scalars(select(FileRow.status))) == ["ingested"]
        assert s.scalar(select(func.count()).select_from(JournalRow)) == 1
    assert list(app.config.path("inbox").iterdir()) == []
    assert [p.name for p in app.config.path("archive").rglob("*") if p.is_file()] == ["日记账.csv"]


def test_reconcile_draws_up_the_march_statement_and_recon_book_explains_it(app: App) -> None:
    drop(app, f"icbc_{ZS_PENSION_INCOME}_20080301-20080331.csv", icbc_csv(BANK))
    drop(app, "日记账.csv", journal(MARCH))
    assert ingest(app).rejected == 0
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 31))
    with session_scope(app.database()) as s:
        (st,) = load_statements(s)
        book = [finding_json(r) for r in listing(s) if r.finding.kind in ("book_unreconciled", "stale_outstanding")]
    assert (st.month, st.state, st.bank_balance_fen, st.book_balance_fen) == ("2008-03", "balanced", 39298499,
                                                                              39349999)
    assert (st.book_in_fen, st.book_out_fen, st.bank_in_fen, st.bank_out_fen) == (500 * 100, 0, 0, 1500)
    assert book == []
    done = recon(app, "book", ZS_PENSION_INCOME, "--month", "2008-03", "--json")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    assert (view["adjusted_bank_fen"], view["adjusted_book_fen"], view["difference_fen"]) == (39348499, 39348499, 0)
    assert [(i["side"], i["amount_fen"], i["why"]) for i in view["items"]] == [("bank_out", 1500, "none"),
                                                                              ("book_in", 50000, "none")]
    assert sorted((m["how"], m["reason"], len(m["lines"])) for m in view["matches"]) == [
        ("one", "only", 1), ("one", "only", 1), ("one", "only", 1)]
    text = recon(app, "book", ZS_PENSION_INCOME, "--month", "2008-03")
    assert text.returncode == 0 and "调节后余额相符" in text.stdout and "银行已付、企业未付" in text.stdout


def test_a_wrong_opening_balance_is_a_difference_and_recon_book_exits_1(app: App) -> None:
    drop(app, f"icbc_{ZS_PENSION_INCOME}_20080301-20080331.csv", icbc_csv(BANK))
    wrong = [row.rsplit(",", 1)[0] + f",{float(row.rsplit(',', 1)[1]) + 1:.2f}" for row in MARCH]
    drop(app, "日记账.csv", journal(wrong, opening="1.00"))
    ingest(app)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 31))
    with session_scope(app.database()) as s:
        (f,) = [finding_json(r) for r in listing(s) if r.finding.kind == "book_unreconciled"]
    assert (f["account"], f["period"], f["amount_fen"], f["severity"]) == (ZS_PENSION_INCOME, "2008-03", -100, "high")
    done = recon(app, "book", ZS_PENSION_INCOME, "--month", "2008-03")
    assert done.returncode == 1 and "银行方比账面方少 1.00 元" in done.stdout


def test_recon_book_says_what_is_wrong_with_its_arguments(app: App) -> None:
    assert recon(app, "book", "123", "--month", "2008-03").returncode == 2
    assert recon(app, "book", ZS_PENSION_INCOME, "--month", "2008-3").returncode == 2
    assert recon(app, "book", ZS_PENSION_INCOME, "--month", "2099-01", "--as-of", "2008-03-31").returncode == 2
    done = recon(app, "book", ZS_PENSION_INCOME, "--month", "2008-03", "--as-of", "2008-03-31")
    assert done.returncode == 0 and "没有日记账" in done.stderr and "Traceback" not in done.stderr

