"""Writes the hand-made journal samples of tests/data/books (run once; the files are committed).

Each sample shows something the simulator's writer does not: 用友 with a "2008年" cell above 月/日,
过次页/承前页 rows, a blank date carried from the row above and an overdrawn (贷) balance; 金蝶 in
GBK with 第3期 and thousands separators; the plain template with one 金额 column and 收/付, MM-DD
dates and a full-width colon in the title block.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parents[1] / "data" / "books"


def yonyou() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "银行日记账"
    rows = [
        ["银行日记账"],
        ["科目：100202 银行存款—六盘水市社保局养老支出户", None, None, None, "期间：2008.06-2008.06"],
        ["单位：六盘水市社会保险事业局", None, None, None, "币种：人民币"],
        ["2008年", None, None, None, None, None, None, None, None, None],
        ["月", "日", "凭证号数", "摘要", "对方科目", "结算号", "借方", "贷方", "方向", "余额"],
        [None, None, None, "上年结转", None, None, None, None, "借", 120000.5],
        [6, 2, "收-0001", "收到财政拨付6月养老待遇资金", "2101 财政专户", "ZZ0602", 800000, None, "借", 920000.5],
        [6, 2, None, "本日合计", None, None, 800000, 0, "借", 920000.5],
        [6, 10, "付-0001", "拨付钟山区6月养老待遇", "2202 钟山区支出户", None, None, 450000.25, "借", 470000.25],
        [None, None, "付-0002", "拨付六枝特区6月养老待遇", "2202 六枝特区支出户", None, None, 300000, "借", 170000.25],
        [6, 10, None, "本日合计", None, None, 0, 750000.25, "借", 170000.25],
        [None, None, None, "过次页", None, None, 800000, 750000.25, "借", 170000.25],
        [None, None, None, "承前页", None, None, 800000, 750000.25, "借", 170000.25],
        [6, 13, "付-0003", "发放6月养老保险待遇", None, None, None, 180000.25, "贷", 10000],
        [6, 13, None, "本日合计", None, None, 0, 180000.25, "贷", 10000],
        [6, 20, "收-0002", "收到退回待遇", "1221 其他应收款", None, 10000, None, "平", None],
        [6, 20, None, "本日合计", None, None, 10000, 0, "平", 0],
        [None, None, None, "本月合计", None, None, 810000, 930000.5, "平", 0],
        [None, None, None, "本年累计", None, None, 5200000, 5320000.5, "平", 0],
    ]
    for r in rows:
        ws.append(r)
    wb.save(OUT / "yonyou_u8_june.xlsx")


KINGDEE = """银行存款日记账,,,,,,
科目：1002.03 银行存款 - 建设银行,,,期间：2008年第3期至2008年第3期,,,
账号：520501621600000109,,,单位：六盘水市财政局,,,
日期,凭证字号,摘要,对方科目,借方金额,贷方金额,余额
2008-03-01,,期初余额,,,,"12,000,000.00"
2008-03-05,记-3,拨付2008年03月养老保险待遇资金,2202 市社保养老支出户,,"3,456,789.01","8,543,210.99"
2008-03-21,记-15,利息划入,6011 利息收入,"21,600.00",,"8,564,810.99"
2008-03-31,记-22,划转2008年03月养老保险基金收入至财政专户,1002.01 市社保养老收入户,"4,000,000.00",,"12,564,810.99"
,,本期合计,,"4,021,600.00","3,456,789.01","12,564,810.99"
,,本年累计,,"12,050,000.00","11,485,189.01","12,564,810.99"
"""

PLAIN = """银行存款日记账
单位：六枝特区社会保险事业局
科目：1002 银行存款
期间：2008年3月
日期,凭证号,摘要,金额,收支,余额
,,期初余额,,,"80,000.00"
03-03,0001,收到失业保险费收入,"5,000.00",收,"85,000.00"
03-18,0002,手续费,12.50,付,"84,987.50"
03-25,0003,上解2008年03月失业保险费收入,"4,987.50",付,"80,000.00"
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    yonyou()
    (OUT / "kingdee_kis_march_gbk.csv").write_bytes(KINGDEE.replace("\n", "\r\n").encode("gbk"))
    (OUT / "plain_amount_direction.csv").write_text(PLAIN, encoding="utf-8-sig")


if __name__ == "__main__":
    main()
