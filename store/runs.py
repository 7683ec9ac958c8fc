"""The run history (the `runs` table): the records of the nightly cycle's runs and their steps, as
jobs/runs.py keeps them; each function is one transaction."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from reconcile.runs import Run, Step
from store.db import Database, session_scope
from store.models import RunRow


@dataclass(frozen=True)
class DiedRun:
    """A run found still marked running by `start`, now marked failed with `error`."""

    id: int
    error: str


def start(db: Database, kind: str, as_of: date | None, steps: list[str], now: datetime,
          why_died: Callable[[list[dict[str, Any]]], str]) -> tuple[Run, list[DiedRun]]:
    """Record a new run, and mark failed every run still marked running (it died without finishing),
    with the error `why_died` gives from its steps as they were last saved."""
    died = []
    with session_scope(db) as s:
        for old in s.scalars(select(RunRow).where(RunRow.status == "running")):
            old.status, old.error = "failed", why_died(_steps(old.steps))
            old.finished_at = old.finished_at or now
            died.append(DiedRun(old.id, old.error))
        row = RunRow(kind=kind, as_of=as_of, started_at=now, status="running", steps="[]", counts="{}", error="")
        s.add(row)
        s.flush()
        rid = row.id
    return Run(rid, kind, as_of, started_at=now, steps=[Step(n) for n in steps]), died


def save(db: Database, rec: Run, finished_at: datetime | None = None, *, wait_for_disk: bool = True) -> None:
    """Write the run's steps, counts, status and error (and when it finished, once it has).
    `wait_for_disk=False`: a note the run may lose to a crash of the database server (store/db.py)."""
    steps = [s.__dict__ for s in rec.steps]
    counts = {s.name: s.counts for s in rec.steps if s.counts}
    with session_scope(db, wait_for_disk=wait_for_disk) as s:
        row = s.get(RunRow, rec.id)
        assert row is not None
        row.steps = json.dumps(steps, ensure_ascii=False, default=str)
        row.counts = json.dumps(counts, ensure_ascii=False, default=str)
        row.status, row.error = rec.status, rec.error
        if finished_at is not None:
            row.finished_at = finished_at


def recent(db: Database, n: int = 10) -> list[dict[str, Any]]:
    """The newest `n` runs, newest first, as `recon status` shows them."""
    with session_scope(db) as s:
        rows = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(n)).all()
        return [{
            "id": r.id, "kind": r.kind, "as_of": r.as_of.isoformat() if r.as_of else None,
            "started_at": r.started_at.isoformat(timespec="seconds"),
            "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
            "status": r.status, "steps": json.loads(r.steps), "error": r.error,
        } for r in rows]


def _steps(stored: str) -> list[dict[str, Any]]:
    try:
        steps: list[dict[str, Any]] = json.loads(stored)
    except ValueError:
        return []
    return steps
