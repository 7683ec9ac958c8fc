"""The 银行存款余额调节表 of one account at each month end, from its matched journal and ledger.

Balances. The book balance at day X is the opening balance of the latest journal starting on or
before X plus every stored entry from that journal's first day through X (so monthly, quarterly
and yearly exports of one journal agree). The bank balance at X is the closing balance of the
latest statement ending on or before X plus the lines booked after it through X; with statements
that carry no balances, the running balance after the last line booked on or before X.

Items. An entry or a line dated on or before X is outstanding at X when it is unmatched, or matched
with something dated after X. It is listed only on a day the *other* side covers (a bank line on a
day no journal covers is not yet the book's business). A non-working day counts as covered when the
working day before it is: a month ending on a Sunday is covered by the Friday's statement.
"""

from __future__ import annotations

import calendar as _cal
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from operator import attrgetter
from typing import TypeVar

from reconcile.book.match import Matching
from reconcile.book.records import (
    BANK_IN,
    BANK_OUT,
    BOOK_IN,
    BOOK_OUT,
    Item,
    JournalEntry,
    JournalSpan,
    MonthStatement,
    bank_summary,
)
from reconcile.calendar import WorkCalendar
from reconcile.coverage import Coverage, coverage
from reconcile.model import Line, Statement, StoredStatement

_T = TypeVar("_T")
_R = TypeVar("_R", JournalEntry, Line)  # a record of one side


def month_end(d: date) -> date:
    return date(d.year, d.month, _cal.monthrange(d.year, d.month)[1])


def month_ends(first: date, last: date) -> list[date]:
    """Every month end from the month of `first` that falls on or before `last`."""
    out = []
    d = month_end(first)
    while d <= last:
        out.append(d)
        d = month_end(d + timedelta(days=1))
    return out


def journal_coverage(account: str, spans: Sequence[JournalSpan], cal: WorkCalendar) -> Coverage:
    """The days the journals cover, with the same rules as statements' coverage."""
    infos = [StoredStatement(Statement(account, period_start=s.period_start, period_end=s.period_end,
                                       opening_fen=s.opening_fen), s.order, "", i, 0, "")
             for i, s in enumerate(spans)]
    return coverage(account, infos, cal)


def first_covered(periods: Iterable[tuple[date, date]]) -> date | None:
    """`coverage(...).first_day` of statements or journals with these periods (start, end)."""
    return min((start for start, end in periods if start <= end), default=None)


_LOOK_BACK = 366  # days: no calendar has a longer run of non-working days; farther, the whole coverage


def coverage_windows(asked: Iterable[date], since: date, cal: WorkCalendar) -> list[tuple[date, date]]:
    """The days `covers` can visit when it is asked about the days `asked` and every day from
    `since` on (`coverage_near`), as merged windows by date, [W(d), d] for each day d asked before
    `since` (W(d): the last working day on or before d) and the last one [W(since), date.max]:
    a statement or journal whose period overlaps none of them changes no answer of `covers` on
    those days (store.books.near_statements reads only those that overlap one)."""

    def last_workday(d: date) -> date:
        for _ in range(_LOOK_BACK):
            if cal.is_workday(d):
                return d
            d -= timedelta(days=1)
        return date.min

    windows: list[list[date]] = []  # [W(d), d], merged, by date; the last one from W(since) on
    for d in sorted({d for d in asked if d < since}):
        w = last_workday(d)
        if windows and w <= windows[-1][1] + timedelta(days=1):
            windows[-1][1] = max(windows[-1][1], d)
        else:
            windows.append([w, d])
    w = last_workday(since)
    if windows and w <= windows[-1][1] + timedelta(days=1):
        windows[-1][1] = date.max
    else:
        windows.append([w, date.max])
    return [(lo, hi) for lo, hi in windows]


