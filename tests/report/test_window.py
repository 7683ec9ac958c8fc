"""The report's window (docs/DOMAIN.md, *The report*): the tables that list history show the
report's year (from 1 December of the year before in January), open findings of any year always.

A two-year ledger of Zhongshan's pension income account, January 2008 to February 2009: each
month contributions, a bank fee and interest, an unidentified debit in June 2008 (an
open finding that stays open), a return on 5 January 2009 of a payment of 29 December 2008, and
a refund in February 2009 to an employer that paid in May 2008. The statements of November 2008
and January 2009 arrive late: their coverage gaps close in the last report, the first one of 2008.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import event

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile, settings
from jobs.report import ReportResult, write_report
from parsers.camt.writer import write as write_camt
from reconcile.accounts import Account, Registry
from reconcile.engine.condense import Condenser
from reconcile.engine.run import classed_lines
from reconcile.messages import t
from reconcile.model import Line, RefStrength, Statement
from reconcile.reporting.window import report_window
from store.db import session_scope, upgrade
from store.inputs import config_digest, load_classing
from store.snapshot import load_snapshot
from tests.report.world import alias

MONTHS = [(2008, m) for m in range(1, 13)] + [(2009, 1), (2009, 2)]
LATE = {(2008, 11), (2009, 1)}
EMPLOYER = ("6222000011112222", "六盘水市某某建筑工程有限公司")
ONCE = ("6222000055556666", "六盘水市某某煤矿")  # paid once, in May 2008; refunded in February 2009
SUPPLIER = ("6222000099998888", "六盘水市某某商贸有限公司")


def _lines(ym: tuple[int, int]) -> list[Line]:
    y, m = ym
    out = [(date(y, m, 3), 2_000_000, EMPLOYER, "汇入", "养老保险费"),
           (date(y, m, 10), 1_500_000, ("6222000033334444", "钟山区某某中学"), "汇入", "养老保险费"),
           (date(y, m, 20), -500, ("", ""), "手续费", "")]
    out.append((date(y, m, 21), 12_345, ("", ""), "结息", "利息"))
    if ym == (2008, 5):
        out.append((date(y, m, 15), 100_000, ONCE, "汇入", "补缴"))
    if ym == (2008, 6):
        out.append((date(y, m, 16), -30_000, ("", ""), "转账", ""))  # unidentified: nobody named
    if ym == (2008, 12):
        out.append((date(y, m, 29), -200_000, SUPPLIER, "转账", "货款"))
    if ym == (2009, 1):
        out.append((date(y, m, 5), 200_000, SUPPLIER, "退汇", "原路退回"))
    if ym == (2009, 2):
        out.append((date(y, m, 12), -80_000, ONCE, "退费", "多缴退费"))
    return [Line(d, fen, value_date=d, counterparty_account=a, counterparty_name=n, text=text, remark=remark,
                 bank_ref=f"R{d:%Y%m%d}{i:03d}", ref_strength=RefStrength.STRONG)
            for i, (d, fen, (a, n), text, remark) in enumerate(sorted(out, key=lambda x: x[0]))]


def _write(inbox: Path, acct: Account, batch: int) -> None:
    balance = 0
    for ym in MONTHS:
        lines = tuple(_lines(ym))
        opening, balance = balance, balance + sum(ln.amount_fen for ln in lines)
        if (ym in LATE) == (batch == 2):
            st = Statement(account=acct.number, currency="CNY", period_start=date(*ym, 1),
                           period_end=date(*ym, calendar.monthrange(*ym)[1]), opening_fen=opening,
                           closing_fen=balance, lines=lines, account_name=acct.name)
            (inbox / f"camt053_{acct.number}_{ym[0]}{ym[1]:02d}.xml").write_bytes(write_camt([st]))


class Ledger:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.app = App(str(root / "config.toml"))
        upgrade(self.app.database(checked=False))
        reg = self.app.registry
        self.account = alias(reg, "ZS", "pension", "income")
        self.registry: Registry = replace(reg, accounts=(self.account, alias(reg, "LPS", "pension", "income")))

    def ingest(self, batch: int) -> None:
        _write(self.root / "inbox", self.account, batch)
        Ingestor(self.app.config, self.registry, self.app.database()).run(progress=False)

    def night(self, as_of: date) -> ReportResult:
        run_reconcile(self.app.config, self.registry, self.app.database(), as_of)
        now = datetime.combine(as_of, datetime.min.time(), UTC).replace(hour=23)
        return write_report(self.app.config, self.registry, self.app.database(), as_of, now=now)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _col(name: str) -> str:
    return t(f"report.col.{name}", "zh")


def _kind(kind: str) -> str:
    return t(f"report.kind.{kind}", "zh")


def test_the_window_is_the_as_of_year_and_in_january_from_december() -> None:
    assert report_window(date(2010, 12, 16)).start == date(2010, 1, 1)
    assert report_window(date(2010, 12, 31)).start == date(2010, 1, 1)  # the year-end report: its whole year
    assert report_window(date(2011, 1, 1)).start == date(2010, 12, 1)
    assert report_window(date(2011, 1, 31)).start == date(2010, 12, 1)
    assert report_window(date(2011, 2, 1)).start == date(2011, 1, 1)
    w = report_window(date(2011, 1, 15))
    assert (w.end, w.first_month, w.holds_period("2010-12"), w.holds_period("2010-11")) == (
        date(2011, 1, 15), "2010-12", True, False)


def test_a_two_year_ledgers_report_lists_old_open_findings_but_not_old_history(project: Path) -> None:
    ledger = Ledger(project)
    ledger.ingest(1)

    # January: December's month-end items are still listed, November's are not.
    january = ledger.night(date(2009, 1, 31))
    days = {r[_col("booking_date")] for r in _csv(january.folder / "classed_lines.csv")}
    assert min(days) == "2008-12-20" and "2008-12-21" in days  # (January's statement comes later)
    page = (january.folder / "exceptions.html").read_text(encoding="utf-8")
    assert page.count("本表只列 2008-12-01 至 2009-01-31") == 6

    ledger.night(date(2009, 2, 28))
    ledger.ingest(2)
    last = ledger.night(date(2009, 3, 1))

    classed = _csv(last.folder / "classed_lines.csv")
    assert classed and min(r[_col("booking_date")] for r in classed) >= "2009-01-01"
    by_class = {(r[_col("line_class")], r[_col("booking_date")]) for r in classed}
    assert {(t("report.line_class.return", "zh"), "2009-01-05"), (t("report.line_class.refund", "zh"), "2009-02-12"),
            (t("report.line_class.fee", "zh"), "2009-01-20"), (t("report.line_class.fee", "zh"), "2009-02-20")
            } <= by_class

    # The open finding of June 2008 is listed; of the gaps closed tonight only January 2009's.
    found = _csv(last.folder / "findings.csv")
    assert any(r[_col("kind")] == _kind("unidentified") and r[_col("period")] == "2008-06" for r in found)
    resolved = {(r[_col("kind")], r[_col("period")]) for r in _csv(last.folder / "resolved.csv")}
    assert (_kind("coverage_gap"), "2009-01") in resolved
    assert (_kind("coverage_gap"), "2008-11") not in resolved

    # Coverage: the statements of the window only (January and February 2009).
    row = next(r for r in _csv(last.folder / "coverage.csv") if r[_col("account")] == ledger.account.number)
    assert (row[_col("statements")], row[_col("first_day")]) == ("2", "2009-01-01")
    note = "本表只列 2009-01-01 至 2009-03-01"
    assert (last.folder / "exceptions.html").read_text(encoding="utf-8").count(note) == 6


def test_the_windows_classes_are_those_of_the_whole_ledger(project: Path) -> None:
    ledger = Ledger(project)
    ledger.ingest(1)
    ledger.ingest(2)
    as_of = date(2009, 2, 27)  # January kept whole by the reconcile, February through the 27th
    run_reconcile(ledger.app.config, ledger.registry, ledger.app.database(), as_of)
    s = settings(ledger.app.config, ledger.registry)
    window = report_window(as_of)
    engine = ledger.app.database()
    read: list[str] = []

    def seen(_conn: object, _cur: object, sql: str, *_args: object) -> None:
        read.append(sql)

    with session_scope(engine) as session:
        event.listen(engine, "before_cursor_execute", seen)
        part = load_classing(session, window, s, Condenser(ledger.registry, s.codes),
                             config_digest(ledger.registry, s.codes))
        event.remove(engine, "before_cursor_execute", seen)
        whole = load_snapshot(session, as_of, Condenser(ledger.registry, s.codes))
    assert part is not None  # read from the months the reconcile kept (a year back: the refund)
    assert not [sql for sql in read if "lines.booking_date" in sql]  # no line read from the ledger
    mine = [x for x in classed_lines(part, s) if x.booking_date >= window.start]
    assert mine == [x for x in classed_lines(whole, s) if x.booking_date >= window.start]
    assert {x.cls for x in mine} == {"fee", "interest", "return", "refund"}
