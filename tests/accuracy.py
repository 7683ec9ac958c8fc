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


BOOK_FIGURES = ("bank_balance_fen", "book_balance_fen", "book_in_fen", "book_out_fen", "bank_in_fen", "bank_out_fen",
                "adjusted_bank_fen", "adjusted_book_fen", "difference_fen")


def book_row(st: Any) -> dict[str, Any]:
    """A stored monthly 调节表 in the answer key's shape: state, figures, items (side, date, amount)."""
    row: dict[str, Any] = {"account": st.account, "month": st.month, "state": st.state}
    if st.state in ("balanced", "difference"):
        row |= {k: getattr(st, k) for k in BOOK_FIGURES}
        row["items"] = sorted([it.side, it.day.isoformat(), it.amount_fen] for it in st.items)
    return row


def compare_book(expected: list[dict[str, Any]], found: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """(missed, extra) account-months: every figure and item must agree."""
    want = {(m["account"], m["month"]): m for m in expected}
    got = {(m["account"], m["month"]): m for m in found}
    differ = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    return [want.get(k) for k in differ], [got.get(k) for k in differ]
