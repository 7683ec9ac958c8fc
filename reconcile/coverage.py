"""Which days each account's statements cover, where they leave gaps, and where balances break.

Computed from all stored statements of an account in period order, so the same files in any
order give the same answer (docs/DOMAIN.md, Coverage). Pure: statements in, facts out.

Both can also go on from what the statements of earlier days gave (`coverage(..., before)`,
`chain_breaks(..., after)`): the engine keeps that for the statements before its restart day
(reconcile.engine.carry), so a night reads only the statements since (issue 18).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date

from reconcile.calendar import WorkCalendar
from reconcile.model import StoredStatement


@dataclass(frozen=True)
class BalanceBreak:
    account: str
    statement: StoredStatement
    reason: str  # "chain" (opening != previous closing) or "sum" (opening + lines != closing) or "running"
    difference_fen: int | None


@dataclass(frozen=True)
class Days(Container[date]):
    """Covered days as maximal runs of consecutive days (first, last), in order: a day is looked up
    by bisection, and years of daily statements are a few runs, not a day each."""

    runs: tuple[tuple[date, date], ...] = ()

    def __contains__(self, d: object) -> bool:
        if not isinstance(d, date):
            return False
        i = bisect_right(self.runs, (d, date.max)) - 1
        return i >= 0 and self.runs[i][1] >= d


@dataclass(frozen=True)
class Coverage:
    account: str
    first_day: date | None
    last_day: date | None
    gaps: tuple[tuple[date, date], ...]  # maximal runs of uncovered working days between covered days
    covered: Container[date]  # `Days` (coverage), or a set of the days asked (reconcile.book.statement)

    def covers(self, d: date) -> bool:
        return d in self.covered

    def covered_through(self, d: date) -> bool:
        """Every day from the first covered day up to d is covered (no gap before d)."""
        return self.last_day is not None and self.last_day >= d and not any(g[0] <= d for g in self.gaps)


def coverage(account: str, statements: Iterable[StoredStatement], cal: WorkCalendar,
             before: Coverage | None = None) -> Coverage:
    """The days the end-of-day statements cover, and the working days missing between them.
    `before`: the coverage of the account's statements of earlier days (its `covered` a `Days`),
    every day of these statements after its last day: the coverage of them all."""
    ordinals: set[int] = set()
    for st in statements:
        if st.statement.intraday:
            continue
        first, last = st.period_start.toordinal(), st.period_end.toordinal()
        if first == last:
            ordinals.add(first)
        else:
            ordinals.update(range(first, last + 1))
    earlier = before if before is not None and before.last_day is not None else None
    if not ordinals:
        return earlier if earlier is not None else Coverage(account, None, None, (), Days())
    ordered = sorted(ordinals)
    kept: tuple[tuple[date, date], ...] = ()  # the earlier runs before the one these may go on
    runs: list[tuple[int, int]] = []
    gaps: list[tuple[date, date]] = []
    if earlier is not None:
        assert isinstance(earlier.covered, Days) and earlier.last_day is not None
        if ordered[0] <= earlier.last_day.toordinal():
            raise ValueError(f"{account}: statements from {date.fromordinal(ordered[0])} go on from a coverage "
                             f"through {earlier.last_day}")
        *rest, (a, b) = earlier.covered.runs  # only its last run can grow: the others are kept as they are
        kept, runs, gaps = tuple(rest), [(a.toordinal(), b.toordinal())], list(earlier.gaps)
    for o in ordered:
        if runs and o == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], o)
            continue
        if runs:  # between two covered days: its uncovered working days, if any
            work = [d for d in map(date.fromordinal, range(runs[-1][1] + 1, o)) if cal.is_workday(d)]
            if work:
                gaps.append((work[0], work[-1]))
        runs.append((o, o))
    first_day = earlier.first_day if earlier is not None else date.fromordinal(ordered[0])
    return Coverage(account, first_day, date.fromordinal(ordered[-1]), tuple(gaps),
                    Days(kept + tuple((date.fromordinal(a), date.fromordinal(b)) for a, b in runs)))


Link = tuple[date, int | None]  # the chain so far: the period end and closing of the statement ending last


def balance_breaks(statements: Iterable[StoredStatement]) -> list[BalanceBreak]:
    """Statements that do not add up, or whose opening is not the previous statement's closing.

    Only end-of-day statements are chained, in (period start, period end, file, index) order; a
    statement that overlaps the previous one is not chained to it (its opening belongs to an
    earlier day than the previous closing).
    """
    return chain_breaks(statements)[0]


def chain_breaks(statements: Iterable[StoredStatement], after: Link | None = None
                 ) -> tuple[list[BalanceBreak], Link | None]:
    """`balance_breaks`, going on from `after` (the `Link` the statements beginning before these
    left: each of these begins on or after every one of those), with the `Link` these leave."""
    out: list[BalanceBreak] = []
    ordered = sorted(
        (s for s in statements if not s.statement.intraday),
        key=lambda s: (s.period_start, s.period_end, s.file_sha256, s.index_in_file),
    )
    previous = after
    for st in ordered:
        account, opening, closing = st.statement.account, st.statement.opening_fen, st.statement.closing_fen
        if (
            previous is not None
            and st.period_start > previous[0]
            and opening is not None
            and previous[1] is not None
            and opening != previous[1]
        ):
            out.append(BalanceBreak(account, st, "chain", opening - previous[1]))
        if opening is not None and closing is not None:
            diff = opening + st.lines_sum_fen - closing
            if diff:
                out.append(BalanceBreak(account, st, "sum", diff))
        if st.running_break:
            out.append(BalanceBreak(account, st, "running", None))
        if previous is None or st.period_end >= previous[0]:
            previous = (st.period_end, closing)
    return out, previous
