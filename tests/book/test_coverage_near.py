"""A night asks the coverage and the balances about the days it draws up again only
(reconcile.book.statement.coverage_near, Balances' `since`): they must answer those days as the
whole history's coverage and balances do, around weekends and the Spring Festival too."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from reconcile.book.records import JournalSpan
from reconcile.book.statement import Balances, coverage_near, covers, first_covered
from reconcile.calendar import WorkCalendar
from reconcile.coverage import coverage
from tests.book.helpers import ACCOUNT, line, statement

FIRST = date(2008, 12, 1)  # the 2009 Spring Festival (25-31 January) and the 2008 New Year within


def _periods(rng: random.Random) -> list[tuple[date, date]]:
    """Daily, weekly and monthly statements with holes, some overlapping."""
    out = []
    d = FIRST + timedelta(days=rng.randint(0, 10))
    while d < date(2009, 4, 30):
        length = rng.choice([0, 0, 0, 1, 2, 6, 30])
        if rng.random() < 0.8:
            out.append((d, d + timedelta(days=length)))
        d += timedelta(days=length + rng.choice([1, 1, 1, 2, 4, 9]))
    if rng.random() < 0.3:
        out.append((d, d - timedelta(days=1)))  # a period that ends before it starts covers nothing
    rng.shuffle(out)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_coverage_near_the_days_asked_answers_them_as_the_whole_coverage(seed: int) -> None:
    rng = random.Random(seed)
    cal = WorkCalendar()
    periods = _periods(rng)
    whole = coverage(ACCOUNT.number, [statement(s.isoformat(), e.isoformat(), None, None) for s, e in periods], cal)
    asked = {FIRST + timedelta(days=rng.randint(0, 160)) for _ in range(rng.randint(0, 6))}
    since = FIRST + timedelta(days=rng.randint(0, 170))
    near = coverage_near(ACCOUNT.number, periods, asked, since, cal)
    assert near.first_day == whole.first_day == first_covered(periods)
    for day in asked:
        assert covers(near, day, cal) == covers(whole, day, cal), (seed, day)
    day = since
    while day <= date(2009, 5, 31):  # and every day from `since` on
        assert covers(near, day, cal) == covers(whole, day, cal), (seed, day)
        day += timedelta(days=1)


def test_the_last_day_of_the_spring_festival_is_covered_by_the_last_working_days_statement() -> None:
    """2009-01-25..31 is the Spring Festival, 2009-01-24 (a Saturday) a working day: a statement of
    5-24 January covers the holiday's last day, though it lies a week before it."""
    cal = WorkCalendar()
    periods = [(date(2009, 1, 5), date(2009, 1, 24)), (date(2009, 2, 2), date(2009, 2, 27))]
    near = coverage_near(ACCOUNT.number, periods, {date(2009, 1, 31)}, date(2009, 3, 1), cal)
    assert covers(near, date(2009, 1, 31), cal)
    assert date(2009, 1, 5) not in near.covered  # before the last working day before the day asked


@pytest.mark.parametrize("seed", range(20))
def test_the_balances_from_a_day_on_are_the_whole_historys(seed: int) -> None:
    rng = random.Random(seed)
    periods = sorted(_periods(rng))
    statements = [statement(s.isoformat(), e.isoformat(), rng.randint(0, 9), rng.choice([None, rng.randint(0, 99)]))
                  for s, e in periods]
    spans = [JournalSpan(s, e, rng.choice([None, rng.randint(0, 99)]), f"j{k}") for k, (s, e) in enumerate(periods)]
    since = FIRST + timedelta(days=rng.randint(0, 150))
    whole, near = Balances([], [], spans, statements), Balances([], [], spans, statements, since=since)
    day = since
    while day <= date(2009, 5, 31):
        assert (near.book(day), near.bank(day)) == (whole.book(day), whole.bank(day)), (seed, day)
        day += timedelta(days=1)


@pytest.mark.parametrize("every", [1, 3, 63, 64, 65, 200, 0])
def test_the_bank_balance_from_the_last_line_with_a_balance_is_the_plain_scan(every: int) -> None:
    """Without a statement's closing, the bank balance at a day is the last running balance on or
    before it plus the lines after it (Balances._last_balanced looks at the last lines one by one,
    then at an index): the same as scanning back, whether every line, one in `every` or none
    carries a balance."""
    rng = random.Random(every)
    lines = []
    for k in range(700):
        day = date(2008, 1, 1) + timedelta(days=k // 3)
        fen = rng.randint(-500, 900)
        carries = every and (k % every == every - 1 or rng.random() < 0.01)
        lines.append(line(day.isoformat(), fen, balance=rng.randint(0, 10**6) if carries else None))
    balances = Balances([], lines, [], [])
    for k in range(240):
        x = date(2007, 12, 30) + timedelta(days=k)
        hi = sum(1 for ln in lines if ln.booking_date <= x)
        last = [(i, b) for i in range(hi) if (b := lines[i].balance_fen) is not None]
        want = last[-1][1] + sum(ln.amount_fen for ln in lines[last[-1][0] + 1:hi]) if last else None
        assert balances.bank(x) == want, x
