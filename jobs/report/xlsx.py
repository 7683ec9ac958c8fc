"""exceptions.xlsx (异常报告): write-only openpyxl, so a province's millions of lines stream through.

Each sheet: a title, then one or more tables, each with a bold header; the main table's header row
is frozen and carries the autofilter. Money is ¥#,##0.00 on exact Decimal yuan; dates are dates.
Every text is a string cell (never a formula, whatever it starts with) without control characters
(reconcile.sinks.for_xlsx).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TIME_TYPES, get_time_format
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import ALL_TEMP_FILES, create_temporary_file
from openpyxl.worksheet.worksheet import Worksheet

from jobs.report import sheetxml
from jobs.report.cells import MEMO_LIMIT, Labels, memo_key, window_note
from jobs.report.files import atomic
from jobs.report.sheetxml import cell_rest, cell_xml, frame
from reconcile.reporting.report import Report
from reconcile.reporting.table import Column, Table
from reconcile.reporting.tables import LINE_COLUMNS
from reconcile.sinks import for_xlsx

MAX_SHEET_LINES = 1_000_000  # Excel holds 1,048,576 rows; beyond this the lines go to CSV only
MAX_FROZEN_ROWS = 12  # more benefit-payment findings than this: only their header stays frozen
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=13)
HEADING_FONT = Font(bold=True, size=11, color="1F3864")
HEADER_FONT = Font(bold=True)


def cell(ws: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    """A cell of a write-only sheet; text is a string cell (data type "s"), never a formula."""
    if isinstance(value, str):
        c = WriteOnlyCell(ws, value=for_xlsx(value))
        c.data_type = "s"
        return c
    return WriteOnlyCell(ws, value=value)


@dataclass
class _Sheet:
    ws: WriteOnlyWorksheet
    labels: Labels
    row: int = 0

    def text(self, value: str, font: Font | None = None) -> None:
        c = cell(self.ws, value)
        if font is not None:
            c.font = font
        self.ws.append([c])
        self.row += 1

    def blank(self) -> None:
        self.ws.append([])
        self.row += 1

    def header(self, columns: tuple[Column, ...]) -> int:
        cells = []
        for col in columns:
            c = cell(self.ws, self.labels.t(col.key))
            c.font, c.fill = HEADER_FONT, HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(c)
        self.ws.append(cells)
        self.row += 1
        return self.row

    def rows(self, columns: tuple[Column, ...], rows: Iterable[tuple[object, ...]]) -> int:
        if isinstance(self.ws, _Part):
            n = self.ws.values(columns, rows, self.labels)
            self.row += n
            return n
        n = 0
        for row in rows:
            cells = []
            for col, v in zip(columns, row, strict=True):
                value, fmt = self.labels.xlsx(col, v)
                c = cell(self.ws, value)
                if fmt:
                    c.number_format = fmt
                cells.append(c)
            self.ws.append(cells)
            n += 1
        self.row += n
        return n

    def table(self, table: Table, *, heading: bool = True, main: bool = False) -> None:
        if heading:
            self.text(self.labels.t(table.title), HEADING_FONT)
        top = self.header(table.columns)
        self.rows(table.columns, table.rows)
        if not table.rows:
            self.text(self.labels.t("report.none"))
        if main:
            self.ws.auto_filter.ref = f"A{top}:{get_column_letter(len(table.columns))}{max(self.row, top + 1)}"
        if table.window is not None:
            self.text(window_note(self.labels, table))


def _height(table: Table) -> int:
    """Rows a table takes with its heading: heading, header, rows (or the "none" row), its note."""
    return 2 + max(1, len(table.rows)) + (table.window is not None)


def _sheet(wb: Workbook, labels: Labels, key: str, tables: list[tuple[Column, ...]], freeze: int) -> _Sheet:
    """A sheet with its column widths and print setup; rows up to `freeze` stay in view (write-only
    sheets need this before the first row)."""
    ws = wb.create_sheet(labels.t(key))
    ws.freeze_panes = f"A{freeze + 1}"
    widths: dict[int, int] = {}
    for columns in tables:
        for i, c in enumerate(columns):
            widths[i] = max(widths.get(i, 0), c.width)
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i + 1)].width = w
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    return _Sheet(ws, labels)


class _Book(sheetxml.Book):
    """exceptions.xlsx: openpyxl's write-only workbook whose sheets are `_Part`s, saved by `_Writer`."""

    def __init__(self) -> None:
        super().__init__(_Part, _Writer, write_only=True)
        self.formats: dict[str, int] = {}  # a number format's id, once registered
        self.styles: dict[int, int] = {}  # the cell style of a number format alone, by the format's id
        self.cells: dict[tuple[object, ...], str] = {}  # a table cell's text after its reference (`_Part.values`)


