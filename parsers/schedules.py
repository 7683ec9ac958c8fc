"""Payment plans (用款计划), the surplus schedule, collection targets and budgets (预算): CSV or XLSX
files in the documented layouts (`mappings/templates/`), recognised by their header row, never by their name.

Entity and fund are accepted by code or by Chinese name (and, for funds, by keyword such as 养老).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from parsers.tabular import grid, sniff
from parsers.tabular.values import parse_date
from reconcile.accounts import Registry
from reconcile.engine.types import CollectionTarget, PaymentPlan, SurplusItem
from reconcile.errors import ParseError
from reconcile.money import to_fen
from reconcile.places import say_place
from reconcile.reporting.budget import BudgetLine

LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    "payment_plan": {
        "month": ("month", "月份"), "entity": ("entity", "单位"), "fund": ("fund", "险种"),
        "amount": ("amount", "金额"), "submitted": ("submitted", "上报日期"), "approved": ("approved", "审批日期"),
        "version": ("version", "版本"),
    },
    "surplus_schedule": {
        "entity": ("entity", "单位"), "fund": ("fund", "险种"), "amount": ("amount", "金额"),
        "due": ("due", "到期日"), "account": ("account", "划出账户"),
    },
    "collection_targets": {
        "year": ("year", "年度"), "entity": ("entity", "单位"), "fund": ("fund", "险种"),
        "amount": ("amount", "目标金额"),
    },
    "budget": {
        "year": ("year", "年度"), "entity": ("entity", "单位"), "fund": ("fund", "险种"),
        "income": ("income_budget", "收入预算"), "expense": ("expense_budget", "支出预算"),
        "month": ("month", "月份"), "version": ("version", "版本"), "approved": ("approved", "批准日期", "审批日期"),
    },
}
OPTIONAL = {"payment_plan": {"version"}, "budget": {"month", "version", "approved"}}
Row = PaymentPlan | SurplusItem | CollectionTarget | BudgetLine


@dataclass(frozen=True)
class Schedule:
    kind: str
    rows: list[Row]


def _norm(cell: str) -> str:
    return "".join(cell.split()).lower()


def _header(rows: list[list[str]]) -> tuple[str, int, dict[str, int]] | None:
    present = {_norm(c) for row in rows[:10] for c in row}
    if not any(all(any(s in present for s in cols[f]) for f in cols.keys() - OPTIONAL.get(kind, set()))
               for kind, cols in LAYOUTS.items()):
        return None  # no layout has each of its required columns named by some cell: no row below can
    for i, row in enumerate(rows[:10]):
        names = [_norm(c) for c in row]
        for kind, cols in LAYOUTS.items():
            found = {}
            for field, synonyms in cols.items():
                j = next((k for k, n in enumerate(names) if n in synonyms), None)
                if j is not None:
                    found[field] = j
            if set(cols) - OPTIONAL.get(kind, set()) <= set(found) and len(found) == len([n for n in names if n]):
                return kind, i, found
    return None


def _may_name_columns(text: str) -> bool:
    """Whether a text head names, somewhere, every column some layout requires. A header cell is a
    piece of the text without its quotes (CSV drops them; no column name holds one), and `_norm`
    takes its spaces out and lower-cases it as it does the whole head's, so a head that fails this
    has no header row: the statements and journals, every text file of a night but the plans, are
    told apart without sniffing a delimiter and splitting the head into cells."""
    flat = _norm(text.replace('"', "") if '"' in text else text)
    return any(all(any(s in flat for s in cols[f]) for f in cols.keys() - OPTIONAL.get(kind, set()))
               for kind, cols in LAYOUTS.items())


def detect(data: bytes) -> str | None:
    """The schedule layout these bytes hold, or None. Looks only at the first rows, so that
    telling a statement from a plan costs little whatever the file's size."""
    k = sniff.kind(data[:8192])
    rows: list[list[str]] = []
    if k == "text":
        head = data[:8192]
        if len(data) > len(head):
            head = head[: head.rfind(b"\n") + 1]
        try:
            text, _ = sniff.decode(head)
            if not _may_name_columns(text):
                return None
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=grid.sniff_delimiter(text)))[:10]
        except (UnicodeDecodeError, csv.Error):
            return None
    elif k in ("xlsx", "xls"):
        try:
            book = grid.open_workbook(data)
            names = book.sheet_names
            if not names:  # calamine's get_sheet_by_index(0) refuses it (WorksheetNotFound)
                return None
            it = grid.workbook_sheet(book, names[0]).iter_rows()
            rows = [[grid.cell_text(v) for v in row] for _, row in zip(range(10), it, strict=False)]
        except BaseException as exc:  # not a workbook calamine can open (or a Rust panic in it): not a schedule
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return None
    found = _header(rows)
    return found[0] if found else None


