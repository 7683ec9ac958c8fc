"""The engine's decided state carried from a restart month (issue 18, reconcile.engine.carry,
store.carry): a night that starts the expense accounts' payments from what an earlier night kept
gives the same findings (every field), obligations, contributions and month actuals as a run
over the whole ledger.

Over the simulator (late files, re-exports, intraday reports, plan revisions, returns), the files
arriving night by night at random boundaries, some held back for weeks, and the restart day of
each night drawn at random, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile, settings
from reconcile.engine.carry import Carry, left_out, restart_day
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Settings, Snapshot
from reconcile.engine.run import Result, reconcile_all, starting
from store.carry import read_carry
from store.db import session_scope
from store.inputs import config_digest, load_inputs
from store.snapshot import _plans, load_snapshot
from tests.integration.nights import arrivals as arrivals_of
from tests.integration.nights import deliver, one_seed_on_postgres, simulated
from tests.integration.test_incremental import _stored


def _fields(r: Result) -> tuple[object, ...]:
    return ([(f.key, f.kind, f.rule, f.entity, f.fund, f.account, f.period, f.amount_fen, f.days_late, f.severity,
              f.detail, f.lines, f.line_ids) for f in r.findings], r.obligations, r.contributions, r.actuals)


def _whole(app: App, as_of: date) -> Snapshot:
    s = settings(app.config, app.registry)
    with session_scope(app.database()) as session:
        return load_snapshot(session, as_of, Condenser(app.registry, s.codes))


def _changed_from(before: Snapshot | None, now: Snapshot) -> date | None:
    """The first booking day where the two readings of the ledger differ (the oracle the store's
    marks stand in for), or the day after the earlier as-of date."""
    if before is None:
        return None
    days = [before.as_of + timedelta(days=1)]
    old = {ln.id: ln for ln in before.lines if ln.booking_date <= before.as_of}
    new = {ln.id: ln for ln in now.lines if ln.booking_date <= now.as_of}
    days += [ln.booking_date for i, ln in old.items() if new.get(i) != ln]
    days += [ln.booking_date for i, ln in new.items() if old.get(i) != ln]
    old_days = {(dc.account, dc.day): dc for dc in before.condensed}
    new_days = {(dc.account, dc.day): dc for dc in now.condensed}
    days += [dc.first.booking_date for k, dc in (*old_days.items(), *new_days.items())
             if old_days.get(k) != new_days.get(k)]
    return min(days)


def _month_starts(first: date, last: date) -> list[date]:
    out, d = [], date(first.year, first.month, 1)
    while d <= last:
        out.append(d)
        d = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return out


@pytest.mark.parametrize("seed", [4, 9])
def test_carried_nights_equal_whole_runs(tmp_path: Path, db_url: str, seed: int) -> None:
    """The engine with the state carried from random restart days, night by night, against the
    engine over the whole ledger."""
    one_seed_on_postgres(db_url, seed, 4)
    rng = random.Random(seed)
    app = simulated(tmp_path, db_url, 5, seed, 300)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    arrivals = arrivals_of(tmp_path / "staged", rng)
    days = sorted(arrivals)
    nights = [*sorted(rng.sample(days[len(days) // 4:-1], 9)), days[-1]]
    s = settings(app.config, app.registry)
    done: set[date] = set()
    carry: Carry | None = None
    before: Snapshot | None = None
    resumed = 0
    for night in nights:
        deliver(arrivals, night, done, inbox)
        Ingestor(app.config, app.registry, app.database()).run(progress=False)
        as_of = night - timedelta(days=rng.choice([0, 1, 1, 1, 3]))
        snap = _whole(app, as_of)
        latest = restart_day(s, as_of, margin_days=rng.choice([0, 7]))
        cut = rng.choice(_month_starts(max(latest - timedelta(days=120), date(2008, 1, 1)), latest) or [latest])
        full = reconcile_all(snap, s)
        got = reconcile_all(snap, s, carry, _changed_from(before, snap), cut)
        assert _fields(got) == _fields(full), (as_of, cut, got.resumed)
        resumed += len(got.resumed)
        carry, before = got.carried, snap
    assert resumed, "no night started from a carried state"


def _nights_through_the_store(tmp_path: Path, db_url: str
                               ) -> Iterator[tuple[App, Settings, date, Carry | None, date | None]]:
    """Half a simulated year's files delivered over four nights (three drawn from its second half,
    then its last day), each night's files ingested; per night the app, the engine's settings, the
    night's as-of date (the day before) and what the store carries into it (the kept state and the
    first booking day changed since it was kept)."""
    rng = random.Random(11)
    app = simulated(tmp_path, db_url, 3, 6, 400)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    arrivals = arrivals_of(tmp_path / "staged", rng)
    days = sorted(arrivals)
    s = settings(app.config, app.registry)
    done: set[date] = set()
    for night in [*sorted(rng.sample(days[len(days) // 2:-1], 3)), days[-1]]:
        deliver(arrivals, night, done, inbox)
        Ingestor(app.config, app.registry, app.database()).run(progress=False)
        as_of = night - timedelta(days=1)
        with session_scope(app.database()) as session:
            carry, changed, _, _ = read_carry(session, s, as_of)
        yield app, s, as_of, carry, changed


def test_a_night_through_the_store_equals_full(tmp_path: Path, db_url: str) -> None:
    """`recon reconcile` night by night keeps the carried state in the store and starts from it;
    the stored findings and obligations equal those of `--full`, and a late statement for an old
    month makes the night start over."""
    used = 0
    for app, _, as_of, carry, changed in _nights_through_the_store(tmp_path, db_url):
        result = run_reconcile(app.config, app.registry, app.database(), as_of)
        carried = _stored(app)
        full = run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
        assert _stored(app) == carried, as_of
        assert (full.counts.opened, full.counts.closed, full.counts.changed, full.counts.reopened) == (0, 0, 0, 0)
        if carry is not None and changed is not None:
            used += bool(result.resumed)
        run_reconcile(app.config, app.registry, app.database(), as_of)  # the carried state kept again
    assert used, "no night started from the kept state"


def test_the_months_before_the_restart_day_are_read_without_the_carried_payments(tmp_path: Path,
                                                                                  db_url: str) -> None:
    """A night reads the kept months of an account it starts from its carried state without the
    debits before the restart day that the state stands for (store.inputs, not even decoded): the
    lines read are those of the whole ledger less exactly the lines the engine leaves out, and the
    engine's result is that of the whole ledger. A reading that left out payments of an account
    the run does not start from its state is refused."""
    bare = 0
    for app, s, as_of, carry, changed in _nights_through_the_store(tmp_path, db_url):
        if carry is not None:
            with session_scope(app.database()) as session:
                carried = starting(s, carry, changed, _plans(session), as_of)
                without = {n: (carry.cut, ac.kept) for n, ac in carried.items()}
                got = load_inputs(session, as_of, Condenser(app.registry, s.codes),
                                  config_digest(app.registry, s.codes), without)
            whole = _whole(app, as_of)
            assert sorted(got.lines) == sorted(left_out(whole.lines, carried, carry.cut)), as_of
            assert got.condensed == whole.condensed
            bare += got.bare_months
            with session_scope(app.database()) as session:
                snap = load_snapshot(session, as_of, Condenser(app.registry, s.codes),
                                     kept=config_digest(app.registry, s.codes), without=lambda _, w=without: w)
            assert snap.without_payments == set(carried)
            assert _fields(reconcile_all(snap, s, carry, changed, restart_day(s, as_of))) == _fields(
                reconcile_all(whole, s)), as_of
            if carried:
                with pytest.raises(ValueError):
                    reconcile_all(snap, s)  # no carried state: the payments left out are missing
        run_reconcile(app.config, app.registry, app.database(), as_of)
    assert bare, "no month was read without its payments"
    carried_run = _stored(app)
    run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
    assert _stored(app) == carried_run