class _Part(WriteOnlyWorksheet):
    """A write-only sheet whose rows are written as text (jobs.report.sheetxml) to a temporary
    file as they come, as openpyxl's writer would write them: a row of cells (`append`) or a table's
    rows of values (`values`, without a cell object for each); what surrounds the rows is
    openpyxl's. Its part of the file is `close`d into `path`."""

    def __init__(self, parent: _Book, title: str | None = None) -> None:
        super().__init__(parent, title)
        self.count = 0
        self.out: IO[bytes] | None = None
        self.buffer: list[str] = []
        self.tmp = ""

    def _rows_out(self) -> list[str]:
        if self.out is None:  # the first row: the sheet's view and columns are set by now
            self.tmp = create_temporary_file()  # removed at exit if not before, as openpyxl's own
            self.out = open(self.tmp, "wb")  # noqa: SIM115 (closed by `part`)
        if len(self.buffer) > 4096:
            self._flush()
        return self.buffer

    def _flush(self) -> None:
        assert self.out is not None
        self.out.write("".join(self.buffer).encode("ascii"))
        self.buffer.clear()

    def append(self, row: Any) -> None:
        """openpyxl's `append` of a list of cells (WriteOnlyWorksheet._values_to_row, then
        WorksheetWriter.write_row)."""
        out = self._rows_out()
        self.count += 1
        r = self.count
        wb = self.parent
        out.append(f'<row r="{r}">')
        for col, c in enumerate(row, start=1):
            assert isinstance(c, Cell) and c._comment is None and c.hyperlink is None
            styled = c._style is not None and any(c._style)
            if c._value is None and not styled:
                continue
            out.append(cell_xml(f"{get_column_letter(col)}{r}", wb._cell_styles.add(c._style) if styled else None,
                                c.data_type, c._value, wb.epoch))
        out.append("</row>")

    def values(self, columns: tuple[Column, ...], rows: Iterable[tuple[object, ...]], labels: Labels) -> int:
        """The rows of a table, as `_Sheet.rows` appends them through `cell` (a cell's value bound
        as openpyxl's Cell binds it, its number format registered as it does), without the cells.
        A cell is made once per value and column kind a workbook (`cells.memo_key`; the formats and
        styles it registers the first time are those any later same cell would): each later one
        is its reference and that text."""
        wb = self.parent
        kept = wb.cells
        letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        n = 0
        for row in rows:
            out = self._rows_out()
            self.count += 1
            n += 1
            r = self.count
            out.append(f'<row r="{r}">')
            for letter, col, v in zip(letters, columns, row, strict=True):
                key = memo_key(col.kind, v)
                rest = kept.get(key) if key is not None else None
                if rest is None:
                    rest = _cell_rest(wb, labels, col, v)
                    if key is not None and len(kept) < MEMO_LIMIT:
                        kept[key] = rest
                if rest:
                    out.append(f'<c r="{letter}{r}"{rest}')
            out.append("</row>")
        return n

    def close(self) -> None:
        self._WriteOnlyWorksheet__saved = True

    def part(self) -> tuple[str, Any]:
        """The sheet's part of the file in a temporary file (the caller removes it), and its relationships."""
        head, tail, rels = frame(self)
        if self.out is None:
            self._rows_out()
        assert self.out is not None
        self._flush()
        self.out.close()
        whole = create_temporary_file()
        with open(self.tmp, "rb") as rows, open(whole, "wb") as out:
            out.write(head)
            out.write(b"<sheetData>")
            while chunk := rows.read(1 << 20):
                out.write(chunk)
            out.write(b"</sheetData>")
            out.write(tail)
        _remove(self.tmp)
        self.tmp = whole
        return whole, rels


def _remove(path: str) -> None:
    os.remove(path)
    ALL_TEMP_FILES.remove(path)


