"""`mappings/codes.toml`: the keywords and transaction codes that class a line."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from reconcile.errors import ConfigError

CLASSES = ("fee", "interest", "return", "refund", "route")


@dataclass(frozen=True)
class Codes:
    keywords: dict[str, tuple[str, ...]]
    type_codes: dict[str, frozenset[str]]

    def has(self, cls: str, text: str, type_code: str = "") -> bool:
        if type_code and type_code.upper() in self.type_codes.get(cls, frozenset()):
            return True
        return any(k in text for k in self.keywords.get(cls, ()))


def load_codes(path: Path) -> Codes:
    name = str(path)
    if not path.is_file():
        raise ConfigError(name, "(file)", "the line classes file does not exist")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "(syntax)", f"valid TOML ({exc})") from None
    keywords: dict[str, tuple[str, ...]] = {}
    types: dict[str, frozenset[str]] = {}
    for cls, table in raw.items():
        if cls not in CLASSES:
            raise ConfigError(name, cls, f"one of {', '.join(CLASSES)}")
        if not isinstance(table, dict) or set(table) - {"keywords", "type_codes"}:
            raise ConfigError(name, cls, "a table with keywords and type_codes")
        for key in ("keywords", "type_codes"):
            value = table.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(name, f"{cls}.{key}", "an array of strings")
        keywords[cls] = tuple(table.get("keywords", []))
        types[cls] = frozenset(v.upper() for v in table.get("type_codes", []))
    return Codes(keywords, types)


DEFAULT = Codes(
    keywords={"fee": ("手续费", "汇划费", "工本费", "账户管理费"), "interest": ("利息", "结息"),
              "return": ("退汇", "退回"), "refund": ("退费", "退款", "原渠道退回"),
              "route": ("上解", "划拨", "拨付", "划转", "缴拨")},
    type_codes={},
)
