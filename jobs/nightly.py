"""One nightly cycle: ingest, reconcile as of the previous day, report, clean up. Recorded in the
run history; a failed step skips the rest; one runner at a time across processes."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from loguru import logger

from jobs import runs
from jobs.ingest import Ingestor
from jobs.lock import runner_lock
from jobs.logs import say
from jobs.reconciling import run_reconcile, yesterday
from reconcile.accounts import Registry
from reconcile.config import Config
from store.db import Database

STEPS = ["ingest", "reconcile", "report", "notify", "cleanup"]


def nightly(cfg: Config, registry: Registry, db: Database, as_of: date | None = None, *, lang: str = "zh",
            stop: Callable[[], bool] = lambda: False, wait_seconds: float | None = None,
            progress: bool | None = False) -> runs.Run:
    """Run the cycle under the runner lock; returns the run's record (status done or failed)."""
    day = as_of or yesterday(cfg)
    wait = cfg.schedule.lock_wait_seconds if wait_seconds is None else wait_seconds
    with runner_lock(db, wait):
        rec = runs.start(db, "nightly", day, STEPS, lang)
        state: dict[str, Any] = {}

        def ingest() -> dict[str, Any]:
            r = Ingestor(cfg, registry, db, lang=lang, on_file=lambda name: runs.reading(db, rec, name)).run(
                stop=stop, progress=progress)
            if stop():
                raise InterruptedError("stopped by a signal after the current file; the rest waits for the next run")
            return {"ingested": r.ingested, "duplicate": r.duplicate, "rejected": r.rejected, "lines": r.added,
                    **({"entries": r.entries} if r.entries else {}),
                    **({"changed": r.changed_names} if r.changed_names else {})}

        def reconcile() -> dict[str, Any]:
            r = run_reconcile(cfg, registry, db, day)
            state["reconcile"] = r
            return {"findings": r.found, "opened": r.counts.opened, "closed": r.counts.closed,
                    "serious_open": r.open_serious, **({"book": r.book} if r.book else {})}

        def report() -> dict[str, Any]:
            from jobs.report import write_reports

            res, counties = write_reports(cfg, registry, db, day, lang)
            state["report"] = res
            return {"folder": str(res.folder), "counties": len(counties)}

        def notify() -> dict[str, Any]:
            from jobs.notify import notify_after_report

            return notify_after_report(cfg, registry, db, day, state.get("report"), lang)

        def cleanup() -> dict[str, Any]:
            return remove_old(cfg)

        actions = {"ingest": ingest, "reconcile": reconcile, "report": report, "notify": notify, "cleanup": cleanup}
        return runs.run_steps(db, rec, actions)


def remove_old(cfg: Config, now: float | None = None) -> dict[str, Any]:
    """Report folders and log files past their retention."""
    now = time.time() if now is None else now
    removed = 0
    reports = cfg.path("reports")
    if reports.is_dir():
        for folder in reports.iterdir():
            # Age by when the report was written, not by its date: a backfill of 2008 is new.
            if folder.is_dir() and now - folder.stat().st_mtime > cfg.retention.reports_days * 86400:
                shutil.rmtree(folder)
                removed += 1
    logs = cfg.path("logs")
    if logs.is_dir():
        for f in logs.iterdir():
            if f.is_file() and f.name != "recon.log" and now - f.stat().st_mtime > cfg.retention.logs_days * 86400:
                f.unlink()
                removed += 1
    if removed:
        logger.info(say("log.cleanup", removed=removed))
    return {"removed": removed}


def report_path(cfg: Config, day: date) -> Path:
    return cfg.path("reports") / day.isoformat()
