"""Conformance on the shared corpus (read in place): every OFX file either reads to the expected
count and Decimal sum, or is refused with a ParseError saying why; nothing else escapes."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest

from parsers.base import ReadContext
from parsers.ofx import FORMAT
from reconcile.errors import ParseError
from reconcile.model import Statement, statement_to_dict
from tests.corpus import expected, malformed, names, require_corpus

OFX = names("ofx")

# Where the expected.json primary (ofxparse fail_fast=True) is not what this tool must give.
# Read right although ofxparse raises: the standard and the raw <TRNAMT> reference decide.
READ_ANYWAY = {
    "ofx/ofxgo__wellsfargo.qfx": (1, Decimal("-12.34")),  # as ofxtools reads it
    "ofx/ofxparse__ofx-v102-empty-tags.ofx": (1, Decimal("12.34")),  # the raw reference
    "ofx/asgrim__ofxdata-selfclose.ofx": (5, Decimal("585.00")),  # empty LEDGERBAL: no closing
}
# Refused although ofxparse reads them, with what the refusal must say.
REFUSED = {
    "ofx/ofxgo__moneymrkt1_v203.ofx": ("TRNAMT", "1303.7355652284177", "beyond the fen"),
    "ofx/ofxparse__error_message.ofx": ("2000", "ERROR", "General Server Error"),
}
MALFORMED_REASON = {
    "ofx/ocabsi__test_ofx_wrong.ofx": ("STMTTRN[2]", "TRNAMT"),
    "ofx/ofxparse__fail_nice_date_missing.ofx": ("STMTTRN[1]", "DTPOSTED"),
    "ofx/ofxparse__fail_nice_empty_balance.ofx": ("BALAMT",),
}


def _count_and_sum(statements: list[Statement]) -> tuple[int, Decimal]:
    lines = [ln for st in statements for ln in st.lines]
    return len(lines), Decimal(sum(ln.amount_fen for ln in lines)) / 100


def _read(name: str, reader: str = "auto") -> list[Statement]:
    data = (require_corpus() / name).read_bytes()
    return FORMAT.read(data, ReadContext(file_name=name), reader=reader)  # type: ignore[arg-type]


def test_the_corpus_has_the_ofx_files_this_table_speaks_of() -> None:
    require_corpus()
    assert len(OFX) == 28
    assert set(READ_ANYWAY) | set(REFUSED) | set(MALFORMED_REASON) <= set(OFX)
    assert {n for n in malformed() if n.startswith("ofx/")} == set(MALFORMED_REASON)


@pytest.mark.parametrize("name", OFX)
def test_every_corpus_ofx_file_is_sniffed_as_ofx(name: str) -> None:
    head = (require_corpus() / name).read_bytes()[:65536]
    assert FORMAT.sniff(head)


@pytest.mark.parametrize("name", [n for n in OFX if n not in malformed() and n not in REFUSED])
def test_every_well_formed_corpus_ofx_file_reads_its_expected_count_and_sum(name: str) -> None:
    exp = expected()[name]
    if name in READ_ANYWAY:
        want = READ_ANYWAY[name]
    else:
        assert exp["ok"], f"{name}: not in the table of known ofxparse failures"
        want = (exp["n_transactions"], Decimal(exp["sum_amount"]))
    assert _count_and_sum(_read(name)) == want


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_corpus_file_the_tool_cannot_keep_in_fen_or_an_error_response_is_refused_saying_why(name: str) -> None:
    with pytest.raises(ParseError) as err:
        _read(name)
    for word in REFUSED[name]:
        assert word in str(err.value)
    assert name in str(err.value)


@pytest.mark.parametrize("name", sorted(MALFORMED_REASON))
@pytest.mark.parametrize("reader", ["ofxparse", "stream"])
def test_a_malformed_corpus_file_is_refused_by_both_readers_with_a_clear_reason(name: str, reader: str) -> None:
    with pytest.raises(ParseError) as err:
        _read(name, reader)
    for word in MALFORMED_REASON[name]:
        assert word in str(err.value)


@pytest.mark.parametrize("name", OFX)
@pytest.mark.parametrize("reader", ["ofxparse", "stream"])
def test_no_exception_but_a_parse_error_escapes_for_any_corpus_ofx_file(name: str, reader: str) -> None:
    with contextlib.suppress(ParseError):
        _read(name, reader)


@pytest.mark.parametrize("name", OFX)
def test_both_readers_give_identical_statements_on_every_corpus_file_ofxparse_reads(name: str) -> None:
    try:
        by_ofxparse = _read(name, "ofxparse")
    except ParseError as exc:
        with pytest.raises(ParseError) as err:
            _read(name, "stream")
        assert err.value.where.split("/")[0] == exc.where.split("/")[0] or not exc.where
        return
    by_stream = _read(name, "stream")
    assert [(statement_to_dict(s), s.extra) for s in by_stream] == [
        (statement_to_dict(s), s.extra) for s in by_ofxparse
    ]


def test_a_single_line_qfx_reads_its_one_transaction() -> None:
    (st,) = _read("ofx/ofxgo__wellsfargo.qfx")
    (ln,) = st.lines
    assert (ln.amount_fen, ln.bank_ref, ln.counterparty_name, ln.type_code) == (
        -1234,
        "202012011",
        "AE Visa Card AE EPAY",
        "DIRECTDEBIT",
    )
    assert (st.account, st.currency, st.closing_fen) == ("9876543210", "USD", 12345)


def test_an_empty_sgml_ledger_balance_reads_the_transactions_with_no_closing_balance() -> None:
    (st,) = _read("ofx/asgrim__ofxdata-selfclose.ofx")
    assert st.closing_fen is None and len(st.lines) == 5
    assert st.extra["closing_date"] == "2019-09-24"


def test_a_utf8_body_under_a_usascii_1252_header_reads_as_utf8() -> None:
    (st,) = _read("ofx/asgrim__ofxdata-bb.ofx")
    assert st.lines[0].remark == "DOC CRÉDITO EM CONTA"


def test_a_statement_with_four_transaction_lists_keeps_all_their_transactions() -> None:
    bank, card = _read("ofx/ocabsi__test_ofx.ofx")
    assert [ln.amount_fen for ln in bank.lines] == [-8000, -9000, -10000, -9000]
    assert card.extra["ofx_aggregate"] == "CCSTMTRS" and card.lines == ()


def test_a_transaction_after_its_list_closed_twice_is_still_read() -> None:
    (st,) = _read("ofx/reds__ally_transactions.qfx")
    assert [ln.amount_fen for ln in st.lines] == [-5500, -100000]


def test_a_decimal_comma_amount_reads_as_fen() -> None:
    (st,) = _read("ofx/ofxtools__stmtrs_euro.ofx")
    assert st.closing_fen == 20029 and sum(ln.amount_fen for ln in st.lines) == -50000
