"""Obligations, contributions and month actuals written only where they change (store.standings,
issue 18): a quiet night deletes and inserts none of their rows and updates only those whose
columns change; nights with new, changed and vanished rows leave the tables as `--full` does. On
SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from store.db import session_scope
from store.models import ActualRow, ContributionRow, ObligationRow
from tests.integration.nights import simulated


def _tables(app: App) -> tuple[object, ...]:
    """Every row of the three tables but its id, sorted."""
    out = []
    with session_scope(app.database()) as session:
        for model in (ObligationRow, ContributionRow, ActualRow):
            cols = [c for c in model.__table__.columns if c.name != "id"]
            out.append(sorted(tuple(r) for r in session.execute(select(*cols))))
    return tuple(out)


def _writes(app: App, as_of: date) -> list[str]:
    """The statements a reconcile as of `as_of` sends that write the three tables."""
    seen: list[str] = []
    engine = app.database()

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        words = statement.split()
        if words and words[0].upper() in ("INSERT", "DELETE", "UPDATE") and any(
                t in statement for t in (" obligations", " contributions", " actuals")):
            seen.append(" ".join(words[:4]))

    event.listen(engine, "before_cursor_execute", note)
    try:
        run_reconcile(app.config, app.registry, engine, as_of)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_quiet_night_writes_only_what_changes(tmp_path: Path, db_url: str) -> None:
    app = simulated(tmp_path, db_url, 4, 5, 300)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for f in sorted((tmp_path / "staged").iterdir()):
        shutil.copy2(f, inbox / f.name)
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    for as_of in (date(2008, 2, 20), date(2008, 4, 10), date(2008, 4, 30), date(2008, 3, 5)):  # rows come and go
        run_reconcile(app.config, app.registry, app.database(), as_of)
        got = _tables(app)
        run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
        assert _tables(app) == got, as_of
    assert got[0], "no obligations"
    as_of = date(2008, 3, 5)
    writes = _writes(app, as_of)  # the same night again: nothing changes but as_of
    assert not [w for w in writes if w.upper().startswith(("INSERT", "DELETE"))], writes
    assert len(writes) == 3, writes  # one UPDATE of as_of per table
    run_reconcile(app.config, app.registry, app.database(), as_of + timedelta(days=1))
    got = _tables(app)
    run_reconcile(app.config, app.registry, app.database(), as_of + timedelta(days=1), full=True)
    assert _tables(app) == got
