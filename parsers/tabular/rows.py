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
from itertools import filterfalse, repeat
from operator import itemgetter
from typing import NamedTuple

from parsers.tabular.grid import Sheet
from parsers.tabular.profile import Profile
from parsers.tabular.values import clean_account, currency_code, looks_like_date, parse_date
from reconcile.errors import AmountError, ParseError
from reconcile.model import EntryStatus, Line, RefStrength
from reconcile.money import to_fen, to_fens

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


class Rows(NamedTuple):
    """A sheet's lines, and beside them a column each of what decides a line's statement: the
    row's own account and currency ('' = unknown)."""

    lines: list[Line]
    accounts: list[str]
    currencies: list[str]


class _Ctx:
    """Per-sheet state: column indices and header names for messages; `fen` reads one amount cell
    as a refused row's error names it (the columns are converted by `_Columns.amounts`)."""

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


def _need(c: _Ctx, row: list[str], fields: tuple[str, ...], where: str) -> None:
    """A dated row too short to reach its amount columns is a truncated line, not a footer."""
    if len(row) > c.widest_amount:
        return
    for f in fields:
        j = c.one(f)
        if j is not None and j >= len(row):
            raise ParseError(key="tabular.truncated", values={"cells": len(row), "label": c.label(j), "column": j + 1},
                             where=where)


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


def _undated(c: _Ctx, row: list[str], dcell: str, jd: int | None, where: str) -> ParseError | None:
    """Why a row without a date is refused, or None for a footer, a summary or a blank row."""
    if looks_like_date(dcell):
        return ParseError(key="date.expected", values={"found": dcell}, subject=c.label(jd or 0), where=where)
    j = _amount_column(c, row)
    if j is not None and not _footer(c, row):
        return ParseError(key="date.missing", values={"found": dcell, "column": c.label(j), "amount": _cell(row, j)},
                          subject=c.label(jd or 0), where=where)
    return None


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


# The fields of a `Line` a tabular row does not give, at their defaults (after `status`).
_LINE_DEFAULTS = [repeat(Line._field_defaults[f]) for f in Line._fields[Line._fields.index("status") + 1:]]
_BAD = object()  # an amount cell `to_fen` refuses: the refused row's error is made again where it is named


