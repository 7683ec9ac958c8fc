"""Writing a journal in the layout a profile describes: the simulator's cashier, and the other half
of the round-trip tests (write -> read -> the same journal).

`[layout]` gives the title line, the header in the software's column order, how the period and the
subject are written, whether 本日合计 / 本月合计 / 本年累计 rows follow, thousands separators, and
CSV (with its encoding) or XLSX. Running balances are computed from the opening balance, as the
software does; an entry's own `balance_fen` is not consulted.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from parsers.books.profile import BookProfile, load_profiles
from parsers.tabular.header import norm
from reconcile.book.records import Journal, JournalEntry
from reconcile.money import format_yuan, plain_yuan

Cell = str | int | Decimal | date
LABELS = {"subject": "科目", "period": "期间", "account": "账号", "unit": "单位"}


def _fields(p: BookProfile, header: list[str]) -> list[str]:
    by_name = {norm(s): f for f, syns in p.columns.items() for s in syns}
    return [by_name.get(norm(h), "") for h in header]


class _Rows:
    def __init__(self, p: BookProfile, header: list[str], xlsx: bool) -> None:
        self.p, self.header, self.fields, self.xlsx = p, header, _fields(p, header), xlsx
        self.thousands = bool(p.layout.get("thousands"))

    def money(self, fen: int) -> Cell:
        if not fen:
            return ""
        if self.xlsx:
            return Decimal(fen) / 100
        return format_yuan(fen) if self.thousands else plain_yuan(fen)

    def row(self, day: date | None, text: str, debit: int, credit: int, balance: int,
            e: JournalEntry | None = None) -> list[Cell]:
        out: list[Cell] = []
        for f in self.fields:
            v: Cell = ""
            if f == "date" and day is not None:
                v = day if self.xlsx else day.strftime(self.p.layout.get("date_format", "%Y-%m-%d"))
            elif f == "month" and day is not None:
                v = day.month if self.xlsx else str(day.month)
            elif f == "day" and day is not None:
                v = day.day if self.xlsx else str(day.day)
            elif f == "text":
                v = text
            elif f in ("voucher", "counterparty", "settlement") and e is not None:
                v = {"voucher": e.voucher, "counterparty": e.counterparty, "settlement": e.settlement_ref}[f]
            elif f == "debit":
                v = self.money(debit)
            elif f == "credit":
                v = self.money(credit)
            elif f == "amount":
                v = self.money(debit or credit)
            elif f == "direction" and (debit or credit):
                v = self.p.in_words[0] if debit else self.p.out_words[0]
            elif f == "balance_direction":
                v = self.p.flat_words[0] if balance == 0 else self.p.in_words[0] if balance > 0 else self.p.out_words[0]
            elif f == "balance":
                shown = abs(balance) if "balance_direction" in self.fields else balance
                v = self.money(shown) if shown else (Decimal(0) if self.xlsx else "0.00")
            out.append(v)
        return out


def _title_rows(p: BookProfile, j: Journal, width: int) -> list[list[Cell]]:
    labels = {**LABELS, **p.layout.get("labels", {})}
    cells = bool(p.layout.get("label_cells"))
    facts = []
    if j.subject:
        facts.append(("subject", j.subject))
    if j.period_start and j.period_end:
        fmt = p.layout.get("period_format", "{start:%Y-%m-%d}至{end:%Y-%m-%d}")
        facts.append(("period", fmt.format(start=j.period_start, end=j.period_end)))
    if j.account:
        facts.append(("account", j.account))
    if j.unit:
        facts.append(("unit", j.unit))
    rows: list[list[Cell]] = [[*p.layout.get("title", ["银行存款日记账"])]]
    for key, value in facts:
        row: list[Cell] = [labels[key], value] if cells else [f"{labels[key]}：{value}"]
        rows.append(row + [""] * max(0, width - len(row)))
    return rows


def write(journals: list[Journal], profile_name: str, *, books_dir: Path | None = None,
          header: list[str] | None = None, kind: str = "") -> bytes:
    """The journals in the profile's layout (one sheet each in XLSX; CSV holds the first)."""
    p = load_profiles(books_dir)[profile_name]
    kind = kind or p.layout.get("kind", "csv")
    head = list(header or p.layout["header"])
    sheets = [_grid(p, j, head, kind == "xlsx") for j in journals]
    if kind == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        first = wb.active
        assert first is not None
        wb.remove(first)
        for n, g in enumerate(sheets, start=1):
            ws = wb.create_sheet("日记账" if n == 1 else f"日记账{n}")
            for r in g:
                ws.append(r)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(sheets[0] if sheets else [])
    return text.getvalue().encode(p.layout.get("encoding", "utf-8"))


def _grid(p: BookProfile, j: Journal, head: list[str], xlsx: bool) -> list[list[Cell]]:
    r = _Rows(p, head, xlsx)
    lay = p.layout
    opening = j.opening_fen or 0
    out = _title_rows(p, j, len(head))
    out.append(list(head))
    opening_word = p.rows.get("opening", ("期初余额",))[0]
    out.append(r.row(j.period_start, opening_word, 0, 0, opening))
    balance = opening
    day_in = day_out = per_in = per_out = yr_in = yr_out = 0
    yearly = bool(lay.get("year_totals")) and j.period_start is not None and j.period_start.month == 1
    entries = list(j.entries)
    for k, e in enumerate(entries):
        balance += e.amount_fen
        debit, credit = max(e.amount_fen, 0), max(-e.amount_fen, 0)
        day_in, day_out, per_in, per_out = day_in + debit, day_out + credit, per_in + debit, per_out + credit
        yr_in, yr_out = yr_in + debit, yr_out + credit
        out.append(r.row(e.entry_date, e.text, debit, credit, balance, e))
        nxt = entries[k + 1].entry_date if k + 1 < len(entries) else None
        if lay.get("day_totals") and nxt != e.entry_date:
            out.append(r.row(None, p.rows["day_total"][0], day_in, day_out, balance))
            day_in = day_out = 0
        if nxt is None or (nxt.year, nxt.month) != (e.entry_date.year, e.entry_date.month):
            if lay.get("period_totals"):
                out.append(r.row(None, p.rows["period_total"][0], per_in, per_out, balance))
            if yearly:
                out.append(r.row(None, p.rows["year_total"][0], yr_in, yr_out, balance))
            per_in = per_out = day_in = day_out = 0
    if not entries and lay.get("period_totals"):
        out.append(r.row(None, p.rows["period_total"][0], 0, 0, balance))
    return out
