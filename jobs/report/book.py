"""The book side of the report (银行存款余额调节表): `余额调节表_<yyyy-mm>.xlsx` for every month
reconciled, one printable A4 sheet per account in the form accountants use (book side on the left,
bank side on the right, the four kinds of 未达账项 listed one by one with dates, vouchers or bank
references, summaries and amounts, 编制人 / 审核人 lines), a summary sheet first; the same figures
in `book_statements.csv` and `book_items.csv`; and the section of exceptions.html.

Text from the files (摘要, counterparties) is written as text, never as a formula, and without raw
control characters (reconcile.sinks): a cell that starts with = + - @ tab or CR is stored as a string
in the workbook and quoted with ' in the CSV.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol, cast

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.descriptors.serialisable import Serialisable
from openpyxl.packaging.relationship import RelationshipList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from jobs.report import sheetcache, sheetxml
from jobs.report.cells import Labels
from jobs.report.files import atomic, link, make_folder
from jobs.report.sheetcache import SheetCache
from jobs.report.sheetxml import cell_xml, frame
from reconcile import money, places, sinks
from reconcile.accounts import Account, Registry
from reconcile.book.records import Item, MonthStatement
from reconcile.config import BookConfig
from reconcile.messages import CATALOGUE
from reconcile.money import format_yuan, plain_yuan
from reconcile.places import say_place
from reconcile.sinks import for_csv, for_html, for_xlsx

MONEY = "#,##0.00"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="DCE6F1")
BAD = PatternFill("solid", fgColor="F4C7C3")
STATEMENTS_CSV = "book_statements.csv"
SHEETS = "sheets"  # in the cache: each month's sheets (jobs.report.sheetcache)
ITEMS_CSV = "book_items.csv"


@dataclass(frozen=True)
class BookReport:
    files: list[Path]
    html: str


def accounts_of(registry: Registry, entity: str | None) -> list[str] | None:
    """The accounts a report shows: with an `entity`, that entity's accounts only (a county's own
    report never shows another county's accounts); None: all."""
    return None if entity is None else [a.number for a in registry.accounts if a.entity == entity]


class StoredMonth(Protocol):
    """A stored month's statement as the report knows it before reading it (store.books.BookMonth)."""

    @property
    def account(self) -> str: ...
    @property
    def month(self) -> str: ...
    @property
    def month_end(self) -> date: ...
    @property
    def state(self) -> str: ...
    @property
    def difference_fen(self) -> int | None: ...
    @property
    def digest(self) -> str | None: ...


Load = Callable[[Sequence[str]], Sequence[MonthStatement]]


def write_book(folder: Path, stored: Sequence[StoredMonth], load: Load, open_items: Mapping[str, Sequence[Item]],
               registry: Registry, labels: Labels, book: BookConfig, as_of: date,
               cache: Path | None = None) -> BookReport:
    """The book side of the report from the stored statements of the accounts it shows, known first
    without their items (`stored`: store.books.book_months), read by month when needed (`load`:
    store.books.load_statements of those months), and their outstanding items (load_open_items;
    `accounts_of`). With a `cache` folder, a month whose statements (by their stored digests),
    names, labels and code are those of a month written before is not read again: its workbook is
    linked from there (jobs.report.files.link) and its rows of the two CSV files taken from there
    (the closed months, kept by the book side, are the same night after night); the latest month is
    always read (the page's table). The files are those written from all the statements read."""
    # The months of the last reconciliation that are over by the report's date (a report may be
    # written for an earlier day than the last reconcile).
    index = [m for m in stored if m.month_end <= as_of]
    if not index:
        return BookReport([], _section_none(labels))
    by_month: dict[str, list[StoredMonth]] = {}
    for m in index:
        by_month.setdefault(m.month, []).append(m)
    months = sorted(by_month)
    common = _common_key(labels, book) if cache is not None else ""
    keys = {month: _digest_key(ms, registry, common) for month, ms in by_month.items()} if cache is not None else {}
    parts: dict[str, _Month] = {}
    if cache is not None:
        for month in months:
            key = keys[month]
            if key is not None and (part := _cached_part(cache, month, key)) is not None:
                parts[month] = part
    wanted = [m for m in months if m not in parts or m == months[-1]]
    loaded: dict[str, list[MonthStatement]] = {}
    for st in load(wanted):
        if st.month_end <= as_of:
            loaded.setdefault(st.month, []).append(st)
    files = []
    used: set[str] = set()
    for month in months:
        path = folder / f"余额调节表_{month}.xlsx"
        part = parts.get(month)
        if part is None:
            sts = loaded[month]
            key = keys.get(month)
            if key is None or cache is None:  # no cache (or a statement stored without a digest): written here
                write_workbook(path, sts, registry, labels, book)
                part = _Month("", _rows(sts, registry, labels))
            else:
                part = _cached_part(cache, month, key) or _write_part(cache, month, key, sts, registry, labels, book,
                                                                      common)
        if part.workbook and cache is not None:
            link(cache / part.workbook, path)
            used.update((part.workbook, _rows_name(part.workbook)))
        parts[month] = part
        files.append(path)
    if cache is not None:
        for old in (*cache.glob("*.xlsx"), *cache.glob("*.json")):  # the months since drawn up again
            if old.name not in used:
                old.unlink(missing_ok=True)
        for old in (cache / SHEETS).glob("*.json"):  # the sheets of a month no longer reported
            if old.stem not in by_month:
                old.unlink(missing_ok=True)
    files.append(_statements_csv(folder / STATEMENTS_CSV, index, parts, labels))
    files.append(_items_csv(folder / ITEMS_CSV, index, parts, labels))
    stale = {a: sum(1 for it in items if it.age_days > book.stale_days) for a, items in open_items.items()}
    return BookReport(files, section_html(loaded[months[-1]], index, stale, registry, labels, as_of,
                                          [p.name for p in files[:-2]]))