class _Columns:
    """The live rows of a sheet and their cells read a column at a time. Each rule of `build` runs
    over the rows still live and, where it refuses one, keeps that refusal and cuts the rows at it:
    a later rule can only refuse an earlier row, so the refusal kept at the end is the one of the
    first refused row, made by the first rule it breaks, as a row-by-row reading would raise it."""

    def __init__(self, c: _Ctx, rows: list[list[str]], wheres: list[str]):
        self.c, self.rows, self.wheres = c, rows, wheres
        self.shortest = min(map(len, rows), default=0)
        self.error: ParseError | None = None
        # amount text -> fen, None (a placeholder: blank, '-', ...) or _BAD
        self.fens: dict[str, object] = dict.fromkeys(_PLACEHOLDERS)

    def refuse(self, k: int, error: ParseError) -> None:
        """Row k is refused: rows from k on are no longer read."""
        self.error, self.rows, self.wheres = error, self.rows[:k], self.wheres[:k]
        self.shortest = min(map(len, self.rows), default=0)

    def __len__(self) -> int:
        return len(self.rows)

    def text(self, j: int | None) -> list[str]:
        """The stripped cells of column j ('' beyond a short row, or for a column the layout lacks)."""
        if j is None:
            return [""] * len(self.rows)
        if j < self.shortest:  # in C: a Python loop per cell costs as much as the rest of the line
            return list(map(str.strip, map(itemgetter(j), self.rows)))
        return [r[j].strip() if j < len(r) else "" for r in self.rows]

    def joined(self, js: list[int] | None) -> list[str]:
        """Several columns of one field, their non-blank cells joined by a blank."""
        if not js or len(js) == 1:
            return self.text(js[0] if js else None)
        return [" ".join(filter(None, parts)) for parts in zip(*(self.text(j) for j in js), strict=False)]

    def accounts(self, j: int | None) -> list[str]:
        """An account column cleaned (`clean_account`), each distinct cell once."""
        if j is None:
            return [""] * len(self.rows)
        if j < self.shortest:
            raw = list(map(itemgetter(j), self.rows))
        else:
            raw = [r[j] if j < len(r) else "" for r in self.rows]
        # A cell of digits alone has nothing to strip or clean (no blank, quote or '=' is a digit):
        # most account cells are such, and then the column is its cells as they are.
        dirty = list(filterfalse(str.isdigit, set(raw)))
        if not dirty:
            return raw
        # Nor has a cell that is digits once stripped (BOC writes a tab before each account): only
        # the others go through `clean_account`, a Python call each.
        stripped = list(map(str.strip, dirty))
        junk = set(filterfalse(str.isdigit, stripped))
        cleaned = dict(zip(junk, map(clean_account, junk), strict=True))
        clean = dict(zip(dirty, map(cleaned.get, stripped, stripped), strict=True))
        return list(map(clean.get, raw, raw))

    def amounts(self, j: int) -> list[object]:
        """An amount column in fen through `to_fens`, each distinct text once: None for a
        placeholder (blank, '-', ...), _BAD for a text `to_fen` refuses."""
        texts, fens = self.text(j), self.fens
        new = set(texts).difference(fens)
        if new:
            got = to_fens(new, self.c.p.decimal)  # what `to_fen` takes; the rest it refuses
            fens.update(got)
            if len(got) < len(new):
                fens.update(dict.fromkeys(new.difference(got), _BAD))
        return list(map(fens.__getitem__, texts))

    def fen_error(self, k: int, j: int) -> ParseError:
        """The refusal of row k's amount cell in column j, as `to_fen` words it about that cell."""
        try:
            self.c.fen(self.rows[k], j, self.wheres[k])
        except AmountError as exc:
            return exc
        raise AssertionError(f"to_fen took {self.rows[k][j]!r} at {self.wheres[k]}")


def _one_each(cells: list[str]) -> list[str]:
    """The cells, each distinct text as one object: a statement's texts and remarks are a few
    hundred over 100k lines, and its counterparties' names repeat, so the reader's child pickles
    each once (a reference to it after) and the writer unpickles each once, not a string a line
    (a province month's CSV statements: 52 -> 36 MB sent, the writer's unpickling about halved)."""
    seen: dict[str, str] = {}
    return list(map(seen.setdefault, cells, cells))


def _first(flags: list[bool]) -> int | None:
    return flags.index(True) if True in flags else None


def _signs(cs: _Columns) -> list[int]:
    """The direction flag column as signs (1 in, -1 out, 0 neither); a row with another flag is refused."""
    c, p = cs.c, cs.c.p
    jf = c.j_flag
    flags = cs.text(jf)
    sign = {s: (1 if s in p.flag_in else -1 if s in p.flag_out else 0 if s in p.flag_zero else None)
            for s in set(flags)}
    signs = list(map(sign.__getitem__, flags))
    if None in signs:
        k = signs.index(None)
        exp = ", ".join(repr(x) for x in (*p.flag_in, *p.flag_out, *p.flag_zero))
        cs.refuse(k, ParseError(key="tabular.flag", values={"expected": exp, "found": flags[k]},
                                subject=c.label(jf or 0), where=cs.wheres[k]))
    return signs  # type: ignore[return-value]  # the Nones are beyond the live rows


def _truncated(cs: _Columns, fields: tuple[str, ...]) -> None:
    """A row too short to reach its amount columns is refused (`_need`)."""
    if cs.shortest > cs.c.widest_amount:
        return
    for k, row in enumerate(cs.rows):
        try:
            _need(cs.c, row, fields, cs.wheres[k])
        except ParseError as exc:
            cs.refuse(k, exc)
            return


