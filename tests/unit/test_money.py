from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.errors import AmountError, StoreError
from reconcile.money import (
    MAX_LINE_FEN,
    STORE_MAX_FEN,
    _decimal_fen,
    check_stored,
    fen_limit,
    format_yuan,
    plain_yuan,
    to_fen,
    to_fens,
)


@pytest.mark.parametrize(
    ("text", "decimal", "fen"),
    [
        ("1,234.56", ".", 123456),
        (" 158432.10\t", ".", 15843210),
        ("-4875320.55", ".", -487532055),
        ("+10000.00", ".", 1000000),
        ("0", ".", 0),
        ("18.150", ".", 1815),
        ("5442.09000", ".", 544209),
        ("6800,", ",", 680000),
        ("1.234,56", ",", 123456),
        ("-10,7", ",", -1070),
        ("¥1,000.00", ".", 100000),
        ("(12.30)", ".", -1230),
    ],
)
def test_amount_text_becomes_exact_fen(text: str, decimal: str, fen: int) -> None:
    assert to_fen(text, decimal=decimal) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "--5", "12,34,5x"])
def test_text_that_is_not_an_amount_is_refused_with_its_value(text: str) -> None:
    with pytest.raises(AmountError) as err:
        to_fen(text, where="line 7")
    assert "line 7" in str(err.value)


def test_an_amount_with_digits_beyond_the_fen_is_refused_not_rounded() -> None:
    with pytest.raises(AmountError, match="beyond the fen"):
        to_fen("1303.7355652284177")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_formatting_and_parsing_fen_round_trips(fen: int) -> None:
    with fen_limit(10**15):  # the round trip, over a range wider than the default limit
        assert to_fen(plain_yuan(fen)) == fen
        assert to_fen(format_yuan(fen)) == fen


# -- issue 12: amounts in range, separators that cannot be misread -------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "1e20",
        "100000000000000000000",  # 1e20 from a numeric Excel cell, as grid.py writes it out
        "6222021001000123456",  # a 19-digit account number shifted into the amount column
        "50000000000000000",  # 5 x 10^16 yuan: fits 64 bits alone, two of them do not
        "99999999999999999.99",  # the fast path's longest form
        "-100,000,000,000.01",
        "(100000000000.01)",
    ],
)
def test_an_amount_beyond_the_limit_is_refused_naming_its_place(text: str) -> None:
    with pytest.raises(AmountError) as err:
        to_fen(text, where="row 9 of sheet 明细")
    assert "row 9 of sheet 明细" in str(err.value)
    assert text == "1e20" or "limits.max_line_fen" in str(err.value)


def test_the_limit_is_inclusive_and_can_be_set_per_read() -> None:
    assert to_fen("100000000000.00") == MAX_LINE_FEN
    assert to_fen("-100,000,000,000.00") == -MAX_LINE_FEN
    with fen_limit(100_00):
        assert to_fen("100.00") == 100_00
        with pytest.raises(AmountError, match=r"limits\.max_line_fen"):
            to_fen("100.01")
    assert to_fen("100.01") == 100_01  # the block ends, the default is back


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("12,34.5", "."), ("1,2345.00", "."), ("12,5", "."), ("1,234,56.00", "."), ("12.34,5", ","), ("(12,34.50)", ".")],
)
def test_a_thousands_separator_that_does_not_group_by_three_is_refused_as_ambiguous(text: str, decimal: str) -> None:
    with pytest.raises(AmountError, match="group by three"):
        to_fen(text, decimal=decimal, where="line 3")


def test_a_sum_beyond_what_the_database_holds_is_refused_before_the_store() -> None:
    assert check_stored(STORE_MAX_FEN, "lines_sum_fen") == STORE_MAX_FEN
    with pytest.raises(StoreError, match="lines_sum_fen"):
        check_stored(2 * 5 * 10**18, "lines_sum_fen")


def _outcome(fn: Callable[[], int]) -> tuple[str, object]:
    try:
        return "fen", fn()
    except AmountError as exc:
        return "refused", (exc.key, exc.values, exc.where)


# Amount-shaped text: the digits (ASCII and others), the marks, signs, blanks and currency signs.
_AMOUNT_TEXT = st.text(alphabet="0123456789" "０１２３４５６７８９" ",.-+ ()¥²\u0660\u0665\u3000", max_size=24)
_PLAIN_AMOUNT = st.builds(
    lambda sign, whole, cents, grouped, decimal: (
        sign + (f"{whole:,}" if grouped else str(whole)).replace(",", "," if decimal == "." else ".")
        + decimal + f"{cents:02d}", decimal),
    st.sampled_from(["", "-", "+", "--"]), st.integers(0, 10**16), st.integers(0, 99), st.booleans(),
    st.sampled_from([".", ","]),
)


