"""The shell's command, run and lock modules go to the database through the store's functions only
(issue 13): no Session, no ORM row class, no select() of their own. The import contract in
pyproject.toml keeps SQLAlchemy and store.models out of their imports; this keeps the names out of
their code (a Session could still be had from store.db)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEALED = ["app", "cli", "desk_cli", "options", "lock", "nightly", "runs", "status", "demo"]
LEAKS = re.compile(r"\bsession_scope\b|\bSession\b|\bselect\(|\b[A-Z]\w*Row(Db)?\b|[:>] Engine\b")


@pytest.mark.parametrize("module", SEALED)
def test_a_sealed_shell_module_names_no_session_row_or_select(module: str) -> None:
    text = (ROOT / "jobs" / f"{module}.py").read_text(encoding="utf-8")
    leaks = [f"{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1) if LEAKS.search(line)]
    assert leaks == []
