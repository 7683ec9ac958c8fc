"""Round trip: statements -> OFX 1.02 SGML or 2.2 XML -> both readers -> the same statements."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.base import ReadContext
from parsers.ofx import FORMAT
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import fen_limit

TRNTYPES = ["CREDIT", "DEBIT", "INT", "DIV", "FEE", "SRVCHG", "DEP", "ATM", "POS", "XFER", "CHECK", "PAYMENT",
            "CASH", "DIRECTDEP", "DIRECTDEBIT", "REPEATPMT", "OTHER"]  # fmt: skip
MAX_FEN = 10**15


@pytest.fixture(autouse=True, scope="module")
def _wide_amounts() -> Iterator[None]:
    """The round trip over amounts beyond the default limit of one amount (10^13 fen), which
    `tests/parsers/test_values_in_range.py` tests: here the writer and reader are the subject."""
    with fen_limit(10**16):
        yield

_chars = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK: 社保, 养老 ...
    st.sampled_from(list("（）：，。、—·ABCxyz0189 &<>;'\"#-/&amp;")),
    st.characters(categories=["L", "N", "P", "S", "Zs"], max_codepoint=0xFFFD),
)
texts = st.text(_chars, max_size=40).map(str.strip)
ids = st.text(st.sampled_from("0123456789ABCDEFXYZ-_"), min_size=1, max_size=24)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def lines(draw: st.DrawFn) -> Line:
    ref = draw(st.one_of(st.just(""), ids))
    return Line(
        booking_date=draw(days),
        amount_fen=draw(st.one_of(st.just(0), st.integers(-MAX_FEN, MAX_FEN))),
        value_date=draw(st.one_of(st.none(), days)),
        counterparty_account=draw(st.one_of(st.just(""), ids)),
        counterparty_name=draw(texts),
        remark=draw(texts),
        bank_ref=ref,
        ref_strength=RefStrength.STRONG if ref else RefStrength.NONE,
        type_code=draw(st.sampled_from(TRNTYPES)),
    )


@st.composite
def statements(draw: st.DrawFn, max_lines: int = 12) -> Statement:
    card = draw(st.booleans())
    start, end = draw(st.one_of(st.none(), days)), draw(st.one_of(st.none(), days))
    if start and end and start > end:  # a reversed period is refused (test_values_in_range.py)
        start, end = end, start
    return Statement(
        account=draw(ids),
        currency=draw(st.sampled_from(["CNY", "USD", "EUR"])),
        period_start=start,
        period_end=end,
        closing_fen=draw(st.one_of(st.none(), st.just(0), st.integers(-MAX_FEN, MAX_FEN))),
        lines=tuple(draw(st.lists(lines(), max_size=max_lines))),
        format="ofx",
        extra={"ofx_aggregate": "CCSTMTRS" if card else "STMTRS"},
    )


def as_read(sts: list[Statement]) -> list[Statement]:
    """What reading back must give: bank statements first, then cards (the writer groups them
    under BANKMSGSRSV1 and CREDITCARDMSGSRSV1), each line's source its place in the file."""
    out = []
    for kind in ("STMTRS", "CCSTMTRS"):
        group = [s for s in sts if s.extra["ofx_aggregate"] == kind]
        for i, s in enumerate(group, 1):
            where = f"{kind}[{i}]"
            lns = tuple(ln._replace(source=f"{where}/STMTTRN[{j}]") for j, ln in enumerate(s.lines, 1))
            out.append(dataclasses.replace(s, lines=lns, source=where))
    return out


def read_back(sts: list[Statement], version: int, reader: str) -> list[Statement]:
    return FORMAT.read(FORMAT.write(sts, version=version), ReadContext(), reader=reader)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sts=st.lists(statements(), min_size=1, max_size=3), version=st.sampled_from([1, 2]))
def test_written_statements_read_back_equal_through_both_readers(sts: list[Statement], version: int) -> None:
    want = as_read(sts)
    assert read_back(sts, version, "ofxparse") == want
    assert read_back(sts, version, "stream") == want


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("reader", ["ofxparse", "stream"])
def test_a_statement_of_many_lines_with_extreme_amounts_reads_back_equal(version: int, reader: str) -> None:
    amounts = [0, 1, -1, MAX_FEN, -MAX_FEN, 99, -100]
    lns = tuple(
        Line(
            booking_date=date(2024, 1, 1) + timedelta(days=i % 366),
            amount_fen=amounts[i % len(amounts)] + (i if abs(amounts[i % len(amounts)]) < MAX_FEN else 0),
            counterparty_name=f"六盘水市第{i}社保经办机构",
            remark="养老保险费 & 利息 <补缴>",
            bank_ref=f"F{i:07d}",
            ref_strength=RefStrength.STRONG,
            type_code="XFER",
        )
        for i in range(3000)
    )
    sts = [Statement(account="2406", currency="CNY", closing_fen=MAX_FEN, lines=lns, format="ofx",
                     extra={"ofx_aggregate": "STMTRS"})]  # fmt: skip
    assert read_back(sts, version, reader) == as_read(sts)


def test_the_ofx1_header_declares_a_utf8_body_and_ofx2_an_xml_utf8_declaration() -> None:
    st1 = Statement(account="A", lines=(Line(date(2024, 1, 2), 1, counterparty_name="社保"),))
    v1 = FORMAT.write([st1], version=1)
    assert b"ENCODING:UTF-8\r\nCHARSET:NONE" in v1 and "社保".encode() in v1
    v2 = FORMAT.write([st1], version=2)
    assert v2.startswith(b'<?xml version="1.0" encoding="UTF-8"') and b'<?OFX OFXHEADER="200"' in v2
    with pytest.raises(ValueError, match="1 or 2"):
        FORMAT.write([st1], version=3)
