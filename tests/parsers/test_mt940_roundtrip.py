"""Round trip: statements written by the MT940/MT942 writer read back equal (sources aside: they are
where the reader found each line). Random statements with Chinese text, zero and very large
amounts, reversals and every kind of reference, plus the writer's refusals and line wrapping."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.base import ReadContext
from parsers.mt940 import FORMAT, writer
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import fen_limit

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ASCII = st.sampled_from("ABCxyz0123456789 .,()/+-:{}?'（）：，。")
WORD = st.text(st.one_of(CJK, ASCII), min_size=0, max_size=120).map(lambda s: " ".join(s.split()))
REF = (
    st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/ "), min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda r: r and r.upper() != "NONREF")
)
TYPES = st.sampled_from(["NTRF", "NCHG", "NINT", "NMSC", "NRTI", "N024", "S103", "FMSC", "NDDT"])
BIG = 10**15


@pytest.fixture(autouse=True, scope="module")
def _wide_amounts() -> Iterator[None]:
    """The round trip over amounts beyond the default limit of one amount (10^13 fen), which
    `tests/parsers/test_values_in_range.py` tests: here the writer and reader are the subject."""
    with fen_limit(10**16):
        yield


def _writable(s: str) -> bool:
    return not writer._SUBFIELD.search(s) and not writer.SEPA_KEY.match(s)


@st.composite
def lines(draw: st.DrawFn, day: date) -> Line:
    booked = day + timedelta(days=draw(st.integers(0, 3)))
    value = booked + timedelta(days=draw(st.integers(-60, 60)))
    strength = draw(st.sampled_from(list(RefStrength)))
    ref = "" if strength is RefStrength.NONE else draw(REF)
    if strength is RefStrength.WEAK:  # a customer reference: 16x, no '//' inside
        ref = ref[:16].replace("//", "/").strip()
        ref = ref if ref and ref.upper() != "NONREF" else "R"
    posting, remark = draw(WORD.filter(_writable)), draw(WORD.filter(_writable))
    text = f"{posting} {remark}" if posting and remark else posting or remark
    return Line(
        booking_date=booked,
        value_date=value,
        amount_fen=draw(st.one_of(st.just(0), st.just(BIG), st.just(-BIG), st.integers(-BIG, BIG))),
        counterparty_account=draw(st.one_of(st.just(""), st.from_regex(r"[0-9]{6,19}( [0-9]{4})?", fullmatch=True))),
        counterparty_name=draw(WORD.filter(_writable)),
        text=text,
        remark=remark,
        bank_ref=ref,
        ref_strength=strength,
        reversal=draw(st.booleans()),
        type_code=draw(TYPES),
    )


@st.composite
def statements(draw: st.DrawFn, message: str, max_lines: int = 12) -> Statement:
    start = draw(st.dates(date(1981, 1, 1), date(2078, 12, 1)))
    end = start + timedelta(days=draw(st.integers(0, 20)))
    body = tuple(draw(st.lists(lines(start), max_size=max_lines)))
    account = draw(st.from_regex(r"[0-9A-Z][0-9A-Z /.-]{0,30}[0-9A-Z]", fullmatch=True))
    currency = draw(st.sampled_from(["CNY", "USD", "HKD", "EUR"]))
    if message == "942":
        return Statement(account=account, currency=currency, lines=body, format="mt942", intraday=True)
    return Statement(
        account=account,
        currency=currency,
        period_start=start,
        period_end=end,
        opening_fen=draw(st.integers(-BIG, BIG)),
        closing_fen=draw(st.integers(-BIG, BIG)),
        lines=body,
        format="mt940",
    )


def _without_sources(sts: list[Statement]) -> list[Statement]:
    return [
        dataclasses.replace(s, source="", lines=tuple(ln._replace(source="") for ln in s.lines))
        for s in sts
    ]


def _round_trip(sts: list[Statement], message: str) -> list[Statement]:
    data = FORMAT.write(sts, message=message)
    assert FORMAT.sniff(data[:65536]) or not sts
    return FORMAT.read(data, ReadContext()) if sts else []


@settings(max_examples=150, deadline=None)
@given(st.lists(statements("940"), min_size=1, max_size=4))
def test_written_mt940_statements_read_back_equal(sts: list[Statement]) -> None:
    assert _without_sources(_round_trip(sts, "940")) == _without_sources(sts)


@settings(max_examples=60, deadline=None)
@given(st.lists(statements("942"), min_size=1, max_size=3))
def test_written_mt942_reports_read_back_equal_and_intraday(sts: list[Statement]) -> None:
    back = _round_trip(sts, "942")
    assert _without_sources(back) == _without_sources(sts)
    assert all(s.intraday and s.format == "mt942" for s in back)


@settings(max_examples=5, deadline=None)
@given(statements("940", max_lines=0), st.lists(lines(date(2024, 1, 1)), min_size=1, max_size=3))
def test_a_statement_with_thousands_of_lines_reads_back_equal(base: Statement, sample: list[Line]) -> None:
    many = dataclasses.replace(base, lines=tuple(sample[i % len(sample)] for i in range(3000)))
    back = _round_trip([many], "940")
    assert _without_sources(back) == _without_sources([many])
    assert [ln.source for ln in back[0].lines][:1] == ["line 5"]


def test_the_largest_amounts_are_written_with_the_decimal_comma_and_no_float() -> None:
    assert writer._amount(BIG) == "10000000000000,"
    assert writer._amount(BIG - 1) == "9999999999999,99"
    assert writer._amount(50) == "0,5"


def test_a_text_that_is_not_posting_text_plus_remark_comes_back_with_the_remark_appended() -> None:
    ln = Line(booking_date=date(2024, 1, 2), amount_fen=1, text="跨行汇款", remark="三月保费")
    st_ = Statement(account="A1", period_start=date(2024, 1, 1), period_end=date(2024, 1, 2),
                    opening_fen=0, closing_fen=1, lines=(ln,))  # fmt: skip
    back = FORMAT.read(FORMAT.write([st_]), ReadContext())[0].lines[0]
    assert (back.text, back.remark) == ("跨行汇款 三月保费", "三月保费")
    other = ln._replace(text="利息", remark="三月保费")
    st2 = dataclasses.replace(st_, lines=(other,))
    assert FORMAT.read(FORMAT.write([st2]), ReadContext())[0].lines[0].text == "利息 三月保费"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"counterparty_name": "名称?32伪造"}, "subfield separator"),
        ({"remark": "EREF+123", "text": "EREF+123"}, "SEPA keyword"),
        ({"counterparty_name": "两行\n名称"}, "line breaks"),
        ({"counterparty_name": " 前导空格"}, "leading or trailing spaces"),
        ({"bank_ref": "NONREF", "ref_strength": RefStrength.STRONG}, "NONREF"),
        ({"booking_date": date(2024, 12, 1)}, "too far from value date"),
    ],
)
def test_what_mt940_cannot_carry_unchanged_is_refused_by_the_writer(change: dict[str, object], words: str) -> None:
    ln = Line(booking_date=date(2024, 1, 2), value_date=date(2024, 1, 2), amount_fen=1)._replace(**change)
    st_ = Statement(account="A1", period_start=date(2024, 1, 1), period_end=date(2024, 1, 2),
                    opening_fen=0, closing_fen=1, lines=(ln,))  # fmt: skip
    with pytest.raises(ValueError, match=words):
        FORMAT.write([st_])


def test_an_mt940_without_balances_is_refused_by_the_writer() -> None:
    with pytest.raises(ValueError, match="opening and closing"):
        FORMAT.write([Statement(account="A1")])


@pytest.mark.parametrize("content", ["a" * 64 + ":b", "a" * 64 + "-" * 70 + "c", "{" * 200, "中" * 65 + "-"])
def test_wrapped_86_lines_never_start_with_a_colon_a_dash_or_a_brace(content: str) -> None:
    lines_ = writer._wrap(":86:", content)
    assert "".join(lines_)[4:] == content
    assert all(not ln[:1] or ln[0] not in ":-{" for ln in lines_[1:])
