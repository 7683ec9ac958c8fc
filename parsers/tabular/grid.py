"""Bytes -> sheets of string cells: CSV/TSV (delimiter sniffed), XLS/XLSX (python-calamine, every
sheet), and HTML tables saved as `.xls`.

Every cell becomes `str` here so that the rest of the reader never sees a float. Numeric Excel
cells are turned into text with `excel_number_text`: the double is printed with 15 significant
digits (Excel's own display precision, which is how a bank's 1234567.89 was typed or computed)
and then written out in plain positional notation via `Decimal`. So 0.30000000000000004 (a float
artefact of a formula) reads as "0.3", 1e16 as "10000000000000000", and `to_fen` gets exactly the
decimal a person sees in Excel; amounts needing more than 15 significant digits cannot be stored
exactly in an Excel number cell anyway.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from parsers.tabular import sniff
from parsers.tabular.quoting import stray_quotes, unpad
from reconcile.departures import Departure
from reconcile.errors import ParseError

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_LINES = 60


@dataclass(frozen=True, slots=True)
class Sheet:
    """One grid of text cells. `lines[i]` is the 1-based physical line of row i (CSV only)."""

    name: str
    rows: list[list[str]]
    lines: list[int] | None = None
    encoding: str = ""
    notes: tuple[Departure, ...] = ()  # how the sheet's text departs from CSV (see quoting.py)

    def where(self, i: int) -> str:
        """Where row i sits, as a person finds it: "line N" in text, "sheet S row N" in a workbook."""
        if self.lines is not None:
            return f"line {self.lines[i]}"
        return f"sheet {self.name} row {i + 1}"


def excel_number_text(x: float) -> str:
    """A numeric cell as the decimal text Excel displays (see the module docstring)."""
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    return format(Decimal(format(x, ".15g")), "f")


def cell_text(v: object) -> str:
    """Any calamine cell value as text; dates in ISO form so the date parser needs one rule."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return excel_number_text(v)
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, timedelta):  # a duration cell: calamine's reading of some time-only cells
        secs = int(v.total_seconds())
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    return str(v)


@dataclass
class _Opened:
    """A workbook opened from `data`, and the sheets of it parsed so far (by name)."""

    data: bytes
    book: CalamineWorkbook
    sheets: dict[str, CalamineSheet] = field(default_factory=dict)


_SHARED: list[_Opened | None] = []  # inside `one_workbook`: the workbook last opened there, if any


@contextlib.contextmanager
def one_workbook() -> Iterator[None]:
    """Inside it, a workbook is opened from the same bytes once and each of its sheets parsed once,
    however many readers look at it: `jobs.prepare` asks the schedule detector, the journal detector
    and then a reader, and each opened an XLSX and parsed its first sheet again. What calamine
    refused is not kept (each reader that asks tries again, as before, and says what it says)."""
    _SHARED.append(None)
    try:
        yield
    finally:
        _SHARED.pop()


def open_workbook(data: bytes) -> CalamineWorkbook:
    """python-calamine's workbook of these bytes (raises whatever it raises)."""
    import python_calamine

    opened = _SHARED[-1] if _SHARED else None
    if opened is not None and opened.data is data:
        return opened.book
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    if _SHARED:
        _SHARED[-1] = _Opened(data, book)
    return book


def workbook_sheet(book: CalamineWorkbook, name: str) -> CalamineSheet:
    """The sheet `name` of a workbook from `open_workbook`, parsed (raises whatever calamine raises)."""
    opened = _SHARED[-1] if _SHARED else None
    if opened is None or opened.book is not book:
        return book.get_sheet_by_name(name)
    sheet = opened.sheets.get(name)
    if sheet is None:
        sheet = opened.sheets[name] = book.get_sheet_by_name(name)
    return sheet