def _amounts(cs: _Columns) -> tuple[list[int], list[EntryStatus]]:
    """Each live row's amount in signed fen and its status, by the profile's convention (see the
    module docstring); a row whose amount cannot be read is refused."""
    c, p = cs.c, cs.c.p
    conv = p.convention
    book, info = EntryStatus.BOOK, EntryStatus.INFO
    signs = _signs(cs) if conv in ("flag", "flag_debit_credit") else []
    if conv in ("signed", "flag"):
        _truncated(cs, ("amount",) if conv == "signed" else ("amount", "flag"))
        j = c.j_amount
        assert j is not None
        vs = cs.amounts(j)
        k = _first([v is None or v is _BAD for v in vs])
        if k is not None:
            cs.refuse(k, cs.fen_error(k, j) if vs[k] is _BAD else AmountError(
                key="amount.expected", values={"found": _cell(cs.rows[k], j)}, subject=c.label(j), where=cs.wheres[k]))
        fens: list[int] = vs[: len(cs)]  # type: ignore[assignment]  # None and _BAD are cut off
        if conv == "signed":
            return ([-v for v in fens] if p.invert else fens), [book] * len(fens)
        return ([s * v for s, v in zip(signs, fens, strict=False)],
                [info if s == 0 else book for s in signs[: len(fens)]])
    _truncated(cs, ("debit", "credit"))
    jd, jc = c.j_debit, c.j_credit
    assert jd is not None and jc is not None
    ds, crs = cs.amounts(jd), cs.amounts(jc)
    k = _first([d is _BAD or cr is _BAD or (d is None and cr is None) for d, cr in zip(ds, crs, strict=False)])
    if k is not None:
        if ds[k] is _BAD:
            cs.refuse(k, cs.fen_error(k, jd))
        elif crs[k] is _BAD:
            cs.refuse(k, cs.fen_error(k, jc))
        else:
            cs.refuse(k, AmountError(key="tabular.no_amount", values={"debit": c.label(jd), "credit": c.label(jc)},
                                     where=cs.wheres[k]))
    n = len(cs)
    if p.debit_sign == "negative":
        nets: list[int] = [(cr or 0) + (d or 0) for d, cr in zip(ds[:n], crs[:n], strict=False)]  # type: ignore[operator]
    else:
        nets = [(cr or 0) - (d or 0) for d, cr in zip(ds[:n], crs[:n], strict=False)]  # type: ignore[operator]
    if conv != "flag_debit_credit":
        return nets, [book] * n
    k = _first([v * s < 0 for v, s in zip(nets, signs, strict=False)])
    if k is not None:
        jf = c.j_flag
        side = c.label(jc) if nets[k] > 0 else c.label(jd)
        cs.refuse(k, ParseError(key="tabular.flag_contradicts", where=cs.wheres[k],
                                values={"flag": c.label(jf or 0), "found": _cell(cs.rows[k], jf), "side": side}))
    return ([0 if s == 0 else v for v, s in zip(nets, signs, strict=False)][: len(cs)],
            [info if s == 0 else book for s in signs[: len(cs)]])


