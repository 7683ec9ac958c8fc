"""Run history: every run of the nightly cycle is recorded with its steps, counts and outcome
(kept by store/runs.py).

A failed step skips the steps after it and marks the run failed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from loguru import logger

from jobs import crashpoints
from jobs.logs import say
from reconcile.messages import t
from reconcile.runs import Run, Step
from store import runs as history
from store.db import Database

__all__ = ["Run", "Step", "reading", "recent", "run_steps", "start"]


def _now() -> datetime:
    return datetime.now(UTC)


def start(db: Database, kind: str, as_of: date | None, steps: list[str], lang: str = "zh") -> Run:
    """Record a new run. Called under the runner lock, so a run still marked running died without
    finishing (a kill, a power cut): it is marked failed, naming the step and the file it was on."""
    rec, died = history.start(db, kind, as_of, steps, _now(), lambda old: _died(old, lang))
    for old in died:
        logger.error(t("run.died", lang, id=old.id, error=old.error))
    _save(db, rec)
    return rec


def run_steps(db: Database, rec: Run, actions: dict[str, Callable[[], dict[str, Any]]]) -> Run:
    failed = False
    for step in rec.steps:
        if failed:
            step.status = "skipped"
            continue
        step.started_at = _now().isoformat(timespec="seconds")
        _save(db, rec)
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
        _save(db, rec)
    rec.status = "failed" if failed else "done"
    _save(db, rec, finished=True)
    return rec


def reading(db: Database, rec: Run, name: str) -> None:
    """Keep the file the ingest step is about to read on the run row, so that a run that dies on it
    is named by the next run (see `start`). Not waiting for the disk: a file at a time, this note
    would cost a WAL flush each and undo the ingest's group (jobs/ingest/pipeline.py); what it
    names is lost only if the database server itself crashes."""
    step = next((st for st in rec.steps if st.name == "ingest"), None)
    if step is not None:
        step.counts = {"reading": name}
        history.save(db, rec, wait_for_disk=False)


def _died(steps: list[dict[str, Any]], lang: str) -> str:
    """Why a run still marked running died, from its steps as last saved."""
    step = next((st for st in steps if st.get("started_at") and not st.get("finished_at")), None)
    if step is None:
        return t("run.died_unknown", lang)
    name = (step.get("counts") or {}).get("reading")
    if name:
        return t("run.died_reading", lang, step=step.get("name", ""), name=name)
    return t("run.died_in_step", lang, step=step.get("name", ""))


def _save(db: Database, rec: Run, finished: bool = False) -> None:
    history.save(db, rec, _now() if finished else None)


def recent(db: Database, n: int = 10) -> list[dict[str, Any]]:
    return history.recent(db, n)