@dataclass(frozen=True)
class _Month:
    """A month's workbook (its name in the cache) and its rows of the two CSV files, by account."""

    workbook: str
    rows: dict[str, tuple[str, str]]


def _rows_name(workbook: str) -> str:
    return workbook.removesuffix(".xlsx") + ".json"


def _cached_part(cache: Path, month: str, key: str) -> _Month | None:
    name = f"{month}_{key}.xlsx"
    rows = cache / _rows_name(name)
    if not (cache / name).exists() or not rows.exists():
        return None
    return _Month(name, {a: (s, i) for a, (s, i) in json.loads(rows.read_text(encoding="utf-8")).items()})


def _write_part(cache: Path, month: str, key: str, statements: list[MonthStatement], registry: Registry,
                labels: Labels, book: BookConfig, common: str) -> _Month:
    """Write the month's workbook and its CSV rows into the cache (the report's folder links to them),
    taking the sheets of the accounts whose statements are those of the month's last workbook from
    there (jobs.report.sheetcache), and keeping this workbook's sheets."""
    name = f"{month}_{key}.xlsx"
    make_folder(cache)  # owner and group only, as every folder the report writes
    sheets = SheetCache(cache / SHEETS / f"{month}.json", _key, common)
    write_workbook(cache / name, statements, registry, labels, book, sheets)
    sheets.save()
    part = _Month(name, _rows(statements, registry, labels))
    with atomic(cache / _rows_name(name), text=True) as f:
        f.write(json.dumps(part.rows, ensure_ascii=False))
    return part


def _common_key(labels: Labels, book: BookConfig) -> str:
    """What every month's files depend on besides its statements and accounts: the language, the
    names, the people, the catalogue and the code."""
    return hashlib.sha256(repr((
        labels.lang, sorted(labels.entities.items()), sorted(labels.funds.items()), book.preparer, book.reviewer,
        sorted((k, repr(v)) for k, v in CATALOGUE.items()), _SOURCE)).encode()).hexdigest()


def _accounts_key(numbers: Sequence[str], registry: Registry) -> list[object]:
    accounts = [registry.account(n) for n in numbers]
    return [(a.entity, a.fund, a.role, a.bank, a.name) if a else None for a in accounts]


def _digest_key(stored: list[StoredMonth], registry: Registry, common: str) -> str | None:
    """The month's key from its statements' stored digests. None: a statement stored without one
    (every row has one since migration 0018, and every reconcile writes one: store.books.replace_book;
    such a month would be read and written without the cache)."""
    ms = sorted(stored, key=lambda m: m.account)
    if any(m.digest is None for m in ms):
        return None
    return "d" + hashlib.sha256(repr(([(m.account, m.digest) for m in ms],
                                      _accounts_key([m.account for m in ms], registry), common)
                                     ).encode()).hexdigest()[:24]


# The code that writes a month's files: this module, the cells' writer, the sheets' cache and what
# says a place, a sum and a cell's text (a change of any writes every month again).
_SOURCE = hashlib.sha256(b"".join(Path(m).read_bytes() for m in (
    __file__, sheetxml.__file__, sheetcache.__file__, places.__file__, sinks.__file__, money.__file__))).hexdigest()


# -- the workbook -----------------------------------------------------------------------------------------
@cache
def _font(bold: bool, size: int) -> Font:
    """One Font object per look (a cell's style is its value: the same as a new object each time)."""
    return Font(bold=bold, size=size)


@cache
def _alignment(align: str) -> Alignment:
    return Alignment(horizontal=align, vertical="center", wrap_text=True)


