"""Run history: every run of the nightly cycle is recorded with its steps, counts and outcome.

A failed step skips the steps after it and marks the run failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from loguru import logger
from sqlalchemy import Engine, select

from jobs import crashpoints
from jobs.logs import say
from reconcile.messages import t
from store.db import session_scope
from store.models import RunRow


@dataclass
class Step:
    name: str
    status: str = "pending"  # pending | done | failed | skipped
    started_at: str | None = None
    finished_at: str | None = None
    counts: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass
class RunRecord:
    id: int
    kind: str
    as_of: date | None
    steps: list[Step]
    status: str = "running"
    error: str = ""


def _now() -> datetime:
    return datetime.now(UTC)


def start(engine: Engine, kind: str, as_of: date | None, steps: list[str], lang: str = "zh") -> RunRecord:
    """Record a new run. Called under the runner lock, so a run still marked running died without
    finishing (a kill, a power cut): it is marked failed, naming the step and the file it was on."""
    with session_scope(engine) as s:
        for old in s.scalars(select(RunRow).where(RunRow.status == "running")):
            old.status, old.error = "failed", _died(old, lang)
            old.finished_at = old.finished_at or _now()
            logger.error(t("run.died", lang, id=old.id, error=old.error))
        row = RunRow(kind=kind, as_of=as_of, started_at=_now(), status="running", steps="[]", counts="{}", error="")
        s.add(row)
        s.flush()
        rid = row.id
    rec = RunRecord(rid, kind, as_of, [Step(n) for n in steps])
    _save(engine, rec)
    return rec


def run_steps(engine: Engine, rec: RunRecord, actions: dict[str, Callable[[], dict[str, Any]]]) -> RunRecord:
    failed = False
    for step in rec.steps:
        if failed:
            step.status = "skipped"
            continue
        step.started_at = _now().isoformat(timespec="seconds")
        _save(engine, rec)
        crashpoints.point("nightly.step")
        try:
            step.counts = actions[step.name]() or {}
            step.status = "done"
        except Exception as exc:
            step.status, step.error = "failed", f"{type(exc).__name__}: {exc}"
            rec.error = f"{step.name}: {step.error}"
            logger.error(say("log.step_failed", id=rec.id, step=say(f"run.step.{step.name}"), error=step.error))
            logger.opt(exception=exc).debug(f"run {rec.id}: step {step.name} traceback")  # the log file only
            failed = True
        step.finished_at = _now().isoformat(timespec="seconds")
        _save(engine, rec)
    rec.status = "failed" if failed else "done"
    _save(engine, rec, finished=True)
    return rec


def reading(engine: Engine, rec: RunRecord, name: str) -> None:
    """Keep the file the ingest step is about to read on the run row, so that a run that dies on it
    is named by the next run (see `start`)."""
    step = next((st for st in rec.steps if st.name == "ingest"), None)
    if step is not None:
        step.counts = {"reading": name}
        _save(engine, rec)


def _died(row: RunRow, lang: str) -> str:
    try:
        steps = json.loads(row.steps)
    except ValueError:
        steps = []
    step = next((st for st in steps if st.get("started_at") and not st.get("finished_at")), None)
    if step is None:
        return t("run.died_unknown", lang)
    name = (step.get("counts") or {}).get("reading")
    if name:
        return t("run.died_reading", lang, step=step.get("name", ""), name=name)
    return t("run.died_in_step", lang, step=step.get("name", ""))


def _save(engine: Engine, rec: RunRecord, finished: bool = False) -> None:
    steps = [s.__dict__ for s in rec.steps]
    counts = {s.name: s.counts for s in rec.steps if s.counts}
    with session_scope(engine) as s:
        row = s.get(RunRow, rec.id)
        assert row is not None
        row.steps = json.dumps(steps, ensure_ascii=False, default=str)
        row.counts = json.dumps(counts, ensure_ascii=False, default=str)
        row.status, row.error = rec.status, rec.error
        if finished:
            row.finished_at = _now()


def recent(engine: Engine, n: int = 10) -> list[dict[str, Any]]:
    with session_scope(engine) as s:
        rows = s.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(n)).all()
        return [{
            "id": r.id, "kind": r.kind, "as_of": r.as_of.isoformat() if r.as_of else None,
            "started_at": r.started_at.isoformat(timespec="seconds"),
            "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
            "status": r.status, "steps": json.loads(r.steps), "error": r.error,
        } for r in rows]
