"""Dialects real banks send: each read to the fen with a warning naming the departure, the place
and the count; each look-alike whose amounts, signs or dates would be ambiguous stays refused and
says why. (The golden files in tests/data hold one whole file per dialect.)"""

from __future__ import annotations

import pytest

from parsers import registry
from parsers.base import ReadContext
from reconcile.departures import describe
from reconcile.errors import ParseError
from reconcile.model import Statement

HEAD = ":20:R\n:25:2404012309024588888\n:28C:1/1\n"


def read(text: str, name: str = "t.sta") -> list[Statement]:
    return registry.read_bytes(text.encode("utf-8"), ReadContext(file_name=name))


def refused(text: str, name: str = "t.sta") -> ParseError:
    with pytest.raises(ParseError) as caught:
        read(text, name)
    return caught.value


def codes(st: Statement) -> dict[str, tuple[str, int, str]]:
    return {d.code: (d.where, d.count, d.detail) for d in st.warnings}


# -- MT940 ---------------------------------------------------------------------------------------


def test_decimal_points_throughout_are_read_to_the_fen_and_counted_per_statement() -> None:
    (st,) = read(HEAD + ":60F:C240101CNY1000.00\n:61:240102D0.5NTRFNONREF\n:61:240103C12.NTRFNONREF\n"
                 ":62F:C240103CNY1011.50\n-\n")
    assert [ln.amount_fen for ln in st.lines] == [-50, 1200]
    assert (st.opening_fen, st.closing_fen) == (100000, 101150)
    assert codes(st) == {"mt940.decimal_point": ("line 4", 4, "")}
    assert describe(st.warnings[0], "en") == "dialect: decimal point instead of comma, 4 amounts (first at line 4)"


def test_decimal_points_mixed_with_decimal_commas_in_one_file_are_refused_as_ambiguous() -> None:
    err = refused(HEAD + ":60F:C240101CNY1000,00\n:61:240102D1.234NTRFNONREF\n:62F:C240103CNY1,\n-\n")
    assert err.where == "line 5" and "ambiguous" in err.message
    err = refused(HEAD + ":60F:C240101CNY1000.00\n:61:240102D5,NTRFNONREF\n:62F:C240103CNY995.00\n-\n")
    assert err.where == "line 5" and "line 4" in err.message and "ambiguous" in err.message


def test_a_decimal_point_with_three_digits_after_it_is_refused_as_a_possible_thousands_separator() -> None:
    err = refused(HEAD + ":60F:C240101CNY1.000\n:62F:C240103CNY1.000\n-\n")
    assert err.where == "line 4" and "thousands separator" in err.message


def test_a_bare_zero_is_read_with_a_warning_and_a_bare_non_zero_amount_stays_refused() -> None:
    (st,) = read(HEAD + ":60F:C240101CNY0\n:61:240102C5,NTRFNONREF\n:62F:C240103CNY5,\n-\n")
    assert st.opening_fen == 0 and st.lines[0].amount_fen == 500
    assert codes(st) == {"mt940.bare_zero": ("line 4", 1, "")}
    err = refused(HEAD + ":60F:C240101CNY0,\n:61:240102C500NTRFNONREF\n:62F:C240103CNY500,\n-\n")
    assert err.where == "line 5" and "scale is ambiguous" in err.message


def test_an_mt942_with_zero_floor_limits_and_sums_written_as_0_is_read() -> None:
    (st,) = read(":20:R\n:25:A1\n:28C:1\n:34F:CNY0\n:13D:2403151030+0800\n:90D:0CNY0\n:90C:0CNY0\n-\n")
    assert st.format == "mt942" and st.lines == ()
    assert codes(st) == {"mt940.bare_zero": ("line 4", 3, "")}


def test_a_banks_own_ns_field_is_skipped_and_named_and_the_details_after_it_reach_their_line() -> None:
    (st,) = read(HEAD + ":NS:01BANK\n:60F:C240101CNY10,\n:61:240102D1,NTRFNONREF\n:NS:22Jan Kowalski\n"
                 "second line of the bank's field\n:86:rent\n:62F:C240102CNY9,\n:NS:33\n-\n")
    assert [(ln.amount_fen, ln.text) for ln in st.lines] == [(-100, "rent")]
    assert codes(st) == {"mt940.nonswift_tag": ("line 4", 3, ":NS:")}


