"""The OFX reader's repairs, refusals and sniffing, on small made-up files."""

from __future__ import annotations

import pytest

from parsers.base import Limits, ReadContext
from parsers.ofx import FORMAT
from parsers.ofx.repair import absent, close_tags, header_fields
from reconcile.errors import ParseError
from reconcile.model import Statement

READERS = ["ofxparse", "stream"]


def _ofx2(stmt_body: str, *, status: str = "<CODE>0</CODE><SEVERITY>INFO</SEVERITY>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n'
        f"<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1</TRNUID><STATUS>{status}</STATUS>"
        f"<STMTRS><CURDEF>CNY</CURDEF><BANKACCTFROM><BANKID>1</BANKID><ACCTID>A1</ACCTID>"
        f"<ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>{stmt_body}</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    ).encode()


TXN = (
    "<STMTTRN><TRNTYPE>CREDIT</TRNTYPE><DTPOSTED>20240102</DTPOSTED>"
    "<TRNAMT>{amt}</TRNAMT><FITID>{fitid}</FITID></STMTTRN>"
)


def _read(data: bytes, reader: str) -> list[Statement]:
    return FORMAT.read(data, ReadContext(file_name="x.ofx"), reader=reader)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("head", "is_ofx"),
    [
        (b"OFXHEADER:100\r\nDATA:OFXSGML\r\n", True),
        (b"\xef\xbb\xbf\r\n\r\n  ofxheader:100\n", True),
        (b"\n\n<OFX>\n<SIGNONMSGSRSV1>", True),
        (b"<ofx><signonmsgsrsv1>", True),
        (b'<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="220"?><OFX>', True),
        (b'<?xml version="1.0"?>\n<!-- a bank -->\n<OFX>', True),
        (b'<?xml version="1.0"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">', False),
        (b"\xe4\xba\xa4\xe6\x98\x93\xe6\x97\xa5\xe6\x9c\x9f,\xe9\x87\x91\xe9\xa2\x9d\n2024-01-02,1.00\n", False),
        (b":20:STARTUMS\r\n:25:12345\r\n", False),
        (b"", False),
    ],
)
def test_ofx_is_sniffed_by_its_content_not_its_name(head: bytes, is_ofx: bool) -> None:
    assert FORMAT.sniff(head) is is_ofx


def test_a_header_whose_fields_run_together_on_one_line_splits_into_its_fields() -> None:
    fields = header_fields(b"OFXHEADER:100DATA:OFXSGMLVERSION:102SECURITY:NONEENCODING:USASCIICHARSET:1252<OFX>")
    assert fields == {
        "OFXHEADER": "100",
        "DATA": "OFXSGML",
        "VERSION": "102",
        "SECURITY": "NONE",
        "ENCODING": "USASCII",
        "CHARSET": "1252",
    }


@pytest.mark.parametrize(
    ("raw", "is_absent"),
    [(None, True), ("", True), ("\n", True), ("\n     ", True), (" ", False), ("  \t", False), ("0", False)],
)
def test_an_element_with_no_value_is_absent_but_spaces_on_its_line_are_a_value(
    raw: str | None, is_absent: bool
) -> None:
    assert absent(raw) is is_absent


def test_tag_closing_turns_sgml_leaves_into_closed_elements_and_drops_empty_ones() -> None:
    sgml = "<OFX><STMTRS><CURDEF>CNY\n<LEDGERBAL><BALAMT>\n<DTASOF>20240101\n</LEDGERBAL></STMTRS></OFX>"
    assert "".join(close_tags(sgml)) == (
        "<OFX><STMTRS><CURDEF>CNY\n</CURDEF><LEDGERBAL><DTASOF>20240101\n</DTASOF></LEDGERBAL></STMTRS></OFX>"
    )


def test_tag_closing_drops_an_end_tag_that_closes_nothing_and_escapes_text_as_xml() -> None:
    sgml = "<OFX><A><NAME>AT&T &amp; 1<2</A></B></OFX>"
    assert "".join(close_tags(sgml)) == "<OFX><A><NAME>AT&amp;T &amp; 1&lt;2</NAME></A></OFX>"


@pytest.mark.parametrize("reader", READERS)
def test_an_error_response_is_refused_with_its_code_and_message(reader: str) -> None:
    data = _ofx2("", status="<CODE>15500</CODE><SEVERITY>ERROR</SEVERITY><MESSAGE>签名无效</MESSAGE>")
    with pytest.raises(ParseError, match="15500 SEVERITY ERROR: 签名无效"):
        _read(data, reader)


