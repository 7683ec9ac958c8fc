"""Comparing the engine's findings with the simulator's answer key, field by field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

FIELDS = ("kind", "rule", "entity", "fund", "account", "period", "amount_fen", "days_late")


def key_of(f: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(f.get(k) for k in FIELDS)


def compare(expected: list[dict[str, Any]], found: list[dict[str, Any]]) -> tuple[list[tuple[Any, ...]],
                                                                                  list[tuple[Any, ...]]]:
    """(missed, extra): expected findings the engine did not give, and findings it gave beyond them."""
    want, got = Counter(map(key_of, expected)), Counter(map(key_of, found))
    return sorted((want - got).elements(), key=str), sorted((got - want).elements(), key=str)


def load_key(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
