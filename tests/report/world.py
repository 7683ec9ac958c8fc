"""A small but realistic half year (January to June 2008) of Liupanshui's pooled accounts, written
as camt.053 statements, plan, target and junk files into a project's inbox, for the report tests.

What happens in it (so the report has something to say):
- ZS remits every month on time; its pension statement for May arrives late (second batch), so at
  the end of May that month is `awaiting_statement` and closes once the statement arrives.
- LZ remits March's contributions on 3 April (`late`, 9 days).
- PX remits only half of April's pension contributions; later remittances catch up first-in
  first-out, so arrears roll forward month to month.
- SC stops remitting pension in May (`missing` in May and June); SC unemployment pays June in two
  instalments (`split`).
- ZS pays May's pensions only 80 % (`short_disbursement`) and June's three days late (`late`
  disburse); June's plan is submitted after its deadline (`late_plan`).
- PX unemployment's April statement opens 100.00 above March's closing (`balance_break`).
- One unreadable file is rejected.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from parsers.camt.writer import write as write_camt
from reconcile.accounts import Account, Registry
from reconcile.calendar import WorkCalendar
from reconcile.model import Line, RefStrength, Statement

COUNTIES = ("ZS", "LZ", "PX", "SC")
FUNDS = ("pension", "unemployment")
MONTHS = tuple((2008, m) for m in range(1, 7))
BASE = {"ZS": 12_000_000, "LZ": 8_000_000, "PX": 15_000_000, "SC": 6_000_000}  # fen per month, pension
PLAN_FEN = 50_000_000
FIRST_BATCH_END = date(2008, 5, 31)
WITHHELD = ("ZS", "pension", "income", (2008, 5))  # the statement that arrives late
CAL = WorkCalendar()


def alias(registry: Registry, entity: str, fund: str, role: str) -> Account:
    return next(a for a in registry.accounts if (a.entity, a.fund, a.role) == (entity, fund, role))


def accounts_used(registry: Registry) -> list[Account]:
    out = [alias(registry, c, f, "income") for f in FUNDS for c in (*COUNTIES, "LPS")]
    out += [alias(registry, "LPS", f, "fiscal") for f in FUNDS]
    out += [alias(registry, "LPS", "pension", "expense"), alias(registry, "ZS", "pension", "expense")]
    return out


def cut(registry: Registry) -> Registry:
    return replace(registry, accounts=tuple(accounts_used(registry)))


@dataclass
class Book:
    registry: Registry
    lines: dict[tuple[str, tuple[int, int]], list[Line]] = field(default_factory=lambda: defaultdict(list))
    n: int = 0

    def add(self, acct: Account, d: date, fen: int, party: Account | tuple[str, str] | None, text: str,
            remark: str = "") -> None:
        self.n += 1
        if isinstance(party, Account):
            cp_acct, cp_name = party.number, party.name
        elif party is None:
            cp_acct, cp_name = "", ""
        else:
            cp_acct, cp_name = party
        self.lines[(acct.number, (d.year, d.month))].append(Line(
            d, fen, value_date=d, counterparty_account=cp_acct, counterparty_name=cp_name, text=text, remark=remark,
            bank_ref=f"R{d:%Y%m%d}{self.n:06d}", ref_strength=RefStrength.STRONG))

    def transfer(self, sender: Account, receiver: Account, d: date, fen: int, text: str) -> None:
        self.add(sender, d, -fen, receiver, "转账", text)
        self.add(receiver, d, fen, sender, "转账", text)


def _employer(county: str, i: int) -> tuple[str, str]:
    return f"622202020011{COUNTIES.index(county)}{i:06d}", f"六盘水市{county}第{i}建筑工程有限公司"


def _month_lots(county: str, fund: str, ym: tuple[int, int]) -> list[tuple[date, int]]:
    base = BASE[county] if fund == "pension" else BASE[county] // 5
    total = base + (ym[1] % 3) * base // 10
    return [(date(*ym, 5), total * 6 // 10), (date(*ym, 15), total - total * 6 // 10)]


def build(registry: Registry) -> Book:
    book = Book(registry)
    for fund in FUNDS:
        city = alias(registry, "LPS", fund, "income")
        fiscal = alias(registry, "LPS", fund, "fiscal")
        carry: dict[str, int] = defaultdict(int)
        for ym in MONTHS:
            for county in COUNTIES:
                acct = alias(registry, county, fund, "income")
                due = 0
                for i, (d, fen) in enumerate(_month_lots(county, fund, ym)):
                    words = "养老保险费" if fund == "pension" else "失业保险费"
                    book.add(acct, d, fen, _employer(county, i), "汇入", words)
                    due += fen
                _remit(book, county, fund, ym, acct, city, due, carry)
            last = max(CAL.workdays(date(*ym, 1), date(*ym, calendar.monthrange(*ym)[1])))
            swept = sum(ln.amount_fen for ln in book.lines[(city.number, ym)] if ln.amount_fen > 0)
            book.transfer(city, fiscal, last, swept, "转入财政专户")
    _disburse(book, registry)
    return book


def _remit(book: Book, county: str, fund: str, ym: tuple[int, int], acct: Account, city: Account, due: int,
           carry: dict[str, int]) -> None:
    text = f"上解{ym[1]}月{'养老' if fund == 'pension' else '失业'}保险费"
    owed = due + carry[county]
    if county == "LZ" and ym == (2008, 3):
        carry[county] = due  # March paid on 3 April, with April's below
        return
    if county == "LZ" and ym == (2008, 4):
        book.transfer(acct, city, date(2008, 4, 3), carry[county], "上解3月保险费")
        owed -= carry[county]
    if county == "PX" and fund == "pension" and ym == (2008, 4):
        book.transfer(acct, city, date(2008, 4, 24), owed // 2, text)
        carry[county] = owed - owed // 2
        return
    if county == "PX" and fund == "pension" and ym > (2008, 4):
        book.transfer(acct, city, date(*ym, 22), due, text)  # never the arrears: they roll forward
        return
    if county == "SC" and fund == "pension" and ym >= (2008, 5):
        return
    if county == "SC" and fund == "unemployment" and ym == (2008, 6):
        book.transfer(acct, city, date(2008, 6, 20), owed // 2, text)
        book.transfer(acct, city, date(2008, 6, 24), owed - owed // 2, text)
        carry[county] = 0
        return
    book.transfer(acct, city, date(*ym, 20), owed, text)
    carry[county] = 0


def _disburse(book: Book, registry: Registry) -> None:
    fiscal = alias(registry, "LPS", "pension", "fiscal")
    city = alias(registry, "LPS", "pension", "expense")
    county = alias(registry, "ZS", "pension", "expense")
    for ym in MONTHS[1:]:
        book.transfer(fiscal, city, date(*ym, 3), PLAN_FEN, f"拨付{ym[1]}月养老金")
        book.transfer(city, county, date(*ym, 6), PLAN_FEN, f"拨付{ym[1]}月养老金")
        paid = PLAN_FEN * 8 // 10 if ym == (2008, 5) else PLAN_FEN
        day = date(2008, 6, 18) if ym == (2008, 6) else date(*ym, 12)
        book.add(county, day, -paid, ("6228480000000000017", "中国农业银行钟山支行养老金代发户"), "代发",
                 f"{ym[1]}月养老金")


def _statements(book: Book) -> list[tuple[Account, tuple[int, int], Statement]]:
    out = []
    for acct in accounts_used(book.registry):
        balance = 1_000_000_000 if acct.role == "fiscal" else 0
        for ym in MONTHS:
            lines = tuple(sorted(book.lines.get((acct.number, ym), []), key=lambda ln: ln.booking_date))
            opening = balance
            if (acct.entity, acct.fund, acct.role, ym) == ("PX", "unemployment", "income", (2008, 4)):
                opening += 10_000  # a chain break: opens 100.00 above March's closing
            closing = opening + sum(ln.amount_fen for ln in lines)
            balance = closing
            st = Statement(account=acct.number, currency="CNY", period_start=date(*ym, 1),
                           period_end=date(*ym, calendar.monthrange(*ym)[1]), opening_fen=opening,
                           closing_fen=closing, lines=lines, account_name=acct.name)
            out.append((acct, ym, st))
    return out


def write_batch(book: Book, inbox: Path, batch: int) -> None:
    """Batch 1: statements up to May (less the withheld one), plans, targets and a junk file;
    batch 2: the withheld statement and June's."""
    for acct, ym, st in _statements(book):
        late = (acct.entity, acct.fund, acct.role, ym) == WITHHELD or ym == (2008, 6)
        if (batch == 2) == late:
            (inbox / f"camt053_{acct.number}_{ym[0]}{ym[1]:02d}.xml").write_bytes(write_camt([st]))
    if batch == 1:
        (inbox / "plans.csv").write_text(_plans(), encoding="utf-8")
        (inbox / "targets.csv").write_text(_targets(), encoding="utf-8")
        (inbox / "未知格式的文件.txt").write_text("这不是对账单\n", encoding="utf-8")


def _plans() -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["month", "entity", "fund", "amount", "submitted", "approved", "version"])
    for ym in (*MONTHS[1:], (2008, 7)):
        prev = (ym[0], ym[1] - 1)
        submitted = date(2008, 5, 28) if ym == (2008, 6) else date(*prev, 20)
        approved = date(2008, 5, 29) if ym == (2008, 6) else date(*prev, 24)
        w.writerow([f"{ym[0]}-{ym[1]:02d}", "ZS", "pension", f"{PLAN_FEN // 100}.00", submitted, approved, 1])
        w.writerow([f"{ym[0]}-{ym[1]:02d}", "LPS", "pension", "0.00", date(*prev, 20), date(*prev, 24), 1])
    return buf.getvalue()


def _targets() -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["year", "entity", "fund", "amount"])
    for county in COUNTIES:
        w.writerow([2008, county, "pension", f"{BASE[county] * 12 // 100}.00"])
    return buf.getvalue()
