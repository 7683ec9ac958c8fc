"""Statement facts from the lines above the header: own account, account name, period, balances.

Banks write a label and its value in three ways, all handled: in separate cells (CCB `账　　号 |
<acct>`, the value being the next non-empty cell to the right), in one cell (`账号: 23-…`, ABC), or
as several `label：value` lines inside one merged cell (四川农信), mixing ASCII and full-width
colons. Labels are compared after `header.norm`, so U+3000 padding and [English glosses] vanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from parsers.tabular.header import norm
from parsers.tabular.profile import Profile
from parsers.tabular.values import clean_account, parse_date
from reconcile.errors import ParseError
from reconcile.money import to_fen

_COLON = re.compile(r"[:：]")
_DATE_IN = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class Preamble:
    own_account: str = ""
    account_name: str = ""
    period_start: date | None = None
    period_end: date | None = None
    opening_fen: int | None = None
    closing_fen: int | None = None
    currency: str = ""


def _pairs(row: list[str]) -> list[tuple[str, str]]:
    """(label, value) candidates of one row, in all three spellings."""
    out: list[tuple[str, str]] = []
    cells = [c.strip() for c in row]
    for j, cell in enumerate(cells):
        if not cell:
            continue
        nxt = next((c for c in cells[j + 1 :] if c), "")
        if "\n" in cell:
            for part in cell.splitlines():
                bits = _COLON.split(part, maxsplit=1)
                if len(bits) == 2:
                    out.append((bits[0], bits[1]))
            continue
        bits = _COLON.split(cell, maxsplit=1)
        if len(bits) == 2 and bits[1].strip():
            out.append((bits[0], bits[1]))
        out.append((cell, nxt))
    return out


def period_of(text: str) -> tuple[date | None, date | None]:
    """Both ends of a period written as '20240301-20240331', '2024-03-01至2024-03-31', ..."""
    found = []
    for m in _DATE_IN.finditer(text):
        try:
            found.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    if len(found) >= 2:
        return found[0], found[1]
    return None, None


def scan(rows: list[list[str]], p: Profile, where: str = "") -> Preamble:
    """Read the preamble rows with the profile's label synonyms; unknown labels are ignored."""
    wanted = {norm(lbl): key for key, labels in p.preamble.items() for lbl in labels}
    if not wanted:
        return Preamble()
    got: dict[str, str] = {}
    for row in rows:
        for label, value in _pairs(row):
            key = wanted.get(norm(label))
            # An empty value must not borrow the next label ('期初余额 | | 当前余额 | 5.00').
            if key and key not in got and value.strip() and norm(_COLON.split(value)[0]) not in wanted:
                got[key] = value.strip()
    start = end = None
    if "period" in got:
        start, end = period_of(got["period"])
    if "period_start" in got:
        start = parse_date(got["period_start"], p.date_order) or start
    if "period_end" in got:
        end = parse_date(got["period_end"], p.date_order) or end
    if start and end and start > end:
        raise ParseError(key="period.reversed", values={"start": start, "end": end}, where=where)

    def fen(key: str) -> int | None:
        if key not in got:
            return None
        try:
            return to_fen(got[key], decimal=p.decimal)
        except ParseError as exc:
            raise ParseError(key="tabular.preamble", values={"name": key, "zh": exc.text("zh"), "en": exc.text("en")},
                             where=where) from None

    return Preamble(
        own_account=clean_account(got.get("own_account", "")),
        account_name=got.get("account_name", ""),
        period_start=start,
        period_end=end,
        opening_fen=fen("opening"),
        closing_fen=fen("closing"),
        currency=got.get("currency", ""),
    )