@settings(max_examples=1000)
@given(st.one_of(st.tuples(_AMOUNT_TEXT, st.sampled_from([".", ","])), _PLAIN_AMOUNT), st.sampled_from([10**13, 10**6]))
def test_the_fast_paths_give_what_decimal_gives_and_refuse_what_it_refuses(case: tuple[str, str], limit: int) -> None:
    """`to_fen`'s string and regex fast paths against the reference `Decimal` path: the same fen,
    or the same refusal (key, values and place), for any amount-shaped text and either mark."""
    text, decimal = case
    with fen_limit(limit):
        fast = _outcome(lambda: to_fen(text, decimal=decimal, where="line 3"))
        reference = _outcome(lambda: _decimal_fen(text, decimal, "line 3"))
    assert fast == reference


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("12,34.56", "."), ("1,2345.67", "."), (",123.45", "."), ("1_000.00", "."), ("1 000.00", "."),
     ("\u0661\u0662.34", "."), ("1²3.45", "."), ("12.3²", ","),
     ("12.3,45", ","), ("-1,234.5a", "."), ("1,234,56", "."), ("123.4.56", "."),
     ("1,1234,56.00", "."), ("1.1234.56,00", ",")],
)
def test_the_string_fast_path_passes_what_it_does_not_know_to_the_reference(text: str, decimal: str) -> None:
    assert _outcome(lambda: to_fen(text, decimal=decimal)) == _outcome(lambda: _decimal_fen(text, decimal, ""))


@pytest.mark.parametrize("decimal", [".", ","])
@pytest.mark.parametrize("digits", [18, 4_400, 20_000])
def test_a_text_of_thousands_of_digits_is_refused_as_beyond_the_limit_not_a_value_error(digits: int,
                                                                                          decimal: str) -> None:
    # int() refuses strings of more than 4,300 digits with a ValueError: the fast path must not reach it.
    text = "9" * digits + decimal + "00"
    with pytest.raises(AmountError, match="beyond the limit"):
        to_fen(text, decimal=decimal, where="f.csv, line 2")


def test_a_decimal_mark_other_than_point_or_comma_takes_the_checked_paths() -> None:
    with pytest.raises(AmountError) as fast:  # not a KeyError from the string fast path
        to_fen("12x34", decimal="x")
    with pytest.raises(AmountError) as reference:
        _decimal_fen("12x34", "x", "")
    assert str(fast.value) == str(reference.value)


@settings(max_examples=500)
@given(st.sampled_from([".", ","]),
       st.lists(st.one_of(_AMOUNT_TEXT, _PLAIN_AMOUNT.map(lambda case: case[0])), max_size=12),
       st.sampled_from([10**13, 10**6]))
def test_a_column_of_texts_at_once_gives_what_decimal_gives_each(decimal: str, texts: list[str], limit: int) -> None:
    """`to_fens` (a column's distinct cells at once) against the reference `Decimal` path text by
    text: a text it takes has the fen `_decimal_fen` gives it, and a text it leaves out is one
    `_decimal_fen` refuses."""
    with fen_limit(limit):
        got = to_fens(texts, decimal)
        for text in texts:
            reference = _outcome(lambda: _decimal_fen(text, decimal, ""))  # noqa: B023 - called at once
            assert (("fen", got[text]) if text in got else ("refused", reference[1])) == reference


@pytest.mark.parametrize(
    ("text", "decimal"),
    [("1,234.56", "."), ("-12,816,982.01", "."), ("1.234,56", ","), ("99999999999.99", "."), ("100000000000.00", "."),
     ("-100000000000.00", "."), ("9" * 22 + ".00", "."), ("1,1234,56.00", "."), ("1²3.45", "."), ("12,34.56", "."),
     ("\u0661\u0662.34", "."), (" 1.00", "."), ("1.00 ", "."), ("+1.00", "."), ("-.00", "."), ("1.234", "."),
     ("1234,567.00", "."), ("12,3456.00", "."), ("1.0", "."), ("1,0", ",")],
)
def test_a_column_at_once_takes_and_leaves_what_to_fen_does(text: str, decimal: str) -> None:
    # Beside a plain amount (so the column's fast path runs): the limit's edge, grouping, non-ASCII
    # digits, blanks and signs the one expression must leave to `to_fen`.
    got = to_fens([text, "1.00" if decimal == "." else "1,00"], decimal)
    reference = _outcome(lambda: _decimal_fen(text, decimal, ""))
    assert (("fen", got[text]) if text in got else ("refused", reference[1])) == reference
