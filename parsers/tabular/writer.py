"""Writing a statement in the layout a profile describes: the simulator's bank, and the other half
of the round-trip tests (write -> read -> the same statement).

The profile's `[layout]` says what the bank's file looks like: the full `header` in the bank's
column order, `preamble` rows with {placeholders}, the text `encoding` and `delimiter` of a CSV,
`formats` (strftime per date field), `thousands` separators, `numeric` amount cells in XLSX and
how the unused side of a two-column layout is written (`zero`). Each header cell carries the
canonical field whose synonyms name it; other cells stay empty.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from parsers.tabular.header import norm
from parsers.tabular.profile import Profile, load_profiles
from reconcile.model import Line, Statement
from reconcile.money import format_yuan, plain_yuan

Cell = str | Decimal


def _field_of(p: Profile) -> dict[str, str]:
    out: dict[str, str] = {}
    for f, spec in p.columns.items():
        if not isinstance(spec, int):
            for syn in spec:
                out.setdefault(norm(syn), f)
    return out


def _money(p: Profile, fen: int | None, numeric: bool) -> Cell:
    if fen is None:
        return ""
    if numeric:
        return Decimal(fen) / 100  # a numeric cell, written from the exact decimal (openpyxl takes Decimal)
    s = format_yuan(fen) if p.layout.get("thousands") else plain_yuan(fen)
    if p.decimal == ",":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def _date(p: Profile, f: str, d: date | None) -> str:
    if d is None:
        return ""
    fmt = p.layout.get("formats", {}).get(f, "%Y-%m-%d")
    return d.strftime(fmt)


def _value(p: Profile, f: str, st: Statement, ln: Line, numeric: bool) -> Cell:
    a = ln.amount_fen
    zero: Cell = p.layout.get("zero", "")
    if numeric and zero != "":
        zero = Decimal(str(zero))
    out_side = a < 0
    if f in ("booking_date", "txn_date", "value_date"):
        d = ln.value_date if f == "value_date" else ln.booking_date
        return _date(p, f, d)
    if f == "time":
        return p.layout.get("formats", {}).get("time", "00:00:00")
    if f == "debit":
        return _money(p, -a if p.debit_sign == "positive" else a, numeric) if out_side else zero
    if f == "credit":
        return _money(p, a, numeric) if not out_side else zero
    if f == "amount":
        if p.convention == "flag":
            return _money(p, abs(a), numeric)
        return _money(p, -a if p.invert else a, numeric)
    if f == "flag":
        return (p.flag_out if out_side else p.flag_in)[0]
    if f == "balance":
        return _money(p, ln.balance_fen, numeric)
    mine = (st.account, st.account_name)
    theirs = (ln.counterparty_account, ln.counterparty_name)
    payer, payee = (mine, theirs) if out_side else (theirs, mine)
    simple: dict[str, str] = {
        "counterparty_account": theirs[0], "counterparty_name": theirs[1],
        "payer_account": payer[0], "payer_name": payer[1], "payee_account": payee[0], "payee_name": payee[1],
        "text": ln.text, "remark": ln.remark, "bank_ref": ln.bank_ref, "own_account": st.account,
        "own_name": st.account_name, "currency": p.layout.get("currency", st.currency),
    }
    return simple.get(f, "")


def _placeholders(p: Profile, st: Statement, numeric: bool) -> dict[str, Cell]:
    ps = st.period_start.strftime("%Y%m%d") if st.period_start else ""
    pe = st.period_end.strftime("%Y%m%d") if st.period_end else ""
    return {
        "{account}": st.account, "{account_name}": st.account_name,
        "{currency}": p.layout.get("currency", st.currency),
        "{period}": f"{ps}-{pe}" if ps and pe else "", "{period_start}": ps, "{period_end}": pe,
        "{opening}": _money(p, st.opening_fen, numeric), "{closing}": _money(p, st.closing_fen, numeric),
    }


def _fill(template: str, values: dict[str, Cell]) -> Cell:
    if template in values:
        return values[template]  # a whole-cell placeholder keeps a numeric value numeric
    for k, v in values.items():
        template = template.replace(k, str(v))
    return template


def rows_of(p: Profile, statements: list[Statement], numeric: bool) -> list[list[Cell]]:
    """The sheet as cells: preamble (from the first statement), header, one row per line."""
    header = list(p.layout.get("header") or [spec[0] for spec in p.columns.values() if not isinstance(spec, int)])
    fields = _field_of(p)
    prefix: dict[str, str] = p.layout.get("prefix", {})
    first = statements[0] if statements else Statement(account="")
    values = _placeholders(p, first, numeric)
    out: list[list[Cell]] = [[_fill(c, values) for c in r] for r in p.layout.get("preamble", [])]
    if not p.no_header:
        out.append(list(header))
    cols = [(fields.get(norm(h), ""), prefix.get(h, "")) for h in header]
    for st in statements:
        for ln in st.lines:
            row: list[Cell] = []
            for f, pre in cols:
                v = _value(p, f, st, ln, numeric) if f else ""
                row.append(pre + v if pre and isinstance(v, str) and v else v)
            out.append(row)
    return out


def write(statements: list[Statement], profile_name: str, *, banks_dir: Path | None = None, kind: str = "") -> bytes:
    """The statements as the bank of `profile_name` would export them ("csv" or "xlsx")."""
    p = load_profiles(banks_dir)[profile_name]
    kind = kind or p.layout.get("kind", "csv")
    if kind == "xlsx":
        return _xlsx(p, statements)
    if kind != "csv":
        raise ValueError(f"kind must be 'csv' or 'xlsx', not {kind!r}")
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=p.layout.get("delimiter", ","), lineterminator="\r\n")
    w.writerows(rows_of(p, statements, numeric=False))
    return buf.getvalue().encode(p.layout.get("encoding", "utf-8"))


def _xlsx(p: Profile, statements: list[Statement]) -> bytes:
    from openpyxl import Workbook

    numeric = bool(p.layout.get("numeric"))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    first = statements[0] if statements else Statement(account="")
    title = str(_fill(p.layout.get("sheet", "Sheet1"), _placeholders(p, first, False)))
    ws.title = title[:31] or "Sheet1"
    width = len(p.layout.get("header", [])) or 1
    n_pre = len(p.layout.get("preamble", []))
    # Row numbers are counted here: openpyxl's max_row scans every cell, which is quadratic.
    for i, row in enumerate(rows_of(p, statements, numeric), start=1):
        ws.append(row)
        for j, v in enumerate(row, start=1):
            if isinstance(v, str) and v.startswith("="):
                ws.cell(i, j).data_type = "s"  # text, not a formula
        if i <= n_pre and sum(1 for v in row if v != "") == 1 and row and row[0] != "" and width > 1:
            ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
