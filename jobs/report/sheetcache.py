"""The 调节表 workbook's account sheets kept from the month's last workbook (jobs.report.book), so
that a month written again (one account's statement changed since) draws up only the sheets whose
statement changed, and takes every other sheet's part of the file as it was written then.

A sheet's part is its cells as text (jobs.report.sheetxml), their styles given as indices into the
workbook's lists (fonts, borders, fills, alignments, protections and number formats, each object
listed where a sheet first used it; and the cells' styles, `cellXfs`, where a sheet written first
used them). A part taken from before is therefore the same bytes only where the lists are the same
as then, and where the sheet adds nothing to the lists that a later sheet would find there. So a
sheet is kept with:
- its content's key (its statement, its account's names, its sheet's name, the common key: the
  caller's);
- the digest of the first five lists and the number formats as they were when the sheet was drawn
  up (`F`), and of the cells' styles when it was written (`C`);
- the cells' styles it added when it was written (indices into the five lists, as ints).
A sheet that added to the first five lists when it was drawn up is not kept (drawn up every time:
the month's first sheets, a sheet with a look no sheet before had). A kept sheet is taken only
where its content's key and `F` are those of now (then it would add nothing: the lists go on as
they would) and, when it is written, `C` (then its styles are those indices, and the ones it added
are added again in the same order); where `C` differs it is drawn up then and written as any other.
The file is the one the workbook gives written whole (tests/report/test_book_sheets.py).

One file per month beside the month's workbook in the report cache (`sheets/<month>.json`), the
sheets of the month's last workbook only: bounded by the months reported, removed with them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles.cell_style import StyleArray

from jobs.report.files import atomic, make_folder

LISTS = ("_fonts", "_borders", "_fills", "_alignments", "_protections", "_number_formats")
Key = Callable[[object], object]  # a style object's fields, recursively (jobs.report.book._key)


class SheetCache:
    """The kept sheets of one month (`path`), read when made; `save` keeps the sheets of the
    workbook just written."""

    def __init__(self, path: Path, key: Key, common: str) -> None:
        self.path, self._key, self.common = path, key, common  # common: what every sheet's key holds
        try:
            self.old: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="ascii"))
        except (FileNotFoundError, ValueError):
            self.old = {}
        self.new: dict[str, dict[str, Any]] = {}
        self.taken = 0  # sheets whose part was taken from before
        self._f: tuple[tuple[int, ...], str] = ((), "")
        self._c: tuple[int, str] = (-1, "")

    def styles(self, wb: Any) -> str:
        """The digest of the workbook's five lists and number formats now (they only grow)."""
        sizes = _sizes(wb)
        if sizes != self._f[0]:
            self._f = (sizes, _digest([[self._key(v) for v in getattr(wb, n)] for n in LISTS]))
        return self._f[1]

    def cell_styles(self, wb: Any) -> str:
        size = len(wb._cell_styles)
        if size != self._c[0]:
            self._c = (size, _digest([tuple(s) for s in wb._cell_styles]))
        return self._c[1]

    def place(self, ws: Any, key: str, build: Callable[[], tuple[str | None, str]]) -> None:
        """Draw up the sheet `ws` (`build`: its print titles and area), or, where it was kept with
        the lists as they are now, leave it empty with its print titles and area, to be taken when
        written (`write`)."""
        wb = ws.parent
        f = self.styles(wb)
        entry = self.old.get(key)
        if entry is not None and entry["F"] == f:
            if entry["titles"] is not None:
                ws.print_title_rows = entry["titles"]
            ws.print_area = entry["area"]
            ws.kept = (key, entry, build)
            return
        sizes = _sizes(wb)
        titles, area = build()
        ws.kept = None
        ws.stub = ({"F": f, "titles": titles, "area": area}, key) if _sizes(wb) == sizes else None

    def write(self, ws: Any, xml: Callable[[], tuple[bytes, Any]]) -> tuple[bytes, Any]:
        """The sheet's part and its relationships: taken from before (`place`) where the cells'
        styles are as they were then; else written by `xml`, and kept when it added nothing to
        the five lists when drawn up."""
        wb = ws.parent
        c = self.cell_styles(wb)
        stub = getattr(ws, "stub", None)
        if getattr(ws, "kept", None) is not None:
            key, entry, build = ws.kept
            if entry["C"] == c:
                for s in entry["added"]:
                    wb._cell_styles.add(StyleArray(s))
                self.new[key] = entry
                self.taken += 1
                return entry["xml"].encode(), RelationshipList()
            titles, area = build()  # adds nothing to the five lists: its `F` is that of when it was placed
            stub = ({"F": entry["F"], "titles": titles, "area": area}, key)
        n = len(wb._cell_styles)
        text, rels = xml()
        if stub is not None and not rels:
            head, key = stub
            self.new[key] = {**head, "C": c, "added": [list(s) for s in wb._cell_styles[n:]],
                             "xml": text.decode()}
        return text, rels

    def save(self) -> None:
        make_folder(self.path.parent)
        with atomic(self.path, text=True, encoding="ascii") as f:
            f.write(json.dumps(self.new, separators=(",", ":")))


def _sizes(wb: Any) -> tuple[int, ...]:
    return tuple(len(getattr(wb, n)) for n in LISTS)


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


__all__ = ["SheetCache"]
