"""`recon serve`: the scheduler. APScheduler 3.x with its job store in the project's database.

Two jobs from config: an inbox poll every `schedule.poll_minutes` (ingest only) and the nightly
cycle at `schedule.nightly_at` in the configured time zone. A run missed while the machine was off
runs once when it is back (misfire grace, coalescing); never two instances of one job; across
processes the runner lock keeps a second `serve` or a `recon run` by hand from overlapping.
SIGTERM or SIGINT: the current file finishes, then the process stops.
"""

from __future__ import annotations

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from loguru import logger

from jobs.app import App
from jobs.lock import LockedError
from jobs.logs import say
from jobs.stopping import STOP, graceful_stop, said_stop


def poll_job(config_path: str | None, lang: str | None) -> None:
    """Ingest only; skipped (not queued) when another run holds the lock."""
    from jobs.ingest import Ingestor
    from jobs.lock import runner_lock

    app = App(config_path, lang)
    try:
        with runner_lock(app.database(), 0):
            Ingestor(app.config, app.registry, app.database(), lang=app.lang).run(stop=STOP.is_set, progress=False)
    except LockedError:
        logger.info(say("log.poll_skipped"))


def nightly_job(config_path: str | None, lang: str | None) -> None:
    from jobs.nightly import nightly

    app = App(config_path, lang)
    try:
        rec = nightly(app.config, app.registry, app.database(), lang=app.lang, stop=STOP.is_set)
        logger.info(say("log.nightly", id=rec.id, status=say(f"run.status.{rec.status}"),
                        error=f"：{rec.error}" if rec.error else ""))
    except LockedError as exc:
        logger.warning(say("log.nightly_not_started", error=exc))


def _nightly_trigger(app: App) -> CronTrigger:
    parts = [int(x) for x in app.config.schedule.nightly_at.split(":")]
    hour, minute, second = [*parts, 0][:3]
    return CronTrigger(hour=hour, minute=minute, second=second, timezone=app.config.general.timezone)


def build_scheduler(app: App) -> BackgroundScheduler:
    """A started, paused scheduler with both jobs in place.

    A job already in the store with the same trigger is kept as it is, with its next run time:
    that is what lets a run missed while the machine was off run once when it is back (replacing
    the job would compute a fresh next run time and lose the missed one).
    """
    cfg = app.config
    sched = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=app.database())},
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": cfg.schedule.misfire_grace_seconds},
        timezone=cfg.general.timezone,
    )
    sched.start(paused=True)
    args = [app.config_path, app.lang_option]
    wanted = [
        ("nightly", nightly_job, _nightly_trigger(app), "nightly cycle", cfg.schedule.misfire_grace_seconds),
        ("inbox-poll", poll_job, IntervalTrigger(minutes=cfg.schedule.poll_minutes, timezone=cfg.general.timezone),
         "inbox poll", cfg.schedule.poll_minutes * 60),
    ]
    for job_id, func, trigger, name, grace in wanted:
        have = sched.get_job(job_id)
        if have is not None and str(have.trigger) == str(trigger) and list(have.args) == args:
            continue
        sched.add_job(func, trigger, args=args, id=job_id, name=name, replace_existing=True,
                      misfire_grace_time=grace)
    return sched


def serve(app: App) -> None:
    sched = build_scheduler(app)
    graceful_stop(STOP)
    logger.info(say("log.serve", at=app.config.schedule.nightly_at, tz=app.config.general.timezone,
                    minutes=app.config.schedule.poll_minutes))
    sched.resume()
    STOP.wait()
    said_stop()
    sched.shutdown(wait=True)  # the job in progress finishes (it stops after its current file)
    logger.info(say("log.serve_stopped"))
