"""The tabular reader refuses what it cannot read faithfully, naming the line and what it expected;
and the small pieces (sniffing, normalising, preamble, numbers) behave as documented."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.tabular import FORMAT, grid, header, preamble, sniff
from parsers.tabular.profile import load_profiles, parse_profile
from parsers.tabular.values import parse_date
from reconcile.errors import AmountError, ConfigError, ParseError

ICBC_HEAD = (
    "凭证号,本方账号,对方账号,交易时间,借/贷,借方发生额,贷方发生额,对方行号,摘要,用途,对方单位名称,余额,个性化信息"
)
OK_ROW = (
    '0001,2409099999000012345\t,1999\t,2024-03-04 09:12:33,贷,,"158,432.10",105,汇入,保险费,甲公司,'
    '"158,432.10",'
)


def icbc(*rows: str) -> bytes:
    return "\r\n".join(["[HISTORYDETAIL]", ICBC_HEAD, *rows]).encode("gbk") + b"\r\n"


def read(data: bytes, profile: str | None = None, banks: Path | None = None):
    return FORMAT.read(data, ReadContext(file_name="x", profile=profile, banks_dir=banks))


def test_an_empty_file_is_refused() -> None:
    for data in (b"", b"\r\n\r\n  \n", codecs.BOM_UTF8):
        with pytest.raises(ParseError, match="empty file"):
            read(data)


def refusal(data: bytes, lang: str = "en") -> list[str]:
    with pytest.raises(ParseError) as e:
        FORMAT.read(data, ReadContext(file_name="new.csv", lang=lang))
    return e.value.message.split("\n")


def test_a_layout_no_profile_fits_is_refused_in_two_lines_the_header_and_nearest_profile_and_the_command() -> None:
    data = ("户名：六枝特区社保局\n交易日期,摘要,收入金额,支出金额,账户余额,对方户名\n"
            "2024-03-01,上解,100.00,,100.00,钟山区\n").encode()
    found, hint = refusal(data)
    assert found == ("no bank profile fits this layout: header row at line 2: 交易日期 | 摘要 | 收入金额 | 支出金额 "
                     "| 账户余额 | 对方户名; the nearest profile, abc_zhanghumingxi, lacks 交易时间")
    assert hint == "draft a profile for it: recon profile draft new.csv --name NAME"
    assert refusal(data, "zh")[1] == "请为此版式起草格式：recon profile draft new.csv --name <名称>"


def test_a_file_without_a_header_row_shows_its_first_data_row() -> None:
    found, _ = refusal("2024-03-01,上解,100.00\n2024-03-02,x,5.00\n".encode())
    assert found == ("no header row found (the first data row is at line 1: 2024-03-01 | 上解 | 100.00), "
                     "and no headerless profile fits it")


def test_a_file_with_neither_a_header_nor_dated_amounts_is_said_not_to_look_like_a_statement() -> None:
    found, _ = refusal("名称,数量\n苹果,3\n".encode())
    assert "does not look like a statement" in found


def test_an_amount_that_is_not_a_number_names_the_line_and_the_column() -> None:
    bad = OK_ROW.replace('"158,432.10",105', "abc,105")
    with pytest.raises(AmountError) as e:
        read(icbc(OK_ROW, OK_ROW, OK_ROW, bad))
    assert str(e.value) == "line 6: 贷方发生额: expected an amount, found 'abc'"


def test_a_date_shaped_cell_that_is_no_date_is_an_error_not_a_footer() -> None:
    with pytest.raises(ParseError, match=r"line 4: 交易时间: expected a date, found '2024-13-45 09:00:00'"):
        read(icbc(OK_ROW, OK_ROW.replace("2024-03-04 09:12:33", "2024-13-45 09:00:00")))


def test_footer_and_summary_rows_without_a_date_are_skipped() -> None:
    [st] = read(icbc(OK_ROW, '合计,,,,,,"158,432.10",,,,,,', "以上数据仅供参考", "5 收 91,007,497.02"))
    assert len(st.lines) == 1


def test_a_quoted_field_left_open_at_the_end_of_the_file_is_a_truncated_download() -> None:
    with pytest.raises(ParseError, match=r"line 4: broken CSV quoting .*truncated"):
        read(icbc(OK_ROW, OK_ROW[: OK_ROW.index('"158') + 4]))


def test_a_dated_row_cut_short_before_its_amount_columns_is_refused() -> None:
    with pytest.raises(ParseError, match=r"line 4: the row has 5 cells but 借方发生额 is column 6: truncated"):
        read(icbc(OK_ROW, "0002,2409099999000012345,1999,2024-03-05 10:00:00,借"))


def test_a_dated_row_with_both_amount_sides_blank_is_refused() -> None:
    with pytest.raises(AmountError, match=r"line 3: expected an amount in 借方发生额 or 贷方发生额"):
        read(icbc(OK_ROW.replace('"158,432.10",105', ",105")))


def test_a_flag_that_contradicts_the_amount_column_is_refused() -> None:
    with pytest.raises(ParseError, match="line 3: 借/贷 '借' contradicts the amount in 贷方发生额"):
        read(icbc(OK_ROW.replace(",贷,", ",借,")))


def test_an_unknown_flag_value_is_refused() -> None:
    with pytest.raises(ParseError, match="line 3: 借/贷: expected one of '贷', '借', found '收'"):
        read(icbc(OK_ROW.replace(",贷,", ",收,")))


def test_an_unknown_forced_profile_is_refused_with_the_known_names() -> None:
    with pytest.raises(ParseError, match=r"unknown bank profile 'nope': expected one of .*boc_corp"):
        read(icbc(OK_ROW), profile="nope")


def test_a_forced_profile_that_does_not_fit_says_what_it_expected() -> None:
    with pytest.raises(ParseError, match="最接近的格式 boc_corp 缺少 交易类型, 付款人账号"):
        read(icbc(OK_ROW), profile="boc_corp")


def test_the_extension_is_ignored_and_the_content_decides() -> None:
    assert sniff.kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "xls"
    assert sniff.kind(b"PK\x03\x04rest") == "xlsx"
    assert sniff.kind(b"  <html><table>") == "html"
    assert sniff.kind(b"\xef\xbb\xbf<table><tr>") == "html"
    assert sniff.kind("交易日期,金额".encode("gbk")) == "text"
    assert not sniff.looks_tabular(b"\x00\x01\x02binary")
    assert sniff.looks_tabular(codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le"))


def test_text_is_decoded_by_bom_then_strict_utf8_then_gb18030() -> None:
    assert sniff.decode(codecs.BOM_UTF8 + "账号".encode()) == ("账号", "utf-8-sig")
    assert sniff.decode(codecs.BOM_UTF16_LE + "账号".encode("utf-16-le")) == ("账号", "utf-16")
    assert sniff.decode("账号".encode()) == ("账号", "utf-8")
    assert sniff.decode("账号".encode("gbk")) == ("账号", "gb18030")


def test_the_delimiter_is_sniffed_even_with_tabs_inside_comma_separated_cells() -> None:
    assert grid.sniff_delimiter('a,b\t,c\n1,2\t,3\n4,5\t,6\n') == ","
    assert grid.sniff_delimiter('"a";"b,c";"d"\n"1";"2,3";"4"\n') == ";"
    assert grid.sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"


def test_excel_number_cells_become_the_decimal_excel_shows_without_float_noise() -> None:
    assert grid.excel_number_text(0.1 + 0.2) == "0.3"
    assert grid.excel_number_text(1234567.89) == "1234567.89"
    assert grid.excel_number_text(0.0) == "0"
    assert grid.excel_number_text(1e16) == "10000000000000000"
    assert grid.excel_number_text(9999999999999.99) == "9999999999999.99"
    assert grid.excel_number_text(20240301.0) == "20240301"


def test_header_names_are_normalised_before_matching() -> None:
    assert header.norm("账\u3000\u3000号     ") == "账号"
    assert header.norm("借方发生额/元（支取）  ") == "借方发生额/元(支取)"
    assert header.norm("交易日期[ Transaction Date ]") == "交易日期"
    assert header.norm("日 志 号") == "日志号"
    assert header.norm(" Transaction Amount") == "transactionamount"


def test_preamble_labels_are_found_in_separate_cells_in_one_cell_and_in_merged_lines() -> None:
    prof = load_profiles(None)["rcc_jiaoyimingxi"]
    merged = [["户名:示例户\n账号：6299\n交易区间:2024-03-01至2024-03-31"]]
    pre = preamble.scan(merged, prof)
    assert (pre.own_account, pre.account_name) == ("6299", "示例户")
    assert (str(pre.period_start), str(pre.period_end)) == ("2024-03-01", "2024-03-31")
    ccb = load_profiles(None)["ccb_mingxi"]
    pre = preamble.scan([["账\u3000\u3000号  ", "", "5209"], ["期初余额 ", "1,000.50", "当前余额", "0"]], ccb)
    assert (pre.own_account, pre.opening_fen, pre.closing_fen) == ("5209", 100050, 0)
    abc = load_profiles(None)["abc_zhanghumingxi"]
    assert preamble.scan([["账号: 23-9999", "", "户名：某户"]], abc).own_account == "23-9999"


def test_dates_are_read_by_shape_with_the_profiles_day_month_order() -> None:
    assert str(parse_date("20240301 09:30:12")) == "2024-03-01"
    assert str(parse_date("2024/3/1  14:06:51")) == "2024-03-01"
    assert str(parse_date("2024年3月1日")) == "2024-03-01"
    assert str(parse_date("05.12.25", "dmy")) == "2025-12-05"
    assert str(parse_date("12/15/2018", "mdy")) == "2018-12-15"
    assert str(parse_date("45352")) == "2024-03-01"
    assert parse_date("合计") is None and parse_date("2 收 55,860.50") is None


def test_a_profile_with_an_unknown_key_or_a_missing_amount_column_is_a_config_error() -> None:
    base = {"name": "x", "detect": {"required": ["a"]}, "columns": {"booking_date": ["a"], "amount": ["b"]}}
    parse_profile("x.toml", base)
    with pytest.raises(ConfigError, match=r"x\.toml: colums"):
        parse_profile("x.toml", {**base, "colums": {}})
    with pytest.raises(ConfigError, match=r"columns\.debit: a column for amount convention 'debit_credit'"):
        parse_profile("x.toml", {**base, "amount": {"convention": "debit_credit"}})
    with pytest.raises(ConfigError, match=r"amount\.flag_in: a list"):
        parse_profile("x.toml", {**base, "amount": {"flag_in": "贷"}})


PSBC = '''# PSBC corporate (research §7): 支出金额 before 收入金额, a two-row header for the test.
name = "psbc_two_row"
[detect]
required = ["交易日期", "发生额借方", "发生额贷方", "交易流水号"]
header_rows = 2
[columns]
txn_date = ["交易日期"]
debit = ["发生额借方"]
credit = ["发生额贷方"]
balance = ["余额"]
bank_ref = ["交易流水号"]
[amount]
convention = "debit_credit"
[preamble]
own_account = ["账号"]
[ref]
strength = "strong"
'''


def test_a_new_layout_needs_only_a_new_profile_even_with_a_two_row_header(tmp_path: Path) -> None:
    (tmp_path / "psbc_two_row.toml").write_text(PSBC, encoding="utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    grid: list[list[object]] = [
        ["中国邮政储蓄银行账户交易明细"], ["账号", "", "9999-1"], ["交易日期", "发生额", "", "余额", "交易流水号"],
        ["", "借方", "贷方"], ["2024-03-01", 10.5, 0, 89.5, "P1"], ["2024-03-02", 0, 0.1, 89.6, "P2"],
    ]
    for r in grid:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    [st] = read(buf.getvalue(), banks=tmp_path)
    assert st.format == "tabular:psbc_two_row" and st.account == "9999-1"
    assert [(ln.amount_fen, ln.balance_fen, ln.bank_ref) for ln in st.lines] == [(-1050, 8950, "P1"), (10, 8960, "P2")]


def test_rows_naming_several_own_accounts_become_one_statement_each() -> None:
    other = OK_ROW.replace("2409099999000012345", "2409099999000099999")
    sts = read(icbc(OK_ROW, other, OK_ROW))
    assert [(st.account, len(st.lines)) for st in sts] == [("2409099999000012345", 2), ("2409099999000099999", 1)]
