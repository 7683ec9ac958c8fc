from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from reconcile.calendar import WorkCalendar
from reconcile.coverage import balance_breaks, chain_breaks, coverage
from reconcile.model import Statement, StoredStatement

CAL = WorkCalendar()


def info(start: date, end: date, opening: int | None, closing: int | None, total: int, sha: str = "a",
         intraday: bool = False) -> StoredStatement:
    return StoredStatement(Statement("X", period_start=start, period_end=end, opening_fen=opening, closing_fen=closing,
                                     intraday=intraday), sha, sha, 0, total, "")


def test_a_missing_working_day_between_two_statements_is_a_gap_but_a_weekend_is_not() -> None:
    # 2008-03-07 is a Friday; the 8th and 9th a weekend; the 10th a Monday.
    sts = [info(date(2008, 3, 3), date(2008, 3, 6), 0, 0, 0), info(date(2008, 3, 11), date(2008, 3, 11), 0, 0, 0, "b")]
    cov = coverage("X", sts, CAL)
    assert cov.gaps == ((date(2008, 3, 7), date(2008, 3, 10)),)
    assert not cov.covered_through(date(2008, 3, 11))
    weekend = [info(date(2008, 3, 3), date(2008, 3, 7), 0, 0, 0), info(date(2008, 3, 10), date(2008, 3, 10), 0, 0, 0)]
    assert coverage("X", weekend, CAL).gaps == ()


def test_an_adjusted_working_saturday_counts_as_a_working_day() -> None:
    # 2008-05-04 (Sunday) was a 调休 working day before the May Day holiday.
    sts = [info(date(2008, 5, 1), date(2008, 5, 3), 0, 0, 0), info(date(2008, 5, 5), date(2008, 5, 5), 0, 0, 0)]
    assert coverage("X", sts, CAL).gaps == ((date(2008, 5, 4), date(2008, 5, 4)),)


def test_breaks_are_the_same_whatever_order_the_statements_arrive_in() -> None:
    sts = [
        info(date(2008, 1, 1), date(2008, 1, 31), 0, 500, 500, "a"),
        info(date(2008, 2, 1), date(2008, 2, 29), 400, 900, 500, "b"),  # opening != previous closing
        info(date(2008, 3, 1), date(2008, 3, 31), 900, 1000, 50, "c"),  # does not add up
    ]
    expected = [(b.statement.file_sha256, b.reason, b.difference_fen) for b in balance_breaks(sts)]
    assert expected == [("b", "chain", -100), ("c", "sum", -50)]
    for _ in range(5):
        random.shuffle(sts)
        assert [(b.statement.file_sha256, b.reason, b.difference_fen) for b in balance_breaks(sts)] == expected


def test_intraday_reports_neither_cover_days_nor_chain() -> None:
    sts = [info(date(2008, 1, 2), date(2008, 1, 2), 7, 9, 1, intraday=True)]
    assert coverage("X", sts, CAL).first_day is None
    assert balance_breaks(sts) == []


def test_a_year_the_holiday_package_does_not_know_falls_back_to_weekdays_and_says_so() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2099, 1, 5)) and not cal.is_workday(date(2099, 1, 3))
    assert cal.fallback_years == {2099}


def test_a_stored_statement_is_the_declared_statement_with_a_period_and_cut_at_a_day() -> None:
    s = info(date(2008, 1, 1), date(2008, 1, 31), 100, 250, 150)
    assert s.cut(date(2008, 2, 1)) is s
    cut = s.cut(date(2008, 1, 15))
    assert cut.period_end == date(2008, 1, 15) and cut.statement.closing_fen == 250
    assert s.cut(date(2008, 1, 15), closing=False).statement.closing_fen is None
    with pytest.raises(ValueError):
        StoredStatement(Statement("X", period_start=date(2008, 1, 1)), "sha", "f", 0, 0, "")


def _statements(rng: random.Random) -> list[StoredStatement]:
    """End-of-day statements of one to five days with gaps between, some overlapping, some not
    adding up, some without balances, and intraday reports among them."""
    out, day, balance = [], date(2008, 1, 2), 0
    for i in range(rng.randint(1, 40)):
        day += timedelta(days=rng.choice([0, 1, 1, 1, 2, 4]))
        end = day + timedelta(days=rng.choice([0, 0, 0, 1, 4]))
        total = rng.randint(-50, 50)
        opening = None if rng.random() < 0.1 else balance + rng.choice([0, 0, 0, 0, 7])
        closing = None if rng.random() < 0.1 else (opening or 0) + total + rng.choice([0, 0, 0, 0, 3])
        out.append(info(day, end, opening, closing, total, f"s{i:02d}", intraday=rng.random() < 0.1))
        balance, day = closing or balance, end + timedelta(days=1)
    return out


@pytest.mark.parametrize("seed", range(200))
def test_coverage_and_breaks_go_on_from_the_statements_before_a_day_as_from_all(seed: int) -> None:
    """What the statements beginning before a day gave (each of them ending before it), gone on
    from with the others: the coverage and the breaks of them all (the engine's carried state)."""
    rng = random.Random(seed)
    sts = _statements(rng)
    cut = rng.choice([st.period_start for st in sts]) + timedelta(days=rng.choice([0, 1]))
    before = [st for st in sts if st.period_start < cut]
    after = [st for st in sts if st.period_start >= cut]
    if any(st.period_end >= cut for st in before if not st.statement.intraday):
        return  # not a day the engine keeps a state at
    rng.shuffle(before)
    rng.shuffle(after)
    whole = coverage("X", sts, CAL)
    early = coverage("X", before, CAL)
    both = coverage("X", after, CAL, early)
    assert (both.first_day, both.last_day, both.gaps) == (whole.first_day, whole.last_day, whole.gaps)
    first = sts[0].period_start
    for d in (first + timedelta(days=i) for i in range(-1, (sts[-1].period_end - first).days + 2)):
        assert both.covers(d) == whole.covers(d) == any(
            st.period_start <= d <= st.period_end for st in sts if not st.statement.intraday), d
    found, link = chain_breaks(before)
    rest, _ = chain_breaks(after, link)
    assert [(b.statement, b.reason, b.difference_fen) for b in found + rest] == [
        (b.statement, b.reason, b.difference_fen) for b in balance_breaks(sts)]


def test_coverage_refuses_statements_that_do_not_come_after_those_it_goes_on_from() -> None:
    early = coverage("X", [info(date(2008, 3, 3), date(2008, 3, 6), 0, 0, 0)], CAL)
    with pytest.raises(ValueError):
        coverage("X", [info(date(2008, 3, 6), date(2008, 3, 7), 0, 0, 0)], CAL, early)