class _SameObjects(IndexedList):
    """A workbook's list of fonts, borders, fills, alignments or protections that looks a style up
    cheaply. openpyxl looks every style a cell is given up by its value, hashing and comparing its
    every field through descriptors; with the merged cells' borders and protections (each merge
    gives its cells new copies) that was most of the time a month's workbook of a province's 362
    accounts took. Here an object given before is known by its identity, and any other by a key of
    its fields' types and values (`_key`: two objects with the same key are equal, so they have one
    index); a key not seen yet goes to openpyxl's own lookup. The indices, the lists and so the
    file are the same as openpyxl's (openpyxl never changes a style object once made, nor does this
    module)."""

    def __init__(self, values: IndexedList) -> None:
        super().__init__(values)
        self._rebuild_dict()
        self._seen: dict[int, tuple[object, int]] = {}
        self._by_key: dict[object, int] = {}

    def add(self, value: Any) -> int:
        hit = self._seen.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        key = _key(value)
        index = self._by_key.get(key)
        if index is None:
            index = self._by_key[key] = super().add(value)
        self._seen[id(value)] = (value, index)  # the object is held: its id is not reused
        return index


def _key(value: object) -> object:
    """A style's fields, recursively, each with its type (finer than openpyxl's equality, which
    compares the fields' text: never coarser)."""
    if isinstance(value, Protection) and type(value) is Protection:  # each merge's copy: its two fields, read directly
        return (Protection, (type(value.locked), value.locked), (type(value.hidden), value.hidden))
    if isinstance(value, Serialisable):
        return (type(value), *(_key(getattr(value, a)) for a in (*value.__attrs__, *value.__elements__)))
    if isinstance(value, list | tuple):
        return (type(value), *(_key(v) for v in value))
    return (type(value), value)


def _workbook() -> Workbook:
    return _Book()


class _Book(sheetxml.Book):
    """The 调节表 workbook: openpyxl's own, with the style lists of `_SameObjects`, each account's
    sheet a `_StatementSheet` and the file written by `_BookWriter`. The file is the one openpyxl
    writes for the same cells (tests/report/test_book_workbook.py compares them member by member)."""

    def __init__(self) -> None:
        super().__init__(_StatementSheet, _BookWriter)
        for name in ("_fonts", "_borders", "_fills", "_alignments", "_protections"):
            setattr(self, name, _SameObjects(getattr(self, name)))
        self.edge_borders: dict[tuple[int, int, str], int] = {}  # _StatementSheet.merge_cells's, by index
        self.looks: dict[tuple[object, ...], _Look] = {}  # the account sheets' looks drawn up (_draw)
        self.style_keys: dict[int, tuple[object, object]] = {}  # _Recorder's: a style object's _key, by id
        self.scratch = Workbook().active.cell(1, 1)  # _Recorder's values converted as openpyxl's cells do


@cache
def _range(ref: str) -> tuple[int, int, int, int]:
    return range_boundaries(ref)


