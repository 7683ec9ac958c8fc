"""The cashiers' books: every pooled account's bank journal (银行存款日记账), kept from the bank's own
lines the way a cashier keeps it, written in the layouts of `mappings/books/` through their writer.

How a cashier books (the clean baseline): a day's contributions on an income account as one voucher,
a day's payroll on an expense account as one voucher, everything else one voucher per bank line on
its own day, bank fees a few days late (within `book.match_days`). The realistic 未达账项 and the
faults (`BOOK_FAULTS`) are placed once every month has been simulated, so each kind occurs at least
once where the period has room: a fee or interest the cashier never booked, a payment booked on the
last day of a month that the bank executed on the next month's first working day, an entry booked
twice, a bank line forgotten, a wrong amount, one transfer booked as two vouchers, and a wrong
opening balance when the books were set up (建账). `simulate.book_answer` derives the statements.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from parsers import books as book_files
from reconcile.accounts import Account, Registry
from reconcile.book.records import Journal, JournalEntry
from reconcile.model import Line
from simulate.flows import fund_word
from simulate.ledger import DayLines
from simulate.statements import freeze_xlsx, stamp
from simulate.world import YM, World, month_end, next_ym

BOOK_FAULTS = ("fee_unbooked", "interest_unbooked", "entry_forgotten", "entry_twice", "wrong_amount",
               "split_voucher", "early_voucher", "late_voucher", "journal_opening")
NO_FINDING = ("journal_duplicate_file", "journal_overlap")
NOT_CONTRIBUTIONS = ("利息划入", "退汇", "退回")


@dataclass(frozen=True)
class Layout:
    profile: str
    kind: str  # csv | xlsx
    header: tuple[str, ...] = ()  # a header other than the profile's own (the plain template's 金额/收支)
    account_in_title: bool = False  # 账号 in the title block; else bound by 科目 name or by the file name
    generic_subject: bool = False  # 科目 without the account's name: only the file name binds it


def layout_of(world: World, a: Account) -> Layout:
    """Which software each holder keeps its books in: the city agency 用友, the finance bureau 金蝶, the
    counties in turn the plain template (CSV, 账号 in the title), the plain template as XLSX with one
    金额 column and nothing but its file name to bind it, 金蝶, 用友."""
    if a.entity == world.city.code:
        fiscal = a.role == "fiscal"
        return Layout("kingdee_kis", "csv", account_in_title=True) if fiscal else Layout("yonyou_u8", "xlsx")
    i = [e.code for e in world.counties].index(a.entity) % 4
    return (Layout("plain", "csv", account_in_title=True),
            Layout("plain", "xlsx", ("日期", "凭证号", "摘要", "金额", "收支", "余额"), generic_subject=True),
            Layout("kingdee_kis", "csv", account_in_title=True),
            Layout("yonyou_u8", "xlsx"))[i]


@dataclass
class BankRec:
    """A bank line the cashier books one by one."""

    day: date
    amount: int
    text: str
    party: str
    kind: str  # fee | interest | xfer | day (a line of a day's total the cashier books one by one)
    fault: str = ""


@dataclass
class Entry:
    day: date
    amount: int
    text: str
    party: str = ""
    link: int = -1  # the truth: which bank record (index into BankRec list; -2: a day's group) it books
    fault: str = ""
    voucher: str = ""


@dataclass
class Cashier:
    acct: Account
    layout: Layout
    code: str
    opening: int | None = None  # the bank's balance when the books were set up (the first day)
    closing: dict[YM, int] = field(default_factory=dict)  # the bank's true balance at each month end
    groups: dict[tuple[date, bool], array] = field(default_factory=dict)  # (day, credit) -> line amounts
    recs: list[BankRec] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    opening_error: int = 0
    last_day: date | None = None  # the bank's statements stop after this day (the stale account)
    files: list[str] = field(default_factory=list)


class Cashiers:
    """Collects every account's month as the bank books it; writes the journals at the end."""

    def __init__(self, world: World, books_dir: Path) -> None:
        self.world, self.books_dir = world, books_dir
        self.by_account: dict[str, Cashier] = {}
        self.placed: list[tuple[str, str, object]] = []  # (fault, account, what)
        self.skipped: list[str] = []
        self.no_finding: list[dict[str, object]] = []
        for n, a in enumerate(world.registry.accounts):
            if a.role != "legacy_fiscal":
                self.by_account[a.number] = Cashier(a, layout_of(world, a), f"1002{n + 1:02d}")

    # -- collecting -------------------------------------------------------------------------------------
    def month(self, a: Account, ym: YM, days: list[DayLines], last_day: date | None) -> None:
        c = self.by_account.get(a.number)
        if c is None:
            return
        c.last_day = last_day
        if c.opening is None:
            c.opening = days[0].opening if days else 0
        reg = self.world.registry
        for dl in days:
            for ln in dl.lines:
                group = self._group_of(a, ln, reg)
                if group is not None:
                    c.groups.setdefault((dl.day, group), array("q")).append(ln.amount_fen)
                else:
                    c.recs.append(BankRec(dl.day, ln.amount_fen, ln.remark or ln.text, ln.counterparty_name,
                                          _kind(ln)))
        c.closing[ym] = days[-1].closing if days else c.closing.get(next_ym(ym, -1), c.opening or 0)

    @staticmethod
    def _group_of(a: Account, ln: Line, reg: Registry) -> bool | None:
        """True: a contribution (booked in the day's total), False: a payroll payment, None: one by one."""
        if (a.role == "income" and ln.amount_fen > 0 and ln.text not in NOT_CONTRIBUTIONS
                and reg.account(ln.counterparty_account) is None):
            return True
        if a.role == "expense" and ln.amount_fen < 0 and (ln.text.startswith("代发") or ln.text == "批量代发"):
            return False
        return None

    # -- the books ----------------------------------------------------------------------------------------
    def finish(self, out: Path, match_days: int, rate: float = 0.01, shifted: str = "") -> None:
        """Place the faults, keep every cashier's book, write the journal files into `out`."""
        for c in self.by_account.values():
            unbundle_lookalikes(c.recs, c.groups, match_days, fund_word(self.world, c.acct.fund))
        self._place(match_days, rate, shifted)
        for c in self.by_account.values():
            self._keep(c, match_days)
        for c in self.by_account.values():
            self._write(c, out)
        self._copies(out)

    def _place(self, k: int, rate: float, shifted: str) -> None:
        w = self.world
        rng = w.rng("book-faults")
        later = set(w.months[1:])
        lasts = {w.workdays(ym)[-1]: w.workdays(next_ym(ym))[0] for ym in w.months[:-1] if w.workdays(ym)}
        cands: dict[str, list[tuple[Cashier, BankRec]]] = {f: [] for f in BOOK_FAULTS if f != "journal_opening"}
        for c in self.by_account.values():
            alike = alike_nearby(c.recs, c.groups, 2 * k)
            for i, r in enumerate(c.recs):
                if i in alike:
                    continue  # another line of this amount nearby: a fault here could pair otherwise
                free = (r.day, r.amount > 0) not in c.groups
                if r.kind == "fee" and free:
                    cands["fee_unbooked"].append((c, r))
                if r.kind == "interest" and free and c.acct.role != "income":
                    cands["interest_unbooked"].append((c, r))
                if r.kind == "xfer":
                    cands["entry_twice"].append((c, r))
                    if free and r.amount < 0:
                        cands["entry_forgotten"].append((c, r))
                        if -r.amount >= 2000:
                            cands["split_voucher"].append((c, r))
                    if free:
                        cands["wrong_amount"].append((c, r))
                    if _ym(r.day) in later and (r.day - month_end(next_ym(_ym(r.day), -1))).days <= k:
                        cands["early_voucher"].append((c, r))  # e.g. the fund transfer of the 1st to 5th
                    booked = lasts.get(r.day)
                    if booked is not None and (booked - r.day).days <= k:
                        cands["late_voucher"].append((c, r))
        # One fault per account, day and sign: two unmatched records of one day (a split voucher
        # beside a wrong amount) would defeat the day-sum matching the key counts on.
        taken: set[tuple[str, date, bool]] = set()
        for kind, found in cands.items():
            rng.shuffle(found)
            want = 1 + sum(1 for _ in found[1:] if rng.random() < rate)
            for c, r in found:
                if want == 0:
                    break
                slot = (c.acct.number, r.day, r.amount > 0)
                if not r.fault and slot not in taken:
                    r.fault = kind
                    taken.add(slot)
                    self.placed.append((kind, c.acct.number, r.day))
                    want -= 1
            if want and not any(f == kind for f, _, _ in self.placed):
                self.skipped.append(kind)
        others = sorted(n for n in self.by_account if n != shifted)
        if others:
            c = self.by_account[rng.choice(others)]
            c.opening_error = rng.choice((-1, 1)) * rng.randint(10_000, 5_000_000)
            self.placed.append(("journal_opening", c.acct.number, c.opening_error))
        else:
            self.skipped.append("journal_opening")

    def _keep(self, c: Cashier, k: int) -> None:
        """The cashier's entries, from the bank's records and the faults placed on them."""
        w = self.world
        word = fund_word(w, c.acct.fund)
        rng = w.rng("cashier", c.acct.number)
        entries: list[Entry] = []
        for (day, credit), amounts in sorted(c.groups.items()):
            entries.append(Entry(day, sum(amounts), _day_text(word, credit), "", -2))
        for i, r in enumerate(c.recs):
            if r.fault in ("fee_unbooked", "interest_unbooked", "entry_forgotten"):
                continue
            day = r.day
            if r.kind == "fee":  # the bank's advice reaches the cashier a few days later, same month
                late = min(rng.randint(0, 3), k)
                day = max(d for d in w.window(r.day, min(r.day + timedelta(days=late), month_end(_ym(r.day)))))
            if r.fault == "early_voucher":  # the voucher dated the month's last day, the bank a day later
                day = month_end(next_ym(_ym(r.day), -1))
            if r.fault == "late_voucher":  # the bank's month-end line, booked on the next working day
                day = w.workdays(next_ym(_ym(r.day)))[0]
            if r.fault == "wrong_amount":
                delta = rng.choice((-1, 1)) * rng.choice((900, 9000, 90000, 100, 1000))
                amount = r.amount + delta if abs(r.amount) > abs(delta) else r.amount * 10
                entries.append(Entry(day, amount, r.text, r.party, -1, "wrong_amount"))
                continue
            if r.fault == "split_voucher":
                part = r.amount * rng.randint(55, 85) // 100
                entries.append(Entry(day, part, r.text + "（一）", r.party, i, "split_voucher"))
                entries.append(Entry(day, r.amount - part, r.text + "（二）", r.party, i, "split_voucher"))
                continue
            entries.append(Entry(day, r.amount, r.text, r.party, i, r.fault))
            if r.fault == "entry_twice":
                entries.append(Entry(day, r.amount, r.text, r.party, -1, "entry_twice"))
        entries.sort(key=lambda e: e.day)  # stable: a duplicate stays after its original
        counters: dict[YM, int] = {}
        for e in entries:
            ym = _ym(e.day)
            counters[ym] = counters.get(ym, 0) + 1
            e.voucher = _voucher(c.layout.profile, e.amount, counters[ym])
        c.entries = entries

    # -- the files ----------------------------------------------------------------------------------------
    def journal(self, c: Cashier, start: date, end: date) -> Journal:
        """The journal of [start, end] as the cashier's software exports it."""
        opening = (c.opening or 0) + c.opening_error + sum(e.amount for e in c.entries if e.day < start)
        es = tuple(JournalEntry(e.day, e.amount, e.voucher, e.text, e.party) for e in c.entries
                   if start <= e.day <= end)
        name = c.acct.name
        subject = f"{c.code} 银行存款" if c.layout.generic_subject else f"{c.code} 银行存款—{name}"
        unit = self.world.registry.entity(c.acct.entity).name + "社会保险事业局"
        return Journal(subject=subject, account=c.acct.number if c.layout.account_in_title else "", unit=unit,
                       period_start=start, period_end=end, opening_fen=opening, entries=es,
                       format=f"book:{c.layout.profile}")

    def _write(self, c: Cashier, out: Path) -> None:
        for ym in self.world.months:
            start, end = date(ym[0], ym[1], 1), month_end(ym)
            c.files.append(self._put(c, out, start, end))

    def _put(self, c: Cashier, out: Path, start: date, end: date, suffix: str = "") -> str:
        lay = c.layout
        data = book_files.write([self.journal(c, start, end)], lay.profile, books_dir=self.books_dir,
                                header=list(lay.header) or None, kind=lay.kind)
        when = self.world.add_wd(end, 3)
        if lay.kind == "xlsx":
            data = freeze_xlsx(data, when)
        name = f"日记账_{c.acct.number}_{start:%Y%m%d}-{end:%Y%m%d}{suffix}.{lay.kind}"
        (out / name).write_bytes(data)
        t = stamp(when, 10)
        os.utime(out / name, (t, t))
        return name

    def _copies(self, out: Path) -> None:
        """The same export dropped twice, and an export of several months beside the monthly ones."""
        w = self.world
        plain = [c for c in self.by_account.values() if c.layout.kind == "csv" and c.files]
        if not plain:
            self.skipped += list(NO_FINDING)
            return
        c = plain[0]
        first = c.files[0]
        copy = first.replace(".csv", " - 副本.csv")
        (out / copy).write_bytes((out / first).read_bytes())
        t = stamp(w.add_wd(month_end(w.months[0]), 4), 10)
        os.utime(out / copy, (t, t))
        self.no_finding.append({"fault": "journal_duplicate_file", "file": copy, "same_as": first,
                                "check": "ingest records it as duplicate; no entry added"})
        if len(w.months) >= 2:
            c2 = plain[-1]
            last = w.months[min(2, len(w.months) - 1)]
            name = self._put(c2, out, date(*w.months[0], 1), month_end(last), "_季度")
            self.no_finding.append({"fault": "journal_overlap", "file": name,
                                    "check": "every entry is already held from the monthly exports: none added"})
        else:
            self.skipped.append("journal_overlap")


