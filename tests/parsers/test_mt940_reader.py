"""The MT940/MT942 reader by the SWIFT rules, one rule per test, on small inline files."""

from __future__ import annotations

from datetime import date

import pytest

from parsers.base import ReadContext
from parsers.mt940 import FORMAT
from reconcile.errors import ParseError
from reconcile.model import RefStrength, Statement


def read(body: str, *, head: str = ":20:REF\n:25:ACC-1\n:28C:1/1\n:60F:C240101EUR100,\n") -> list[Statement]:
    return FORMAT.read((head + body).encode("utf-8"), ReadContext(file_name="t.sta"))


def one_line(line61: str, details: str = "") -> Statement:
    body = f":61:{line61}\n" + (f":86:{details}\n" if details else "") + ":62F:C240102EUR100,\n-\n"
    (st,) = read(body)
    return st


def refused(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        FORMAT.read(text.encode("utf-8"), ReadContext(file_name="t.sta"))
    return caught.value


# -- signs, marks and amounts (field 61 subfields 3-5) ---------------------------------------


@pytest.mark.parametrize(
    ("mark", "fen", "reversal"),
    [("C", 1250, False), ("D", -1250, False), ("RD", 1250, True), ("RC", -1250, True)],
)
def test_the_debit_credit_mark_gives_the_sign_from_the_account_holders_side(
    mark: str, fen: int, reversal: bool
) -> None:
    (ln,) = one_line(f"2401020102{mark}12,5NTRFNONREF").lines
    assert (ln.amount_fen, ln.reversal) == (fen, reversal)


def test_a_reversal_of_credit_is_a_debit() -> None:
    (ln,) = one_line("2401020102RCR204,88NRTINONREF").lines
    assert ln.amount_fen == -20488 and ln.reversal


def test_a_funds_code_letter_after_the_mark_is_not_part_of_the_amount() -> None:
    # 'DD20000,00': mark D, funds code D (HKD's 3rd letter); 'CR': credit, funds code R (EUR)
    assert one_line("1203290329DD20000,00NTRF1004688128//61285").lines[0].amount_fen == -2000000
    assert one_line("2401020102CR3,NTRFNONREF").lines[0].amount_fen == 300


@pytest.mark.parametrize(("text", "fen"), [("0,", 0), ("6800,", 680000), ("7,5", 750), ("000000000400,00", 40000)])
def test_swift_amounts_need_only_the_decimal_comma(text: str, fen: int) -> None:
    assert one_line(f"240102C{text}NTRFNONREF").lines[0].amount_fen == fen


def test_a_dot_decimal_amount_is_an_error_naming_the_line_not_a_skipped_line() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240102D1234.56NTRFNONREF\n:62F:C240102EUR1,\n")
    assert err.where == "line 5" and "'1234.56'" in err.message and "decimal comma" in err.message


def test_an_amount_without_the_mandatory_comma_is_an_error_naming_the_line() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240102C500NTRFNONREF\n:62F:C240102EUR1,\n")
    assert err.where == "line 5" and "'500' lacks the mandatory decimal comma" in err.message


def test_an_amount_with_digits_beyond_the_fen_is_refused_rather_than_rounded() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240102C1,005NTRFNONREF\n:62F:C240102EUR1,\n")
    assert err.where == "line 5" and "beyond the fen" in err.message


def test_a_debit_balance_is_negative() -> None:
    (st,) = read(":62F:D240131EUR3,\n", head=":20:R\n:25:A\n:28C:1\n:60F:D240101EUR1234718,36\n")
    assert (st.opening_fen, st.closing_fen) == (-123471836, -300)


# -- dates (subfields 1-2) ----------------------------------------------------------------------


def test_the_booking_date_takes_the_year_that_puts_it_nearest_the_value_date() -> None:
    back = one_line("2401020102D1,NTRFNONREF").lines[0]
    assert (back.value_date, back.booking_date) == (date(2024, 1, 2), date(2024, 1, 2))
    wrapped_back = one_line("2401021229D1,NTRFNONREF").lines[0]
    assert wrapped_back.booking_date == date(2023, 12, 29)
    wrapped_forward = one_line("2312310102D1,NTRFNONREF").lines[0]
    assert wrapped_forward.booking_date == date(2024, 1, 2)


def test_without_an_entry_date_the_line_is_booked_on_its_value_date() -> None:
    ln = one_line("240229C1,NTRFNONREF").lines[0]
    assert ln.booking_date == ln.value_date == date(2024, 2, 29)


def test_a_date_that_is_not_in_the_calendar_is_an_error() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240230C1,NTRFNONREF\n:62F:C240102EUR1,\n")
    assert err.where == "line 5" and "not a calendar date" in err.message


def test_the_period_is_the_opening_and_closing_balance_dates() -> None:
    (st,) = read(":62F:C240131EUR100,\n")
    assert (st.period_start, st.period_end) == (date(2024, 1, 1), date(2024, 1, 31))


# -- type and references (subfields 6-9) --------------------------------------------------------


def test_a_bank_reference_after_double_slash_is_a_strong_reference() -> None:
    ln = one_line("240102C1,NTRFCUST-1//BANK-9").lines[0]
    assert (ln.bank_ref, ln.ref_strength, ln.type_code) == ("BANK-9", RefStrength.STRONG, "NTRF")


def test_a_customer_reference_alone_is_weak_and_nonref_is_none() -> None:
    weak = one_line("240102C1,NCHKCHEQUE-77").lines[0]
    assert (weak.bank_ref, weak.ref_strength) == ("CHEQUE-77", RefStrength.WEAK)
    none = one_line("240102C1,NTRFNONREF//NONREF").lines[0]
    assert (none.bank_ref, none.ref_strength) == ("", RefStrength.NONE)


def test_an_iban_longer_than_16_characters_as_customer_reference_is_accepted() -> None:
    body = ":61:1712271227D713,13NOVBNL49RABO0166416932\ngerrits glas\n:86:Factuur 1\n:62F:C240102EUR1,\n"
    ln = read(body)[0].lines[0]
    assert (ln.amount_fen, ln.type_code, ln.bank_ref) == (-71313, "NOVB", "NL49RABO0166416932")
    assert (ln.counterparty_account, ln.counterparty_name) == ("NL49RABO0166416932", "gerrits glas")


def test_a_missing_type_code_before_nonref_is_not_read_as_type_nonr() -> None:
    ln = one_line("2009020902D20,00NONREF").lines[0]
    assert (ln.type_code, ln.ref_strength) == ("", RefStrength.NONE)


def test_a_line_without_type_code_but_with_bank_reference_is_read() -> None:
    ln = one_line("2011301130CN220000,00//19239782213").lines[0]
    assert (ln.amount_fen, ln.type_code, ln.bank_ref) == (22000000, "", "19239782213")


def test_something_else_than_a_type_code_after_the_amount_is_an_error() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240102C1,XTRFNONREF\n:62F:C240102EUR1,\n")
    assert err.where == "line 5" and "transaction type" in err.message


def test_the_source_is_the_line_number_of_the_61_field() -> None:
    st = read(":61:240102C1,NTRFNONREF\n:86:a\nb\n:61:240102C2,NTRFNONREF\n:62F:C240102EUR103,\n")[0]
    assert [ln.source for ln in st.lines] == ["line 5", "line 8"]


# -- field 86 -----------------------------------------------------------------------------------


def test_german_subfields_give_text_remark_name_and_account_across_line_breaks() -> None:
    details = "166?00Gutschrift?20EREF+E2E-1?21SVWZ+Rech\nnung 12?31DE0212030000000?3\n2Muster?33 GmbH"
    ln = one_line("240102C1,NTRFNONREF", details).lines[0]
    assert ln.text == "Gutschrift EREF+E2E-1SVWZ+Rechnung 12"
    assert (ln.remark, ln.end_to_end_id) == ("Rechnung 12", "E2E-1")
    assert (ln.counterparty_account, ln.counterparty_name) == ("DE0212030000000", "Muster GmbH")


def test_dutch_structured_details_give_the_counterparty_and_the_remittance() -> None:
    details = "/EREF/X1//CNTP/NL08INGB0000001234/INGBNL2A/J. Jansen/AMSTERDAM//REMI/USTD//Huur mei/"
    ln = one_line("240102C1,NTRFNONREF", details).lines[0]
    assert (ln.counterparty_account, ln.counterparty_name) == ("NL08INGB0000001234", "J. Jansen")
    assert (ln.remark, ln.end_to_end_id) == ("Huur mei", "X1")


def test_free_text_wrapped_at_65_characters_continues_without_a_space() -> None:
    first = "A" * 60 + "trans"
    ln = one_line("240102C1,NTRFNONREF", f"{first}\nfer done\nnext line").lines[0]
    assert ln.text == "A" * 60 + "transfer done next line"


def test_details_longer_than_6x65_are_accepted() -> None:
    details = "\n".join(["x" * 64] * 9)
    assert len(one_line("240102C1,NTRFNONREF", details).lines[0].text) == 9 * 64 + 8


def test_several_86_fields_for_one_line_are_joined() -> None:
    st = read(":61:240102C1,NTRFNONREF\n:86:first\n:86:second\n:62F:C240102EUR101,\n")[0]
    assert st.lines[0].text == "first second"


def test_statement_information_86_before_the_lines_and_after_the_closing_is_kept_apart() -> None:
    st = read(":86:before\n:61:240102C1,NTRFNONREF\n:86:own\n:62F:C240102EUR101,\n:86:after\n-\n")[0]
    assert st.lines[0].text == "own"
    assert st.extra["info"] == "before\nafter"


# -- structure ----------------------------------------------------------------------------------


def test_a_statement_whose_opening_plus_lines_is_not_the_closing_still_parses() -> None:
    (st,) = read(":61:240102C1,NTRFNONREF\n:62F:C240102EUR999,\n")
    assert st.opening_fen == 10000 and st.closing_fen == 99900 and st.lines[0].amount_fen == 100


def test_statement_number_28c_may_be_blank_before_the_page() -> None:
    (st,) = read(":62F:C240102EUR100,\n", head=":20:R\n:25:A\n:28C: /1\n:60F:C240101EUR100,\n")
    assert st.extra["statement_number"] == "/1"


def test_several_statements_and_accounts_in_one_file_are_kept_apart() -> None:
    text = (
        ":20:A\n:25:ACC-1\n:28C:1\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n-\n"
        ":20:B\n:25:ACC-2\n:28:7/1\n:60F:D240101USD2,\n:61:240101D1,NTRFNONREF\n:62F:D240101USD3,\n"
    )
    sts = FORMAT.read(text.encode(), ReadContext())
    assert [(s.account, s.currency, s.opening_fen, len(s.lines)) for s in sts] == [
        ("ACC-1", "EUR", 100, 0),
        ("ACC-2", "USD", -200, 1),
    ]
    assert [s.source for s in sts] == ["line 1", "line 7"]


def test_swift_blocks_and_several_messages_per_line_are_understood() -> None:
    msg = ":20:R\r\n:25:A\r\n:28C:1\r\n:60F:C240101EUR1,\r\n:62F:C240101EUR1,\r\n"
    text = "{1:F01BANKCNBJAXXX0000000000}{2:I940BANKCNBJXXXXN}{4:\r\n" + msg + "-}{1:F01B}{2:O940B}{4:\r\n"
    sts = FORMAT.read((text + msg + "-}{5:}\r\n").encode(), ReadContext())
    assert len(sts) == 2


def test_envelope_control_characters_and_latin_bytes_are_tolerated() -> None:
    text = b"\x01\r\n:20:R\r\n:25:A\r\n:28C:1\r\n:60F:C240101EUR1,\r\n:61:240101C1,NTRFNONREF\r\n"
    text += b":86:\xd6sszevont \xe1tutal\xe1s\r\n:62F:C240101EUR2,\r\n-\x03\x1a"
    (st,) = FORMAT.read(text, ReadContext())
    assert st.lines[0].text == "Összevont átutalás"


def test_a_file_without_a_20_field_is_refused() -> None:
    err = refused("1\n2\n3\n")
    assert "no ':20:'" in err.message and err.file == "t.sta"


def test_an_unknown_tag_is_refused_with_its_line() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240101C1,NTRFNONREF\n:86:x\n:12:11\n")
    assert err.where == "line 7" and "unknown field tag ':12:'" in err.message


def test_a_missing_account_field_is_refused_at_the_field_that_came_instead() -> None:
    err = refused(":20:R\n:28C:1\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n")
    assert err.where == "line 2" and "unexpected :28C:" in err.message and ":25:" in err.message


def test_a_field_out_of_its_swift_order_is_refused() -> None:
    err = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240101C1,NTRFNONREF\n:25:B\n:62F:C240101EUR2,\n")
    assert err.where == "line 6" and "unexpected :25:" in err.message


def test_a_message_cut_off_before_its_closing_balance_is_refused() -> None:
    err = refused("{1:F01X}{4:\n:20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240101C1,NTRFNONREF\n{1:F01X}{4:\n")
    assert err.where == "line 7" and "truncated" in err.message
    at_end = refused(":20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:61:240101C1,NTRFNONREF\n")
    assert "truncated" in at_end.message and "end of the file" in at_end.message


def test_a_message_ended_properly_without_closing_balance_is_read_with_the_gap_noted() -> None:
    (st,) = read(":61:240101C1,NTRFNONREF\n-}\n")
    assert st.closing_fen is None and st.period_end is None and "closing_missing" in st.extra


def test_a_line_starting_with_a_colon_that_is_no_tag_is_refused() -> None:
    err = refused(":9401:\n:20:R\n:25:A\n:28C:1\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n")
    assert err.where == "line 1" and "':9401:' is not an MT940 field tag" in err.message


def test_legacy_preambles_before_the_first_field_are_skipped() -> None:
    msg = ":20:R\n:25:A\n:28:1\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n-\n"
    for preamble in (":940:\n", "ABNANL2A\n940\nABNANL2A\n", "0000 01INGBNL2AXXXX00001\n940 00\n", "-\n",
                     "This is an example file\n\n------------------------------\n"):  # fmt: skip
        assert len(FORMAT.read((preamble + msg).encode(), ReadContext())) == 1


def test_an_mt942_interim_report_is_intraday_and_takes_its_currency_from_34f() -> None:
    text = (
        ":20:R\n:25:A\n:28C:1\n:34F:CNYD0,\n:34F:CNYC0,\n:13D:2403151030+0800\n"
        ":61:2403150315C1,NTRFNONREF\n:90D:0CNY0,\n:90C:1CNY1,\n-\n"
    )
    (st,) = FORMAT.read(text.encode(), ReadContext())
    assert (st.format, st.intraday, st.currency, st.opening_fen) == ("mt942", True, "CNY", None)
    assert st.lines[0].amount_fen == 100


# -- sniffing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b":20:R\r\n:25:A\r\n",
        b"{1:F01BANKCNBJAXXX0000000000}{2:I940BANKCNBJXXXXN}{4:\r\n:20:R",
        b"\x01\r\n:20:R\r\n:25:A\r\n",
        b":940:\n:20:R\n:25:A\n",
        b"This is an examplefile\r\n\r\n------\r\n:20:3996\r\n:25:DABADKKK/1\r\n",
    ],
)
def test_the_sniffer_recognises_mt940_by_content(head: bytes) -> None:
    assert FORMAT.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?><Document><Ntry>\n:20:x\n:25:y</Ntry></Document>',
        b"OFXHEADER:100\nDATA:OFXSGML\n<OFX>",
        b"date,amount,text\n2024-01-01,1.00,:20: in a cell\n",
        "交易日期,金额,摘要\n2024-01-01,1.00,:20:\n".encode("gb18030"),
        b"1\n2\n3\n",
    ],
)
def test_the_sniffer_claims_no_xml_ofx_or_csv(head: bytes) -> None:
    assert not FORMAT.sniff(head)
