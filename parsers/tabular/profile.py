"""Bank profiles: one TOML file per export layout in `mappings/banks/`, loaded and validated here.

The schema is documented in `mappings/banks/README.md`. Validation is strict (an unknown key or a
wrong type names the file and the key) because a typo in a profile would otherwise silently turn
a column off and make every amount in a file wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.profile_folder import load_folder
from reconcile.errors import ConfigError

DEFAULT_BANKS_DIR = Path(__file__).resolve().parents[2] / "mappings" / "banks"

FIELDS = frozenset(
    {
        "booking_date", "txn_date", "value_date", "time", "debit", "credit", "amount", "flag",
        "balance", "counterparty_account", "counterparty_name", "payer_account", "payer_name",
        "payee_account", "payee_name", "text", "remark", "bank_ref", "own_account", "own_name",
        "currency", "status",
    }
)
CONVENTIONS = ("debit_credit", "signed", "flag", "flag_debit_credit")
PREAMBLE_KEYS = frozenset(
    {"own_account", "account_name", "period", "period_start", "period_end", "opening", "closing", "currency"}
)
# Currency words every profile understands; a profile's [currency] map adds to these.
BASE_CURRENCY_MAP = {"人民币": "CNY", "人民币元": "CNY", "RMB": "CNY", "CNY": "CNY", "元": "CNY", "本币": "CNY"}

_TYPE_NAMES = {list: "a list", str: "a string", int: "an integer", bool: "true or false", dict: "a table"}
_TOP = {"name", "bank", "description", "detect", "columns", "append", "amount", "dates", "preamble",
        "ref", "currency", "status", "layout"}
_SECTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "detect": {"required": list, "markers": list, "row": list, "header_rows": int},
    "amount": {"convention": str, "flag_in": list, "flag_out": list, "flag_zero": list, "invert": bool,
               "debit_sign": str, "decimal": str},
    "dates": {"order": str},
    "ref": {"strength": str},
    "currency": {"default": str, "map": dict},
    "status": {"pending": list, "info": list},
    "layout": {"no_header": bool, "header": list, "preamble": list, "encoding": str, "delimiter": str,
               "kind": str, "thousands": bool, "numeric": bool, "formats": dict, "zero": str,
               "prefix": dict, "sheet": str, "currency": str},
}


@dataclass(frozen=True)
class Profile:
    """A validated profile; `columns` maps a canonical field to header synonyms or a column index."""

    name: str
    bank: str = ""
    description: str = ""
    required: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    row_patterns: tuple[re.Pattern[str] | None, ...] = ()
    header_rows: int = 1
    columns: dict[str, tuple[str, ...] | int] = field(default_factory=dict)
    append: dict[str, tuple[str | int, ...]] = field(default_factory=dict)
    convention: str = "signed"
    flag_in: tuple[str, ...] = ()
    flag_out: tuple[str, ...] = ()
    flag_zero: tuple[str, ...] = ()
    invert: bool = False
    debit_sign: str = "positive"
    decimal: str = "."
    date_order: str = "ymd"
    preamble: dict[str, tuple[str, ...]] = field(default_factory=dict)
    ref_strength: str = "none"
    currency_default: str = "CNY"
    currency_map: dict[str, str] = field(default_factory=dict)
    pending: tuple[str, ...] = ()
    info: tuple[str, ...] = ()
    layout: dict[str, Any] = field(default_factory=dict)

    @property
    def no_header(self) -> bool:
        return bool(self.layout.get("no_header", False))


def _strs(file: str, key: str, v: object) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ConfigError(file, key, "a list of strings")
    return tuple(v)


def _section(file: str, data: dict[str, Any], name: str) -> dict[str, Any]:
    sec = data.get(name, {})
    if not isinstance(sec, dict):
        raise ConfigError(file, name, "a table")
    allowed = _SECTIONS.get(name)
    if allowed is not None:
        for k, v in sec.items():
            if k not in allowed:
                raise ConfigError(file, f"{name}.{k}", f"one of {sorted(allowed)}")
            want = allowed[k]
            if not isinstance(v, want) or (want is int and isinstance(v, bool)):
                kinds: tuple[type, ...] = want if isinstance(want, tuple) else (want,)
                raise ConfigError(file, f"{name}.{k}", " or ".join(_TYPE_NAMES[t] for t in kinds))
    return sec


def parse_profile(file: str, data: dict[str, Any]) -> Profile:
    """Validate one profile's TOML data. Raises ConfigError naming the file and key."""
    for k in data:
        if k not in _TOP:
            raise ConfigError(file, k, f"one of {sorted(_TOP)}")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(file, "name", "the profile's name (the file name without .toml)")
    det, amt, lay = _section(file, data, "detect"), _section(file, data, "amount"), _section(file, data, "layout")
    columns: dict[str, tuple[str, ...] | int] = {}
    for k, v in _section(file, data, "columns").items():
        if k not in FIELDS:
            raise ConfigError(file, f"columns.{k}", f"a canonical field, one of {sorted(FIELDS)}")
        columns[k] = v if isinstance(v, int) and not isinstance(v, bool) else _strs(file, f"columns.{k}", v)
        if isinstance(columns[k], tuple) and not all(str(x).strip() for x in columns[k]):  # type: ignore[union-attr]
            raise ConfigError(file, f"columns.{k}", "header names, none empty (a column without a name: its index)")
    append: dict[str, tuple[str | int, ...]] = {}
    for k, v in _section(file, data, "append").items():
        if k not in ("text", "remark") or not isinstance(v, list):
            raise ConfigError(file, f"append.{k}", "text or remark = a list of headers or indices")
        append[k] = tuple(v)
    preamble = {}
    for k, v in _section(file, data, "preamble").items():
        if k not in PREAMBLE_KEYS:
            raise ConfigError(file, f"preamble.{k}", f"one of {sorted(PREAMBLE_KEYS)}")
        preamble[k] = _strs(file, f"preamble.{k}", v)
    convention = amt.get("convention", "signed")
    if convention not in CONVENTIONS:
        raise ConfigError(file, "amount.convention", f"one of {CONVENTIONS}")
    needs = {"debit_credit": ("debit", "credit"), "signed": ("amount",), "flag": ("flag", "amount"),
             "flag_debit_credit": ("flag", "debit", "credit")}[convention]
    for f in needs:
        if f not in columns:
            raise ConfigError(file, f"columns.{f}", f"a column for amount convention {convention!r}")
    if not (columns.keys() & {"booking_date", "txn_date"}):
        raise ConfigError(file, "columns.booking_date", "a booking_date or txn_date column")
    if amt.get("decimal", ".") not in (".", ","):
        raise ConfigError(file, "amount.decimal", '"." or ","')
    if amt.get("debit_sign", "positive") not in ("positive", "negative"):
        raise ConfigError(file, "amount.debit_sign", '"positive" or "negative"')
    order = _section(file, data, "dates").get("order", "ymd")
    if order not in ("ymd", "dmy", "mdy"):
        raise ConfigError(file, "dates.order", '"ymd", "dmy" or "mdy"')
    strength = _section(file, data, "ref").get("strength", "none")
    if strength not in ("none", "weak", "strong"):
        raise ConfigError(file, "ref.strength", '"strong", "weak" or "none"')
    cur = _section(file, data, "currency")
    cmap = dict(BASE_CURRENCY_MAP)
    for code, words in cur.get("map", {}).items():
        for w in _strs(file, f"currency.map.{code}", words):
            cmap[w] = code
    row_patterns = tuple(re.compile(p) if p else None for p in _strs(file, "detect.row", det.get("row", [])))
    if lay.get("no_header") and not row_patterns:
        raise ConfigError(file, "detect.row", "cell patterns of a data row (a headerless layout)")
    if not lay.get("no_header") and not det.get("required"):
        raise ConfigError(file, "detect.required", "the header names that identify this layout")
    status = _section(file, data, "status")
    return Profile(
        name=name, bank=str(data.get("bank", "")), description=str(data.get("description", "")),
        required=_strs(file, "detect.required", det.get("required", [])),
        markers=_strs(file, "detect.markers", det.get("markers", [])), row_patterns=row_patterns,
        header_rows=det.get("header_rows", 1), columns=columns, append=append, convention=convention,
        flag_in=_strs(file, "amount.flag_in", amt.get("flag_in", [])),
        flag_out=_strs(file, "amount.flag_out", amt.get("flag_out", [])),
        flag_zero=_strs(file, "amount.flag_zero", amt.get("flag_zero", [])),
        invert=amt.get("invert", False), debit_sign=amt.get("debit_sign", "positive"),
        decimal=amt.get("decimal", "."), date_order=order, preamble=preamble, ref_strength=strength,
        currency_default=cur.get("default", "CNY"), currency_map=cmap,
        pending=_strs(file, "status.pending", status.get("pending", [])),
        info=_strs(file, "status.info", status.get("info", [])), layout=lay,
    )


def load_profiles(banks_dir: Path | None) -> dict[str, Profile]:
    """Every profile in the folder, by name (cached until a file changes)."""
    folder = banks_dir or DEFAULT_BANKS_DIR
    return load_folder(folder, parse_profile)
