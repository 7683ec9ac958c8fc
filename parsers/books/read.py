"""Reading a bank journal export (银行存款日记账) with the profiles of `mappings/books/`.

Bytes -> sheets of text cells (the tabular reader's `grid`: CSV in any of the encodings Chinese
software writes, XLS, XLSX) -> the header row, found by content under a title block that says it is
a journal (日记账) -> the title's facts -> entries. Summary rows are recognised by their 摘要: the
opening balance (期初余额, 上年结转, 承前页) is kept; 本日合计, 本月合计 and 本年累计 are checked
against the entries above them and their running balance. Every entry's running balance must follow
from the one before: a journal that does not add up is refused, naming the row, rather than read
wrong. One journal per sheet that has a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from parsers.books import title as titles
from parsers.books.profile import BookProfile, load_profiles
from parsers.tabular import grid
from parsers.tabular.header import norm
from parsers.tabular.values import parse_date
from reconcile.book.records import Journal, JournalEntry
from reconcile.errors import ParseError
from reconcile.money import format_yuan, to_fen

SCAN_ROWS = 40
_SHORT = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_BLANK_AMOUNTS = {"", "-", "--", "—"}


@dataclass(frozen=True)
class Header:
    profile: BookProfile
    row: int
    cols: dict[str, int]
    score: int


def find_header(rows: list[list[str]], profiles: list[BookProfile]) -> Header | None:
    """The best (profile, row) among the first rows: every required name present, and a title word
    (日记账) somewhere above it."""
    best: Header | None = None
    above = ""
    for i, row in enumerate(rows[:SCAN_ROWS]):
        names = [norm(c) for c in row]
        present = set(names)
        for p in profiles:
            if not all(norm(r) in present for r in p.required):
                continue
            if not any(w in above for w in p.title_words):
                continue
            cols: dict[str, int] = {}
            for f, syns in p.columns.items():
                j = next((names.index(norm(s)) for s in syns if norm(s) in present), None)
                if j is not None:
                    cols[f] = j
            dated = "date" in cols or {"month", "day"} <= cols.keys()
            priced = {"debit", "credit"} <= cols.keys() or {"amount", "direction"} <= cols.keys()
            score = 100 * len(p.required) + len(cols)
            if dated and priced and (best is None or score > best.score):
                best = Header(p, i, cols, score)
        above += "\n" + "\t".join(row)
    return best


def expected_text(profiles: list[BookProfile]) -> str:
    return "; ".join(f"{p.name}: {', '.join(p.required)}" for p in profiles)


def read(data: bytes, file_name: str = "", books_dir: Path | None = None) -> list[Journal]:
    """Every journal in a file. Raises `ParseError` naming the file, the row and what was expected."""
    profiles = list(load_profiles(books_dir).values())
    try:
        sheets = grid.read_sheets(data)
        out = []
        for sheet in sheets:
            h = find_header(sheet.rows, profiles)
            if h is not None:
                out.append(_Reader(sheet, h).journal())
        if not out:
            raise ParseError(key="books.no_header", values={"expected": expected_text(profiles)})
        return out
    except ParseError as exc:
        raise exc.located(file_name) from None


class _Reader:
    def __init__(self, sheet: grid.Sheet, h: Header) -> None:
        self.sheet, self.h, self.p = sheet, h, h.profile
        self.title = titles.scan(sheet.rows[: h.row], self.p)
        self.words = {k: tuple(norm(w) for w in v) for k, v in self.p.rows.items()}

    def cell(self, row: list[str], f: str) -> str:
        j = self.h.cols.get(f)
        return row[j].strip() if j is not None and j < len(row) else ""

    def fail(self, i: int, key: str, **values: object) -> ParseError:
        """The refusal `parse.books.<key>` at row `i`."""
        return ParseError(key=f"books.{key}", values=values, where=self.sheet.where(i))

    def kind_of(self, row: list[str]) -> str:
        """`entry`, or the summary row kind its 摘要 (or first non-empty cell) names."""
        texts = [norm(self.cell(row, "text")), norm(next((c for c in row if c.strip()), ""))]
        for kind, words in self.words.items():
            if any(t.startswith(w) for t in texts if t for w in words):
                return kind
        return "entry"

    def money(self, text: str, i: int, what: str) -> int:
        t = text.replace("，", ",")
        if t in _BLANK_AMOUNTS:
            return 0
        try:
            return to_fen(t, where=f"{self.sheet.where(i)}: {what}")
        except ParseError as exc:
            raise self.fail(i, "money", what=what, zh=exc.text("zh"), en=exc.text("en")) from None

    def year_for(self, month: int, i: int) -> int:
        t = self.title
        if t.period_start and t.period_end:
            if t.period_start.year == t.period_end.year or month >= t.period_start.month:
                return t.period_start.year
            return t.period_end.year
        if t.year:
            return t.year
        raise self.fail(i, "no_year")

    def date_of(self, row: list[str], i: int, previous: date | None) -> date | None:
        if "date" in self.h.cols:
            text = self.cell(row, "date")
            if not text:
                return previous
            d = parse_date(text)
            if d is not None:
                return d
            m = _SHORT.fullmatch(text)
            if not m:
                raise self.fail(i, "date", found=text)
            month, day = int(m.group(1)), int(m.group(2))
        else:
            mt, dt = self.cell(row, "month"), self.cell(row, "day")
            if not mt and not dt:
                return previous
            if not (mt.isdigit() and dt.isdigit()):
                raise self.fail(i, "month_day", month=mt, day=dt)
            month, day = int(mt), int(dt)
        try:
            return date(self.year_for(month, i), month, day)
        except ValueError:
            raise self.fail(i, "not_a_date", month=month, day=day) from None

    def amount(self, row: list[str], i: int) -> int:
        cols = self.h.cols
        if "debit" in cols and "credit" in cols:
            debit = self.money(self.cell(row, "debit"), i, "借方")
            credit = self.money(self.cell(row, "credit"), i, "贷方")
            if debit and credit:
                raise self.fail(i, "both_sides", debit=format_yuan(debit), credit=format_yuan(credit))
            return debit - credit
        value = self.money(self.cell(row, "amount"), i, "金额")
        word = self.cell(row, "direction")
        if word in self.p.in_words:
            return value
        if word in self.p.out_words:
            return -value
        if not value:
            return 0
        raise self.fail(i, "direction", expected=", ".join(self.p.in_words + self.p.out_words), found=word)

    def balance(self, row: list[str], i: int) -> int | None:
        text = self.cell(row, "balance")
        word = self.cell(row, "balance_direction")
        if word and word in self.p.flat_words:
            return 0
        if text in _BLANK_AMOUNTS:
            return None
        value = self.money(text, i, "余额")
        return -value if word and word in self.p.out_words else value

    def journal(self) -> Journal:
        rows = self.sheet.rows
        t = self.title
        opening: int | None = None
        running: int | None = None
        entries: list[JournalEntry] = []
        day_in = day_out = period_in = period_out = year_in = year_out = 0
        last: date | None = None
        for i in range(self.h.row + 1, len(rows)):
            row = rows[i]
            if not any(c.strip() for c in row):
                continue
            kind = self.kind_of(row)
            if kind == "opening":
                bal = self.balance(row, i)
                if bal is None:
                    raise self.fail(i, "no_opening")
                if entries:
                    self.check_balance(i, running, bal)
                else:
                    opening = running = bal
                continue
            if kind in ("day_total", "period_total", "year_total"):
                totals = {"day_total": (day_in, day_out), "period_total": (period_in, period_out),
                          "year_total": (year_in, year_out)}[kind]
                self.check_totals(row, i, kind, totals, year_ok=bool(t.period_start and t.period_start.month == 1))
                bal = self.balance(row, i)
                if bal is not None:
                    self.check_balance(i, running, bal)
                if kind == "day_total":
                    day_in = day_out = 0
                elif kind == "period_total":
                    period_in = period_out = day_in = day_out = 0
                continue
            if kind == "other":
                continue
            day = self.date_of(row, i, last)
            if day is None:
                raise self.fail(i, "first_undated")
            if t.period_start and t.period_end and not t.period_start <= day <= t.period_end:
                raise self.fail(i, "outside", day=day.isoformat(), start=t.period_start.isoformat(),
                                end=t.period_end.isoformat())
            if last is not None and day != last:
                day_in = day_out = 0
            last = day
            amount = self.amount(row, i)
            bal = self.balance(row, i)
            if amount == 0:
                raise self.fail(i, "no_amount")
            if running is None and bal is not None:
                opening = bal - amount
                running = opening
            if running is not None:
                running += amount
                if bal is not None:
                    self.check_balance(i, running, bal)
            if amount > 0:
                day_in, period_in, year_in = day_in + amount, period_in + amount, year_in + amount
            else:
                day_out, period_out, year_out = day_out - amount, period_out - amount, year_out - amount
            entries.append(JournalEntry(day, amount, self.cell(row, "voucher"), self.cell(row, "text"),
                                        self.cell(row, "counterparty"), self.cell(row, "settlement"), bal,
                                        self.sheet.where(i)))
        if opening is None:
            raise self.fail(self.h.row, "no_balance")
        return Journal(subject=t.subject, account=t.account, unit=t.unit, period_start=t.period_start,
                       period_end=t.period_end, opening_fen=opening, entries=tuple(entries),
                       format=f"book:{self.p.name}", source=self.sheet.where(self.h.row))

    def check_balance(self, i: int, expected: int | None, found: int) -> None:
        if expected is not None and expected != found:
            raise self.fail(i, "balance", found=format_yuan(found), expected=format_yuan(expected))

    def check_totals(self, row: list[str], i: int, kind: str, totals: tuple[int, int], *, year_ok: bool) -> None:
        if kind == "year_total" and not year_ok:
            return  # 本年累计 includes months this file does not hold
        cols = self.h.cols
        if "debit" not in cols or "credit" not in cols:
            return
        got = (self.money(self.cell(row, "debit"), i, "借方"), self.money(self.cell(row, "credit"), i, "贷方"))
        if got != totals:
            label = {"day_total": "本日合计", "period_total": "本月合计", "year_total": "本年累计"}[kind]
            raise self.fail(i, "totals", label=label, debit=format_yuan(got[0]), credit=format_yuan(got[1]),
                            sum_debit=format_yuan(totals[0]), sum_credit=format_yuan(totals[1]))