def test_an_unknown_two_digit_tag_stays_refused_since_it_would_be_a_swift_field_read_wrong() -> None:
    err = refused(HEAD + ":60F:C240101CNY10,\n:12:XYZ\n:62F:C240102CNY10,\n-\n")
    assert err.where == "line 5" and "unknown field tag ':12:'" in err.message


def test_a_message_without_its_closing_balance_before_the_end_is_read_with_a_warning() -> None:
    (st,) = read(HEAD + ":60F:C240101CNY10,\n:61:240102D1,NTRFNONREF\n-\n")
    assert st.closing_fen is None and codes(st) == {"mt940.no_closing": ("line 6", 1, "")}


def test_text_outside_the_messages_is_counted_as_skipped() -> None:
    sts = read("ABNANL2A\n940\nABNANL2A\n" + HEAD + ":60F:C240101CNY10,\n:62F:C240102CNY10,\n-\nTRAILER\n")
    assert codes(sts[0]) == {"mt940.outside_text": ("line 1", 4, "")}


def test_a_file_that_is_not_utf8_says_which_codec_read_it() -> None:
    data = (HEAD + ":60F:C240101CNY10,\n:61:240102D1,NTRFNONREF\n:86:Gy\xf6r\n:62F:C240102CNY9,\n-\n").encode("cp1252")
    (st,) = registry.read_bytes(data, ReadContext(file_name="t.sta"))
    assert st.lines[0].text == "Győr".replace("ő", "ö")
    assert codes(st) == {"mt940.encoding": ("line 1", 1, "cp1252")}


def test_a_standard_file_has_no_warnings() -> None:
    (st,) = read(HEAD + ":60F:C240101CNY10,\n:61:240102D1,NTRFNONREF\n:86:x\n:62F:C240102CNY9,\n-\n")
    assert st.warnings == ()


# -- camt ----------------------------------------------------------------------------------------

NS = "urn:iso:std:iso:20022:tech:xsd:camt.0{kind}.001.02"


def camt(body: str, *, kind: str = "53", head: str = "") -> str:
    msg, stmt = {"53": ("BkToCstmrStmt", "Stmt"), "54": ("BkToCstmrDbtCdtNtfctn", "Ntfctn")}[kind]
    return (f'<Document xmlns="{NS.format(kind=kind)}"><{msg}><GrpHdr><MsgId>M</MsgId>'
            f"<CreDtTm>2024-03-31T20:00:00</CreDtTm></GrpHdr><{stmt}><Id>S</Id>{head}"
            f"<Acct><Id><Othr><Id>52-1</Id></Othr></Id></Acct>{body}</{stmt}></{msg}></Document>")


def bal(code: str, amount: str, cdi: str | None) -> str:
    ind = "" if cdi is None else f"<CdtDbtInd>{cdi}</CdtDbtInd>"
    return (f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy='CNY'>{amount}</Amt>{ind}"
            f"<Dt><Dt>2024-03-31</Dt></Dt></Bal>")


def entry(amount: str = "5.00", cdi: str = "CRDT", dates: str = "<BookgDt><Dt>2024-03-05</Dt></BookgDt>") -> str:
    return f"<Ntry><Amt Ccy='CNY'>{amount}</Amt><CdtDbtInd>{cdi}</CdtDbtInd><Sts>BOOK</Sts>{dates}</Ntry>"


def test_a_zero_balance_without_its_sign_is_a_credit_by_the_iso_usage_rule() -> None:
    (st,) = read(camt(bal("OPBD", "0.00", "") + bal("CLBD", "5.00", "CRDT") + entry()), "s.xml")
    assert (st.opening_fen, st.closing_fen) == (0, 500)
    assert codes(st) == {"camt.balance_sign_zero": ("Stmt[1]/Bal[1]/CdtDbtInd", 1, "OPBD")}


def test_a_non_zero_balance_without_its_sign_is_left_out_and_said_rather_than_guessed() -> None:
    (st,) = read(camt(bal("OPBD", "10.00", "CRDT") + bal("CLBD", "15.00", None) + entry()), "s.xml")
    assert (st.opening_fen, st.closing_fen) == (1000, None)
    assert [ln.amount_fen for ln in st.lines] == [500]
    assert codes(st) == {"camt.balance_sign_missing": ("Stmt[1]/Bal[2]/CdtDbtInd", 1, "CLBD")}


def test_an_entry_without_its_sign_stays_refused() -> None:
    err = refused(camt(entry(cdi="")), "s.xml")
    assert err.where == "Stmt[1]/Ntry[1]/CdtDbtInd" and "CRDT or DBIT" in err.message