def read_sheets(data: bytes) -> list[Sheet]:
    """Every sheet of the file. Raises ParseError for an empty or undecodable file."""
    if not data.strip():
        raise ParseError(key="empty")
    k = sniff.kind(data[:4096])
    if k in ("xls", "xlsx"):
        return _workbook(data)
    if k == "html":
        return [_html(data)]
    return [_text(data)]


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most leading lines into the same number (>1) of cells."""
    head = _first_lines(text, _SNIFF_LINES)
    best, best_score = ",", -1
    for d in _DELIMITERS:
        counts: dict[int, int] = {}
        try:
            for row in csv.reader(head, delimiter=d):
                if len(row) > 1:
                    counts[len(row)] = counts.get(len(row), 0) + 1
        except csv.Error:
            continue
        if not counts:
            continue
        width, n = max(counts.items(), key=lambda kv: (kv[1] * (kv[0] - 1), kv[0]))
        score = n * (width - 1)
        if score > best_score:
            best, best_score = d, score
    return best


def _first_lines(text: str, n: int) -> list[str]:
    """`text.splitlines()[:n]` without splitting the whole text (a statement of 100k lines): the
    lines of a prefix long enough to hold more than n of them. Only the line the prefix cuts can
    differ from the whole text's (a CR LF cut after its CR), and it is the (n+1)th or later."""
    size = 1 << 14
    while True:
        lines = text[:size].splitlines()
        if len(lines) > n or size >= len(text):
            return lines[:n]
        size *= 4


def _text(data: bytes) -> Sheet:
    try:
        text, enc = sniff.decode(data)
    except UnicodeDecodeError as exc:
        raise ParseError(key="text_encoding", values={"byte": exc.start}) from None
    delim = sniff_delimiter(text)
    # strict=True: a quoted field still open at end of file is a truncated download -> refused.
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True))
    except csv.Error:
        rows = []
    physical = text.count("\n") + text.count("\r") - text.count("\r\n") + (not text.endswith(("\n", "\r")))
    if rows and len(rows) == physical:
        # No quoted field spans lines, so row i is line i + 1; counting per row costs a third more.
        sheet = Sheet("", rows, list(range(1, len(rows) + 1)), enc)
    else:
        sheet = _text_slow(text, delim, enc)
    stray, first = stray_quotes(text, delim, sheet.rows, sheet.lines or []) if '"' in text else (0, 0)
    if stray:
        sheet = Sheet(sheet.name, sheet.rows, sheet.lines, enc,
                      (*sheet.notes, Departure("csv.stray_quote", f"line {first}", stray)))
    return sheet


def _text_slow(text: str, delim: str, enc: str) -> Sheet:
    """Rows with the physical line each starts on, for files with multi-line quoted fields; a file
    whose only fault is padding after closing quotes is read unpadded, and says so."""
    try:
        return _rows_with_lines(text, delim, enc)
    except ParseError as refused:
        fixed, count, first = unpad(text, delim)
        if not count:
            raise
        try:
            sheet = _rows_with_lines(fixed, delim, enc)
        except ParseError:
            raise refused from None
        return Sheet(sheet.name, sheet.rows, sheet.lines, enc,
                     (Departure("csv.space_after_quote", f"line {first}", count),))


def _rows_with_lines(text: str, delim: str, enc: str) -> Sheet:
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(key="tabular.csv_quoting", values={"error": exc}, where=f"line {start}") from None
    return Sheet("", rows, lines, enc)


def _workbook(data: bytes) -> list[Sheet]:
    try:
        wb = open_workbook(data)
    except Exception as exc:  # calamine raises its own error types for corrupt containers
        raise ParseError(key="excel_unreadable", detail=str(exc)) from None
    except BaseException as exc:  # a Rust panic inside calamine (pyo3 PanicException) is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise ParseError(key="excel_reader_failed", values={"error": type(exc).__name__}) from None
    sheets = []
    for name in wb.sheet_names:
        try:
            raw = workbook_sheet(wb, name).to_python(skip_empty_area=False)
        except BaseException as exc:  # includes calamine's Rust panics (see above)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            raise ParseError(key="sheet_unreadable", values={"name": name}, detail=str(exc)) from None
        sheets.append(Sheet(name, [[cell_text(v) for v in r] for r in raw]))
    return sheets


def _html(data: bytes) -> Sheet:
    """All <table> rows of the page as one grid; colspan cells are padded so columns line up."""
    import lxml.html

    enc = sniff.html_charset(data)
    try:
        text = data.decode(enc) if enc else sniff.decode(data)[0]
    except (UnicodeDecodeError, LookupError):
        try:
            text = sniff.decode(data)[0]
        except UnicodeDecodeError as exc:
            raise ParseError(key="text_encoding", values={"byte": exc.start}) from None
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError / ValueError on hopeless input
        raise ParseError(key="html_unreadable", detail=str(exc)) from None
    rows: list[list[str]] = []
    for tr in root.iter("tr"):
        row: list[str] = []
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            row.append(td.text_content().strip())
            span = td.get("colspan", "1")
            row.extend([""] * (int(span) - 1 if span.isdigit() and 0 < int(span) < 1000 else 0))
        rows.append(row)
    return Sheet("html", rows, None, enc or "")
