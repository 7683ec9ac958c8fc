"""`recon reconcile`: load the ledger as of a date, run the engine and the book side (jobs.books),
merge their findings into the store (one transaction), and say what changed."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from loguru import logger

from jobs import crashpoints
from jobs.books import run_books
from jobs.logs import say
from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from reconcile.engine.carry import Carry, restart_day, statements_from
from reconcile.engine.codes import load_codes
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Settings
from reconcile.engine.run import reconcile_all, starting
from reconcile.engine.types import PaymentPlan
from reconcile.kinds import is_serious
from reconcile.messages import t
from reconcile.reporting.records import Reviewed
from store.carry import keep_carry_in, read_carry_of
from store.db import Database
from store.findings import MergeCounts, keeping
from store.handed import Ledger
from store.inputs import config_digest
from store.snapshot import read_snapshot


@dataclass(frozen=True)
class ReconcileResult:
    as_of: date
    found: int
    counts: MergeCounts
    open_serious: int  # open findings of medium severity or above
    fallback_years: tuple[int, ...]
    book: dict[str, int | float] = field(default_factory=dict)  # the book side's figures (jobs.books)
    resumed: int = 0  # expense accounts the engine started from the state kept last time (store.carry)


def yesterday(cfg: Config) -> date:
    return datetime.now(ZoneInfo(cfg.general.timezone)).date() - timedelta(days=1)


def settings(cfg: Config, registry: Registry) -> Settings:
    cal = WorkCalendar(cfg.calendar.extra_holidays, cfg.calendar.extra_workdays)
    return Settings(registry, cfg.rules, cal, load_codes(cfg.path("mappings") / "codes.toml"),
                    ZoneInfo(cfg.general.timezone))


def run_reconcile(cfg: Config, registry: Registry, engine: Database, as_of: date, full: bool = False
                  ) -> ReconcileResult:
    """Reconcile as of `as_of`. The ledger's closed months are read from what earlier runs kept
    (store.inputs); `full` drops that and reads the whole ledger again (the same result)."""
    s = settings(cfg, registry)
    with collector_paused():
        # what the engine kept (store.carry), read before the ledger
        carry, changed, marks, digest = read_carry_of(engine, s, as_of, full)
        def without(plans: list[PaymentPlan]) -> dict[str, tuple[date, frozenset[int]]]:
            """The payments the run leaves out, not read (the accounts it starts from their state)."""
            if carry is None:
                return {}
            return {n: (carry.cut, ac.kept) for n, ac in starting(s, carry, changed, plans, as_of).items()}

        ledger = Ledger()  # the lines of a whole read, handed on to the book side (store.handed)
        snap = read_snapshot(engine, as_of, Condenser(registry, s.codes),
                             kept=config_digest(registry, s.codes), full=full, without=without, ledger=ledger,
                             statements_from=None if carry is None else (carry.cut, statements_from(carry, as_of)))
        crashpoints.point("reconcile.loaded")
        logger.info(say("log.reconciling", as_of=as_of, lines=len(snap.lines), statements=len(snap.statements),
                        plans=len(snap.plans)))
        result = reconcile_all(snap, s, carry, changed, restart_day(s, as_of))
        same = carry is not None and result.carried is carry
        if same and carry is not None:  # the same state: only its day is written back (store.carry)
            result = replace(result, carried=Carry(carry.cut, {}))
        carry = None  # the kept state and the ledger read: not held through the book side
        del snap
        book = run_books(cfg, registry, engine, as_of, s.calendar, full=full, ledger=ledger)
        del ledger
    if book.results:
        logger.info(t("book.done", cfg.general.language, **book.counts()))
    found = result.findings + book.findings
    crashpoints.point("reconcile.computed")
    now = datetime.now(UTC)
    with keeping(engine) as run:
        counts = run.merge(found, as_of, now)
        crashpoints.point("reconcile.merged")
        run.replace(result.obligations, result.contributions, result.actuals, book.results, as_of)
        if book.since is not None:
            run.keep_book(book.results, as_of, book.since, book.config)
    crashpoints.point("reconcile.committed")
    if result.carried is not None:
        keep_carry_in(engine, result.carried, as_of, marks, digest, same=same)
    if s.calendar.fallback_years:
        logger.warning(say("log.fallback", years=", ".join(map(str, sorted(s.calendar.fallback_years)))))
    serious = sum(1 for f in found if is_serious(f.severity))
    return ReconcileResult(as_of, len(found), counts, serious, tuple(sorted(s.calendar.fallback_years)),
                           book.counts() if book.results else {}, len(result.resumed))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the night's reading and rules run, on again
    after. They build a few hundred thousand objects that live until the end (lines, classed
    lines, payments), almost none in a cycle; each time the collector ran, it walked all of them
    again: measured, 40% of the engine side's CPU after three years and growing with the history
    (bench/RESULTS.md). Reference counting still frees everything that is not in a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def finding_json(r: Reviewed) -> dict[str, object]:
    """The JSON of a stored finding (`recon findings list --json`): the answer key's fields, plus
    id, key, severity, state, review and lines."""
    f, rv = r.finding, r.review
    return {
        "id": r.id, **f.answer_fields(), "key": f.key, "severity": f.severity, "state": r.status.value,
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "review": {"state": rv.state.value, "note": rv.note, "by": rv.by, "at": rv.at.isoformat() if rv.at else None},
        "lines": list(f.lines), "detail": f.detail,
    }
