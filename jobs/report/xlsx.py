"""exceptions.xlsx (异常报告): write-only openpyxl, so a province's millions of lines stream through.

Each sheet: a title, then one or more tables, each with a bold header; the main table's header row
is frozen and carries the autofilter. Money is ¥#,##0.00 on exact Decimal yuan; dates are dates.
Every text is a string cell (never a formula, whatever it starts with) without control characters
(reconcile.sinks.for_xlsx).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from jobs.report.cells import Labels, window_note
from jobs.report.files import atomic
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


def write_xlsx(path: Path, report: Report, labels: Labels, lines: Iterable[tuple[object, ...]], line_count: int,
               lines_csv: str, limit: int = MAX_SHEET_LINES) -> None:
    wb = Workbook(write_only=True)
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