def read(data: bytes, file_name: str, registry: Registry) -> Schedule:
    sheets = grid.read_sheets(data)
    if not sheets:
        raise ParseError(key="schedule.no_sheet", file=file_name)
    sheet = sheets[0]
    found = _header(sheet.rows)
    if found is None:
        raise ParseError(key="schedule.no_header", file=file_name)
    kind, at, cols = found
    entities = {e.code: e.code for e in registry.entities} | {e.name: e.code for e in registry.entities}
    codes = ", ".join(sorted(e.code for e in registry.entities))
    funds = {f.code: f.code for f in registry.funds} | {f.name: f.code for f in registry.funds}
    funds |= {k: f.code for f in registry.funds for k in f.keywords}
    out: list[Row] = []
    budgets = BudgetCheck(file_name)
    for i in range(at + 1, len(sheet.rows)):
        row = sheet.rows[i]
        if not any(c.strip() for c in row):
            continue
        where = sheet.where(i)

        def cell(name: str, row: list[str] = row) -> str:
            j = cols.get(name)
            return row[j].strip() if j is not None and j < len(row) else ""

        def need(name: str, value: object, where: str = where) -> None:
            """Refuse a missing or unreadable `name`; parse.schedule.need.<name> says what it expects."""
            if value is None or value == "":
                raise ParseError(key=f"schedule.need.{name}", values={"found": cell(name), "codes": codes},
                                 file=file_name, where=where)

        entity = entities.get(cell("entity"))
        need("entity", entity)
        fund = funds.get(cell("fund"))
        need("fund", fund)
        assert entity is not None and fund is not None
        if kind == "budget":
            out.append(budgets.row(cell, need, entity, fund, where))
            continue
        amount = to_fen(cell("amount"), where=f"{where}: amount")
        if kind == "payment_plan":
            month = cell("month").replace("/", "-")
            ok = len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit()
            need("month", month if ok else None)
            submitted = parse_date(cell("submitted"))
            need("submitted", submitted)
            approved = parse_date(cell("approved")) if cell("approved") else None
            version = cell("version")
            if version and not version.isdigit():
                raise ParseError(key="schedule.version", values={"found": version}, file=file_name, where=where)
            assert submitted is not None
            out.append(PaymentPlan(month, entity, fund, amount, submitted, approved, int(version) if version else None,
                               file_name, where))
        elif kind == "surplus_schedule":
            due = parse_date(cell("due"))
            need("due", due)
            assert isinstance(due, date)
            acct = registry.account(cell("account"))
            need("account", acct)
            assert acct is not None
            out.append(SurplusItem(entity, fund, amount, due, acct.number, file_name, where))
        else:
            year = cell("year")
            need("year", year if year.isdigit() and len(year) == 4 else None)
            out.append(CollectionTarget(int(year), entity, fund, amount, file_name, where))
    return Schedule(kind, out)


class BudgetCheck:
    """Reads budget rows and refuses a file that says one thing twice: the same year, entity, fund,
    version and month on two rows, or yearly and monthly rows for the same budget."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.seen: dict[tuple[int, str, str, int | None, int | None], str] = {}
        self.shape: dict[tuple[int, str, str, int | None], tuple[bool, str]] = {}

    def row(self, cell: Callable[[str], str], need: Callable[[str, object], None], entity: str, fund: str,
            where: str) -> BudgetLine:
        year_text = cell("year")
        need("year", year_text if year_text.isdigit() and len(year_text) == 4 else None)
        year = int(year_text)
        month = _budget_month(cell("month"), year)
        if cell("month") and month is None:
            raise ParseError(key="schedule.budget_month", values={"year": year, "found": cell("month")},
                             file=self.file_name, where=where)
        version_text = cell("version")
        if version_text and not version_text.isdigit():
            raise ParseError(key="schedule.version", values={"found": version_text}, file=self.file_name,
                             where=where)
        version = int(version_text) if version_text else None
        approved = parse_date(cell("approved")) if cell("approved") else None
        if cell("approved"):
            need("approved", approved)
        income = to_fen(cell("income"), where=f"{where}: income_budget")
        expense = to_fen(cell("expense"), where=f"{where}: expense_budget")
        for name, fen in (("income_budget", income), ("expense_budget", expense)):
            if fen < 0:
                raise ParseError(key=f"schedule.negative.{name}", values={"found": cell(name.split("_")[0])},
                                 file=self.file_name, where=where)
        key = (year, entity, fund, version, month)
        if key in self.seen:
            raise ParseError(key="schedule.budget_twice" if month is None else "schedule.budget_month_twice",
                             values={"year": year, "entity": entity, "fund": fund, "month": month,
                                     "first": self.seen[key], "first_zh": say_place(self.seen[key], "zh")},
                             file=self.file_name, where=where)
        self.seen[key] = where
        shape = self.shape.setdefault(key[:4], (month is None, where))
        if shape[0] != (month is None):
            raise ParseError(key="schedule.budget_shape", values={"year": year, "entity": entity, "fund": fund,
                             "other": shape[1], "other_zh": say_place(shape[1], "zh")},
                             file=self.file_name, where=where)
        return BudgetLine(year, entity, fund, month, income, expense, version, approved, self.file_name, where)


def _budget_month(text: str, year: int) -> int | None:
    """1-12, 01-12, or YYYY-MM (YYYY/MM) of the budget's year; None when absent or not a month of it."""
    text = text.strip().replace("/", "-").removesuffix("月")
    if not text:
        return None
    if "-" in text:
        y, _, m = text.partition("-")
        if y != str(year):
            return None
        text = m
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None
