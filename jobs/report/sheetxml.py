"""A worksheet's cells written as text in the form openpyxl's own (lxml) writer gives them, for the
two workbooks whose sheets are most of a report's time: the 调节表 workbook's account sheets
(jobs.report.book) and exceptions.xlsx's sheets (jobs.report.xlsx). openpyxl still writes
everything around the cells (the sheet's properties, view, columns, filter, page setup; the
styles, the workbook part); the cells' style indices are taken from the workbook's own lists in
the order openpyxl's writer takes them, so the file is the one openpyxl writes (the tests compare
the two member by member)."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

EMPTY_DATA = b"<sheetData></sheetData>"


def escape(text: str) -> str:
    """Text as lxml writes it in openpyxl's worksheet part (ASCII, the rest as character references)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            .encode("ascii", "xmlcharrefreplace").decode("ascii"))


def cell_xml(ref: str, style: int | None, data_type: str, value: Any, epoch: Any) -> str:
    """One <c> element as openpyxl.cell._writer.lxml_write_cell writes it (`style`: the cell's
    index in the workbook's cell styles, None when it has none)."""
    return f'<c r="{ref}"{cell_rest(style, data_type, value, epoch)}'


def cell_rest(style: int | None, data_type: str, value: Any, epoch: Any) -> str:
    """A <c> element after its reference (`cell_xml`): the same for every cell of that style and value."""
    head = "" if style is None else f' s="{style}"'
    if data_type == "s":
        if value is None or value == "":
            return head + ' t="inlineStr"></c>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'{head} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if data_type == "d":
        data_type, value = "n", to_excel(value, epoch)
    elif data_type == "f":
        raise ValueError("a formula cell")  # never written by the report (jobs.report.xlsx.cell)
    if value is None or value == "":
        return f'{head} t="{data_type}"></c>'
    return f'{head} t="{data_type}"><v>{safe_string(value)}</v></c>'


class FrameWriter(WorksheetWriter):
    """openpyxl's worksheet writer without the cells and merged ranges: the sheet's part around
    `<sheetData></sheetData>` (`frame`)."""

    def write_rows(self) -> None:
        xf = self.xf.send(True)
        with xf.element("sheetData"):
            pass
        self.xf.send(None)

    def write_merged_cells(self) -> None:
        pass


def frame(ws: Any) -> tuple[bytes, bytes, Any]:
    """The sheet's part before and after its cells (what openpyxl writes there), and its
    relationships. Nothing openpyxl writes between the cells and the merged ranges is set on the
    report's sheets (protection, scenarios, a filter on a sheet with merged ranges)."""
    writer = FrameWriter(ws, out=BytesIO())
    writer.write()
    text = writer.read()
    assert text.count(EMPTY_DATA) == 1
    head, tail = text.split(EMPTY_DATA)
    return head, tail, writer._rels


class Book(Workbook):
    """openpyxl's Workbook whose sheets are made by `sheet` and whose file is written by `writer`
    (an openpyxl ExcelWriter): the two workbooks above are each one."""

    def __init__(self, sheet: Any, writer: Any, write_only: bool = False) -> None:
        self.sheet, self.writer = sheet, writer
        super().__init__(write_only=write_only)

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        ws = self.sheet(parent=self, title=title)
        self._add_sheet(sheet=ws, index=index)
        return ws

    def save(self, filename: Any) -> None:  # openpyxl's save_workbook, with `writer`
        archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True)
        self.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        self.writer(self, archive).save()


class Writer(ExcelWriter):
    """openpyxl's ExcelWriter, but a sheet of the class `own` goes into the archive by `put` (its
    own part of the file and relationships); every other part is openpyxl's."""

    own: type[Any]

    def put(self, ws: Any) -> None:
        raise NotImplementedError

    def write_worksheet(self, ws: Any) -> None:
        if not isinstance(ws, self.own):
            super().write_worksheet(ws)
            return
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        self.put(ws)
        self.manifest.append(ws)


__all__ = ["Book", "FrameWriter", "Writer", "cell_rest", "cell_xml", "escape", "frame"]
