"""Turning report cells into text (HTML, CSV) and spreadsheet values, in the chosen language.

Money stays integer fen until here: text through `format_yuan`/`plain_yuan`, spreadsheet numbers
as exact `Decimal` yuan (fen / 100) with the ¥#,##0.00 format. Never a float. Text leaves through
the sinks of `reconcile.sinks` (never a formula, never a raw control character).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from reconcile.accounts import Registry
from reconcile.departures import Departure, describe
from reconcile.messages import CATALOGUE, t
from reconcile.money import format_yuan, plain_yuan
from reconcile.places import say_place
from reconcile.reporting.detail import describe_detail
from reconcile.reporting.table import CODE_KINDS, NO_ENTITY, Column, Table, format_percent
from reconcile.sinks import for_csv

MONEY_FORMAT = "¥#,##0.00"
YUAN_DAYS_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
NUMBER_KINDS = ("money", "fen_days", "percent", "int")
MEMO_LIMIT = 200_000  # cells made once a workbook and kept (a province's millions of lines would not fit)
_PLAIN = frozenset({str, int, bool, date, datetime, type(None)})  # values kept by their type and value


def memo_key(kind: str, value: object) -> tuple[object, ...] | None:
    """What a cell of a column of `kind` shows, as a key: its type and value (a detail, a dict: its
    text, in its order); None: a value not kept (its cell is said again each time). Two values with
    the same key are said the same in every form (text, CSV, workbook)."""
    t = type(value)
    if t in _PLAIN:
        return (kind, t, value)
    if t is dict:
        return (kind, t, repr(value))
    return None


class Labels:
    """Labels and cell rendering for one language, registry and time zone."""

    def __init__(self, lang: str, registry: Registry, timezone: str = "Asia/Shanghai") -> None:
        self.lang = lang
        self.registry = registry
        self.tz = ZoneInfo(timezone)
        self.entities = {e.code: e.name for e in registry.entities}
        self.funds = {f.code: f.name for f in registry.funds}
        # A code's label and a place's words, once each: the same values are said again and again (the
        # page, the CSV files and the workbook say each line's place and kind; every row its entity).
        self._said: dict[tuple[str, type, object], str] = {}

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def has(self, key: str) -> bool:
        return key in CATALOGUE

    def code(self, kind: str, value: object) -> str:
        """The label of a code (a finding kind, a status, an entity...)."""
        if value is None:
            return ""
        if kind == "yesno":
            return self.t("report.yesno.yes" if value else "report.yesno.no")
        code = str(value)
        if kind == "entity":
            if code == NO_ENTITY and code not in self.entities:
                return self.t("report.entity.none")
            name = self.entities.get(code, code)
            return name if self.lang != "en" or name == code else f"{name} ({code})"
        if kind in ("fund", "role"):
            key = f"{kind}.{code}"
            return self.t(key) if self.has(key) else self.funds.get(code, code)
        key = f"report.{kind}.{code}"
        return self.t(key) if self.has(key) else code

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz) if moment.tzinfo else moment

    def text(self, column: Column, value: object) -> str:
        """A cell as display text (HTML): money with thousands separators."""
        return self._text(column, value, format_yuan)

    def plain(self, column: Column, value: object) -> str:
        """A cell as a CSV value: money as plain decimal yuan, dates ISO."""
        return self._text(column, value, plain_yuan)

    def csv(self, column: Column, value: object) -> str:
        """A cell as written to a CSV file: a number as it is, text neutralised (reconcile.sinks)."""
        text = self.plain(column, value)
        if column.kind in NUMBER_KINDS and isinstance(value, int) and not isinstance(value, bool):
            return text
        return for_csv(text)

    def _text(self, column: Column, value: object, money: Callable[[int], str]) -> str:
        if value is None:
            return ""
        kind = column.kind
        if kind in ("money", "fen_days") and isinstance(value, int):
            return money(value)
        if kind == "percent" and isinstance(value, int):
            return format_percent(value)
        if kind == "datetime" and isinstance(value, datetime):
            return self.local(value).strftime("%Y-%m-%d %H:%M")
        if kind == "date" and isinstance(value, date):
            return value.isoformat()
        if kind in CODE_KINDS or (kind == "where" and isinstance(value, str)):
            if not isinstance(value, str | int):  # a label of another value is not kept
                return self.code(kind, value)
            key = (kind, type(value), value)
            said = self._said.get(key)
            if said is None:
                said = self.code(kind, value) if kind in CODE_KINDS else say_place(str(value), self.lang)
                self._said[key] = said
            return said
        if kind == "detail" and isinstance(value, dict):
            return self.detail(value)
        if kind == "warning" and isinstance(value, Departure):
            return describe(value, self.lang)
        return str(value)

    def detail(self, detail: dict[str, object]) -> str:
        return describe_detail(detail, self.lang, lambda code: self.code("entity", code))

    def xlsx(self, column: Column, value: object) -> tuple[object, str | None]:
        """A cell as a spreadsheet value and its number format."""
        if value is None:
            return None, None
        kind = column.kind
        if kind == "money" and isinstance(value, int):
            return Decimal(value) / 100, MONEY_FORMAT
        if kind == "fen_days" and isinstance(value, int):
            return Decimal(value) / 100, YUAN_DAYS_FORMAT
        if kind == "percent" and isinstance(value, int):
            return Decimal(value) / 10_000, PERCENT_FORMAT
        if kind == "datetime" and isinstance(value, datetime):
            return self.local(value).replace(tzinfo=None), DATETIME_FORMAT
        if kind == "date" and isinstance(value, date):
            return value, DATE_FORMAT
        if kind == "int" and isinstance(value, int):
            return value, None
        return self.text(column, value), None  # a string cell through jobs.report.xlsx.cell


def window_note(labels: Labels, table: Table) -> str:
    """The line under a table that lists history: the window it lists (reconcile.reporting.window)."""
    assert table.window is not None
    return labels.t("report.window.note", start=table.window.start.isoformat(), end=table.window.end.isoformat())
