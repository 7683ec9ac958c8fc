"""ISO 20022 camt.052 (account report), camt.053 (statement) and camt.054 (notification).

`FORMAT` is the format object the registry dispatches to (see parsers/base.py). Reading streams
(reader.py), the entry mapping is in entry.py, writing in writer.py.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from datetime import datetime

from parsers.base import ReadContext
from parsers.camt import reader, writer
from parsers.camt.schema import NS_BYTES_RE
from reconcile.model import Statement


class CamtFormat:
    name = "camt"

    def sniff(self, head: bytes) -> bool:
        """camt XML: markup first, and the camt.052/053/054 namespace in the leading bytes."""
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            enc = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
            head = head[2:].decode(enc, errors="ignore").encode("utf-8")
        body = head.removeprefix(codecs.BOM_UTF8).lstrip()
        return body.startswith(b"<") and NS_BYTES_RE.search(body) is not None

    def read(self, data: bytes, ctx: ReadContext) -> list[Statement]:
        return reader.read(data, ctx)

    def write(
        self,
        statements: Sequence[Statement],
        *,
        version: str = "001.08",
        message: str = "053",
        created: datetime | None = None,
    ) -> bytes:
        return writer.write(statements, version=version, message=message, created=created)


FORMAT = CamtFormat()

__all__ = ["FORMAT", "CamtFormat"]