def coverage_near(account: str, periods: Sequence[tuple[date, date]], asked: Iterable[date], since: date,
                  cal: WorkCalendar) -> Coverage:
    """The coverage of statements or journals with these periods (start, end; intraday ones left
    out by the caller) as `covers` reads it on the days `asked` and on every day from `since` on:
    the first covered day of them all, and the covered days among those `covers` can visit from
    those days (so its cost follows the days asked, not the history: a night asks about the days
    it draws up again and the days of the records it keeps unmatched).

    `covers(cov, d)` returns at `d < first_day`, else walks down from `d` through days not covered
    and stops at a covered day (True), at a working day or at `first_day` (False): it visits only
    days from W(d), the last working day on or before `d`, through `d`. So with the same first day
    and the same covered days in [W(d), d], it gives the answer of `coverage(...)` for `d`; for a
    day from `since` on, W is no earlier than W(since), so the days from W(since) on are kept
    whole (`coverage_windows`). Gaps and the last day are not computed (the book side does not
    read them).

    The periods may be only those that overlap a window: the answers are the same. A day covered
    in [W(d), d] is covered by such a period, so the covered days there are the same; and the
    first of those periods, f', is no earlier than the first of all, f: for d < f' no day of
    [W(d), d] is covered (a period covering one starts on or before d), so the walk answers False
    whether it stops at f' or goes on to f; for d >= f' the walk finds the same covered day, or
    none in [max(W(d), f'), d] and none in [W(d), f') either (no overlapping period starts there)."""
    first = first_covered(periods)
    if first is None:
        return Coverage(account, None, None, (), frozenset())
    windows = coverage_windows(asked, since, cal)
    starts = [w[0] for w in windows]
    covered: set[date] = set()
    one = timedelta(days=1)
    for start, end in periods:
        k = max(bisect_right(starts, start) - 1, 0)
        while k < len(windows) and windows[k][0] <= end:
            d, last = max(start, windows[k][0]), min(end, windows[k][1])
            while d <= last:
                covered.add(d)
                d += one
            k += 1
    return Coverage(account, first, None, (), frozenset(covered))


def covers(cov: Coverage | None, d: date, cal: WorkCalendar) -> bool:
    """Day d is covered, or is a non-working day after a covered day with only non-working days between."""
    if cov is None or cov.first_day is None or d < cov.first_day:
        return False
    while d not in cov.covered:
        if cal.is_workday(d) or d <= cov.first_day:
            return False
        d -= timedelta(days=1)
    return True


@dataclass(frozen=True)
class Prior:
    """What the balances need of the records dated before `start` when only the records from
    `start` on are loaded (a night that resumes, store.bookkept): the sum of the entries from a
    journal's first day to `start`, of the lines after a statement's last day up to `start`, and
    the last line with a running balance before `start` with the sum of the lines after it."""

    start: date
    entries_from: Callable[[date], int]  # sum of the entries dated in [day, start)
    lines_after: Callable[[date], int]  # sum of the lines booked in (day, start)
    last_balance: Callable[[], tuple[int, int] | None]  # (its balance, the sum of the lines after it)


_DAY, _BOOKED, _AMOUNT, _BALANCE = (attrgetter("entry_date"), attrgetter("booking_date"), attrgetter("amount_fen"),
                                   attrgetter("balance_fen"))