class _StatementSheet(Worksheet):
    """An account's sheet of the 调节表 workbook, with openpyxl's cells, and two shortcuts that
    were most of the time a month's workbook took: `merge_cells` leaves the cells as openpyxl's
    does (the range's other cells MergedCells, the edges given the top-left cell's borders, every
    cell its protection), looking each new border up once per workbook, and keeps the ranges as
    the four numbers openpyxl hashes them by (the same set, so the same order in the file); and
    `xml` writes the sheet's cells as openpyxl's writer does, as text, the rest of the sheet (its
    properties, columns, page setup) by openpyxl's writer itself."""

    def __init__(self, parent: _Book, title: str | None = None) -> None:
        super().__init__(parent, title)
        self.merges: set[tuple[int, int, int, int]] = set()
        self.sheets: SheetCache | None = None  # the month's kept sheets (write_workbook)
        self.look: _Look | None = None  # drawn up: the look it gave (_draw), its frame kept when written
        self.drawn: tuple[_Look, dict[str, list[Any]], Callable[[], object]] | None = None  # of a look drawn before

    def merge_cells(self, range_string: str | None = None, start_row: int | None = None,
                    start_column: int | None = None, end_row: int | None = None,
                    end_column: int | None = None) -> None:
        assert range_string is not None
        min_col, min_row, max_col, max_row = _range(range_string)
        cells = self._cells
        # MergedCellRange._get_borders
        start = cells.get((min_row, min_col))
        if start is None:
            start = self.cell(row=min_row, column=min_col)
        end = cells.get((max_row, max_col))
        if end is not None:
            start.border += Border(right=end.border.right, bottom=end.border.bottom)
        self.merges.add((min_row, min_col, max_row, max_col))
        # Worksheet._clean_merge_range: every cell but the first a new MergedCell
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if (row, col) != (min_row, min_col):
                    cells[row, col] = MergedCell(self, row, col)
        # MergedCellRange.format
        wb = self.parent
        edges = {"top": [(min_row, c) for c in range(min_col, max_col + 1)],
                 "left": [(r, min_col) for r in range(min_row, max_row + 1)],
                 "right": [(r, max_col) for r in range(min_row, max_row + 1)],
                 "bottom": [(max_row, c) for c in range(min_col, max_col + 1)]}
        for name, coords in edges.items():
            first = start._style.borderId if start._style is not None else 0
            side = getattr(wb._borders[first], name)
            if side and side.style is None:
                continue
            for coord in coords:
                cell = cells[coord]
                if cell._style is None:
                    cell._style = StyleArray()
                key = (cell._style.borderId, first, name)
                index = wb.edge_borders.get(key)
                if index is None:
                    index = wb.edge_borders[key] = wb._borders.add(
                        wb._borders[cell._style.borderId] + Border(**{name: side}))
                cell._style.borderId = index
        if start._style is None:
            start._style = StyleArray()
        protection = start._style.protectionId  # a copy of the first cell's, for each: the same index
        for row in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                cell = cells[row, col]
                if cell._style is None:
                    cell._style = StyleArray()
                cell._style.protectionId = protection

    def xml(self) -> tuple[bytes, Any]:
        """The sheet's part of the file, and its relationships: openpyxl's writer for all but the
        cells and merged ranges, which are written here in its form (jobs.report.sheetxml); or,
        an account's sheet kept in the month's `sheets`, taken from there."""
        if self.sheets is not None:
            return self.sheets.write(self, self._xml)
        return self._xml()

    def _xml(self) -> tuple[bytes, Any]:
        if self.drawn is not None:
            look, values, draw = self.drawn
            if look.frame is not None:
                return look.xml(self.parent, values)
            self.drawn = None  # its look's sheet not written yet (taken from the kept sheets): drawn up here
            draw()
        head, tail, rels = frame(self)
        assert not (self.protection or self.scenarios or self.auto_filter)  # they would come before mergeCells
        out = ["<sheetData>"]
        wb = self.parent
        rows: dict[int, list[Cell | MergedCell]] = {}
        for (r, _), c in sorted(self._cells.items()):
            rows.setdefault(r, []).append(c)
        for r, cells in rows.items():
            out.append(f'<row r="{r}">')
            for c in cells:
                assert c._comment is None and not c.hyperlink
                styled = c._style is not None and any(c._style)
                if c._value is None and not styled:
                    continue
                out.append(cell_xml(c.coordinate, wb._cell_styles.add(c._style) if styled else None, c.data_type,
                                    c._value, wb.epoch))
            out.append("</row>")
        out.append("</sheetData>")
        out.append(self.merged())
        if self.look is not None and self.look.frame is None and not rels:
            self.look.frame = (head, tail)
        return head + "".join(out).encode("ascii") + tail, rels

    def merged(self) -> str:
        if not self.merges:
            return ""
        return (f'<mergeCells count="{len(self.merges)}">'
                + "".join(f'<mergeCell ref="{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"/>'
                          for r1, c1, r2, c2 in self.merges) + "</mergeCells>")


# -- account sheets of one look ---------------------------------------------------------------------------
# Most account sheets of a month look alike: the same cells with the same styles, merged the same
# way, their values aside (a balanced month without items, or with two items, ...). The first sheet
# of a look is drawn up on openpyxl's cells; every later one only on a `_Recorder`, which keeps its
# values and a log of everything `_statement_sheet` does to it with the values' types in place of the
# values: the look. A later sheet of the same look is written from the first one's cells, styles
# and frame with its own values (`_Look.xml`): the styles the first one registered are the ones
# it would register again (the same objects on the same cells in the same order find their entries
# in the workbook's lists), so the file is the same (tests/report/test_book_workbook.py,
# test_book_sheets.py compare it with openpyxl's own).
_NO_VALUE = (None, "n")  # an openpyxl cell given no value (a MergedCell's too)


class _Look:
    """An account sheet's look, from the first sheet drawn up with it: its rows of cells (the
    coordinate and the style's numbers, None without one), merged ranges, and its part of the
    file around the cells (set when that sheet is written)."""

    def __init__(self, ws: _StatementSheet) -> None:
        rows: dict[int, list[tuple[str, tuple[int, ...] | None]]] = {}
        for (r, _), c in sorted(ws._cells.items()):
            styled = c._style is not None and any(c._style)
            rows.setdefault(r, []).append((c.coordinate, tuple(c._style) if styled else None))
        self.rows = list(rows.items())
        self.merged = ws.merged()
        self.frame: tuple[bytes, bytes] | None = None

    def xml(self, wb: _Book, values: dict[str, list[Any]]) -> tuple[bytes, Any]:
        """A sheet of this look with `values` (by coordinate: the value and data type), as `_xml`
        writes it."""
        assert self.frame is not None
        add, epoch = wb._cell_styles.add, wb.epoch
        out = ["<sheetData>"]
        for r, cells in self.rows:
            out.append(f'<row r="{r}">')
            for ref, style in cells:
                value, data_type = values.get(ref, _NO_VALUE)
                if value is None and style is None:
                    continue
                out.append(cell_xml(ref, None if style is None else add(StyleArray(style)), data_type, value, epoch))
            out.append("</row>")
        out.append("</sheetData>")
        out.append(self.merged)
        head, tail = self.frame
        return head + "".join(out).encode("ascii") + tail, RelationshipList()