def test_a_booked_notification_entry_without_dates_takes_the_notifications_own_date() -> None:
    (st,) = read(camt(entry(dates="") + entry("1.00", "DBIT", ""), kind="54",
                      head="<CreDtTm>2024-03-25T17:30:00+08:00</CreDtTm>"), "n.xml")
    assert [(ln.booking_date.isoformat(), ln.amount_fen) for ln in st.lines] == [("2024-03-25", 500),
                                                                                 ("2024-03-25", -100)]
    assert codes(st) == {"camt.date_from_message": ("Ntfctn[1]/Ntry[1]", 2, "2024-03-25")}
    (st,) = read(camt(entry(dates=""), kind="54"), "n.xml")  # no CreDtTm of its own: the group header's
    assert codes(st) == {"camt.date_from_message": ("Ntfctn[1]/Ntry[1]", 1, "2024-03-31")}


def test_a_booked_statement_entry_without_dates_over_several_days_stays_refused() -> None:
    head = "<FrToDt><FrDtTm>2024-03-01T00:00:00</FrDtTm><ToDtTm>2024-03-31T23:59:59</ToDtTm></FrToDt>"
    err = refused(camt(entry(dates=""), head=head), "s.xml")
    assert err.where == "Stmt[1]/Ntry[1]" and "BookgDt" in err.message


def test_a_statement_of_one_day_dates_an_undated_entry_by_that_day() -> None:
    head = "<FrToDt><FrDtTm>2024-03-05T00:00:00</FrDtTm><ToDtTm>2024-03-05T23:59:59</ToDtTm></FrToDt>"
    (st,) = read(camt(entry(dates=""), head=head), "s.xml")
    assert st.lines[0].booking_date.isoformat() == "2024-03-05"
    assert codes(st) == {"camt.date_from_period": ("Stmt[1]/Ntry[1]", 1, "2024-03-05")}


def test_amounts_with_zeros_beyond_the_fen_are_counted_each_time() -> None:
    (st,) = read(camt(entry("5.000") + entry("5.000") + entry("1.50")), "s.xml")
    assert [ln.amount_fen for ln in st.lines] == [500, 500, 150]
    assert codes(st) == {"camt.extra_decimals": ("Stmt[1]/Ntry[1]/Amt", 2, "")}


# -- CSV -----------------------------------------------------------------------------------------

CMB = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n"


def test_padding_after_a_closing_quote_is_read_to_the_fen_with_a_warning() -> None:
    (st,) = read(CMB + '2024-03-01,CNY,"-1.00"\t,"1,234.00" ,短信服务费,,\n2024-03-02,CNY,"2.00",1236.00,x,,\n',
                 "c.csv")
    assert [(ln.amount_fen, ln.balance_fen) for ln in st.lines] == [(-100, 123400), (200, 123600)]
    assert codes(st) == {"csv.space_after_quote": ("line 2", 2, "")}


def test_a_quote_left_open_stays_refused_even_where_padding_follows_a_closing_quote() -> None:
    err = refused(CMB + '2024-03-01,CNY,"-1.00"\t,"1,234.00,x,,\n', "c.csv")
    assert "quot" in err.message


def test_a_quote_inside_an_unquoted_cell_is_kept_as_text_and_counted() -> None:
    (st,) = read(CMB + '2024-03-01,CNY,-1.00,5.00,费用,Firma",x\n2024-03-02,CNY,2.00,7.00,"a,""b""",,\n', "c.csv")
    assert [ln.counterparty_name for ln in st.lines] == ['Firma"', ""]
    assert codes(st) == {"csv.stray_quote": ("line 2", 1, "")}


# -- OFX -----------------------------------------------------------------------------------------

OFX = ("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
       "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>CNY"
       "<BANKACCTFROM><BANKID>1<ACCTID>52-1<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
       "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20240301<TRNAMT>5.00<NAME>上解</STMTTRN>"
       "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240302<TRNAMT>-1.00<FITID>F2</STMTTRN>"
       "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n")


def test_an_ofx_transaction_without_fitid_and_a_charset_the_bytes_contradict_are_said() -> None:
    (st,) = read(OFX, "o.ofx")
    assert [(ln.amount_fen, ln.bank_ref) for ln in st.lines] == [(500, ""), (-100, "F2")]
    assert codes(st) == {"ofx.no_fitid": ("STMTRS[1]/STMTTRN[1]", 1, ""),
                         "ofx.charset": ("header", 1, "ENCODING:USASCII CHARSET:1252")}
