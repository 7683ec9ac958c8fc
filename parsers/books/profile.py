"""Journal profiles: one TOML file per journal export layout in `mappings/books/`, validated here.

The schema is documented in `mappings/books/README.md`. Validation is strict, as for bank profiles:
an unknown key or a wrong type names the file and the key, since a typo would otherwise turn a
column off and read every amount wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.profile_folder import load_folder
from reconcile.errors import ConfigError

DEFAULT_BOOKS_DIR = Path(__file__).resolve().parents[2] / "mappings" / "books"
COLUMNS = ("date", "month", "day", "voucher", "text", "counterparty", "settlement", "debit", "credit", "amount",
           "direction", "balance_direction", "balance")
TITLE = ("subject", "period", "account", "unit", "year")
ROWS = ("opening", "day_total", "period_total", "year_total", "other")
_SECTIONS: dict[str, dict[str, type]] = {
    "detect": {"title": list, "required": list},
    "columns": {c: list for c in COLUMNS},
    "amount": {"in_words": list, "out_words": list, "flat_words": list},
    "title": {t: list for t in TITLE},
    "rows": {r: list for r in ROWS},
    "layout": {"kind": str, "encoding": str, "title": list, "header": list, "date_format": str,
               "day_totals": bool, "period_totals": bool, "year_totals": bool, "thousands": bool,
               "period_format": str, "subject_format": str, "labels": dict, "label_cells": bool},
}
_TOP = {"name", "software", "description", *_SECTIONS}


@dataclass(frozen=True)
class BookProfile:
    name: str
    software: str = ""
    description: str = ""
    title_words: tuple[str, ...] = ()  # one of them must appear above the header (e.g. 日记账)
    required: tuple[str, ...] = ()
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    in_words: tuple[str, ...] = ("借", "收", "收入")
    out_words: tuple[str, ...] = ("贷", "付", "支出")
    flat_words: tuple[str, ...] = ("平",)
    title: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    layout: dict[str, Any] = field(default_factory=dict)


def _strs(file: str, key: str, v: object) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise ConfigError(file, key, "a list of non-empty strings")
    return tuple(v)


def _section(file: str, data: dict[str, Any], name: str) -> dict[str, Any]:
    sec = data.get(name, {})
    if not isinstance(sec, dict):
        raise ConfigError(file, name, "a table")
    allowed = _SECTIONS[name]
    for k, v in sec.items():
        if k not in allowed:
            raise ConfigError(file, f"{name}.{k}", f"one of {sorted(allowed)}")
        if not isinstance(v, allowed[k]):
            raise ConfigError(file, f"{name}.{k}", {list: "a list", str: "a string", bool: "true or false",
                                                     dict: "a table"}[allowed[k]])
    return sec


def parse_profile(file: str, data: dict[str, Any]) -> BookProfile:
    for k in data:
        if k not in _TOP:
            raise ConfigError(file, k, f"one of {sorted(_TOP)}")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(file, "name", "the profile's name (the file name without .toml)")
    det = _section(file, data, "detect")
    cols = {k: _strs(file, f"columns.{k}", v) for k, v in _section(file, data, "columns").items()}
    if not (("date" in cols) or ("month" in cols and "day" in cols)):
        raise ConfigError(file, "columns.date", "a date column, or month and day columns")
    if not ({"debit", "credit"} <= cols.keys() or {"amount", "direction"} <= cols.keys()):
        raise ConfigError(file, "columns.debit", "debit and credit columns, or amount and direction columns")
    required = _strs(file, "detect.required", det.get("required", []))
    if not required:
        raise ConfigError(file, "detect.required", "the header names that identify this layout")
    title_words = _strs(file, "detect.title", det.get("title", []))
    if not title_words:
        raise ConfigError(file, "detect.title", "words of the title block, such as 日记账")
    amt = _section(file, data, "amount")
    words = {k: _strs(file, f"amount.{k}", v) for k, v in amt.items()}
    title = {k: _strs(file, f"title.{k}", v) for k, v in _section(file, data, "title").items()}
    rows = {k: _strs(file, f"rows.{k}", v) for k, v in _section(file, data, "rows").items()}
    layout = _section(file, data, "layout")
    if layout.get("kind", "csv") not in ("csv", "xlsx"):
        raise ConfigError(file, "layout.kind", '"csv" or "xlsx"')
    return BookProfile(
        name=name, software=str(data.get("software", "")), description=str(data.get("description", "")),
        title_words=title_words, required=required, columns=cols,
        in_words=words.get("in_words", BookProfile.in_words), out_words=words.get("out_words", BookProfile.out_words),
        flat_words=words.get("flat_words", BookProfile.flat_words), title=title, rows=rows, layout=layout,
    )


def load_profiles(books_dir: Path | None = None) -> dict[str, BookProfile]:
    """Every journal profile in the folder, by name (cached until a file changes)."""
    folder = books_dir or DEFAULT_BOOKS_DIR
    if not folder.is_dir():
        return {}
    return load_folder(folder, parse_profile)
