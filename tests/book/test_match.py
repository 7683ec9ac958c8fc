"""Matching journal entries to bank lines, case by case (docs/DOMAIN.md, *Book against bank*)."""

from __future__ import annotations

from reconcile.book.match import match
from tests.book.helpers import entry, line


def pairs(entries, lines, days=5):  # type: ignore[no-untyped-def]
    m = match(entries, lines, days)
    return [(tuple(entries[i].voucher for i in mt.entries), tuple(lines[j].bank_ref for j in mt.lines), mt.how,
             mt.reason) for mt in m.matches]


def test_an_entry_and_a_line_of_the_same_signed_amount_and_day_match_one_to_one() -> None:
    es = [entry("01-05", 10_000, "记-1")]
    ls = [line("01-05", 10_000, ref="B1")]
    assert pairs(es, ls) == [(("记-1",), ("B1",), "one", "only")]


def test_the_sign_must_agree_money_in_is_never_money_out() -> None:
    assert pairs([entry("01-05", 10_000)], [line("01-05", -10_000)]) == []


def test_dates_five_days_apart_match_and_six_do_not() -> None:
    assert pairs([entry("01-05", 500, "记-1")], [line("01-10", 500, ref="B1")])[0][:2] == (("记-1",), ("B1",))
    assert pairs([entry("01-05", 500)], [line("01-11", 500)]) == []
    assert pairs([entry("01-05", 500)], [line("01-11", 500)], days=6) != []


def test_among_candidates_the_nearest_date_wins() -> None:
    es = [entry("01-10", 700, "记-1")]
    ls = [line("01-07", 700, ref="far"), line("01-11", 700, ref="near"), line("01-14", 700, ref="farther")]
    assert pairs(es, ls) == [(("记-1",), ("near",), "one", "nearest")]


def test_at_the_same_distance_the_same_counterparty_wins() -> None:
    es = [entry("01-10", 700, "记-1", party="六盘水市宏达建筑工程有限公司")]
    ls = [line("01-09", 700, party="钟山区鑫源商贸有限公司", ref="other"),
          line("01-11", 700, party="六盘水市宏达建筑工程有限公司", ref="same")]
    assert pairs(es, ls) == [(("记-1",), ("same",), "one", "counterparty")]


def test_at_the_same_distance_without_a_counterparty_the_first_in_file_order_wins() -> None:
    es = [entry("01-10", 700, "记-1")]
    ls = [line("01-09", 700, ref="first"), line("01-11", 700, ref="second")]
    assert pairs(es, ls) == [(("记-1",), ("first",), "one", "order")]


def test_entries_take_lines_in_file_order_so_a_duplicate_entry_stays_unmatched() -> None:
    es = [entry("01-10", 700, "记-1"), entry("01-10", 700, "记-2")]
    ls = [line("01-10", 700, ref="B1")]
    m = match(es, ls, 5)
    assert m.entry_match == [0, -1] and m.line_match == [0]


def test_one_entry_matches_all_the_lines_of_one_day_and_sign_whose_sum_equals_it() -> None:
    es = [entry("01-15", -30_000, "记-9", text="发放养老保险待遇")]
    ls = [line("01-15", -10_000, ref="p1"), line("01-15", -15_000, ref="p2"), line("01-15", -5_000, ref="p3"),
          line("01-15", 2_000, ref="credit")]
    assert pairs(es, ls) == [(("记-9",), ("p1", "p2", "p3"), "lines", "sum")]


def test_a_day_sum_is_all_the_unmatched_lines_of_that_day_not_a_chosen_subset() -> None:
    es = [entry("01-15", -25_000)]
    ls = [line("01-15", -10_000), line("01-15", -15_000), line("01-15", -5_000)]
    assert pairs(es, ls) == []


def test_one_to_one_comes_first_and_the_day_sum_takes_what_is_left() -> None:
    es = [entry("01-21", 1_234, "记-1", text="利息"), entry("01-21", 30_000, "记-2", text="收到养老保险费收入")]
    ls = [line("01-21", 10_000, ref="c1"), line("01-21", 1_234, ref="interest"), line("01-21", 20_000, ref="c2")]
    assert pairs(es, ls) == [(("记-1",), ("interest",), "one", "only"), (("记-2",), ("c1", "c2"), "lines", "sum")]


def test_one_line_matches_all_the_entries_of_one_day_and_sign_whose_sum_equals_it() -> None:
    es = [entry("01-24", -60_000, "记-1"), entry("01-24", -40_000, "记-2")]
    ls = [line("01-25", -100_000, ref="B1")]
    assert pairs(es, ls) == [(("记-1", "记-2"), ("B1",), "entries", "sum")]


def test_the_nearest_day_sum_wins_and_the_earlier_day_on_a_tie() -> None:
    es = [entry("01-10", 300, "记-1")]
    ls = [line("01-08", 100, ref="a1"), line("01-08", 200, ref="a2"), line("01-12", 150, ref="b1"),
          line("01-12", 150, ref="b2")]
    assert pairs(es, ls) == [(("记-1",), ("a1", "a2"), "lines", "sum")]


def test_a_single_line_day_is_not_a_day_sum_but_a_one_to_one_candidate() -> None:
    es = [entry("01-10", 300)]
    ls = [line("01-12", 300, ref="B1")]
    assert pairs(es, ls)[0][2] == "one"


def test_zero_amounts_are_never_matched() -> None:
    assert pairs([entry("01-10", 0)], [line("01-10", 0)]) == []


def test_a_match_clears_on_the_later_of_its_dates() -> None:
    es = [entry("01-31", -5_000)]
    ls = [line("02-01", -5_000)]
    m = match(es, ls, 5)
    assert m.matches[0].cleared.isoformat() == "2008-02-01" and m.matches[0].days_apart == 1