def alike_nearby(recs: list[BankRec], groups: dict[tuple[date, bool], array], days: int) -> set[int]:
    """The records (by index) with another bank line of the same amount on another day at most `days` away:
    a line booked one by one, or one inside a day's group (contributions, a payroll), which docs/DOMAIN.md's
    one-to-one matching also offers an entry."""
    when = _days_by_amount(recs, groups)
    out: set[int] = set()
    for i, r in enumerate(recs):
        ds = when[r.amount]
        lo, hi = bisect_left(ds, r.day - timedelta(days=days)), bisect_right(ds, r.day + timedelta(days=days))
        if any(d != r.day for d in ds[lo:hi]):
            out.add(i)
    return out


def unbundle_lookalikes(recs: list[BankRec], groups: dict[tuple[date, bool], array], k: int, word: str) -> None:
    """A day's total that equals one bank line of its sign at most k days away (a line booked one by one, or
    one inside another day's total) would be taken by docs/DOMAIN.md's one-to-one pass before the day sums are
    tried: the cashier books such a day line by line instead (its lines move from `groups` to `recs`). The
    province year of seed 7 has one: 31 October 2008's contributions sum to 2,855.48, and one contribution
    of 4 November is 2,855.48."""
    near = _days_by_amount(recs, groups)
    alike = [key for key, amounts in groups.items()
             if len(amounts) >= 2 and any(abs((d - key[0]).days) <= k for d in near.get(sum(amounts), ()))]
    for day, credit in alike:
        recs.extend(BankRec(day, a, _day_text(word, credit), "", "day") for a in groups.pop((day, credit)))
    if alike:
        recs.sort(key=lambda r: r.day)  # stable: each day's lines in the bank's order


def _days_by_amount(recs: list[BankRec], groups: dict[tuple[date, bool], array]) -> dict[int, list[date]]:
    """Each amount's bank lines' days, in order: the lines booked one by one and those inside days' totals."""
    when: dict[int, list[date]] = {}
    for r in recs:
        when.setdefault(r.amount, []).append(r.day)
    for (day, _credit), amounts in groups.items():
        for a in amounts:
            when.setdefault(a, []).append(day)
    for ds in when.values():
        ds.sort()
    return when


def _day_text(word: str, credit: bool) -> str:
    """The summary of a day's total: the day's contributions, or its payroll."""
    return f"收到{word}保险费收入" if credit else f"发放{word}保险待遇"


def _ym(d: date) -> YM:
    return d.year, d.month


def _kind(ln: Line) -> str:
    if ln.text == "手续费":
        return "fee"
    if ln.text == "利息划入":
        return "interest"
    return "xfer"


def _voucher(profile: str, amount: int, n: int) -> str:
    if profile == "yonyou_u8":
        return f"{'收' if amount > 0 else '付'}-{n:04d}"
    if profile == "kingdee_kis":
        return f"记-{n}"
    return f"{n:04d}"
