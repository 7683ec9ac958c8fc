"""Small statement files for the ledger tests, written the way the banks write them."""

from __future__ import annotations

from dataclasses import dataclass

ZS_PENSION_INCOME = "2409011100000100"
ZS_PENSION_EXPENSE = "2409011200000101"
CITY_PENSION_INCOME = "104861001000000101"
HEADER = "凭证号,本方账号,对方账号,交易时间,借/贷,借方发生额,贷方发生额,对方行号,摘要,用途,对方单位名称,余额,个性化信息"


@dataclass(frozen=True)
class Row:
    when: str  # "2008-03-04 09:12:33"
    fen: int  # signed
    name: str = "某某建筑工程有限公司"
    account: str = "1999999900001111"
    text: str = "汇入"
    remark: str = "养老保险费"
    voucher: str = ""


def yuan(fen: int) -> str:
    return f"{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def icbc_csv(rows: list[Row], own: str = ZS_PENSION_INCOME, opening: int = 0, *, encoding: str = "gbk") -> bytes:
    """ICBC corporate 历史明细 (variant ①): GBK, CRLF, [HISTORYDETAIL] marker, 借/贷 + two columns."""
    out = ["[HISTORYDETAIL]", HEADER]
    balance = opening
    for r in rows:
        balance += r.fen
        debit, credit = (yuan(r.fen), "") if r.fen < 0 else ("", yuan(r.fen))
        flag = "借" if r.fen < 0 else "贷"
        out.append(",".join([
            r.voucher, own + "\t", r.account + "\t", r.when, flag, f'"{debit}"', f'"{credit}"', "102701000001",
            r.text, r.remark, r.name, f'"{yuan(balance)}"', "",
        ]))
    return ("\r\n".join(out) + "\r\n").encode(encoding)


MARCH_ROWS = [
    Row("2008-03-04 09:12:33", 15843210, voucher="A1"),
    Row("2008-03-08 14:05:02", 123456789, name="某某医院", account="9999888877776666555", voucher="A2"),
]
