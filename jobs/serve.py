"""`recon serve`: the scheduler. APScheduler 3.x with its job store in the project's database.

Two jobs from config: an inbox poll every `schedule.poll_minutes` (ingest only) and the nightly
cycle at `schedule.nightly_at` in the configured time zone. A run missed while the machine was off
runs once when it is back (misfire grace, coalescing); never two instances of one job; across
processes the runner lock keeps a second `serve` or a `recon run` by hand from overlapping.
SIGTERM or SIGINT: the current file finishes, then the process stops.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from jobs.app import App
from jobs.lock import LockedError

STOP = threading.Event()


def poll_job(config_path: str | None, lang: str | None) -> None:
    """Ingest only; skipped (not queued) when another run holds the lock."""
    from jobs.ingest import Ingestor
    from jobs.lock import runner_lock

    app = App(config_path, lang)
    try:
        with runner_lock(app.engine(), 0):
            Ingestor(app.config, app.registry, app.engine(), lang=app.lang).run(stop=STOP.is_set, progress=False)
    except LockedError:
        logger.info("inbox poll skipped: another run is in progress")


def nightly_job(config_path: str | None, lang: str | None) -> None:
    from jobs.nightly import nightly

    app = App(config_path, lang)
    try:
        rec = nightly(app.config, app.registry, app.engine(), lang=app.lang, stop=STOP.is_set)
        logger.info(f"nightly run {rec.id} {rec.status}" + (f": {rec.error}" if rec.error else ""))
    except LockedError as exc:
        logger.warning(f"nightly run not started: {exc}")


def build_scheduler(app: App) -> BlockingScheduler:
    cfg = app.config
    sched = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=app.engine())},
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg.schedule.misfire_grace_seconds},
        timezone=cfg.general.timezone,
    )
    hour, minute = (int(x) for x in cfg.schedule.nightly_at.split(":"))
    args = [app.config_path, app.lang_option]
    sched.add_job(nightly_job, CronTrigger(hour=hour, minute=minute, timezone=cfg.general.timezone), args=args,
                  id="nightly", name="nightly cycle", replace_existing=True)
    sched.add_job(poll_job, IntervalTrigger(minutes=cfg.schedule.poll_minutes, timezone=cfg.general.timezone),
                  args=args, id="inbox-poll", name="inbox poll", replace_existing=True,
                  misfire_grace_time=cfg.schedule.poll_minutes * 60)
    return sched


def serve(app: App) -> None:
    sched = build_scheduler(app)

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.info(f"signal {signum}: finishing the current file, then stopping")
        STOP.set()
        sched.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    logger.info(f"recon serve: nightly at {app.config.schedule.nightly_at} {app.config.general.timezone}, "
                f"inbox poll every {app.config.schedule.poll_minutes} min")
    sched.start()
