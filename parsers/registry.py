"""Which format a file is, decided by its content; and reading a file with the right parser.

The order matters: containers (ZIP) first, then the formats with unmistakable markers (camt XML,
OFX, MT940), and the tabular reader last, since almost anything is text.
"""

from __future__ import annotations

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
    where = f" (ZIP member {member})" if member else ""
    if fmt is None:
        raise ParseError(
            f"not a statement{where}: expected camt XML, OFX, MT940, CSV/TSV or an Excel sheet",
            where=member,
        )
    return check_dates(fmt.read(data, ctx), ctx)
