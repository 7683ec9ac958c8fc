"""Which format a file is, decided by its content; and reading a file with the right parser.

The order matters: containers (ZIP) first, then the formats with unmistakable markers (camt XML,
OFX, MT940), and the tabular reader last, since almost anything is text.
"""

from __future__ import annotations

import re

from parsers import camt, mt940, ofx, tabular, zipped
from parsers.base import Format, ReadContext
from parsers.ranges import check_dates
from reconcile.errors import ParseError
from reconcile.model import Statement
from reconcile.money import fen_limit

FORMATS: tuple[Format, ...] = (camt.FORMAT, ofx.FORMAT, mt940.FORMAT, tabular.FORMAT)
SNIFF_BYTES = 64 * 1024


def detect(head: bytes) -> Format | None:
    """The first format whose sniffer accepts these leading bytes, or None."""
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    return None


_FIRST_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_CFB = b"\xd0\xcf\x11\xe0"  # a BIFF .xls (compound file): its end is not marked


def looks_cut_short(data: bytes) -> bool:
    """Whether the bytes stop before their format's end, as a file still being written does: a ZIP
    (or XLSX) without its end record, an XML or HTML document whose first element is not closed
    near the end, a text file (no NUL byte at its start) whose last line has no line end."""
    if not data or data.startswith(_CFB):
        return False
    if zipped.is_zip(data[:8]):
        return b"PK\x05\x06" not in data[-65_557:]
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        first = _FIRST_TAG.search(head)
        tail = data[-4096:].rstrip()
        if first is None:
            return not tail.endswith(b">")
        root = first.group(1)
        return b"</" + root not in tail and not (tail.endswith(b"/>") and data.count(b"<" + root) == 1)
    if b"\x00" in head:
        return False  # not text (binary, or UTF-16): nothing says where its end should be
    return not data.endswith((b"\n", b"\r"))


def read_bytes(data: bytes, ctx: ReadContext) -> list[Statement]:
    """Every statement in one file's bytes, its amounts within `limits.max_line_fen` and its dates
    in range (`parsers.ranges`). Raises `ParseError` naming the file."""
    try:
        with fen_limit(ctx.limits.max_line_fen):
            if zipped.is_zip(data[:8]) and not zipped.is_office_document(data):
                return [st for name, member in zipped.members(data, ctx) for st in _read_one(member, ctx, name)]
            return _read_one(data, ctx, "")
    except ParseError as exc:
        raise exc.located(ctx.file_name) from None


def _read_one(data: bytes, ctx: ReadContext, member: str) -> list[Statement]:
    fmt = detect(data[:SNIFF_BYTES])
    if fmt is None:
        key = "not_statement_member" if member else "not_statement"
        raise ParseError(key=key, values={"member": member}, where=member)
    return check_dates(fmt.read(data, ctx), ctx)
