"""camt writer -> reader round trips: what the writer can carry comes back equal."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.base import ReadContext
from parsers.camt import FORMAT
from reconcile.model import EntryStatus, Line, RefStrength, Statement
from reconcile.money import fen_limit

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
TEXT_CHARS = st.one_of(
    CHINESE,
    st.sampled_from("ABCxyz0123456789 （）：，。-/&<>'\"年月日"),
)
MAX_FEN = 10**15


@pytest.fixture(autouse=True, scope="module")
def _wide_amounts() -> Iterator[None]:
    """The round trip over amounts beyond the default limit of one amount (10^13 fen), which
    `tests/parsers/test_values_in_range.py` tests: here the writer and reader are the subject."""
    with fen_limit(10**16):
        yield


def texts(max_size: int) -> st.SearchStrategy[str]:
    # the reader strips texts, as banks pad them; what is written unstripped cannot come back
    return st.text(TEXT_CHARS, max_size=max_size).map(str.strip)


accounts = st.one_of(
    st.from_regex(r"\A[0-9]{12,19}\Z"),
    st.from_regex(r"\ACN[0-9]{2}[A-Z0-9]{10,20}\Z"),
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
TYPE_CODES = st.sampled_from(["", "PMNT/RCDT/DMCT", "PMNT/ICDT/ESCT", "ACMT/MCOP/INTR", "上解", "Z04"])


@st.composite
def lines(draw: st.DrawFn, own: str) -> Line:
    ref = draw(st.from_regex(r"\A[A-Za-z0-9/-]{0,35}\Z"))
    name = draw(texts(140))
    acct = draw(st.one_of(st.just(""), accounts.filter(lambda a: a != own)))
    return Line(
        booking_date=draw(days),
        amount_fen=draw(st.integers(-MAX_FEN, MAX_FEN) | st.sampled_from([0, 1, -1, MAX_FEN, -MAX_FEN])),
        value_date=draw(st.none() | days),
        counterparty_account=acct,
        counterparty_name=name,
        text=draw(texts(500)),
        remark=draw(texts(400)),
        bank_ref=ref,
        ref_strength=draw(st.sampled_from([RefStrength.STRONG, RefStrength.WEAK])) if ref else RefStrength.NONE,
        status=draw(st.sampled_from(list(EntryStatus))),
        reversal=draw(st.booleans()),
        type_code=draw(TYPE_CODES),
        details_count=draw(st.integers(0, 3)),
        end_to_end_id=draw(st.from_regex(r"\A[A-Za-z0-9]{0,35}\Z")),
    )


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    own = draw(accounts)
    start = draw(days)
    return Statement(
        account=own,
        currency=draw(st.sampled_from(["CNY", "EUR", "USD"])),
        period_start=start,
        period_end=start + timedelta(days=draw(st.integers(0, 40))),
        opening_fen=draw(st.none() | st.integers(-MAX_FEN, MAX_FEN)),
        closing_fen=draw(st.none() | st.integers(-MAX_FEN, MAX_FEN)),
        lines=tuple(draw(st.lists(lines(own), max_size=12))),
        account_name=draw(texts(140)),
    )


def as_read_back(s: Statement, message: str, index: int) -> Statement:
    """What the reader returns for `s` written as `message`: the documented normalisations."""
    tag = {"053": "Stmt", "052": "Rpt", "054": "Ntfctn"}[message]
    out = []
    for j, ln in enumerate(s.lines, 1):
        needs_details = bool(ln.counterparty_name or ln.counterparty_account or ln.remark or ln.end_to_end_id)
        out.append(
            ln._replace(
                source=f"{tag}[{index}]/Ntry[{j}]",
                text=ln.text or ln.type_code,  # no AddtlNtryInf: the reader shows the bank code
                details_count=max(ln.details_count, 1 if needs_details else 0),
            )
        )
    no_balances = message == "054"
    return dataclasses.replace(
        s,
        lines=tuple(out),
        format=f"camt.{message}",
        intraday=message == "052",
        source=f"{tag}[{index}]",
        opening_fen=None if no_balances else s.opening_fen,
        closing_fen=None if no_balances else s.closing_fen,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sts=st.lists(statements(), min_size=1, max_size=3),
    version=st.sampled_from(["001.02", "001.04", "001.08", "001.10", "001.13"]),
    message=st.sampled_from(["053", "052", "054"]),
)
def test_written_statements_read_back_equal(sts: list[Statement], version: str, message: str) -> None:
    data = FORMAT.write(sts, version=version, message=message)
    assert FORMAT.sniff(data[:65536])
    back = FORMAT.read(data, ReadContext())
    assert back == [as_read_back(s, message, i) for i, s in enumerate(sts, 1)]


def test_a_052_intraday_report_round_trips_with_its_interim_balance() -> None:
    s = Statement(
        account="52001234567890123",
        period_start=date(2024, 3, 20),
        period_end=date(2024, 3, 20),
        opening_fen=500_000_000,
        closing_fen=300_000_000,
        account_name="六盘水市社会保险事业局",
        lines=(Line(date(2024, 3, 20), -200_000_000, counterparty_name="盘县社会保险事业局", text="拨付"),),
    )
    data = FORMAT.write([s], message="052", version="001.02")
    assert b"<Cd>ITBD</Cd>" in data and b"BkToCstmrAcctRpt" in data
    (got,) = FORMAT.read(data, ReadContext())
    assert got == as_read_back(s, "052", 1)
    assert got.intraday


def test_many_lines_round_trip() -> None:
    own = "2406010109200123456"
    lns = tuple(
        Line(
            date(2024, 1, 1) + timedelta(days=i % 31),
            (i * 7919) % 10**9 - 5 * 10**8,
            counterparty_name=f"县{i % 7}社保局",
            remark=f"第{i}笔",
            bank_ref=f"R{i}",
            ref_strength=RefStrength.STRONG,
            details_count=1,
        )
        for i in range(5000)
    )
    s = Statement(account=own, period_start=date(2024, 1, 1), period_end=date(2024, 1, 31), lines=lns)
    (got,) = FORMAT.read(FORMAT.write([s]), ReadContext())
    assert got == as_read_back(s, "053", 1)


def test_the_writer_is_deterministic_and_writes_chinese_as_utf8() -> None:
    s = Statement(account="123456789012", account_name="钟山区", lines=(Line(date(2024, 1, 1), 1, text="利息"),))
    a, b = FORMAT.write([s]), FORMAT.write([s])
    assert a == b
    assert "钟山区".encode() in a and a.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", "x" * 501), ("counterparty_name", "名" * 141), ("bank_ref", "r" * 36), ("remark", "a\x01b")],
)
def test_values_camt_cannot_carry_are_refused_not_cut(field: str, value: str) -> None:
    ln = Line(date(2024, 1, 1), 1)._replace(**{field: value})
    with pytest.raises(ValueError, match=field):
        FORMAT.write([Statement(account="123", lines=(ln,))])


def test_unknown_versions_and_messages_are_refused() -> None:
    with pytest.raises(ValueError):
        FORMAT.write([], version="001.01")
    with pytest.raises(ValueError):
        FORMAT.write([], message="056")
