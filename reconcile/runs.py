"""A run of the nightly cycle (ingest, reconcile, report, ...) and its steps: one record for the runner,
which fills in the steps and the status as it goes (jobs/runs.py, kept in the `runs` table by
store/runs.py), and for the desk's dashboard, which reads the last one (store/desk.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class Step:
    name: str
    status: str = "pending"  # pending | done | failed | skipped
    started_at: str | None = None
    finished_at: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass
class Run:
    id: int
    kind: str
    as_of: date | None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    status: str = "running"  # running | done | failed
    error: str = ""
    steps: list[Step] = field(default_factory=list)  # the runner's; the desk reads a run without them