def build(
    sheet: Sheet, start: int, p: Profile, cols: dict[str, list[int]], header_row: list[str], own_default: str
) -> Rows:
    """Lines of the data rows from `start` on, converted a column at a time: each distinct text of
    a date, amount, account, currency or status column once, each rule of the module docstring
    applied to whole columns. A sheet with a refused row raises the refusal of its first refused
    row (see `_Columns`)."""
    c = _Ctx(sheet, p, cols, header_row)
    one = c.one
    jb, jt = one("booking_date"), one("txn_date")
    order = p.date_order
    rows = sheet.rows[start:]
    every = _Columns(c, rows, [])
    booking = every.text(jb)
    if jt is None or "" not in booking:
        dcells = booking
    else:  # the booking date where there is one, else the transaction date
        dcells = [b or t for b, t in zip(booking, every.text(jt), strict=True)]
    parsed = {s: parse_date(s, order) for s in set(dcells)}
    dates = list(map(parsed.__getitem__, dcells))
    lines, where = sheet.lines, sheet.where
    error: ParseError | None = None
    if None in dates:  # blank rows, footers, or a row that lost its date
        live: list[int] = []
        for k, d in enumerate(dates):
            if d is not None:
                live.append(k)
                continue
            error = _undated(c, rows[k], dcells[k], jb if booking[k] or jt is None else jt, where(start + k))
            if error is not None:
                break
        rows, dates = [rows[k] for k in live], [dates[k] for k in live]
        wheres = [f"line {lines[start + k]}" for k in live] if lines is not None else [where(start + k) for k in live]
    elif lines is not None:
        wheres = [f"line {n}" for n in lines[start:]]
    else:
        wheres = [where(i) for i in range(start, len(sheet.rows))]
    cs = _Columns(c, rows, wheres)
    cs.error = error
    amounts, statuses = _amounts(cs)
    jv = one("value_date")
    vcells = cs.text(jv)
    vparsed = {s: parse_date(s, order) if s else None for s in set(vcells)}
    bad = {s for s, d in vparsed.items() if d is None and s and looks_like_date(s)}
    if bad:
        k = next(k for k, s in enumerate(vcells) if s in bad)
        cs.refuse(k, ParseError(key="date.expected", values={"found": vcells[k]}, subject=c.label(jv or 0),
                                where=cs.wheres[k]))
    jbal = one("balance")
    balances: list[object] = [None] * len(cs) if jbal is None else cs.amounts(jbal)
    if jbal is not None and _BAD in balances:
        k = balances.index(_BAD)
        cs.refuse(k, cs.fen_error(k, jbal))
    if cs.error is not None:
        raise cs.error
    # No row is refused: the rest of each line, a column at a time.
    jst = one("status")
    if jst is not None:
        pending, info = p.pending, p.info
        sts = cs.text(jst)
        word = {s: (EntryStatus.PDNG if s in pending else EntryStatus.INFO if s in info else None) if s else None
                for s in set(sts)}
        statuses = [st if w is None else w for st, w in zip(statuses, map(word.__getitem__, sts), strict=False)]
    owns = cs.accounts(one("own_account"))
    if own_default and "" in owns:
        owns = [a or own_default for a in owns]
    cp_accts, cp_names = cs.accounts(c.j_cp[0]), cs.text(c.j_cp[1])
    if c.sides:
        payers = zip(cs.accounts(c.j_payer[0]), cs.text(c.j_payer[1]), strict=False)
        payees = zip(cs.accounts(c.j_payee[0]), cs.text(c.j_payee[1]), strict=False)
        chosen = list(map(_other_side, cp_accts, cp_names, payers, payees, owns, amounts))
        cp_accts, cp_names = [a for a, _ in chosen], [n for _, n in chosen]
    refs = list(map(str.strip, cs.text(one("bank_ref")), repeat("'\"")))
    strength, none = _STRENGTH[p.ref_strength], RefStrength.NONE
    jcur = one("currency")
    if jcur is None:
        currencies = [""] * len(cs)
    else:
        curs = cs.text(jcur)
        code = {s: currency_code(s, p.currency_map, "") for s in set(curs)}
        currencies = list(map(code.__getitem__, curs))
    vdates = list(map(vparsed.__getitem__, vcells))
    texts, remarks = _one_each(cs.joined(cols.get("text"))), _one_each(cs.joined(cols.get("remark")))
    fields = zip(dates, amounts, vdates, cp_accts, _one_each(cp_names), texts, remarks,
                 refs, [strength if r else none for r in refs], balances, cs.wheres, statuses, *_LINE_DEFAULTS,
                 strict=False)
    # `tuple.__new__` in C, as `Line(...)` would make them, without its Python `__new__` a line.
    return Rows(list(map(tuple.__new__, repeat(Line), fields)), owns, currencies)
