"""Which days each account's statements cover, where they leave gaps, and where balances break.

Computed from all stored statements of an account in period order, so the same files in any
order give the same answer (docs/DOMAIN.md, Coverage). Pure: statements in, facts out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from reconcile.calendar import WorkCalendar
from reconcile.model import StoredStatement


@dataclass(frozen=True)
class BalanceBreak:
    account: str
    statement: StoredStatement
    reason: str  # "chain" (opening != previous closing) or "sum" (opening + lines != closing) or "running"
    difference_fen: int | None


@dataclass(frozen=True)
class Coverage:
    account: str
    first_day: date | None
    last_day: date | None
    gaps: tuple[tuple[date, date], ...]  # maximal runs of uncovered working days between covered days
    covered: frozenset[date]

    def covers(self, d: date) -> bool:
        return d in self.covered

    def covered_through(self, d: date) -> bool:
        """Every day from the first covered day up to d is covered (no gap before d)."""
        return self.last_day is not None and self.last_day >= d and not any(g[0] <= d for g in self.gaps)


def coverage(account: str, statements: Iterable[StoredStatement], cal: WorkCalendar) -> Coverage:
    days: set[date] = set()
    for st in statements:
        if st.statement.intraday:
            continue
        first, last = st.period_start.toordinal(), st.period_end.toordinal()
        if first == last:
            days.add(st.period_start)
        else:
            days.update(map(date.fromordinal, range(first, last + 1)))
    if not days:
        return Coverage(account, None, None, (), frozenset())
    ordered = sorted(days)
    gaps: list[tuple[date, date]] = []
    for a, b in pairwise(ordered):  # between two covered days: its uncovered working days, if any
        if (b - a).days > 1:
            work = [d for d in (a + timedelta(days=i) for i in range(1, (b - a).days)) if cal.is_workday(d)]
            if work:
                gaps.append((work[0], work[-1]))
    return Coverage(account, ordered[0], ordered[-1], tuple(gaps), frozenset(days))


def balance_breaks(statements: Iterable[StoredStatement]) -> list[BalanceBreak]:
    """Statements that do not add up, or whose opening is not the previous statement's closing.

    Only end-of-day statements are chained, in (period start, period end, file, index) order; a
    statement that overlaps the previous one is not chained to it (its opening belongs to an
    earlier day than the previous closing).
    """
    out: list[BalanceBreak] = []
    ordered = sorted(
        (s for s in statements if not s.statement.intraday),
        key=lambda s: (s.period_start, s.period_end, s.file_sha256, s.index_in_file),
    )
    previous: StoredStatement | None = None
    for st in ordered:
        account, opening, closing = st.statement.account, st.statement.opening_fen, st.statement.closing_fen
        if (
            previous is not None
            and st.period_start > previous.period_end
            and opening is not None
            and previous.statement.closing_fen is not None
            and opening != previous.statement.closing_fen
        ):
            out.append(BalanceBreak(account, st, "chain", opening - previous.statement.closing_fen))
        if opening is not None and closing is not None:
            diff = opening + st.lines_sum_fen - closing
            if diff:
                out.append(BalanceBreak(account, st, "sum", diff))
        if st.running_break:
            out.append(BalanceBreak(account, st, "running", None))
        if previous is None or st.period_end >= previous.period_end:
            previous = st
    return out
