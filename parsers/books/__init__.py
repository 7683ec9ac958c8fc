"""Book journals (银行存款日记账) exported from the agencies' accounting software: recognised by
content (a 日记账 title above a header a profile in `mappings/books/` knows), read into
`reconcile.book.records.Journal`, and written back in the same layouts (for the simulator and the
round-trip tests). Modules: `profile` (loading profiles), `title` (the title block: 科目, 期间,
账号, 单位), `read` (the reader), `writer`, and `detect` here.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from pathlib import Path

from parsers.books.profile import BookProfile, load_profiles
from parsers.books.read import find_header, read
from parsers.books.writer import write
from parsers.tabular import grid, sniff

HEAD_BYTES = 16 * 1024


def detect(data: bytes, books_dir: Path | None = None) -> bool:
    """Whether these bytes are a journal export: a 日记账 title above a header some profile knows.
    Looks at the first rows only, so telling a journal from a statement costs little."""
    profiles = list(load_profiles(books_dir).values())
    if not profiles:
        return False
    k = sniff.kind(data[:8192])
    rows: list[list[str]] = []
    if k == "text":
        head = data[:HEAD_BYTES]
        if len(data) > len(head):
            head = head[: head.rfind(b"\n") + 1]
        try:
            text, _ = sniff.decode(head)
            if not _text_mentions(text, profiles):
                return False  # no title word in the head: no header can have one above it
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=grid.sniff_delimiter(text)))
        except (UnicodeDecodeError, csv.Error):
            return False
    elif k in ("xlsx", "xls"):
        words = {w for p in profiles for w in p.title_words}
        if k == "xlsx" and not _xlsx_mentions(data, words):
            return False  # no title word anywhere in its strings: not worth opening the workbook
        try:
            book = grid.open_workbook(data)
            for name in book.sheet_names[:4]:
                it = grid.workbook_sheet(book, name).iter_rows()
                rows = [[grid.cell_text(v) for v in row] for _, row in zip(range(40), it, strict=False)]
                if find_header(rows, profiles) is not None:
                    return True
            return False
        except BaseException as exc:  # not a workbook calamine can open (or a Rust panic in it)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return False
    return find_header(rows, profiles) is not None


def _text_mentions(text: str, profiles: list[BookProfile]) -> bool:
    """Whether a text head may hold a journal: some profile's title word in it, quotes aside (CSV
    drops them from a cell: '"日记"账' reads 日记账), or a title word CSV could spell apart (one
    with a quote, or with a tab or a line end, which `find_header` puts between cells). A cell's
    text is otherwise a piece of the head's text without its quotes, so a head without any title
    word has no header with one above it: camt, MT940 and CSV statements, nearly every text file,
    are told apart without sniffing a delimiter and splitting 16 KB into cells."""
    bare = text.replace('"', "") if '"' in text else text
    return any(w in bare or not _SPLIT_BY_CSV.isdisjoint(w) for p in profiles for w in p.title_words)


_SPLIT_BY_CSV = frozenset('"\t\r\n')


XLSX_SCAN_BYTES = 256 * 1024  # the title is in the first rows, so among the first strings


def _forms(word: str) -> list[bytes]:
    """A word as XML may spell it: UTF-8, or character references (openpyxl writes &#26085;)."""
    return [word.encode("utf-8"), "".join(f"&#{ord(c)};" for c in word).encode(),
            "".join(f"&#x{ord(c):x};" for c in word).encode(), "".join(f"&#x{ord(c):X};" for c in word).encode()]


def _xlsx_mentions(data: bytes, words: set[str]) -> bool:
    """Whether any word appears early in an XLSX's shared strings or in its first sheet's inline
    strings (bounded reads of the ZIP members: milliseconds for a year's statement workbook, against
    the 100 ms and more of opening it). When the container cannot be looked into, say yes and let
    the reader decide."""
    forms = [f for w in words for f in _forms(w)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            for member in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                if member in names:
                    with zf.open(member) as fh:
                        chunk = fh.read(XLSX_SCAN_BYTES)
                    if any(f in chunk for f in forms):
                        return True
            return False
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError,
            KeyError):  # a broken or encrypted container: the reader says what is wrong with it
        return True


__all__ = ["detect", "read", "write"]
