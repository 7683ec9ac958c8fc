"""Issue 12 (defects 4, 7, 10, 12, 13): every value a parser hands on is in range, and nothing that
looks like a line is dropped in silence. Each file goes through `parsers.registry.read_bytes`, the
path the inbox takes (content sniffing, the limits of the configuration)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from parsers import camt, mt940, ofx
from parsers.base import Limits, ReadContext
from parsers.registry import read_bytes
from parsers.tabular import write as write_tabular
from reconcile.errors import AmountError, ParseError
from reconcile.model import Line, RefStrength, Statement

BANKS = Path(__file__).resolve().parents[2] / "mappings" / "banks"
ICBC_HEAD = ["凭证号", "本方账号", "对方账号", "交易时间", "借/贷", "借方发生额", "贷方发生额", "对方行号",
             "摘要", "用途", "对方单位名称", "余额", "个性化信息"]


def ctx(**kw: object) -> ReadContext:
    return ReadContext(file_name="f", banks_dir=BANKS, as_of=date(2008, 2, 1), **kw)  # type: ignore[arg-type]


def read(data: bytes, **kw: object) -> list[Statement]:
    return read_bytes(data, ctx(**kw))


def refused(data: bytes, **kw: object) -> ParseError:
    with pytest.raises(ParseError) as err:
        read(data, **kw)
    return err.value


def icbc_row(when: str, credit: str, *, debit: str = "", flag: str = "贷", text: str = "汇入") -> list[str]:
    return ["0001", "2409099999000012345\t", "1999\t", when, flag, debit, credit, "105", text, "保险费", "甲公司",
            "", ""]


def icbc_csv(*rows: list[str]) -> bytes:
    lines = ["[HISTORYDETAIL]", ",".join(ICBC_HEAD), *(",".join(f'"{c}"' for c in r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def icbc_xlsx(change: dict[str, object], merge: str = "") -> bytes:
    """A two-line ICBC workbook as the bank writes it, with cells changed (`{"D3": None}`)."""
    lines = tuple(Line(date(2008, 1, d), 100_00 * d, counterparty_account="99", counterparty_name="乙",
                       bank_ref=f"R{d}", ref_strength=RefStrength.STRONG) for d in (3, 4))
    st = Statement("2409099999000012345", period_start=date(2008, 1, 1), period_end=date(2008, 1, 31), lines=lines)
    data = write_tabular([st], "icbc_historydetail", banks_dir=BANKS, kind="xlsx")
    assert len(read(data)[0].lines) == 2
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws is not None
    for cell, value in change.items():
        ws[cell] = value
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_cells() -> tuple[int, str, str]:
    """The row of the second line, and the columns of its date and its credit amount."""
    data = icbc_xlsx({})
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws is not None
    rows = [[str(c.value or "") for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if "交易时间" in r)
    col = {name: openpyxl.utils.get_column_letter(j + 1) for j, name in enumerate(rows[head])}
    return head + 3, col["交易时间"], col["贷方发生额"]


GOOD = icbc_row("2008-01-04 09:12:33", "158,432.10")


# -- defect 4: amounts in range -------------------------------------------------------------------------
@pytest.mark.parametrize("amount", ["100000000000000000000", "6222021001000123456", "50000000000000000.00"])
def test_an_amount_beyond_the_limit_refuses_the_file_naming_the_row(amount: str) -> None:
    err = refused(icbc_csv(GOOD, icbc_row("2008-01-05", amount)))
    assert isinstance(err, AmountError)
    assert err.file == "f" and err.where == "line 4" and "limits.max_line_fen" in err.message
    assert "每笔金额上限" in err.render("zh")


def test_1e20_in_a_numeric_workbook_cell_refuses_the_file_naming_the_row() -> None:
    row, _, credit = xlsx_cells()
    err = refused(icbc_xlsx({f"{credit}{row}": 1e20}))
    assert "limits.max_line_fen" in err.message and f"row {row}" in err.where


def test_the_configured_limit_is_the_one_in_force() -> None:
    data = icbc_csv(GOOD)
    assert read(data)[0].lines[0].amount_fen == 15843210
    err = refused(data, limits=Limits(max_line_fen=100_000_00))
    assert "100,000.00 yuan" in err.message and err.where == "line 3"


def test_a_thousands_separator_that_does_not_group_by_three_refuses_the_file() -> None:
    err = refused(icbc_csv(GOOD, icbc_row("2008-01-05", "12,34.5")))
    assert isinstance(err, AmountError) and "group by three" in err.message and err.where == "line 4"


# -- defect 7: a row with an amount and no usable date ----------------------------------------------------
@pytest.mark.parametrize("when", ["", "bogus", "1", "  "])
def test_a_csv_row_with_an_amount_and_no_usable_date_refuses_the_file_naming_the_row(when: str) -> None:
    err = refused(icbc_csv(GOOD, icbc_row(when, "500.00"), icbc_row("2008-01-06", "1.00")))
    assert err.where == "line 4" and "expected a date" in err.message and "500.00" in err.message


@pytest.mark.parametrize("when", [None, "bogus", 1])
def test_a_workbook_row_with_an_amount_and_no_usable_date_refuses_the_file(when: object) -> None:
    row, day, _ = xlsx_cells()
    err = refused(icbc_xlsx({f"{day}{row}": when}))
    assert f"row {row}" in err.where and "expected a date" in err.message


def test_a_date_merged_across_rows_refuses_the_workbook() -> None:
    row, day, _ = xlsx_cells()
    err = refused(icbc_xlsx({}, merge=f"{day}{row - 1}:{day}{row}"))
    assert f"row {row}" in err.where


def test_a_boc_row_with_a_blank_transaction_date_refuses_the_file() -> None:
    lines = tuple(Line(date(2008, 1, d), 100_00 * d, counterparty_account="99", counterparty_name="乙",
                       bank_ref=f"R{d}", ref_strength=RefStrength.STRONG) for d in (3, 4))
    st = Statement("104861001000000101", period_start=date(2008, 1, 1), period_end=date(2008, 1, 31), lines=lines)
    data = write_tabular([st], "boc_corp", banks_dir=BANKS)
    assert len(read(data)[0].lines) == 2
    text = data.decode("utf-8-sig")
    err = refused(("\ufeff" + text.replace(",20080104,", ",,", 1)).encode("utf-8"))
    assert "交易日期" in err.message and "expected a date" in err.message


def test_footers_are_told_by_their_words_and_still_skipped() -> None:
    footers = [["合计", "", "", "", "", "", "158,432.10", "", "", "", "", "", ""],
               ["", "", "", "本页小计", "", "0.00", "158,432.10", "", "", "", "", "", ""],
               ["共1笔", "", "", "", "", "", "158,432.10", "", "", "", "", "", ""],
               ["以上数据仅供参考"]]
    (st,) = read(icbc_csv(GOOD, *footers))
    assert [ln.amount_fen for ln in st.lines] == [15843210]


def test_a_dateless_row_whose_only_footer_word_is_in_its_text_is_not_a_footer() -> None:
    err = refused(icbc_csv(GOOD, icbc_row("", "500.00", text="本月合计缴费")))
    assert err.where == "line 4"


# -- defect 12: dates in range ------------------------------------------------------------------------------
def one_day(day: date, *dated: date) -> Statement:
    return Statement("104861001000000101", "CNY", day, day, 0, sum(100 for _ in dated),
                     tuple(Line(d, 100, bank_ref=f"R{i}", ref_strength=RefStrength.STRONG, source=f"Ntry[{i}]")
                           for i, d in enumerate(dated, 1)))


def test_a_2099_line_in_a_statement_of_one_day_of_2008_refuses_the_file() -> None:
    data = camt.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4), date(2099, 12, 31))])
    err = refused(data)
    assert "2099-12-31" in err.message and "Ntry[2]" in err.where


def test_a_line_before_2000_refuses_the_file() -> None:
    err = refused(camt.FORMAT.write([one_day(date(1999, 12, 31), date(1999, 12, 31))]))
    assert "1999-12-31" in err.message and "out of range" in err.message


@pytest.mark.parametrize(("start", "end"), [(date(1, 1, 1), date(2008, 1, 4)), (date(2008, 1, 4), date(9999, 12, 31))])
def test_a_period_out_of_range_refuses_the_file_without_overflowing(start: date, end: date) -> None:
    st = replace(one_day(date(2008, 1, 4), date(2008, 1, 4)), period_start=start, period_end=end)
    err = refused(camt.FORMAT.write([st]))
    assert "out of range" in err.message and err.where == "statement 1 (Stmt[1])"


def test_a_line_more_than_a_year_outside_its_period_refuses_the_file() -> None:
    st = one_day(date(2006, 1, 4), date(2006, 1, 4), date(2007, 6, 1))
    err = refused(camt.FORMAT.write([st]))
    assert "2007-06-01" in err.message and "more than a year outside" in err.message and "Ntry[2]" in err.where
    (mt,) = read(mt940.FORMAT.write([st]))  # MT940 declares no period (its balances' dates are not one)
    assert len(mt.lines) == 2 and mt.warnings == ()


def test_a_line_a_little_outside_its_period_is_read_and_said() -> None:
    (st,) = read(camt.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4), date(2008, 1, 21))]))
    assert len(st.lines) == 2
    assert [(w.code, w.count) for w in st.warnings] == [("range.outside_period", 1)]
    (ok,) = read(camt.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4), date(2008, 1, 8))]))
    assert ok.warnings == ()  # within the transit window (2 working days)


def test_a_reversed_declared_period_refuses_the_file() -> None:
    st = one_day(date(2008, 1, 4), date(2008, 1, 4))
    data = camt.FORMAT.write([st]).replace(b"<ToDtTm>2008-01-04", b"<ToDtTm>2008-01-01")
    assert b"<ToDtTm>2008-01-01" in data
    assert "runs backwards" in refused(data).message
    ofx_data = ofx.FORMAT.write([st]).replace(b"<DTEND>20080104", b"<DTEND>20080101")
    assert b"<DTEND>20080101" in ofx_data
    err = refused(ofx_data)
    assert "2008-01-04 to 2008-01-01 runs backwards" in err.message and err.where.endswith("BANKTRANLIST[1]")
    assert "起止颠倒" in err.render("zh")  # said in the reader's language too


# -- defect 10: every entry's currency --------------------------------------------------------------------
def test_a_usd_entry_in_a_cny_camt_statement_refuses_the_file_naming_the_entry() -> None:
    data = camt.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4), date(2008, 1, 4))])
    assert read(data)[0].currency == "CNY"
    ntry = data.index(b"<Ntry>", data.index(b"<Ntry>") + 1)
    usd = data[:ntry] + data[ntry:].replace(b'Ccy="CNY"', b'Ccy="USD"', 1)
    err = refused(usd)
    assert "USD" in err.message and "CNY" in err.message and err.where.endswith("Ntry[2]/Amt/@Ccy")


def test_a_balance_in_another_currency_refuses_the_camt_file() -> None:
    data = camt.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4))])
    last = data.rindex(b'<Bal>')
    err = refused(data[:last] + data[last:].replace(b'Ccy="CNY"', b'Ccy="USD"', 1))
    assert "the balance is in USD" in err.message


def test_an_ofx_transaction_in_another_currency_refuses_the_file() -> None:
    data = ofx.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4))])
    usd = data.replace(b"</STMTTRN>", b"<CURRENCY><CURRATE>7.1<CURSYM>USD</CURRENCY></STMTTRN>", 1)
    err = refused(usd)
    assert "USD" in err.message and "CURSYM" in err.where


def test_an_mt940_closing_balance_in_another_currency_refuses_the_file() -> None:
    data = mt940.FORMAT.write([one_day(date(2008, 1, 4), date(2008, 1, 4))])
    assert b":62F:C080104CNY" in data
    err = refused(data.replace(b":62F:C080104CNY", b":62F:C080104USD"))
    assert ":62F:" in err.message and "USD" in err.message
