"""The account registry (`mappings/accounts.toml`): who holds which pooled account, and which
outside accounts the pooled accounts may pay.

Validated on load: a duplicate account number, or an unknown entity, fund or role, is a
`ConfigError` naming the file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reconcile.errors import ConfigError

T = TypeVar("T")

ROLES = ("income", "expense", "fiscal", "legacy_fiscal")
LEVELS = ("city", "county")
NON_TABULAR_PROFILES = ("camt", "mt940", "ofx")


@dataclass(frozen=True)
class Entity:
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Fund:
    code: str
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    aliases: tuple[str, ...]
    entity: str
    fund: str
    role: str
    bank: str
    profile: str


@dataclass(frozen=True)
class External:
    number: str
    name: str
    aliases: tuple[str, ...]
    paid_by: tuple[str, ...]
    disbursement: bool


@dataclass(frozen=True)
class Registry:
    entities: tuple[Entity, ...]
    funds: tuple[Fund, ...]
    accounts: tuple[Account, ...]
    externals: tuple[External, ...]

    def memo(self, name: str, build: Callable[[], T]) -> T:
        """What `build` works out from this registry, once per registry (it is frozen): kept on the
        instance under `name`, outside the dataclass's fields (equality and `asdict` ignore it)."""
        held: T | None = self.__dict__.get(name)
        if held is None:
            held = build()
            object.__setattr__(self, name, held)
        return held

    def account(self, number: str) -> Account | None:
        raw: dict[str, Account | None] = self.memo("_raw", dict)
        if number not in raw:  # the ledger repeats a few spellings millions of times
            raw[number] = self._by_number().get(normalize_number(number))
        return raw[number]

    def first_account(self, entity: str, fund: str, role: str) -> Account | None:
        """The first account, in the registry's order, of this entity, fund and role (looked up by
        the plans' rule for every obligation: an index made once, not a scan each)."""
        def build() -> dict[tuple[str, str, str], Account]:
            first: dict[tuple[str, str, str], Account] = {}
            for a in self.accounts:
                first.setdefault((a.entity, a.fund, a.role), a)
            return first
        return self.memo("_first", build).get((entity, fund, role))

    def _by_number(self) -> dict[str, Account]:
        return self.memo("_index", lambda: {normalize_number(a.number): a for a in self.accounts})

    def entity(self, code: str) -> Entity:
        return next(e for e in self.entities if e.code == code)

    @property
    def city(self) -> Entity | None:
        """The pooling level: the entity of level "city" (the first, were there several); None in a
        registry cut down to counties. The one place that says which entity is the city."""
        return next((e for e in self.entities if e.level == "city"), None)

    @property
    def city_code(self) -> str:
        """The city's code; "" when the registry has no city."""
        city = self.city
        return city.code if city else ""

    @property
    def counties(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.level == "county")

    def fund(self, code: str) -> Fund:
        return next(f for f in self.funds if f.code == code)


_NUMBER_NOISE = re.compile(r"[\s\-'\"\t]")


def normalize_number(number: str) -> str:
    """Account numbers compare without spaces, hyphens, quotes and tabs (ABC writes 23-...)."""
    return _NUMBER_NOISE.sub("", number)


def load_registry(path: Path) -> Registry:
    name = str(path)
    if not path.is_file():
        raise ConfigError(name, "(file)", "the account registry does not exist")
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "(syntax)", f"valid TOML ({exc})") from None
    lines = _table_lines(text)
    unknown = set(raw) - {"entity", "fund", "account", "external"}
    if unknown:
        raise ConfigError(name, ", ".join(sorted(unknown)), "only [[entity]], [[fund]], [[account]], [[external]]")

    def where(kind: str, i: int) -> str:
        found = lines.get(kind, [])
        return f"{name}:{found[i]}" if i < len(found) else name

    entities = tuple(
        Entity(**_fields(t, where("entity", i), {"code": str, "name": str, "level": str}))
        for i, t in enumerate(raw.get("entity", []))
    )
    for i, e in enumerate(entities):
        if e.level not in LEVELS:
            raise ConfigError(where("entity", i), "level", f"one of {', '.join(LEVELS)}, found {e.level!r}")
    funds = tuple(
        Fund(**_fields(t, where("fund", i), {"code": str, "name": str, "keywords": tuple}))
        for i, t in enumerate(raw.get("fund", []))
    )
    entity_codes = {e.code for e in entities}
    fund_codes = {f.code for f in funds}
    spec = {"number": str, "name": str, "aliases": tuple, "entity": str, "fund": str, "role": str,
            "bank": str, "profile": str}
    accounts = []
    seen: dict[str, str] = {}
    for i, t in enumerate(raw.get("account", [])):
        at = where("account", i)
        a = Account(**_fields(t, at, spec))
        if a.entity not in entity_codes:
            raise ConfigError(at, "entity", f"one of {', '.join(sorted(entity_codes))}, found {a.entity!r}")
        if a.fund not in fund_codes:
            raise ConfigError(at, "fund", f"one of {', '.join(sorted(fund_codes))}, found {a.fund!r}")
        if a.role not in ROLES:
            raise ConfigError(at, "role", f"one of {', '.join(ROLES)}, found {a.role!r}")
        key = normalize_number(a.number)
        if key in seen:
            raise ConfigError(at, "number", f"a number not used before, but {a.number} is already at {seen[key]}")
        seen[key] = at
        accounts.append(a)
    externals = []
    for i, t in enumerate(raw.get("external", [])):
        at = where("external", i)
        x = External(**_fields(t, at, {"number": str, "name": str, "aliases": tuple, "paid_by": tuple,
                                       "disbursement": bool}))
        bad = [r for r in x.paid_by if r not in ROLES]
        if bad:
            raise ConfigError(at, "paid_by", f"roles among {', '.join(ROLES)}, found {bad!r}")
        key = normalize_number(x.number)
        if key in seen:
            raise ConfigError(at, "number", f"a number not used before, but {x.number} is already at {seen[key]}")
        seen[key] = at
        externals.append(x)
    return Registry(entities, funds, tuple(accounts), tuple(externals))


def _fields(table: Any, at: str, spec: Mapping[str, type]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(at, "(table)", "a table")
    out: dict[str, Any] = {}
    for key in table:
        if key not in spec:
            raise ConfigError(at, key, f"no such field (known: {', '.join(spec)})")
    for key, tp in spec.items():
        if key not in table:
            if tp is tuple:
                out[key] = ()
                continue
            raise ConfigError(at, key, "a value (the field is required)")
        value = table[key]
        if tp is tuple:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(at, key, f"an array of strings, found {value!r}")
            out[key] = tuple(value)
        elif not isinstance(value, tp):
            raise ConfigError(at, key, f"{'a string' if tp is str else 'true or false'}, found {value!r}")
        else:
            out[key] = value
    return out


def _table_lines(text: str) -> dict[str, list[int]]:
    """1-based line numbers of each [[kind]] header, in order, so errors can name the line."""
    found: dict[str, list[int]] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = re.fullmatch(r"\s*\[\[\s*(\w+)\s*\]\]\s*(#.*)?", line)
        if m:
            found.setdefault(m.group(1), []).append(n)
    return found
