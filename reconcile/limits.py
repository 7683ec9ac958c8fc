"""The bounds that keep hostile input from costing unbounded time or memory: one record, read from
`[limits]` of `config.toml` (reconcile/config.py) and handed to every parser (parsers/base.py).

The file-size bound is checked in one place, where a file's bytes are read (`jobs/prepare.py`),
with the one sentence `parse.too_large` of the catalogue (`too_large` below).
"""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.errors import ParseError
from reconcile.money import MAX_LINE_FEN


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile input from costing unbounded time or memory."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_xml_bytes: int = 512 * 1024 * 1024
    ofxparse_max_bytes: int = 5 * 1024 * 1024  # above this OFX goes to the streaming reader
    zip_max_members: int = 1000
    zip_max_member_bytes: int = 256 * 1024 * 1024
    zip_max_total_bytes: int = 1024 * 1024 * 1024
    zip_max_ratio: int = 200  # uncompressed / compressed, per member
    reader_memory_bytes: int = 2 * 1024 * 1024 * 1024  # address space a file's reader may add (child process)
    reader_seconds: int = 300  # wall-clock time a file's reader may take (child process)
    max_line_fen: int = MAX_LINE_FEN  # one amount (line or balance) above this refuses the file (reconcile.money)

    def too_large(self, size: int) -> ParseError | None:
        """The refusal of a file of `size` bytes above `max_file_bytes`, or None when it may be read."""
        if size <= self.max_file_bytes:
            return None
        return ParseError(key="too_large", values={"size": size, "limit": self.max_file_bytes})
