"""camt reader: golden files in tests/data/camt, and the mapping rules one by one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.camt import FORMAT
from reconcile.errors import ParseError
from reconcile.model import EntryStatus, RefStrength, Statement
from tests import golden

CTX = ReadContext(file_name="test.xml")
NS53 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def read(xml: str) -> list[Statement]:
    return FORMAT.read(xml.encode("utf-8"), CTX)


def doc(entries: str, *, acct: str = "<Id><Othr><Id>123</Id></Othr></Id>", ns: str = NS53) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{ns}"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>M</MsgId><CreDtTm>2024-01-02T00:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>S</Id><CreDtTm>2024-01-02T00:00:00</CreDtTm><Acct>{acct}</Acct>{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    )


def entry(amt: str = "1.00", cdi: str = "CRDT", extra: str = "", sts: str = "<Sts>BOOK</Sts>") -> str:
    return (
        f'<Ntry><Amt Ccy="CNY">{amt}</Amt><CdtDbtInd>{cdi}</CdtDbtInd>{sts}'
        f"<BookgDt><Dt>2024-01-01</Dt></BookgDt>{extra}</Ntry>"
    )


@pytest.mark.parametrize("path", golden.inputs("camt"), ids=lambda p: p.name)
def test_each_golden_file_reads_to_its_expected_statements(path: Path, regen: bool) -> None:
    golden.check(path, FORMAT.read(path.read_bytes(), ReadContext(file_name=path.name)), regen)


def test_every_golden_input_has_its_expected_file_and_back() -> None:
    assert golden.orphans("camt") == []


def test_chinese_names_and_texts_are_kept_exactly() -> None:
    (st,) = FORMAT.read((golden.DATA / "camt" / "053_v08_chinese.xml").read_bytes(), CTX)
    first = st.lines[0]
    assert st.account_name == "钟山区社会保险事业局（养老保险基金收入户）"
    assert first.counterparty_name == "贵州省六盘水市钟山区某煤矿有限公司"
    assert first.remark == "2024年3月 基本养老保险费（单位+个人）"
    assert first.text == "征缴收入"
    assert st.lines[1].type_code == "上解"


def test_a_reversal_keeps_the_booked_sign() -> None:
    xml = doc(entry("5.00", "CRDT", "<AcctSvcrRef>R</AcctSvcrRef>").replace("<Sts>", "<RvslInd>true</RvslInd><Sts>"))
    (ln,) = read(xml)[0].lines
    assert ln.amount_fen == 500
    assert ln.reversal is True
    xml = doc(entry("5.00", "DBIT").replace("<Sts>", "<RvslInd>true</RvslInd><Sts>"))
    assert read(xml)[0].lines[0].amount_fen == -500


def test_a_reversal_takes_its_counterparty_from_the_original_role() -> None:
    (st,) = FORMAT.read((golden.DATA / "camt" / "053_v02_reversal_pending.xml").read_bytes(), CTX)
    ln = st.lines[0]
    assert (ln.amount_fen, ln.reversal) == (50000, True)
    assert (ln.counterparty_name, ln.counterparty_account) == ("刘德华", "6217000000000000099")
    assert ln.remark == "退汇：户名与账号不符 RF18539007547034"


def test_pending_and_info_entries_are_returned_with_their_status() -> None:
    xml = doc(
        entry(sts="<Sts>PDNG</Sts>") + entry(sts="<Sts><Cd>INFO</Cd></Sts>") + entry(sts="<Sts><Cd>BOOK</Cd></Sts>")
    )
    st = read(xml)[0]
    assert [ln.status for ln in st.lines] == [EntryStatus.PDNG, EntryStatus.INFO, EntryStatus.BOOK]
    assert len(st.booked) == 1


def test_an_unknown_entry_status_is_refused_naming_it() -> None:
    with pytest.raises(ParseError, match="'XXXX'") as exc:
        read(doc(entry(sts="<Sts>XXXX</Sts>")))
    assert "Stmt[1]/Ntry[1]/Sts" in str(exc.value)


def test_an_amount_beyond_the_fen_is_refused_with_its_path_and_value() -> None:
    with pytest.raises(ParseError) as exc:
        read(doc(entry("1.00") + entry("12.345")))
    assert "Stmt[1]/Ntry[2]/Amt" in str(exc.value)
    assert "12.345" in str(exc.value)


def test_trailing_zero_decimals_are_fine() -> None:
    st = read(doc(entry("18.150") + entry("5442.09000", "DBIT")))[0]
    assert [ln.amount_fen for ln in st.lines] == [1815, -544209]


@pytest.mark.parametrize("amt", ["5,00", "-5.00", "abc", ""])
def test_an_amount_that_is_not_an_iso_decimal_is_refused(amt: str) -> None:
    with pytest.raises(ParseError, match="Ntry\\[1\\]/Amt"):
        read(doc(entry(amt)))


def test_a_missing_or_bad_credit_debit_indicator_is_refused() -> None:
    with pytest.raises(ParseError, match="CdtDbtInd"):
        read(doc(entry(cdi="CR")))


def test_a_missing_account_is_refused() -> None:
    with pytest.raises(ParseError, match="expected the account"):
        read(doc(entry(), acct="<Ccy>CNY</Ccy>"))


def test_the_v01_proprietary_account_is_read() -> None:
    assert read(doc("", acct="<Id><PrtryAcct><Id>P-1</Id></PrtryAcct></Id>"))[0].account == "P-1"


def test_a_document_without_statements_says_what_was_expected() -> None:
    with pytest.raises(ParseError, match="expected at least one <Stmt> under <BkToCstmrStmt>"):
        read(f'<Document xmlns="{NS53}"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>')
    with pytest.raises(ParseError, match="expected an ISO 20022 camt"):
        read('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><X/></Document>')


def test_malformed_xml_is_a_parse_error_with_a_line() -> None:
    with pytest.raises(ParseError, match="not well-formed XML") as exc:
        read(doc(entry()).replace("</Stmt>", "</Stm>"))
    assert "line" in exc.value.where


def test_end_to_end_id_notprovided_is_ignored_and_references_have_strengths() -> None:
    details = "<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>"
    st = read(
        doc(
            entry(extra="<AcctSvcrRef>A1</AcctSvcrRef>" + details)
            + entry().replace("<Amt", "<NtryRef>N1</NtryRef><Amt")
        )
    )[0]
    a, b = st.lines
    assert (a.end_to_end_id, a.bank_ref, a.ref_strength, a.details_count) == ("", "A1", RefStrength.STRONG, 1)
    assert (b.bank_ref, b.ref_strength, b.details_count) == ("N1", RefStrength.WEAK, 0)


def test_a_batch_entry_is_one_line_counting_its_details() -> None:
    (st,) = FORMAT.read((golden.DATA / "camt" / "054_v04_batch.xml").read_bytes(), CTX)
    batch, info = st.lines
    assert (batch.amount_fen, batch.details_count, batch.counterparty_name) == (-735050, 3, "王秀英")
    assert st.format == "camt.054" and st.currency == "CNY"  # no Acct/Ccy: the entries' Amt/@Ccy
    assert (info.status, info.booking_date) == (EntryStatus.INFO, date(2024, 3, 16))


def test_an_intraday_report_closes_on_its_interim_balance() -> None:
    (st,) = FORMAT.read((golden.DATA / "camt" / "052_v02_intraday.xml").read_bytes(), CTX)
    assert (st.format, st.intraday) == ("camt.052", True)
    assert (st.opening_fen, st.closing_fen) == (500000000, 300000000)
    assert (st.period_start, st.period_end) == (date(2024, 3, 20), date(2024, 3, 20))


def test_text_falls_back_to_the_bank_transaction_code() -> None:
    bk = "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
    (ln,) = read(doc(entry(extra=bk)))[0].lines
    assert (ln.type_code, ln.text) == ("PMNT/RCDT/ESCT", "PMNT/RCDT/ESCT")


def test_long_remittance_pieces_are_joined_without_a_space() -> None:
    a, b = "款" * 140, "项"
    rmt = f"<NtryDtls><TxDtls><RmtInf><Ustrd>{a}</Ustrd><Ustrd>{b}</Ustrd><Ustrd>x</Ustrd></RmtInf></TxDtls></NtryDtls>"
    (ln,) = read(doc(entry(extra=rmt)))[0].lines
    assert ln.remark == a + b + " x"


def test_sources_are_element_paths() -> None:
    st = read(doc(entry() + entry()))[0]
    assert st.source == "Stmt[1]"
    assert [ln.source for ln in st.lines] == ["Stmt[1]/Ntry[1]", "Stmt[1]/Ntry[2]"]


def test_many_entries_and_details_stream_through_the_pruned_tree() -> None:
    details = "<NtryDtls>" + "<TxDtls><Refs><EndToEndId>E</EndToEndId></Refs></TxDtls>" * 1500 + "</NtryDtls>"
    st = read(doc(entry(extra=details) + entry("2.00") * 3000))[0]
    assert len(st.lines) == 3001
    assert st.lines[0].details_count == 1500
    assert sum(ln.amount_fen for ln in st.lines) == 100 + 3000 * 200


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">',
        b'\xef\xbb\xbf\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">',
        b'<x:Document xmlns:x="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">',
        (
            '<?xml version="1.0" encoding="UTF-16"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04">'
        ).encode("utf-16"),
    ],
)
def test_sniff_accepts_camt_xml(head: bytes) -> None:
    assert FORMAT.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">',
        b"<OFX><BANKMSGSRSV1>",
        b":20:STARTUMS\r\n:25:12345\r\n",
        b"date,amount,text\n2024-01-01,1.00,urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\n",
        b"PK\x03\x04",
        b"",
    ],
)
def test_sniff_rejects_other_xml_and_text(head: bytes) -> None:
    assert not FORMAT.sniff(head)