class Balances:
    """Book and bank balances of one account at any day on or after the first loaded record
    (prefix sums over the sorted records; `prior` for what lies before them)."""

    def __init__(self, entries: Sequence[JournalEntry], lines: Sequence[Line], spans: Sequence[JournalSpan],
                 statements: Sequence[StoredStatement], prior: Prior | None = None, since: date | None = None) -> None:
        """With `since`, `book` and `bank` are asked about days from `since` on only: the journals
        and statements that cannot be their anchor then are left out (`_from`)."""
        self.prior = prior
        self.e_days = list(map(_DAY, entries))
        self.e_sum = _prefix(map(_AMOUNT, entries))
        self.l_days = list(map(_BOOKED, lines))
        self.l_sum = _prefix(map(_AMOUNT, lines))
        self._lines = lines
        self._with_balance: list[int] | None = None  # the lines with a balance, by index (`_last_balanced`)
        opened = [s for s in spans if s.opening_fen is not None]
        closed = [s for s in statements if not s.statement.intraday and s.statement.closing_fen is not None]
        if since is not None:
            opened = _from(opened, [s.period_start for s in opened], since)
            closed = _from(closed, [s.period_end for s in closed], since)
        self.spans = sorted(opened, key=lambda s: (s.period_start, s.period_end, s.order))
        self.closings = sorted(closed, key=lambda s: (s.period_end, s.period_start, s.file_sha256, s.index_in_file))

    def book(self, x: date) -> int | None:
        anchor = None
        for s in self.spans:
            if s.period_start > x:
                break
            if anchor is None or s.period_start >= anchor.period_start:
                anchor = s
        if anchor is None or anchor.opening_fen is None:
            return None
        base = anchor.opening_fen
        if self.prior is not None and anchor.period_start < self.prior.start:
            base += self.prior.entries_from(anchor.period_start)
        lo = bisect_left(self.e_days, anchor.period_start)
        hi = bisect_right(self.e_days, x)
        return base + self.e_sum[hi] - self.e_sum[lo]

    def bank(self, x: date) -> int | None:
        hi = bisect_right(self.l_days, x)
        anchor = None
        for s in self.closings:
            if s.period_end > x:
                break
            anchor = s
        if anchor is not None and anchor.statement.closing_fen is not None:
            base = anchor.statement.closing_fen
            if self.prior is not None and anchor.period_end < self.prior.start:
                base += self.prior.lines_after(anchor.period_end)
            lo = bisect_right(self.l_days, anchor.period_end)
            return base + self.l_sum[hi] - self.l_sum[lo]
        j = self._last_balanced(hi)
        if j < 0:
            before = self.prior.last_balance() if self.prior is not None else None
            return None if before is None else before[0] + before[1] + self.l_sum[hi]
        balance = self._lines[j].balance_fen
        assert balance is not None
        return balance + self.l_sum[hi] - self.l_sum[j + 1]

    _NEAR = 64  # lines looked at one by one before the index of those with a balance is built

    def _last_balanced(self, hi: int) -> int:
        """The index of the last of the first `hi` lines that has a running balance (-1: none).
        Where the lines carry balances, one of the last few has one: those are looked at first;
        the index of every line with a balance is built only when none of them has (once)."""
        lines, j = self._lines, hi - 1
        while j >= max(hi - self._NEAR, 0):
            if lines[j].balance_fen is not None:
                return j
            j -= 1
        if j < 0:
            return -1
        if self._with_balance is None:
            self._with_balance = [k for k, b in enumerate(map(_BALANCE, lines)) if b is not None]
        k = bisect_right(self._with_balance, j) - 1
        return self._with_balance[k] if k >= 0 else -1


def _from(anchors: list[_T], days: list[date], since: date) -> list[_T]:
    """The anchors a day from `since` on can take: `book` (`bank`) takes, of the journals
    (statements) whose first (last) day is on or before it, the last in their order, which is by
    that day first; for any day from `since` on, one whose day is the latest on or before `since`
    is among them, so an anchor dated before that latest day is never taken."""
    latest = max((d for d in days if d <= since), default=None)
    if latest is None:
        return anchors
    return [a for a, d in zip(anchors, days, strict=True) if d >= latest]


def _prefix(values: Iterable[int]) -> list[int]:
    return list(accumulate(values, initial=0))


def entry_item(e: JournalEntry, at: date) -> Item:
    return Item(BOOK_IN if e.amount_fen > 0 else BOOK_OUT, e.entry_date, abs(e.amount_fen), e.voucher, e.text,
                e.counterparty, (at - e.entry_date).days, e.fingerprint, e.id, e.where)


