"""The title block of a journal export: 科目, 期间, 账号, 单位 and the year, from the rows above the
header. Labels and values sit in separate cells (`科目 | 100201 …`) or in one cell (`科目：100201 …`),
with ASCII or full-width colons. Periods are written many ways; all of these are read:
`2008年1月`, `2008.01`, `2008.01-2008.03`, `2008年第1期`, `2008-01-01至2008-01-31`.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

from parsers.books.profile import BookProfile
from parsers.tabular.header import norm
from parsers.tabular.values import clean_account

_COLON = re.compile(r"[:：]")
_TOKENS = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"  # a full date
    r"|(?P<fy>\d{4})\s*年?\s*第\s*(?P<fp>\d{1,2})\s*期"  # a fiscal period: 2008年第1期
    r"|(?P<my>\d{4})\s*[-/.年]\s*(?P<mm>\d{1,2})\s*月?(?!\d)"  # a year and month
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年?(?!\d)")


@dataclass(frozen=True)
class Title:
    subject: str = ""
    account: str = ""
    unit: str = ""
    period_start: date | None = None
    period_end: date | None = None
    year: int | None = None  # a year the title states (年度, or a lone "2008年" cell)


def _month_end(y: int, m: int) -> date:
    return date(y, m, _cal.monthrange(y, m)[1])


def period_of(text: str) -> tuple[date, date] | None:
    """The first and last day of the period a text names, or None."""
    spans: list[tuple[date, date]] = []
    for m in _TOKENS.finditer(text):
        try:
            if m.group("y"):
                d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                spans.append((d, d))
            elif m.group("fy"):
                y, p = int(m.group("fy")), int(m.group("fp"))
                spans.append((date(y, p, 1), _month_end(y, p)))
            else:
                y, mo = int(m.group("my")), int(m.group("mm"))
                spans.append((date(y, mo, 1), _month_end(y, mo)))
        except ValueError:
            continue
    if not spans:
        return None
    start, end = spans[0][0], spans[-1][1] if len(spans) > 1 else spans[0][1]
    return (start, end) if start <= end else None


def _pairs(row: list[str]) -> list[tuple[str, str]]:
    cells = [c.strip() for c in row]
    out: list[tuple[str, str]] = []
    for j, cell in enumerate(cells):
        if not cell:
            continue
        bits = _COLON.split(cell, maxsplit=1)
        if len(bits) == 2 and bits[1].strip():
            out.append((bits[0], bits[1].strip()))
        nxt = next((c for c in cells[j + 1 :] if c), "")
        out.append((_COLON.split(cell, maxsplit=1)[0], nxt))
    return out


def scan(rows: list[list[str]], p: BookProfile) -> Title:
    wanted = {norm(label): key for key, labels in p.title.items() for label in labels}
    got: dict[str, str] = {}
    year: int | None = None
    for row in rows:
        for label, value in _pairs(row):
            key = wanted.get(norm(label))
            if key and key not in got and value and norm(_COLON.split(value)[0]) not in wanted:
                got[key] = value
        for cell in row:
            m = _YEAR.fullmatch(cell.strip())
            if m and year is None:
                year = int(m.group(1))
    period = period_of(got["period"]) if "period" in got else None
    if "year" in got:
        m = _YEAR.search(got["year"])
        year = int(m.group(1)) if m else year
    return Title(
        subject=got.get("subject", ""), account=clean_account(got.get("account", "")), unit=got.get("unit", ""),
        period_start=period[0] if period else None, period_end=period[1] if period else None, year=year,
    )
