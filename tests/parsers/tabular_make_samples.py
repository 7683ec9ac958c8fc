"""Regenerates the synthetic sample statements in tests/data/tabular/ (run by hand, not by pytest).

    .venv/bin/pip install xlwt   # only for the BIFF8 .xls; not a project dependency
    .venv/bin/python tests/parsers/tabular_make_samples.py
    .venv/bin/python -m pytest tests/parsers/test_tabular_golden.py --regen-golden   # then review

All names, accounts and amounts are made up (示例县/示例市), consistent with the shared fixtures:
ICBC 收入户 2409099999000012345, BOC 支出户 999912345678, CCB 财政专户 52099999999999999901.
"""

from __future__ import annotations

import codecs
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "tabular"
CCB_ACCT = "52099999999999999901"
CCB_HEADER = [
    "交易时间              ", "借方发生额/元(支取)       ", "贷方发生额/元(收入)       ", "余额          ",
    "币种          ", "对方户名       ", "对方账号     ", "对方开户机构        ", "记账日期         ",
    "摘要      ", "备注            ", "账户明细编号-交易流水号 ", "企业流水号  ", "凭证种类         ",
    "凭证号          ", "交易介质编号",
]
CCB_PRE: list[list[object]] = [
    ["中国建设银行"], ["明细查询结果"], ["明细查询结果下载 "],
    ["账\u3000\u3000号     ", CCB_ACCT, "账户名称        ", "示例市财政局社会保障基金财政专户"],
    ["期初余额     ", 8000000.0, "当前余额        ", 8967793.71],
    ["开户行名称   ", "中国建设银行示例市分行营业部", "账户状态        ", "正常"],
    ["借方发生额   ", 3000000.0, "借方交易笔数    ", 1], ["贷方发生额   ", 3967793.71, "贷方交易笔数    ", 5], [],
]
# (交易时间, 借, 贷, 余额, 对方户名, 对方账号, 对方开户机构, 记账日期, 摘要, 备注, 流水号)
CCB_ROWS = [
    ("20240301 09:30:12", 3000000.0, 0.0, 5000000.0, "示例县社会保险事业局养老保险基金支出户", "999912345678",
     "中国银行示例县支行", "20240301", "电子转账", "拨付3月基本养老金", "520999-20240301000101"),
    ("20240315 10:02:44", 0.0, 2500000.0, 7500000.0, "示例市国库支付中心", "9999100000000001",
     "中国人民银行示例市中心支行", "20240315", "电子转账", "财政补助资金", "520999-20240315000102"),
    ("20240321 00:10:00", 0.0, 12345.67, 7512345.67, "", "", "", "20240321", "结息", "", "520999-20240321000103"),
    ("20240329 16:21:10", 0.0, 1454999.99, 8967345.66, "示例县社会保险事业局养老保险基金收入户",
     "2409099999000012345", "中国工商银行示例县支行", "20240329", "跨行转入", "划转3月基本养老保险基金收入",
     "520999-20240329000104"),
    ("20240329 16:21:12", 0.0, 35.67, 8967381.33, "示例县社会保险事业局养老保险基金收入户", "2409099999000012345",
     "中国工商银行示例县支行", "20240329", "跨行转入", "缴入收入户利息", "520999-20240329000105"),
    ("20240329 16:45:00", 0.0, 412.38, 8967793.71, "示例县社会保险事业局养老保险基金支出户", "999912345678",
     "中国银行示例县支行", "20240330", "跨行转入", "支出户利息缴入财政专户", "520999-20240330000106"),
]


def _ccb_row(r: tuple[object, ...]) -> list[object]:
    t, d, c, bal, name, acct, bank, book, summ, note, ref = r
    return [t, d, c, bal, "人民币元", name, acct, bank, book, summ, note, ref, "", "", "", ""]