def _cell_rest(wb: _Book, labels: Labels, col: Column, v: object) -> str:
    """A table cell's <c> element after its reference (sheetxml.cell_rest); "" for a cell not written."""
    value, fmt = labels.xlsx(col, v)
    number = None
    if isinstance(value, str):
        kind, value = "s", _checked(for_xlsx(value))
    elif value is None:
        kind = "n"
    elif isinstance(value, bool):
        kind = "b"
    elif isinstance(value, int | float | Decimal):
        kind = "n"
    elif isinstance(value, TIME_TYPES):
        kind, number = "d", _format(wb, get_time_format(type(value)))
    else:
        raise ValueError(f"Cannot convert {value!r} to Excel")
    if fmt:
        number = _format(wb, fmt)
    if not number:
        return "" if value is None else cell_rest(None, kind, value, wb.epoch)
    style = wb.styles.get(number)
    if style is None:
        array = StyleArray()
        array.numFmtId = number
        style = wb.styles[number] = wb._cell_styles.add(array)
    return cell_rest(style, kind, value, wb.epoch)


def _format(wb: _Book, fmt: str) -> int:
    """A number format's id, registered in the workbook as openpyxl's NumberFormatDescriptor does."""
    number = wb.formats.get(fmt)
    if number is None:
        number = wb.formats[fmt] = (BUILTIN_FORMATS_REVERSE[fmt] if fmt in BUILTIN_FORMATS_REVERSE
                                    else wb._number_formats.add(fmt) + BUILTIN_FORMATS_MAX_SIZE)
    return number


def _checked(value: str) -> str:
    """openpyxl's Cell.check_string: at most 32,767 characters, no illegal ones."""
    value = value[:32767]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    return value


class _Writer(sheetxml.Writer):
    """openpyxl's ExcelWriter; a `_Part` goes into the archive from its own temporary file."""

    own = _Part

    def put(self, ws: Any) -> None:
        path, ws._rels = ws.part()
        self._archive.write(path, ws.path[1:])
        _remove(path)


def _workbook() -> Workbook:
    return _Book()


def write_xlsx(path: Path, report: Report, labels: Labels, lines: Iterable[tuple[object, ...]], line_count: int,
               lines_csv: str, limit: int = MAX_SHEET_LINES) -> None:
    wb = _workbook()
    s = report.summary
    title = f"{labels.t('report.title')}  {labels.t('report.as_of', date=report.data.as_of.isoformat())}"

    sh = _sheet(wb, labels, "report.sheet.summary", [t.columns for t in (s.by_kind, s.by_entity, report.new)], 5)
    sh.text(title, TITLE_FONT)
    prev = report.data.previous
    sh.text(labels.t("report.previous", date=prev.as_of.isoformat()) if prev else labels.t("report.first"))
    sh.blank()
    sh.table(s.by_kind, main=True)
    for t in (s.by_severity, s.by_entity, report.new, report.resolved):
        sh.blank()
        sh.table(t)

    top = _height(report.disbursement) + 3 if len(report.disbursement.rows) <= MAX_FROZEN_ROWS else 2
    sh = _sheet(wb, labels, "report.sheet.late",
                [report.disbursement.columns, report.late.columns, report.ytd.columns], top)
    sh.table(report.disbursement)
    sh.blank()
    sh.table(report.late, main=True)
    sh.blank()
    sh.table(report.ytd)

    sh = _sheet(wb, labels, "report.sheet.findings", [report.findings.columns], 1)
    sh.table(report.findings, heading=False, main=True)

    sh = _sheet(wb, labels, "report.sheet.lines", [LINE_COLUMNS], 1)
    if line_count > limit:
        sh.text(labels.t("report.lines.csv_only", count=line_count, limit=limit, file=lines_csv), HEADING_FONT)
    else:
        top = sh.header(LINE_COLUMNS)
        sh.rows(LINE_COLUMNS, lines)
        sh.ws.auto_filter.ref = f"A{top}:{get_column_letter(len(LINE_COLUMNS))}{max(sh.row, top + 1)}"

    sh = _sheet(wb, labels, "report.sheet.coverage",
                [report.coverage.columns, report.breaks.columns, report.warnings.columns], 2)
    sh.table(report.coverage, main=True)
    sh.blank()
    sh.table(report.breaks)
    sh.blank()
    sh.table(report.warnings)

    sh = _sheet(wb, labels, "report.sheet.rejected", [report.rejected.columns], 1)
    sh.table(report.rejected, heading=False, main=True)

    sh = _sheet(wb, labels, "report.sheet.classed", [report.classed.columns], 2)
    sh.table(report.classed, main=True)

    from jobs.report.budget import budget_sheet  # it builds on this module's sheets

    budget_sheet(wb, report, labels)

    with atomic(path) as f:
        wb.save(f)