class _Logged:
    """What a `_Recorder`'s sheet setting is given (column widths, page setup), logged."""

    _log: list[object]
    _name: object

    def __init__(self, log: list[object], name: object) -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_name", name)

    def __setattr__(self, attr: str, value: object) -> None:
        self._log.append((self._name, attr, value))

    def __getitem__(self, key: str) -> _Logged:
        return _Logged(self._log, (self._name, key))


class _Recorded:
    """A `_Recorder`'s cell: its value as openpyxl's cell takes it (the workbook's scratch cell
    converts it), its data type; every style given it logged by the style's fields."""

    __slots__ = ("_rec", "_ref")
    _rec: _Recorder
    _ref: str

    def __init__(self, rec: _Recorder, ref: str) -> None:
        object.__setattr__(self, "_rec", rec)
        object.__setattr__(self, "_ref", ref)

    def __setattr__(self, attr: str, value: Any) -> None:
        rec, ref = self._rec, self._ref
        if attr == "value":
            scratch = rec.wb.scratch
            scratch._bind_value(value)
            rec.values[ref] = [scratch._value, scratch.data_type]
            rec.log.append((ref, attr, type(value), scratch.data_type))
        elif attr == "data_type":
            rec.values.setdefault(ref, [None, "n"])[1] = value
            rec.log.append((ref, attr, value))
        else:  # a style
            rec.log.append((ref, attr, value if isinstance(value, str) else rec.key(value)))


class _Recorder:
    """The sheet `_statement_sheet` draws on to learn a sheet's look and values (`_draw`)."""

    def __init__(self, wb: _Book) -> None:
        self.wb = wb
        self.log: list[object] = []
        self.values: dict[str, list[Any]] = {}
        self.column_dimensions = _Logged(self.log, "column")
        self.page_setup = _Logged(self.log, "page_setup")
        self.print_options = _Logged(self.log, "print_options")
        self.sheet_properties = SimpleNamespace(pageSetUpPr=_Logged(self.log, "page_setup_pr"))
        self._titles: str | None = None
        self.area: str | None = None

    def key(self, value: object) -> object:
        hit = self.wb.style_keys.get(id(value))
        if hit is None or hit[0] is not value:
            hit = self.wb.style_keys[id(value)] = (value, _key(value))  # held: its id is not reused
        return hit[1]

    def __getitem__(self, ref: str) -> _Recorded:
        return _Recorded(self, ref)

    def merge_cells(self, ref: str) -> None:
        self.log.append(("merge", ref))

    @property
    def print_title_rows(self) -> str | None:
        return self._titles

    @print_title_rows.setter
    def print_title_rows(self, rows: str) -> None:
        self.log.append(("titles", rows))
        self._titles = rows

    @property
    def print_area(self) -> str | None:
        return self.area

    @print_area.setter
    def print_area(self, area: str) -> None:
        self.log.append(("area", area))
        self.area = area


def _draw(ws: Worksheet, st: MonthStatement, a: Account | None, labels: Labels, book: BookConfig
          ) -> tuple[str | None, str]:
    """`_statement_sheet` on `ws`, or, where a sheet of the same look was drawn up before in the
    workbook, only on a `_Recorder` (`ws` then written from that look with these values)."""
    if not isinstance(ws, _StatementSheet):  # openpyxl's own workbook (the tests' reference)
        return _statement_sheet(ws, st, a, labels, book)
    rec = _Recorder(ws.parent)
    titles, area = _statement_sheet(cast(Worksheet, rec), st, a, labels, book)
    log = tuple(rec.log)
    look = ws.parent.looks.get(log)
    if look is None:
        drawn = _statement_sheet(ws, st, a, labels, book)
        look = _Look(ws)
        # the recorder's values are openpyxl's (else no sheet is written from this look)
        if all(values_of(c) == rec.values.get(c.coordinate, list(_NO_VALUE)) for c in ws._cells.values()):
            ws.parent.looks[log] = look
            ws.look = look
        return drawn
    if titles is not None:
        ws.print_title_rows = titles
    ws.print_area = area
    ws.drawn = (look, rec.values, partial(_statement_sheet, ws, st, a, labels, book))
    return titles, area


def values_of(c: Cell | MergedCell) -> list[Any]:
    return [c._value, c.data_type]


class _BookWriter(sheetxml.Writer):
    """openpyxl's ExcelWriter; a `_StatementSheet` written by its own `xml`, in memory (openpyxl
    writes each sheet to a temporary file, reads it back and removes it)."""

    own = _StatementSheet

    def put(self, ws: Any) -> None:
        text, ws._rels = ws.xml()
        self._archive.writestr(ws.path[1:], text)


