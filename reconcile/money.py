"""Money is integer fen (分). This module is the one place where amount text becomes fen.

Every parser passes the raw text of an amount here; it goes through `Decimal`, never through a
float, and comes out as an `int`. An amount with non-zero digits beyond the fen is refused: the
pooled funds are kept in yuan and fen, so such an amount means the file is not what it claims.

Amounts are bounded: one amount above the limit (config `limits.max_line_fen`, 10^13 fen = 1,000
亿 yuan by default) is refused naming its place, so that `1e20` or an account number shifted into
an amount column never reaches the database (whose integers end at 2^63 - 1) and the sums of many
lines stay far inside it. The limit in force is set per read with `fen_limit` (a context variable:
the parsers need not carry it); `STORE_MAX_FEN` is what the database itself can hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from reconcile.errors import AmountError, StoreError

FEN_PER_YUAN = 100
MAX_LINE_FEN = 10**13  # the default bound on one amount (1,000 亿 yuan)
STORE_MAX_FEN = 2**63 - 1  # the largest integer a BIGINT column (PostgreSQL, SQLite) holds
_LIMIT: ContextVar[int] = ContextVar("max_line_fen", default=MAX_LINE_FEN)
# A thousands separator must group by three: '12,34.5' could be 12.345 or 1,234.5 and is refused.
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_STRIP = str.maketrans("", "", " \t\r\n\u3000\u00a0\u202f'\"¥￥$€£+")
_PLAIN = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
_OTHER_MARK = {".": ",", ",": "."}
# The string fast path's longest text: the limit's 13 digits of fen with a sign and a grouping mark
# every three digits fit in it; a longer text (even one of thousands of digits, which `int()` would
# refuse with a ValueError) takes the checked paths, which bound it.
_FAST_LEN = 24
_FAST = {
    ".": re.compile(r"\s*(-?)(\d{1,17}|\d{1,3}(?:,\d{3}){1,5})(?:\.(\d{0,2}))?\s*"),
    ",": re.compile(r"\s*(-?)(\d{1,17}|\d{1,3}(?:\.\d{3}){1,5})(?:,(\d{0,2}))?\s*"),
}
# What `to_fen`'s string fast path takes, as one expression a mark: at most _FAST_LEN characters, an
# optional '-', ASCII digits plain or grouped by three with the other mark, the mark, two digits.
_COLUMN = {
    ".": re.compile(rf"(?!.{{{_FAST_LEN + 1}}})-?(?:[0-9]+|[0-9]{{1,3}}(?:,[0-9]{{3}})+)\.[0-9][0-9]"),
    ",": re.compile(rf"(?!.{{{_FAST_LEN + 1}}})-?(?:[0-9]+|[0-9]{{1,3}}(?:\.[0-9]{{3}})+),[0-9][0-9]"),
}


@contextmanager
def fen_limit(limit: int) -> Iterator[None]:
    """Within the block, `to_fen` refuses amounts above `limit` fen (in absolute value)."""
    token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _LIMIT.reset(token)


def current_limit() -> int:
    return _LIMIT.get()


def to_fen(text: str, *, decimal: str = ".", where: str = "") -> int:
    """Turn amount text into signed fen.

    `decimal` is the decimal mark of the layout ("." for Chinese banks and ISO 20022, "," for
    SWIFT MT940 and much of Europe); the other mark is taken as a thousands separator. Accepts
    padding, currency signs, an explicit "+", a trailing "-" or "CR"/"DR" are not accepted: the
    sign conventions belong to the parser. A thousands separator that does not group by three
    ('12,34.5') is refused as ambiguous, and so is an amount above the limit (`fen_limit`).
    Raises `AmountError` naming `where`.
    """
    if 3 < len(text) <= _FAST_LEN and text[-3] == decimal and decimal in _OTHER_MARK and text.isascii():
        # The commonest texts of all, "1234.56", "-1234.56" and "12,345.67" (ASCII digits, two
        # decimals, a grouping by three, nothing else), by string tests alone: the digits without
        # the marks are the fen. Anything else takes the paths below.
        head, tail = text[:-3], text[-2:]
        digits = head[1:] if head[:1] == "-" else head
        if not digits.isdigit():
            # Grouped: the first mark after one to three digits, then a mark every four places.
            mark = _OTHER_MARK[decimal]
            first, n = digits.find(mark), digits.count(mark)
            if not 0 < first < 4 or len(digits) != first + 4 * n or digits[first::4] != mark * n:
                return _checked_fen(text, decimal, where)
            head = head.replace(mark, "")
            if not (head[1:] if head[:1] == "-" else head).isdigit():
                return _checked_fen(text, decimal, where)
        if tail.isdigit():
            fen = int(head + tail)
            limit = _LIMIT.get()
            if -limit <= fen <= limit:
                return fen
            return _bounded(fen, text, where)
    return _checked_fen(text, decimal, where)


def to_fens(texts: Iterable[str], decimal: str = ".") -> dict[str, int]:
    """Many amount texts at once (the distinct cells of a column): each text `to_fen` takes, with
    its fen; a text it refuses is left out (the caller words the refusal with `to_fen` where it
    names the cell). The texts of `to_fen`'s string fast path are told by one regular expression
    and converted in C loops (the digits without the marks), without a Python call a text; the
    rest go through `to_fen` one by one."""
    todo = set(texts)
    out: dict[str, int] = {}
    pattern = _COLUMN.get(decimal)
    if pattern is not None:
        fast = list(filter(pattern.fullmatch, todo))
        # The marks taken out of all the texts at once: joined by a line end (no text the pattern
        # takes holds one), replaced in two passes and split again, not two `replace` a text.
        bare = "\n".join(fast).replace(decimal, "").replace(_OTHER_MARK[decimal], "").split("\n") if fast else []
        out = dict(zip(fast, map(int, bare), strict=True))
        limit = _LIMIT.get()
        if out and (max(out.values()) > limit or min(out.values()) < -limit):
            out = {s: fen for s, fen in out.items() if -limit <= fen <= limit}  # the rest: refused below
        todo.difference_update(out)
    for s in todo:
        with suppress(AmountError):
            out[s] = to_fen(s, decimal=decimal)
    return out


def _checked_fen(text: str, decimal: str, where: str) -> int:
    """`to_fen` without its string fast path: a regular expression for the plain forms, else `Decimal`."""
    fast = _FAST.get(decimal)
    m = fast.fullmatch(text) if fast is not None else None
    if m is not None:
        # The common case, "-1234.56" with at most two decimals, in integer arithmetic: the same
        # exact result as the Decimal path at a fraction of its cost (parsers call this per line).
        sign, whole, frac = m.groups()
        if len(whole) > 3 and not whole.isdigit():
            whole = whole.replace(",", "").replace(".", "")
        quick = int(whole) * FEN_PER_YUAN + (int(frac.ljust(2, "0")) if frac else 0)
        return _bounded(-quick if sign else quick, text, where)
    return _decimal_fen(text, decimal, where)


def _decimal_fen(text: str, decimal: str, where: str) -> int:
    """The reference path: amount text through `Decimal` (every other path must agree with it)."""
    raw = text
    s = text.translate(_STRIP)
    # The other mark is a thousands separator, and must group by three to be one.
    if decimal == ",":
        s = s.replace(".", "\0").replace(",", ".").replace("\0", ",")
    if "," in s:
        bare = s[1:-1] if s.startswith("(") and s.endswith(")") else s
        if not _GROUPED.fullmatch(bare):
            raise AmountError(key="amount.grouping", values={"found": raw.strip()}, where=where)
        s = s.replace(",", "")
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
    return _bounded(int(fen), raw, where)


def _bounded(fen: int, raw: str, where: str) -> int:
    limit = _LIMIT.get()
    if -limit <= fen <= limit:
        return fen
    raise AmountError(key="amount.limit", values={"found": raw.strip()[:40], "limit": format_yuan(limit)}, where=where)


def check_stored(fen: int | None, what: str) -> int | None:
    """A figure about to be stored (a sum the engine made in Python integers, which never overflow),
    checked against what the database holds: a `StoreError` naming it rather than an
    `OverflowError` (SQLite) or "bigint out of range" with the SQL (PostgreSQL)."""
    if fen is None or -STORE_MAX_FEN <= fen <= STORE_MAX_FEN:
        return fen
    raise StoreError(f"{what}: {fen} fen is beyond what the database holds (±{STORE_MAX_FEN}); nothing was stored")


def check_stored_rows(rows: Sequence[Mapping[str, object]], table: str) -> None:
    """`check_stored` on every money figure (`*_fen`, `fen_days`) of rows about to be inserted (the
    message made only for a figure beyond the bounds: thousands of rows a night)."""
    for i, row in enumerate(rows):
        for key, value in row.items():
            if (isinstance(value, int) and not -STORE_MAX_FEN <= value <= STORE_MAX_FEN
                    and (key.endswith("_fen") or key.endswith("fen_days"))):
                check_stored(value, f"{table} row {i + 1} {key} ({row.get('account') or row.get('entity') or ''})")


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
