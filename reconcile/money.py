"""Money is integer fen (分). This module is the one place where amount text becomes fen.

Every parser passes the raw text of an amount here; it goes through `Decimal`, never through a
float, and comes out as an `int`. An amount with non-zero digits beyond the fen is refused: the
pooled funds are kept in yuan and fen, so such an amount means the file is not what it claims.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from reconcile.errors import AmountError

FEN_PER_YUAN = 100
_STRIP = str.maketrans("", "", " \t\r\n\u3000\u00a0\u202f'\"¥￥$€£+")
_PLAIN = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_FAST = {
    ".": re.compile(r"\s*(-?)(\d{1,17}|\d{1,3}(?:,\d{3}){1,5})(?:\.(\d{0,2}))?\s*"),
    ",": re.compile(r"\s*(-?)(\d{1,17}|\d{1,3}(?:\.\d{3}){1,5})(?:,(\d{0,2}))?\s*"),
}


def to_fen(text: str, *, decimal: str = ".", where: str = "") -> int:
    """Turn amount text into signed fen.

    `decimal` is the decimal mark of the layout ("." for Chinese banks and ISO 20022, "," for
    SWIFT MT940 and much of Europe); the other mark is taken as a thousands separator. Accepts
    padding, currency signs, an explicit "+", a trailing "-" or "CR"/"DR" are not accepted: the
    sign conventions belong to the parser. Raises `AmountError` naming `where`.
    """
    fast = _FAST.get(decimal)
    m = fast.fullmatch(text) if fast is not None else None
    if m is not None:
        # The common case, "-1234.56" with at most two decimals, in integer arithmetic: the same
        # exact result as the Decimal path at a fraction of its cost (parsers call this per line).
        sign, whole, frac = m.groups()
        if len(whole) > 3 and not whole.isdigit():
            whole = whole.replace(",", "").replace(".", "")
        quick = int(whole) * FEN_PER_YUAN + (int(frac.ljust(2, "0")) if frac else 0)
        return -quick if sign else quick
    raw = text
    s = text.translate(_STRIP)
    # The other mark is a thousands separator.
    s = s.replace(".", "").replace(",", ".") if decimal == "," else s.replace(",", "")
    if s.startswith("(") and s.endswith(")"):  # accounting negative
        s = "-" + s[1:-1]
    if not _PLAIN.fullmatch(s):
        raise AmountError(key="amount.expected", values={"found": raw}, where=where)
    try:
        value = Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise AmountError(key="amount.expected", values={"found": raw}, where=where) from exc
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise AmountError(key="amount.beyond_fen", values={"found": raw.strip()}, where=where)
    return int(fen)


def format_yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals and thousands separators: 123456 -> '1,234.56'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan:,}.{cents:02d}"


def plain_yuan(fen: int) -> str:
    """Fen as a plain decimal string for files: 123456 -> '1234.56', -5 -> '-0.05'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan}.{cents:02d}"