@pytest.mark.parametrize("reader", READERS)
def test_a_transaction_outside_any_statement_makes_the_counts_differ_and_the_file_refused(reader: str) -> None:
    stray = TXN.format(amt="1.00", fitid="S")
    data = _ofx2("<BANKTRANLIST>" + TXN.format(amt="2.00", fitid="A") + "</BANKTRANLIST>")
    data = data.replace(b"</BANKMSGSRSV1>", stray.encode() + b"</BANKMSGSRSV1>")
    with pytest.raises(ParseError, match="read 1 transactions but the file has 2 <STMTTRN>"):
        _read(data, reader)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.345", "beyond the fen"),
        ("abc", "expected TRNAMT|expected an amount"),
        (" ", "expected an amount|Invalid Transaction Amount"),
    ],
)
def test_an_amount_that_is_not_whole_fen_is_refused_naming_the_element(reader: str, amount: str, message: str) -> None:
    data = _ofx2("<BANKTRANLIST>" + TXN.format(amt=amount, fitid="A") + "</BANKTRANLIST>")
    with pytest.raises(ParseError, match=message) as err:
        _read(data, reader)
    assert "STMTRS[1]/STMTTRN[1]" in str(err.value)


@pytest.mark.parametrize("reader", READERS)
def test_sub_fen_zeros_and_decimal_commas_and_a_plus_sign_are_whole_fen(reader: str) -> None:
    txns = "".join(TXN.format(amt=a, fitid=str(i)) for i, a in enumerate(["1.2300", "-200,00", "+5", "1.000,50"]))
    (st,) = _read(_ofx2(f"<BANKTRANLIST>{txns}</BANKTRANLIST>"), reader)
    assert [ln.amount_fen for ln in st.lines] == [123, -20000, 500, 100050]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    "declaration",
    [
        '<!DOCTYPE OFX [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE OFX SYSTEM "http://example.invalid/ofx.dtd">',
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_doctype_or_entity_declaration_is_refused_before_any_parser_sees_it(reader: str, declaration: str) -> None:
    data = _ofx2("").replace(b"<OFX>", declaration.encode() + b"<OFX>", 1)
    with pytest.raises(ParseError, match="DOCTYPE or ENTITY"):
        _read(data, reader)


@pytest.mark.parametrize("reader", READERS)
def test_an_undefined_entity_stays_text_and_fetches_nothing(reader: str) -> None:
    data = _ofx2("<BANKTRANLIST>" + TXN.format(amt="1", fitid="&xxe;") + "</BANKTRANLIST>")
    (st,) = _read(data, reader)
    assert st.lines[0].bank_ref == "&xxe;"


def test_an_investment_statement_is_refused_as_not_a_bank_statement() -> None:
    data = (
        b"<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><CURDEF>USD</INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>"
    )
    with pytest.raises(ParseError, match="INVSTMTRS"):
        FORMAT.read(data, ReadContext())


def test_a_file_with_no_statement_at_all_is_refused() -> None:
    with pytest.raises(ParseError, match="expected a bank STMTRS"):
        FORMAT.read(b"<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>", ReadContext())


def test_text_that_is_neither_utf8_nor_its_declared_charset_is_refused_naming_the_byte() -> None:
    data = b"OFXHEADER:100\nENCODING:USASCII\nCHARSET:WHATEVER\n\n<OFX>\xff</OFX>"
    with pytest.raises(ParseError, match="WHATEVER"):
        FORMAT.read(data, ReadContext())


def test_files_above_the_ofxparse_limit_go_to_the_streaming_reader_and_read_the_same() -> None:
    data = _ofx2("<BANKTRANLIST>" + TXN.format(amt="1", fitid="A") + "</BANKTRANLIST>")
    small = FORMAT.read(data, ReadContext())
    big = FORMAT.read(data, ReadContext(limits=Limits(ofxparse_max_bytes=10)))
    assert small == big


@pytest.mark.parametrize("reader", READERS)
def test_an_ofx2_file_in_gb2312_as_its_xml_declaration_says_reads_its_chinese(reader: str) -> None:
    txn = TXN.format(amt="1", fitid="A").replace("</FITID>", "</FITID><NAME>水城区社保局</NAME>")
    data = _ofx2(f"<BANKTRANLIST>{txn}</BANKTRANLIST>").decode().replace("UTF-8", "GB2312").encode("gb2312")
    (st,) = _read(data, reader)
    assert st.lines[0].counterparty_name == "水城区社保局"


@pytest.mark.parametrize("reader", READERS)
def test_a_root_tag_inside_a_comment_before_the_real_root_is_not_taken_for_it(reader: str) -> None:
    data = _ofx2("<BANKTRANLIST>" + TXN.format(amt="1", fitid="A") + "</BANKTRANLIST>")
    data = data.replace(b"<OFX>", b"<!-- an old <OFX> <STMTTRN> -->\n<OFX>", 1)
    (st,) = _read(data, reader)
    assert len(st.lines) == 1
