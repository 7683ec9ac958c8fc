"""Tabular statements: CSV / TSV / XLS / XLSX and HTML saved as .xls, driven by bank profiles.

Every bank layout is data in `mappings/banks/*.toml` (schema: `mappings/banks/README.md`); this
package holds no bank names. Modules: `sniff` (container and encoding), `grid` (bytes -> string
cells), `profile` (loading profiles), `header` (finding the header row), `preamble` (facts above
it), `values` (dates, accounts, currencies), `rows` (rows -> lines), `read` (the pipeline) and
`writer` (the layout back, for the simulator and round-trip tests).
"""

from __future__ import annotations

from pathlib import Path

from parsers.base import ReadContext
from parsers.tabular import read as _read
from parsers.tabular import sniff as _sniff
from parsers.tabular import writer as _writer
from reconcile.model import Statement


class _Tabular:
    name = "tabular"

    def sniff(self, head: bytes) -> bool:
        return _sniff.looks_tabular(head)

    def read(self, data: bytes, ctx: ReadContext) -> list[Statement]:
        return _read.read(data, ctx)

    def write(
        self, statements: list[Statement], profile_name: str, *, banks_dir: Path | None = None, kind: str = ""
    ) -> bytes:
        return _writer.write(statements, profile_name, banks_dir=banks_dir, kind=kind)


FORMAT = _Tabular()
write = FORMAT.write

__all__ = ["FORMAT", "write"]