def _sheet_name(a: Account | None, number: str, labels: Labels, used: set[str]) -> str:
    if a is None:
        name = number[-12:]
    else:
        name = f"{labels.code('entity', a.entity)}{labels.code('fund', a.fund)}{labels.code('role', a.role)}"
    name = "".join(ch for ch in name if ch not in "[]:*?/\\")[:24] or number[-12:]
    if name in used:
        name = f"{name[:19]}-{number[-4:]}"
    used.add(name)
    return name


def _put(ws: Worksheet, ref: str, value: object, *, bold: bool = False, money: bool = False, box: bool = False,
         align: str | None = None, size: int | None = None, fill: PatternFill | None = None) -> None:
    cell = ws[ref]
    if isinstance(value, int) and money:
        cell.value = Decimal(value) / 100
        cell.number_format = MONEY
    else:
        if isinstance(value, str):
            cell.value = for_xlsx(value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
        else:
            cell.value = value
    if bold or size:
        cell.font = _font(bold, size or 11)
    if box:
        cell.border = BOX
    if align:
        cell.alignment = _alignment(align)
    if fill is not None:
        cell.fill = fill


def _statement_sheet(ws: Worksheet, st: MonthStatement, a: Account | None, labels: Labels, book: BookConfig
                     ) -> tuple[str | None, str]:
    """Draw up the account's sheet; its print titles and area."""
    t = labels.t
    for col, width in zip("ABCDEF", (12, 14, 30, 16, 15, 9), strict=True):
        ws.column_dimensions[col].width = width
    ws.merge_cells("A1:F1")
    _put(ws, "A1", t("book.title"), bold=True, size=16, align="center")
    unit = labels.code("entity", a.entity) if a else ""
    ws.merge_cells("A2:C2")
    _put(ws, "A2", t("book.unit", unit=unit))
    ws.merge_cells("D2:E2")
    d = st.month_end
    _put(ws, "D2", t("book.as_at", year=d.year, month=d.month, day=d.day, date=d.isoformat()), align="center")
    _put(ws, "F2", t("book.yuan"), align="right")
    ws.merge_cells("A3:C3")
    _put(ws, "A3", t("book.account", bank=a.bank if a else "", number=st.account))
    ws.merge_cells("D3:F3")
    _put(ws, "D3", t("book.account_name", name=a.name if a else ""))
    if st.state not in ("balanced", "difference"):
        ws.merge_cells("A5:F5")
        _put(ws, "A5", t("book.cannot", state=t(f"book.state.{st.state}")), bold=True, fill=BAD)
        row = 7
    else:
        for ref, key in (("A5", "book.col.item"), ("C5", "book.col.amount"), ("D5", "book.col.item"),
                         ("F5", "book.col.amount")):
            _put(ws, ref, t(key), bold=True, box=True, align="center", fill=HEAD)
        ws.merge_cells("A5:B5")
        ws.merge_cells("D5:E5")
        left = [("book.book_balance", st.book_balance_fen), ("book.add_bank_in", st.bank_in_fen),
                ("book.less_bank_out", st.bank_out_fen), ("book.adjusted", st.adjusted_book_fen)]
        right = [("book.bank_balance", st.bank_balance_fen), ("book.add_book_in", st.book_in_fen),
                 ("book.less_book_out", st.book_out_fen), ("book.adjusted", st.adjusted_bank_fen)]
        for k, ((lk, lv), (rk, rv)) in enumerate(zip(left, right, strict=True)):
            r = 6 + k
            last = k == 3
            ws.merge_cells(f"A{r}:B{r}")
            ws.merge_cells(f"D{r}:E{r}")
            _put(ws, f"A{r}", t(lk), box=True, bold=last)
            _put(ws, f"C{r}", lv or 0, money=True, box=True, bold=last)
            _put(ws, f"D{r}", t(rk), box=True, bold=last)
            _put(ws, f"F{r}", rv or 0, money=True, box=True, bold=last)
            for ref in (f"B{r}", f"E{r}"):
                ws[ref].border = BOX
        diff = st.difference_fen or 0
        ws.merge_cells("A11:F11")
        text = t("book.balanced") if not diff else t("book.unbalanced", amount=format_yuan(abs(diff)),
                                                      direction=t("book.more" if diff > 0 else "book.less"))
        _put(ws, "A11", text, bold=bool(diff), fill=BAD if diff else None)
        row = 13
        _put(ws, f"A{row}", t("book.items"), bold=True)
        row += 1
        for col, key in zip("ABCDEF", ("book.col.side", "book.col.date", "book.col.text", "book.col.ref",
                                       "book.col.amount", "book.col.age"), strict=True):
            _put(ws, f"{col}{row}", t(key), bold=True, box=True, align="center", fill=HEAD)
        ws.print_title_rows = f"{row}:{row}"
        for it in st.items:
            row += 1
            _put(ws, f"A{row}", t(f"book.side.{it.side}"), box=True, align="left")
            ws[f"B{row}"].value = it.day
            ws[f"B{row}"].number_format = "yyyy-mm-dd"
            ws[f"B{row}"].border = BOX
            _put(ws, f"C{row}", it.text + (f"（{it.counterparty}）" if it.counterparty else ""), box=True,
                 align="left")
            _put(ws, f"D{row}", it.ref, box=True)
            _put(ws, f"E{row}", it.amount_fen, money=True, box=True)
            ws[f"F{row}"].value = it.age_days
            ws[f"F{row}"].border = BOX
        if not st.items:
            row += 1
            ws.merge_cells(f"A{row}:F{row}")
            _put(ws, f"A{row}", t("book.none"))
        row += 2
    ws.merge_cells(f"A{row}:B{row}")
    _put(ws, f"A{row}", t("book.preparer", name=book.preparer or "＿＿＿＿＿＿"))
    ws.merge_cells(f"C{row}:D{row}")
    _put(ws, f"C{row}", t("book.reviewer", name=book.reviewer or "＿＿＿＿＿＿"))
    ws.merge_cells(f"E{row}:F{row}")
    _put(ws, f"E{row}", t("book.signed_on") + "＿＿＿＿")
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:F{row}"
    return ws.print_title_rows, f"A1:F{row}"


SUMMARY = ("book.col.account", "book.col.name", "book.col.state", "book.col.bank_balance", "book.col.book_balance",
           "book.col.book_in", "book.col.book_out", "book.col.bank_in", "book.col.bank_out",
           "book.col.adjusted_bank", "book.col.adjusted_book", "book.col.difference", "book.col.items")


def _figures(st: MonthStatement) -> list[int | None]:
    known = st.state in ("balanced", "difference")
    return [st.bank_balance_fen, st.book_balance_fen, *(
        (st.book_in_fen, st.book_out_fen, st.bank_in_fen, st.bank_out_fen) if known else (None,) * 4),
        st.adjusted_bank_fen if known else None, st.adjusted_book_fen if known else None, st.difference_fen]


def write_workbook(path: Path, statements: list[MonthStatement], registry: Registry, labels: Labels,
                   book: BookConfig, sheets: SheetCache | None = None) -> None:
    """The month's workbook; with `sheets`, an account's sheet kept there is taken from there."""
    wb = _workbook()
    summary = wb.active
    assert summary is not None
    summary.title = labels.t("book.sheet.summary")
    summary.append([labels.t("book.summary.title", month=statements[0].month)])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([labels.t(k) for k in SUMMARY])
    for c in summary[2]:
        c.font, c.fill, c.border = Font(bold=True), HEAD, BOX
        c.alignment = Alignment(wrap_text=True, horizontal="center")
    for i, w in enumerate((22, 40, 10, *([15] * 9), 10), start=1):
        summary.column_dimensions[get_column_letter(i)].width = w
    used: set[str] = {summary.title}
    for row, st in enumerate(sorted(statements, key=lambda s: s.account), start=3):  # after the title and heads
        a = registry.account(st.account)
        summary.append([for_xlsx(st.account), for_xlsx(a.name) if a else "", labels.t(f"book.state.{st.state}"), *(
            Decimal(v) / 100 if v is not None else None for v in _figures(st)), len(st.items)])
        # The row just appended, its columns those of the heads (summary.max_row and max_column look
        # at every cell of the sheet, at each row).
        for c in next(summary.iter_rows(min_row=row, max_row=row, max_col=len(SUMMARY))):
            c.border = BOX
            if isinstance(c.value, Decimal):
                c.number_format = MONEY
            elif isinstance(c.value, str):
                c.data_type = "s"
        if st.state == "difference":
            summary.cell(row, 3).fill = BAD
        name = _sheet_name(a, st.account, labels, used)
        ws = wb.create_sheet(name)
        if sheets is None:
            _draw(ws, st, a, labels, book)
        else:
            ws.sheets = sheets
            key = hashlib.sha256(repr((sheets.common, name, _accounts_key([st.account], registry), st)).encode()
                                 ).hexdigest()
            sheets.place(ws, key, partial(_draw, ws, st, a, labels, book))
    summary.freeze_panes = "A3"
    summary.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    summary.page_setup.orientation = "landscape"
    summary.sheet_properties.pageSetUpPr.fitToPage = True
    summary.page_setup.fitToWidth, summary.page_setup.fitToHeight = 1, 0
    with atomic(path) as f:
        wb.save(f)


# -- CSV --------------------------------------------------------------------------------------------------
ITEM_COLUMNS = ("book.col.month", "book.col.account", "book.col.side", "book.col.date", "book.col.ref",
                "book.col.text", "book.col.counterparty", "book.col.amount", "book.col.age", "book.col.where")


def _rows(statements: Sequence[MonthStatement], registry: Registry, labels: Labels) -> dict[str, tuple[str, str]]:
    """Each statement's row of book_statements.csv and its rows of book_items.csv, as text, by account."""
    out = {}
    for st in statements:
        one, items = io.StringIO(), io.StringIO()
        a = registry.account(st.account)
        csv.writer(one).writerow([st.month, st.account, for_csv(a.name if a else ""),
                                  labels.t(f"book.state.{st.state}"),
                                  *("" if v is None else plain_yuan(v) for v in _figures(st)), len(st.items),
                                  st.matched])
        w = csv.writer(items)
        for it in st.items:
            w.writerow([st.month, st.account, labels.t(f"book.side.{it.side}"), it.day.isoformat(), for_csv(it.ref),
                        for_csv(it.text), for_csv(it.counterparty), plain_yuan(it.amount_fen), it.age_days,
                        for_csv(say_place(it.where, labels.lang))])
        out[st.account] = (one.getvalue(), items.getvalue())
    return out


def _statements_csv(path: Path, index: Sequence[StoredMonth], parts: Mapping[str, _Month], labels: Labels) -> Path:
    with atomic(path, text=True, encoding="utf-8-sig") as f:
        csv.writer(f).writerow([labels.t("book.col.month"), *(labels.t(k) for k in SUMMARY),
                                labels.t("book.col.matched")])
        for m in index:
            f.write(parts[m.month].rows[m.account][0])
    return path


def _items_csv(path: Path, index: Sequence[StoredMonth], parts: Mapping[str, _Month], labels: Labels) -> Path:
    with atomic(path, text=True, encoding="utf-8-sig") as f:
        csv.writer(f).writerow([labels.t(k) for k in ITEM_COLUMNS])
        for m in index:
            f.write(parts[m.month].rows[m.account][1])
    return path


# -- the page's section ------------------------------------------------------------------------------------
STATE_CLASS = {"balanced": "ok", "difference": "bad"}


def _section_none(labels: Labels) -> str:
    return (f'<section id="book" class="page wide"><h2>{for_html(labels.t("book.title"))}</h2>'
            f'<p class="note">{for_html(labels.t("book.section.none"))}</p></section>')


def section_html(latest_statements: Sequence[MonthStatement], statements: Sequence[StoredMonth],
                 stale: dict[str, int], registry: Registry, labels: Labels, as_of: date, workbooks: list[str]) -> str:
    """The page's section: the latest month's statements in full (`latest_statements`), and every
    month's state (`statements`)."""
    latest = max(st.month for st in statements)
    rows = []
    heads = [labels.t(k) for k in (*SUMMARY, "book.col.stale")]
    for st in sorted((s for s in latest_statements if s.month == latest), key=lambda s: s.account):
        a = registry.account(st.account)
        cells = [f'<td class="code">{for_html(st.account)}</td>',
                 f'<td class="wrap">{for_html(a.name if a else "")}</td>',
                 f'<td class="code {STATE_CLASS.get(st.state, "gap")}">{for_html(labels.t(f"book.state.{st.state}"))}'
                 "</td>"]
        cells += [f'<td class="num">{"" if v is None else format_yuan(v)}</td>' for v in _figures(st)]
        cells += [f'<td class="num">{len(st.items)}</td>', f'<td class="num">{stale.get(st.account, 0)}</td>']
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = (f'<table class="t-book"><thead><tr>{"".join(f"<th>{for_html(h)}</th>" for h in heads)}</tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>')
    months = sorted({st.month for st in statements})
    accounts = sorted({st.account for st in statements})
    by = {(st.account, st.month): st for st in statements}
    grid = ["<tr><th>" + for_html(labels.t("book.col.account")) + "</th>"
            + "".join(f"<th>{for_html(m[2:])}</th>" for m in months) + "</tr>"]
    for acct in accounts:
        cells = []
        for m in months:
            here = by.get((acct, m))
            if here is None:
                cells.append("<td></td>")
                continue
            mark = ("✓" if here.state == "balanced" else format_yuan(here.difference_fen or 0)
                    if here.state == "difference" else "…")
            title = for_html(labels.t(f"book.state.{here.state}"))
            cells.append(f'<td class="{STATE_CLASS.get(here.state, "gap")}" title="{title}">{for_html(mark)}</td>')
        grid.append(f'<tr><td class="code">{for_html(acct)}</td>{"".join(cells)}</tr>')
    note = labels.t("book.section.workbooks", files="、".join(workbooks))
    return (f'<section id="book" class="page wide"><h2>{for_html(labels.t("book.section", month=latest))}</h2>'
            f"{table}<h3>{for_html(labels.t('book.section.months'))}</h3>"
            f'<table class="t-book-months">{"".join(grid)}</table><p class="note">{for_html(note)}</p></section>')


__all__ = ["BookReport", "accounts_of", "write_book"]
