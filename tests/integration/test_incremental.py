"""Incremental reconcile (issue 18): a night reads the closed months from what earlier nights kept
(store.inputs) and must see exactly the ledger a full read sees, so the engine gives the same
findings, obligations and contributions.

The property runs over the simulator (late files, re-exports, intraday reports, plan revisions,
returns, refunds, rejected files) with the files arriving night by night at random boundaries,
some held back for weeks (a late statement for an old month), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile, settings
from reconcile.engine.condense import Condenser
from reconcile.engine.run import Result, reconcile_all
from store.db import session_scope
from store.inputs import config_digest, load_inputs
from store.models import EngineInputRow, FindingRow, ObligationRow
from store.snapshot import load_snapshot
from tests.integration.nights import arrivals as arrivals_of
from tests.integration.nights import deliver, one_seed_on_postgres, simulated


def _same_snapshot(app: App, as_of: date) -> tuple[Result, Result]:
    """The snapshot read through store.inputs and the one read whole: identical; and their results."""
    s = settings(app.config, app.registry)
    with session_scope(app.database()) as session:
        kept = load_snapshot(session, as_of, Condenser(app.registry, s.codes),
                             kept=config_digest(app.registry, s.codes))
    with session_scope(app.database()) as session:
        whole = load_snapshot(session, as_of, Condenser(app.registry, s.codes))
    assert sorted(kept.lines, key=lambda ln: ln.id) == sorted(whole.lines, key=lambda ln: ln.id), as_of
    assert kept.condensed == whole.condensed, as_of
    return reconcile_all(kept, s), reconcile_all(whole, s)


def _fields(r: Result) -> tuple[object, ...]:
    return ([(f.key, f.kind, f.rule, f.entity, f.fund, f.account, f.period, f.amount_fen, f.days_late, f.severity,
              f.detail, f.lines, f.line_ids) for f in r.findings], r.obligations, r.contributions)


def _stored(app: App) -> tuple[object, ...]:
    with session_scope(app.database()) as s:
        found = [(r.key, r.kind, r.amount_fen, r.days_late, r.state, r.detail, r.lines)
                 for r in s.scalars(select(FindingRow).order_by(FindingRow.key))]
        obs = [(o.rule, o.entity, o.fund, o.period, o.account, o.due_fen, o.on_time_fen, o.late_fen,
                o.late_payments, o.outstanding_fen, o.excess_fen, o.days_overdue, o.fen_days, o.status)
               for o in s.scalars(select(ObligationRow).order_by(ObligationRow.rule, ObligationRow.entity,
                                                                 ObligationRow.fund, ObligationRow.period,
                                                                 ObligationRow.account))]
    return found, obs


@pytest.mark.parametrize("seed", [3, 8])
def test_night_by_night_equals_a_full_read(tmp_path: Path, db_url: str, seed: int) -> None:
    one_seed_on_postgres(db_url, seed, 3)
    rng = random.Random(seed)
    app = simulated(tmp_path, db_url, 3, seed, 400)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    arrivals = arrivals_of(tmp_path / "staged", rng)
    days = sorted(arrivals)
    nights = [*sorted(rng.sample(days[1:-1], 6)), days[-1]]
    done: set[date] = set()
    checked = 0
    for night in nights:
        deliver(arrivals, night, done, inbox)
        Ingestor(app.config, app.registry, app.database()).run(progress=False)
        as_of = night - timedelta(days=rng.choice([0, 1, 1, 1, 3]))
        kept, whole = _same_snapshot(app, as_of)
        assert _fields(kept) == _fields(whole), as_of
        if night >= nights[-3]:  # the driver too (its merge), on the last nights: the suite's time
            run_reconcile(app.config, app.registry, app.database(), as_of)
        checked += 1
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.count()).select_from(EngineInputRow)), "nothing was kept between nights"
    incremental = _stored(app)
    result = run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
    assert _stored(app) == incremental
    assert (result.counts.opened, result.counts.closed, result.counts.changed, result.counts.reopened) == (0, 0, 0, 0)
    assert checked == len(nights)


def test_a_backfill_reads_what_a_full_read_reads(tmp_path: Path, db_url: str) -> None:
    """A reconcile for an earlier day than the months kept sees the ledger a full read sees, and
    so does the next night."""
    app = simulated(tmp_path, db_url, 3, 5, 400, into="inbox")
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 31))
    kept, whole = _same_snapshot(app, date(2008, 2, 13))
    assert _fields(kept) == _fields(whole)
    kept, whole = _same_snapshot(app, date(2008, 3, 31))
    assert _fields(kept) == _fields(whole)
    with session_scope(app.database()) as s:
        months = s.scalar(select(func.count()).select_from(EngineInputRow))
    assert months, "the closed months were kept"
    codes = settings(app.config, app.registry).codes
    with session_scope(app.database()) as s:  # the same registry and codes: everything kept is used
        got = load_inputs(s, date(2008, 3, 31), Condenser(app.registry, codes), config_digest(app.registry, codes))
    assert (got.kept_months, got.built_months) == (months, 0)
    with session_scope(app.database()) as s:  # another registry or codes: every month is read again
        got = load_inputs(s, date(2008, 3, 31), Condenser(app.registry, codes), "another registry")
    assert (got.kept_months, got.built_months) == (0, months)


def test_an_end_of_day_statement_arriving_late_replaces_the_kept_intraday_lines(tmp_path: Path,
                                                                                 db_url: str) -> None:
    """An intraday report is kept with its closed month; the end-of-day statement of that day comes
    a month later and supersedes its lines: the kept month is read again."""
    app = simulated(tmp_path, db_url, 3, 3, 400)
    staged = sorted((tmp_path / "staged").iterdir())
    intraday = next(f for f in staged if f.name.startswith("camt052_") and f.name.split("_")[2] < "20080301")
    account, day = intraday.name.split("_")[1], intraday.name.split("_")[2][:8]
    final = [f for f in staged if f is not intraday and f"_{account}_" in f.name
             and f.name.split("_")[2][:8] <= day <= f.name.split("_")[2][9:17]]
    assert final, intraday.name
    (tmp_path / "inbox").mkdir(exist_ok=True)
    for f in staged:
        if f not in final:
            shutil.copy2(f, tmp_path / "inbox" / f.name)
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 31))
    for f in final:
        shutil.copy2(f, tmp_path / "inbox" / f.name)
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    kept, whole = _same_snapshot(app, date(2008, 3, 31))
    assert _fields(kept) == _fields(whole)
