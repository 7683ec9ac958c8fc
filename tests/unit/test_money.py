from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.errors import AmountError
from reconcile.money import format_yuan, plain_yuan, to_fen


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
    assert to_fen(plain_yuan(fen)) == fen
    assert to_fen(format_yuan(fen)) == fen
