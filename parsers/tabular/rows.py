"""Data rows -> `Line`s, with the four amount conventions of Chinese exports (research §0.6):

- `debit_credit`: two columns (借方/贷方, 支出/收入, 转出/转入); the unused side is blank, 0 or "-";
- `signed`: one signed column (BOC 交易金额, negative for 往账), optionally `invert`ed;
- `flag`: one unsigned column and a direction flag (借/贷, 来账/往账, 收入/支出, 1/2);
- `flag_debit_credit`: the flag and two columns (ICBC 借/贷 + 借方发生额 + 贷方发生额); the flag must
  agree with the side the amount is in, else the row is refused.

A row is data when its date cell holds a date. A row without one is skipped only when it cannot be
a lost line: blank, without a number in any amount column, or a footer told by its words (合计,
本页, 共5笔, 以上数据仅供参考, Total). A row with an amount but no usable date (a blank, merged or
`bogus` date cell) is an error naming the row, and so is a date-shaped cell that does not parse or
a dated row whose amount is not a number: a statement must not lose a row silently.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from parsers.tabular.grid import Sheet
from parsers.tabular.profile import Profile
from parsers.tabular.values import clean_account, currency_code, looks_like_date, parse_date
from reconcile.errors import AmountError, ParseError
from reconcile.model import EntryStatus, Line, RefStrength
from reconcile.money import to_fen

# What banks put in the unused side of a two-column layout or an empty balance.
_PLACEHOLDERS = frozenset({"", "-", "--", "—", "/", "null", "NULL"})
_SIDES = ("payer_account", "payer_name", "payee_account", "payee_name")
_STRENGTH = {"none": RefStrength.NONE, "weak": RefStrength.WEAK, "strong": RefStrength.STRONG}
# What a footer or summary row says of itself; looked for outside the free-text columns (a 摘要 of
# 本月工资 on a row that lost its date must not pass for a footer).
_FOOTER = re.compile(r"合\s*计|小\s*计|总\s*计|累\s*计|汇\s*总|本页|共\s*\d+\s*笔|笔数|以上|仅供参考|余额|"
                     r"承前页|过次页|total|summe|sum\b|balance|saldo|brought forward|carried forward",
                     re.IGNORECASE)
_FREE_TEXT = ("text", "remark", "counterparty_name", "payer_name", "payee_name")
_NUMBER = re.compile(r"[-+(]?\s*[¥￥$]?\s*\d[\d,. ]*\)?")


class RowLine(NamedTuple):
    """A line with what decides its statement: the row's own account and currency ('' = unknown).
    A NamedTuple, not a frozen dataclass: one is built per row (see `Line`)."""

    line: Line
    account: str
    currency: str


class _Ctx:
    """Per-sheet state: column indices, header names for messages, and an amount cache (statements
    repeat amounts such as the unused side's 0.00, and `to_fen` is pure)."""

    def __init__(self, sheet: Sheet, p: Profile, cols: dict[str, list[int]], header_row: list[str]):
        self.sheet, self.p, self.cols = sheet, p, cols
        self.header_row = header_row
        self.cache: dict[str, int] = {}
        # Looked up once: the per-row loop runs 100k times on a year of a busy account.
        self.idx: dict[str, int | None] = {f: (js[0] if js else None) for f, js in cols.items()}
        self.sides = any(f in cols for f in _SIDES)
        # The columns the per-row functions read, as attributes (a dict lookup per cell adds up).
        idx = self.idx
        self.j_flag, self.j_amount = idx.get("flag"), idx.get("amount")
        self.j_debit, self.j_credit = idx.get("debit"), idx.get("credit")
        self.j_cp = (idx.get("counterparty_account"), idx.get("counterparty_name"))
        self.j_payer = (idx.get("payer_account"), idx.get("payer_name"))
        self.j_payee = (idx.get("payee_account"), idx.get("payee_name"))
        self.widest_amount = max(
            (j for f in ("debit", "credit", "amount", "flag") if (j := self.idx.get(f)) is not None), default=-1
        )

    def label(self, j: int) -> str:
        if j < len(self.header_row) and self.header_row[j].strip():
            return self.header_row[j].strip()
        return f"column {j + 1}"

    def one(self, f: str) -> int | None:
        return self.idx.get(f)

    def fen(self, row: list[str], j: int, where: str) -> int | None:
        s = row[j].strip() if j < len(row) else ""
        if s in _PLACEHOLDERS:
            return None
        v = self.cache.get(s)
        if v is None:
            try:
                v = to_fen(s, decimal=self.p.decimal, where=where)
            except AmountError as exc:
                raise exc.about(self.label(j), where) from None
            self.cache[s] = v
        return v


def _cell(row: list[str], j: int | None) -> str:
    if j is None or j >= len(row):
        return ""
    return row[j].strip()


def _joined(row: list[str], js: list[int] | None) -> str:
    if not js:
        return ""
    if len(js) == 1:
        j = js[0]
        return row[j].strip() if j < len(row) else ""
    return " ".join(v for v in (_cell(row, j) for j in js) if v)


def _need(c: _Ctx, row: list[str], fields: tuple[str, ...], where: str) -> None:
    """A dated row too short to reach its amount columns is a truncated line, not a footer."""
    if len(row) > c.widest_amount:
        return
    for f in fields:
        j = c.one(f)
        if j is not None and j >= len(row):
            raise ParseError(key="tabular.truncated", values={"cells": len(row), "label": c.label(j), "column": j + 1},
                             where=where)


def _amount(c: _Ctx, row: list[str], where: str) -> tuple[int, EntryStatus]:
    p, conv = c.p, c.p.convention
    sign = 1
    if conv == "flag" or conv == "flag_debit_credit":
        jf = c.j_flag
        flag = _cell(row, jf)
        if flag in p.flag_in:
            sign = 1
        elif flag in p.flag_out:
            sign = -1
        elif flag in p.flag_zero:
            sign = 0
        else:
            exp = ", ".join(repr(x) for x in (*p.flag_in, *p.flag_out, *p.flag_zero))
            raise ParseError(key="tabular.flag", values={"expected": exp, "found": flag}, subject=c.label(jf or 0),
                             where=where)
    if conv == "signed":
        if len(row) <= c.widest_amount:
            _need(c, row, ("amount",), where)
        j = c.j_amount
        assert j is not None
        v = c.fen(row, j, where)
        if v is None:
            raise AmountError(key="amount.expected", values={"found": _cell(row, j)}, subject=c.label(j), where=where)
        return (-v if p.invert else v), EntryStatus.BOOK
    if conv == "flag":
        if len(row) <= c.widest_amount:
            _need(c, row, ("amount", "flag"), where)
        j = c.j_amount
        assert j is not None
        v = c.fen(row, j, where)
        if v is None:
            raise AmountError(key="amount.expected", values={"found": _cell(row, j)}, subject=c.label(j), where=where)
        return sign * v, (EntryStatus.INFO if sign == 0 else EntryStatus.BOOK)
    if len(row) <= c.widest_amount:
        _need(c, row, ("debit", "credit"), where)
    jd, jc = c.j_debit, c.j_credit
    assert jd is not None and jc is not None
    d, cr = c.fen(row, jd, where), c.fen(row, jc, where)
    if d is None and cr is None:
        raise AmountError(key="tabular.no_amount", values={"debit": c.label(jd), "credit": c.label(jc)}, where=where)
    out = d or 0
    v = (cr or 0) + (out if p.debit_sign == "negative" else -out)
    if conv == "flag_debit_credit":
        if sign == 0:
            return 0, EntryStatus.INFO
        if v * sign < 0:
            side = c.label(jc) if v > 0 else c.label(jd)
            jf = c.j_flag
            raise ParseError(key="tabular.flag_contradicts", where=where,
                             values={"flag": c.label(jf or 0), "found": _cell(row, jf), "side": side})
    return v, EntryStatus.BOOK


def _amount_column(c: _Ctx, row: list[str]) -> int | None:
    """The first amount column holding a number: the mark of a data row."""
    for f in ("amount", "debit", "credit"):
        j = c.one(f)
        if j is not None and _NUMBER.fullmatch(_cell(row, j)):
            return j
    return None


def _footer(c: _Ctx, row: list[str]) -> bool:
    free = {j for f in _FREE_TEXT for j in c.cols.get(f, ())}
    return any(_FOOTER.search(v) for j, v in enumerate(row) if j not in free and v)


_clean_cache: dict[str, str] = {}


def _account_cell(row: list[str], j: int | None) -> str:
    """`clean_account` of a cell, memoised: a statement repeats a few hundred account numbers."""
    raw = row[j] if j is not None and j < len(row) else ""
    hit = _clean_cache.get(raw)
    if hit is None:
        if len(_clean_cache) > 200_000:
            _clean_cache.clear()
        hit = _clean_cache[raw] = clean_account(raw.strip())
    return hit


def _counterparty(c: _Ctx, row: list[str], amount: int, own: str) -> tuple[str, str]:
    ja, jn = c.j_cp
    acct = _account_cell(row, ja)
    name = _cell(row, jn)
    if not c.sides:
        return acct, name
    ja, jn = c.j_payer
    payer = (_account_cell(row, ja), _cell(row, jn))
    ja, jn = c.j_payee
    payee = (_account_cell(row, ja), _cell(row, jn))
    return _other_side(acct, name, payer, payee, own, amount)


def _other_side(acct: str, name: str, payer: tuple[str, str], payee: tuple[str, str], own: str,
                amount: int) -> tuple[str, str]:
    """BOC, DKB, PAB list both sides; the counterparty is the side that is not us (research §5.1),
    told by the account where there is one, else by the direction of the money; a counterparty
    column of its own wins where it is filled."""
    if own and payee[0] == own:
        side = payer
    elif own and payer[0] == own:
        side = payee
    else:
        side = payer if amount >= 0 else payee
    return acct or side[0], name or side[1]


def _counterparty_full(c: _Ctx, row: list[str], amount: int, own: str) -> tuple[str, str]:
    """`_counterparty` of a row that reaches every column of the layout: the same choice, its
    cells read by index without `_cell`'s bounds checks."""
    ja, jn = c.j_cp
    acct = _account_cell(row, ja) if ja is not None else ""
    name = row[jn].strip() if jn is not None else ""
    ja, jn = c.j_payer
    payer = (_account_cell(row, ja) if ja is not None else "", row[jn].strip() if jn is not None else "")
    ja, jn = c.j_payee
    payee = (_account_cell(row, ja) if ja is not None else "", row[jn].strip() if jn is not None else "")
    return _other_side(acct, name, payer, payee, own, amount)


def build(
    sheet: Sheet, start: int, p: Profile, cols: dict[str, list[int]], header_row: list[str], own_default: str
) -> list[RowLine]:
    """Lines of the data rows from `start` on.

    A row that reaches every column of the layout (nearly all of them) takes the short way: its
    cells are read by index without the bounds checks of `_cell`, and the counterparty of a layout
    without payer/payee columns is read inline. A shorter row, and any row that is not a plain
    dated line, takes the general way; both give the same `Line`."""
    c = _Ctx(sheet, p, cols, header_row)
    jb, jt, jv = c.one("booking_date"), c.one("txn_date"), c.one("value_date")
    jown, jcur, jst, jbal, jref = (c.one(f) for f in ("own_account", "currency", "status", "balance", "bank_ref"))
    jca, jcn = c.one("counterparty_account"), c.one("counterparty_name")
    strength = _STRENGTH[p.ref_strength]
    jtext, jremark = cols.get("text"), cols.get("remark")
    # Where every column is in range: the widest column index of the layout.
    widest = max((j for js in cols.values() for j in js), default=-1)
    one_text = jtext[0] if jtext and len(jtext) == 1 else None
    one_remark = jremark[0] if jremark and len(jremark) == 1 else None
    order, pending, info, currency_map = p.date_order, p.pending, p.info, p.currency_map
    sides, fen = c.sides, c.fen
    none = RefStrength.NONE
    lines = sheet.lines
    accounts = _clean_cache
    currencies: dict[str, str] = {}  # currency cell -> code: a sheet has one or two
    out: list[RowLine] = []
    rows = sheet.rows
    for i in range(start, len(rows)):
        row = rows[i]
        full = len(row) > widest
        if full:
            dcell = row[jb].strip() if jb is not None else ""
            jd = jb
            if not dcell:
                jd = jt
                dcell = row[jt].strip() if jt is not None else ""
        else:
            jd = jb if _cell(row, jb) else jt
            dcell = _cell(row, jd)
        d = parse_date(dcell, order)
        if d is None:
            if looks_like_date(dcell):
                where = sheet.where(i)
                raise ParseError(key="date.expected", values={"found": dcell}, subject=c.label(jd or 0), where=where)
            j = _amount_column(c, row)
            if j is not None and not _footer(c, row):
                raise ParseError(key="date.missing", values={"found": dcell, "column": c.label(j),
                                                             "amount": _cell(row, j)},
                                 subject=c.label(jd or 0), where=sheet.where(i))
            continue  # a footer, a summary or a blank row
        where = f"line {lines[i]}" if lines is not None else sheet.where(i)
        amount, status = _amount(c, row, where)
        if not full:
            vcell = _cell(row, jv)
            st = _cell(row, jst)
            own = _account_cell(row, jown) or own_default
            cp_acct, cp_name = _counterparty(c, row, amount, own)
            ref = _cell(row, jref).strip("'\"")
            text, remark = _joined(row, jtext), _joined(row, jremark)
            cur_cell = _cell(row, jcur)
        else:
            vcell = row[jv].strip() if jv is not None else ""
            st = row[jst].strip() if jst is not None else ""
            # `_account_cell` inline: two cells a row, nearly always in its memo.
            raw = row[jown] if jown is not None else ""
            hit = accounts.get(raw)
            own = (_account_cell(row, jown) if hit is None else hit) or own_default
            if sides:
                cp_acct, cp_name = _counterparty_full(c, row, amount, own)
            else:
                hit = accounts.get(row[jca] if jca is not None else "")
                cp_acct = _account_cell(row, jca) if hit is None else hit
                cp_name = row[jcn].strip() if jcn is not None else ""
            ref = row[jref].strip().strip("'\"") if jref is not None else ""
            text = row[one_text].strip() if one_text is not None else _joined(row, jtext)
            remark = row[one_remark].strip() if one_remark is not None else _joined(row, jremark)
            cur_cell = row[jcur].strip() if jcur is not None else ""
        value_date = parse_date(vcell, order) if vcell else None
        if vcell and value_date is None and looks_like_date(vcell):
            raise ParseError(key="date.expected", values={"found": vcell}, subject=c.label(jv or 0), where=where)
        if st:
            if st in pending:
                status = EntryStatus.PDNG
            elif st in info:
                status = EntryStatus.INFO
        bal = fen(row, jbal, where) if jbal is not None else None
        line = Line(d, amount, value_date, cp_acct, cp_name, text, remark, ref, strength if ref else none, bal, where,
                    status)
        if jcur is None:
            cur = ""
        else:
            known = currencies.get(cur_cell)
            if known is None:
                known = currencies[cur_cell] = currency_code(cur_cell, currency_map, "")
            cur = known
        out.append(RowLine(line, own, cur))
    return out
