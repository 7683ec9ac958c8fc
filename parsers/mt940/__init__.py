"""SWIFT MT940 (customer statement) and MT942 (interim transaction report) as `Statement`s.

`FORMAT` is the module's entry for `parsers.registry`: `sniff` recognises the format by content,
`read` parses by the SWIFT field rules (see `reader`), `write` produces files the reader reads back
to the same statements (see `writer`).
"""

from __future__ import annotations

from collections.abc import Iterable

from parsers.base import ReadContext
from parsers.mt940 import reader, text, writer
from reconcile.errors import ParseError
from reconcile.model import Statement


class Mt940Format:
    name = "mt940"

    def sniff(self, head: bytes) -> bool:
        return text.sniff(head)

    def read(self, data: bytes, ctx: ReadContext) -> list[Statement]:
        try:
            return reader.read(data)
        except ParseError as exc:
            raise exc.located(ctx.file_name) from None

    def write(self, statements: Iterable[Statement], *, message: str = "940") -> bytes:
        return writer.write(statements, message=message)


FORMAT = Mt940Format()

__all__ = ["FORMAT", "Mt940Format"]
