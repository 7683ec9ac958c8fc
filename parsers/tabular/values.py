"""Cell-level conversions shared by the preamble and the rows: dates, account numbers, currency.

Dates are parsed by shape, not by a list of strptime formats, because one bank writes the same
column as `2024-03-01`, `2024/3/1 09:00`, `20240301 09:30:12` or an Excel serial depending on the
channel. Only the day/month order of non-ISO dates is a profile choice (`[dates] order`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[\sT_]|\d{1,2}:)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:$|[\sT_]|\d{6}$)")
_SHORT = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:$|[\sT_,])")
_SERIAL = re.compile(r"([2-7]\d{4})(?:\.\d+)?")
_DATEISH = re.compile(r"\d{1,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]|\d{8}(?:$|\D)|[2-7]\d{4}(?:\.\d+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 once the 1900 leap-year bug is accounted for
_ACCOUNT_JUNK = str.maketrans("", "", " \t\r\n\u3000\u00a0\"'=")


@lru_cache(maxsize=8192)
def parse_date(text: str, order: str = "ymd") -> date | None:
    """The date a cell starts with, or None when it does not hold one (see `looks_like_date`)."""
    s = text.strip().lstrip("'\t")
    try:
        m = _YMD.match(s + " ")
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _COMPACT.match(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _SHORT.match(s + " ")
        if m and order in ("dmy", "mdy"):
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            if y < 100:
                y += 2000  # two-digit years in the exports seen are all 20xx (Sparkasse, DKB)
            return date(y, b, a) if order == "dmy" else date(y, a, b)
        m = _SERIAL.fullmatch(s)
        if m:
            return _EXCEL_EPOCH + timedelta(days=int(m[1]))
    except ValueError:
        return None
    return None


def looks_like_date(text: str) -> bool:
    """Whether a cell is shaped like a date: such a cell that does not parse is an error, while a
    cell of another shape (合计, '5 收 91,007,497.02', blank) marks a footer or summary row."""
    return _DATEISH.match(text.strip().lstrip("'\t")) is not None


def clean_account(text: str) -> str:
    """An account number without the tabs, quotes, apostrophes and `=` exports wrap it in."""
    return text.translate(_ACCOUNT_JUNK)


def currency_code(text: str, mapping: dict[str, str], default: str) -> str:
    """ISO code for a currency cell (人民币元 -> CNY); unknown words are kept as written."""
    s = text.strip()
    if not s:
        return default
    return mapping.get(s, mapping.get(s.upper(), s.upper() if s.isascii() else s))