def line_item(ln: Line, at: date) -> Item:
    return Item(BANK_IN if ln.amount_fen > 0 else BANK_OUT, ln.booking_date, abs(ln.amount_fen), ln.bank_ref,
                bank_summary(ln), ln.counterparty_name or ln.counterparty_account, (at - ln.booking_date).days,
                ln.fingerprint, ln.id, ln.where)


def outstanding(entries: Sequence[JournalEntry], lines: Sequence[Line], m: Matching, ends: list[date],
                bank_cov: Coverage | None, book_cov: Coverage | None, cal: WorkCalendar) -> list[list[Item]]:
    """The items outstanding at each of `ends` (sorted). A record is visited once and added to the
    month ends it stays open across, so the cost follows the records, not records x months. A
    record listed nowhere is not asked about its coverage (the answer would change nothing)."""
    out: list[list[Item]] = [[] for _ in ends]
    cleared_of = [mt.cleared for mt in m.matches]
    _list_open(entries, [e.entry_date for e in entries], m.entry_match, bank_cov, entry_item, ends, cleared_of,
               cal, out)
    _list_open(lines, [ln.booking_date for ln in lines], m.line_match, book_cov, line_item, ends, cleared_of,
               cal, out)
    return out


def _list_open(records: Sequence[_R], days: list[date], matched: Sequence[int], cov: Coverage | None,
               item: Callable[[_R, date], Item], ends: list[date], cleared_of: list[date],
               cal: WorkCalendar, out: list[list[Item]]) -> None:
    """One side's records (journal entries or bank lines) added to the month ends they stay open
    across: from the first end on or after the record's day while it is not cleared. One matched
    and cleared by that first end (most of them) is listed nowhere and not looked at further; a
    record whose day the other side's `cov` does not cover is not listed."""
    n = len(ends)
    first_end = {d: bisect_left(ends, d) for d in set(days)}  # once per day
    end_of = {d: ends[k] if k < n else date.max for d, k in first_end.items()}
    # Only the records unmatched or cleared after their first end are looked at (most are not).
    for r in [r for r, (day, mi) in enumerate(zip(days, matched, strict=True))
              if mi < 0 or cleared_of[mi] > end_of[day]]:
        rec, day, mi = records[r], days[r], matched[r]
        if not rec.amount_fen:
            continue
        cleared = cleared_of[mi] if mi >= 0 else None
        k = first_end[day]
        if k == n or (cleared is not None and cleared <= ends[k]) or not covers(cov, day, cal):
            continue
        while k < n and (cleared is None or ends[k] < cleared):
            out[k].append(item(rec, ends[k]))
            k += 1

def month_statement(account: str, x: date, items: list[Item], balances: Balances, matched: int,
                    bank_cov: Coverage | None, book_cov: Coverage | None, cal: WorkCalendar) -> MonthStatement:
    month = x.strftime("%Y-%m")
    if not covers(book_cov, x, cal):
        return MonthStatement(account, month, x, "no_journal")
    if not covers(bank_cov, x, cal):
        return MonthStatement(account, month, x, "no_statement")
    book = balances.book(x)
    if book is None:
        return MonthStatement(account, month, x, "no_journal")
    bank = balances.bank(x)
    if bank is None:
        return MonthStatement(account, month, x, "no_bank_balance", book_balance_fen=book)
    sums = {side: 0 for side in (BOOK_IN, BOOK_OUT, BANK_IN, BANK_OUT)}
    for it in items:
        sums[it.side] += it.amount_fen
    ordered = tuple(sorted(items, key=lambda it: (it.side, it.day, it.ref, it.fingerprint)))
    st = MonthStatement(account, month, x, "balanced", bank, book, sums[BOOK_IN], sums[BOOK_OUT],
                        sums[BANK_IN], sums[BANK_OUT], matched, ordered)
    if st.difference_fen:
        return MonthStatement(account, month, x, "difference", st.bank_balance_fen, st.book_balance_fen,
                              st.book_in_fen, st.book_out_fen, st.bank_in_fen, st.bank_out_fen, matched, ordered)
    return st
