"""The shell (jobs) and the desk (web) go to the database through the store's functions only
(issue 13): no Session, no ORM row class, no select() of their own. The import contract in
pyproject.toml keeps SQLAlchemy and store.models out of their imports; this keeps the names out of
their code (a Session could still be had from store.db)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEALED = sorted(str(p.relative_to(ROOT)) for folder in ("jobs", "web") for p in (ROOT / folder).rglob("*.py"))
# The ORM's table classes, as store/models.py declares them (a core record may be called ...Row too).
TABLES = re.findall(r"^class (\w+)\(Base\)", (ROOT / "store" / "models.py").read_text(encoding="utf-8"), re.M)
LEAKS = re.compile(r"\bsession_scope\b|\bSession\b|\bselect\(|[:>] Engine\b|\b(" + "|".join(TABLES) + r")\b")


@pytest.mark.parametrize("module", SEALED)
def test_a_sealed_shell_module_names_no_session_row_or_select(module: str) -> None:
    text = (ROOT / module).read_text(encoding="utf-8")
    leaks = [f"{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if LEAKS.search(line)]
    assert leaks == []


def test_the_table_classes_are_found() -> None:
    assert len(TABLES) > 20 and "FindingRow" in TABLES and "LineRow" in TABLES
