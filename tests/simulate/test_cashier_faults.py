"""The simulated cashiers' books must leave docs/DOMAIN.md's matching rule no other choice than the truth (the
answer key checks it and stops the run otherwise, simulate/book_answer.py). Two ways a world could offer a
second candidate, and what the cashier does about each:

- a day's total (the day's contributions or payroll, booked as one entry) equal to one bank line of its sign
  within the matching window: the one-to-one pass would take that line. The province year of seed 7 stopped
  so in October 2008 (31 October's contributions summed to 2,855.48, one contribution of 4 November was
  2,855.48). The cashier books such a day line by line;
- a fault (a voucher dated off its line's day, a wrong amount) on a record with another line of the same
  amount nearby, counting the lines inside days' totals, which the one-to-one pass also offers: no fault there.
"""

from __future__ import annotations

from array import array
from datetime import date

from simulate.cashiers import BankRec, alike_nearby, unbundle_lookalikes

K = 5


def _rec(day: date, amount: int, kind: str = "xfer") -> BankRec:
    return BankRec(day, amount, "转账", "某单位", kind)


def test_a_day_whose_total_equals_a_line_nearby_is_booked_line_by_line() -> None:
    recs = [_rec(date(2008, 10, 30), -5000)]
    groups = {(date(2008, 10, 31), True): array("q", [200000, 85548]),
              (date(2008, 11, 4), True): array("q", [285548, 100])}
    unbundle_lookalikes(recs, groups, K, "失业")
    assert list(groups) == [(date(2008, 11, 4), True)]  # its own total (285,648) equals no line
    assert [(r.day, r.amount, r.kind, r.text) for r in recs] == [
        (date(2008, 10, 30), -5000, "xfer", "转账"),
        (date(2008, 10, 31), 200000, "day", "收到失业保险费收入"),
        (date(2008, 10, 31), 85548, "day", "收到失业保险费收入"),
    ]


def test_a_day_total_alike_only_farther_than_the_window_or_of_one_line_stays_a_total() -> None:
    recs = [_rec(date(2008, 11, 6), 285548)]  # six days after 31 October
    groups = {(date(2008, 10, 31), True): array("q", [200000, 85548]),
              (date(2008, 11, 20), True): array("q", [285548])}  # a total of one line is that line
    unbundle_lookalikes(recs, groups, K, "失业")
    assert len(groups) == 2 and len(recs) == 1


def test_a_line_inside_a_day_total_of_the_same_amount_nearby_keeps_a_fault_away() -> None:
    recs = [_rec(date(2008, 11, 3), 285548)]
    groups = {(date(2008, 11, 4), True): array("q", [10000, 285548, 99])}
    assert alike_nearby(recs, groups, 2 * K) == {0}


def test_one_by_one_lines_of_the_same_amount_count_as_before() -> None:
    recs = [_rec(date(2008, 10, 1), -5000), _rec(date(2008, 10, 11), -5000), _rec(date(2008, 10, 30), -5000)]
    assert alike_nearby(recs, {}, 2 * K) == {0, 1}  # 10 days apart is within 2 x 5; 19 is not


def test_the_same_amount_on_the_same_day_or_farther_or_another_amount_does_not() -> None:
    recs = [_rec(date(2008, 11, 3), 285548)]
    groups = {
        (date(2008, 11, 3), True): array("q", [285548]),  # the same day: indistinguishable, either is right
        (date(2008, 11, 14), True): array("q", [285548]),  # 11 days away
        (date(2008, 11, 4), True): array("q", [285549]),  # one fen more
    }
    assert alike_nearby(recs, groups, 2 * K) == set()