def ccb_xls() -> None:
    """CCB_03 as real BIFF8, split over two sheets (the second repeats only the header)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    s1 = wb.add_sheet(f"{CCB_ACCT}.xls")
    s1.write_merge(1, 1, 0, 7, "明细查询结果")
    grid1 = [*CCB_PRE, CCB_HEADER, *(_ccb_row(r) for r in CCB_ROWS[:3])]
    s2 = wb.add_sheet("Sheet2")
    grid2 = [CCB_HEADER, *(_ccb_row(r) for r in CCB_ROWS[3:]), ["以上数据仅供参考|具体内容请以柜台为准"]]
    for sheet, grid in ((s1, grid1), (s2, grid2)):
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if sheet is s1 and i == 1:
                    continue
                sheet.write(i, j, v)
    wb.save(str(OUT / "ccb_mingxi_biff8_two_sheets.xls"))


def ccb_html() -> None:
    """The same CCB layout as an HTML page saved as .xls, GBK-encoded with a gb2312 meta tag."""
    def td(v: object) -> str:
        return f"<td>{v}</td>"

    rows = [*CCB_PRE, CCB_HEADER, *(_ccb_row(r) for r in CCB_ROWS)]
    body = "\n".join("<tr>" + "".join(td(v) for v in row) + "</tr>" for row in rows)
    body = body.replace("<tr><td>明细查询结果</td></tr>", '<tr><td colspan="8">明细查询结果</td></tr>')
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>\n'
            f'<body><table border="1">\n{body}\n</table></body></html>\n')
    (OUT / "ccb_mingxi_html_saved_as.xls").write_bytes(page.encode("gbk"))


def rcc_xlsx() -> None:
    """四川农信-like 账户交易明细: merged meta cell with \\n lines mixing ':' and '：', numeric cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "借记卡交易明细表"
    ws.append(["示例农信账户交易明细"])
    ws.merge_cells("A1:K1")
    meta = [
        "户名:示例县社会保险事业局城乡居民养老保险基金支出户", "账号：6299999900001234567",
        "开户行：示例农村信用合作联社营业部",
        "币种：人民币", "单位：元", "查询时间：2024-04-01 08:30:00", "交易区间:2024-03-01至2024-03-31",
        "收入合计：1,200,000.00", "支出合计：1,187,655.50",
    ]
    ws.append(["\n".join(meta)])
    ws.merge_cells("A2:K2")
    ws.append(["交易日期", "交易时间", "收入/支出", "收入金额", "支出金额", "账户余额", "对方户名", "对方账号",
               "对方银行/机构", "交易流水号", "摘要"])
    rows = [
        ("2024-03-01", "09:12:01", "收入", 1200000.0, 0.0, 1250000.0, "示例市财政局社会保障基金财政专户",
         "52099999999999999901", "中国建设银行示例市分行营业部", "RC20240301000001", "转账"),
        ("2024-03-05", "08:00:15", "支出", 0.0, 1187650.5, 62349.5, "示例县城乡居民养老金代发户",
         "6299999900009999001", "示例农村信用合作联社", "RC20240305000002", "代发"),
        ("2024-03-05", "08:00:16", "支出", 0.0, 5.0, 62344.5, "", "", "", "RC20240305000003", "手续费"),
    ]
    for r in rows:
        ws.append(list(r))
        for cell in ws[ws.max_row][3:6]:
            cell.number_format = "0.00_ "
    ws.append(["收入合计", "", "", 1200000.0, 1187655.5])
    wb.save(OUT / "rcc_jiaoyimingxi_multiline_meta.xlsx")


def icbc_v3_csv() -> None:
    """ICBC variant ③ in the FINOPS 10-column cut: marker in the header's first cell, 账号： above."""
    lines = [
        "账号：2409099999000012345",
        "[HISTORYDETAIL],凭证号,交易时间,对方单位,对方账号,转入金额,转出金额,余额,摘要,附言",
        ',00020001,2024-04-02 10:11:12,示例县丁建材有限公司,9999111122223333\t,'
        '"88,000.00",,"88,000.00",汇入,4月养老保险费',
        ',00020002,2024-04-10 15:00:00,示例县戊中学,9999444455556666\t,1234.56,,"89,234.56",转账,',
        ',00020003,2024-04-28 16:30:30,示例市财政局社会保障基金财政专户,52099999999999999901\t,'
        ',"89,234.56",0.00,跨行汇款,划转4月收入',
        "合计,,,,,\"89,234.56\",\"89,234.56\",,,",
    ]
    (OUT / "icbc_historydetail_v3_finops.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def boc_personal_tsv() -> None:
    """BOC personal web-banking download: UTF-16 LE with BOM, tab-separated."""
    rows = [
        ["借记卡号", "6216999900001111"], ["户名", "示例个人"], [],
        ["交易日期", "交易时间", "交易类型", "币种", "收入金额", "支出金额", "余额", "对方账户名称", "对方账户账号",
         "网点名称", "附言"],
        ["2024/03/03", "12:00:01", "转账", "人民币", "", "120.00", "880.00", "示例超市", "9999000011110000",
         "示例支行", "购物"],
        ["2024/03/10", "09:30:00", "代发", "人民币", "3,150.25", "", "4,030.25", "示例县社会保险事业局",
         "999900000000", "示例支行", "养老金"],
    ]
    text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
    (OUT / "boc_personal_utf16.tsv").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    ccb_xls()
    ccb_html()
    rcc_xlsx()
    icbc_v3_csv()
    boc_personal_tsv()
