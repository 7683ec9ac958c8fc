"""`recon reconcile`: load the ledger as of a date, run the engine and the book side (jobs.books),
merge their findings into the store (one transaction), and say what changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from loguru import logger
from sqlalchemy import Engine

from jobs import crashpoints
from jobs.books import run_books
from jobs.logs import say
from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from reconcile.engine.codes import load_codes
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Settings
from reconcile.engine.run import reconcile_all
from reconcile.kinds import is_serious
from reconcile.messages import t
from store.bookkept import save_kept
from store.books import replace_book
from store.budgets import replace_actuals
from store.db import session_scope
from store.findings import MergeCounts, merge, replace_contributions, replace_obligations
from store.inputs import config_digest
from store.inputs import drop_all as drop_inputs
from store.models import FindingRow
from store.snapshot import load_snapshot


@dataclass(frozen=True)
class ReconcileResult:
    as_of: date
    found: int
    counts: MergeCounts
    open_serious: int  # open findings of medium severity or above
    fallback_years: tuple[int, ...]
    book: dict[str, int | float] = field(default_factory=dict)  # the book side's figures (jobs.books)


def yesterday(cfg: Config) -> date:
    return datetime.now(ZoneInfo(cfg.general.timezone)).date() - timedelta(days=1)


def settings(cfg: Config, registry: Registry) -> Settings:
    cal = WorkCalendar(cfg.calendar.extra_holidays, cfg.calendar.extra_workdays)
    return Settings(registry, cfg.rules, cal, load_codes(cfg.path("mappings") / "codes.toml"))


def run_reconcile(cfg: Config, registry: Registry, engine: Engine, as_of: date, full: bool = False) -> ReconcileResult:
    """Reconcile as of `as_of`. The ledger's closed months are read from what earlier runs kept
    (store.inputs); `full` drops that and reads the whole ledger again (the same result)."""
    s = settings(cfg, registry)
    with session_scope(engine) as session:
        if full:
            drop_inputs(session)
        snap = load_snapshot(session, as_of, cfg.general.timezone, Condenser(registry, s.codes),
                             kept=config_digest(registry, s.codes))
    crashpoints.point("reconcile.loaded")
    logger.info(say("log.reconciling", as_of=as_of, lines=len(snap.lines), statements=len(snap.statements),
                    plans=len(snap.plans)))
    result = reconcile_all(snap, s)
    book = run_books(cfg, registry, engine, as_of, s.calendar, full=full)
    if book.results:
        logger.info(t("book.done", cfg.general.language, **book.counts()))
    found = result.findings + book.findings
    crashpoints.point("reconcile.computed")
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        counts = merge(session, found, as_of, now)
        crashpoints.point("reconcile.merged")
        replace_obligations(session, result.obligations, as_of)
        replace_contributions(session, result.contributions, as_of)
        replace_actuals(session, result.actuals, as_of)
        replace_book(session, book.results, as_of)
        if book.since is not None:
            save_kept(session, book.results, as_of, book.since, book.config)
    crashpoints.point("reconcile.committed")
    if s.calendar.fallback_years:
        logger.warning(say("log.fallback", years=", ".join(map(str, sorted(s.calendar.fallback_years)))))
    serious = sum(1 for f in found if is_serious(f.severity))
    return ReconcileResult(as_of, len(found), counts, serious, tuple(sorted(s.calendar.fallback_years)),
                           book.counts() if book.results else {})


def finding_json(row: FindingRow) -> dict[str, object]:
    """The listing's fields: the answer key's, plus key, severity, state, review and lines."""
    return {
        "id": row.id, "kind": row.kind, "rule": row.rule, "entity": row.entity, "fund": row.fund,
        "account": row.account, "period": row.period, "amount_fen": row.amount_fen, "days_late": row.days_late,
        "key": row.key, "severity": row.severity, "state": row.state,
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "review": {"state": row.review_state, "note": row.review_note, "by": row.review_by,
                   "at": row.review_at.isoformat() if row.review_at else None},
        "lines": json.loads(row.lines), "detail": json.loads(row.detail),
    }
