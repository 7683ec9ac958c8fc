"""The run history and the runner lock through the store's functions (store/runs.py, store/lock.py),
on SQLite and PostgreSQL: what `recon run` and `recon status` rely on."""

from __future__ import annotations

from datetime import date

import pytest

from jobs import runs
from jobs.lock import LockedError, runner_lock
from reconcile.messages import t
from store.db import Database, open_database
from tests.integration.conftest import pg_schema

DAY = date(2008, 3, 31)
STEPS = ["ingest", "reconcile"]


def test_a_run_is_recorded_step_by_step_and_listed_newest_first(database: Database) -> None:
    first = runs.run_steps(database, runs.start(database, "nightly", DAY, STEPS), {"ingest": lambda: {"lines": 3},
                                                                     "reconcile": lambda: {}})
    second = runs.start(database, "nightly", None, STEPS)
    listed = runs.recent(database, 10)
    assert [r["id"] for r in listed] == [second.id, first.id]
    assert listed[1]["status"] == "done" and listed[1]["as_of"] == "2008-03-31" and listed[1]["finished_at"]
    assert [(s["name"], s["status"], s["counts"]) for s in listed[1]["steps"]] == [
        ("ingest", "done", {"lines": 3}), ("reconcile", "done", {})]
    assert listed[0]["status"] == "running" and listed[0]["as_of"] is None and listed[0]["finished_at"] is None
    assert len(runs.recent(database, 1)) == 1


def test_a_failed_step_skips_the_rest_and_fails_the_run(database: Database) -> None:
    def broken() -> dict[str, object]:
        raise ValueError("no inbox")

    rec = runs.run_steps(database, runs.start(database, "nightly", DAY, STEPS), {"ingest": broken, "reconcile": dict})
    assert (rec.status, rec.error) == ("failed", "ingest: ValueError: no inbox")
    stored = runs.recent(database, 1)[0]
    assert (stored["status"], stored["error"]) == ("failed", "ingest: ValueError: no inbox")
    assert [s["status"] for s in stored["steps"]] == ["failed", "skipped"]


def test_a_run_that_died_is_marked_failed_by_the_next_naming_the_file_it_was_reading(database: Database) -> None:
    rec = runs.start(database, "nightly", DAY, STEPS)

    def dies() -> dict[str, object]:
        runs.reading(database, rec, "ZS_2008-03.ofx")
        raise KeyboardInterrupt  # not an Exception: the run is left marked running, as by a kill

    with pytest.raises(KeyboardInterrupt):
        runs.run_steps(database, rec, {"ingest": dies, "reconcile": dict})
    assert runs.recent(database, 1)[0]["status"] == "running"
    runs.start(database, "nightly", DAY, STEPS, "en")
    died = runs.recent(database, 2)[1]
    assert died["id"] == rec.id and died["status"] == "failed" and died["finished_at"]
    assert died["error"] == t("run.died_reading", "en", step="ingest", name="ZS_2008-03.ofx")


def test_a_run_that_died_before_any_step_says_so(database: Database) -> None:
    rec = runs.start(database, "nightly", DAY, STEPS)
    runs.start(database, "nightly", DAY, STEPS)
    died = next(r for r in runs.recent(database, 2) if r["id"] == rec.id)
    assert died["error"] == t("run.died_unknown", "zh")


def test_the_runner_lock_refuses_a_second_runner_until_the_first_lets_go(database: Database) -> None:
    with runner_lock(database, 0), pytest.raises(LockedError), runner_lock(database, 0.3, poll=0.1):
        pass
    with runner_lock(database, 0):
        pass


@pytest.mark.postgres
def test_two_deployments_in_two_schemas_of_one_database_do_not_lock_each_other(pg_available: str | None) -> None:
    if pg_available:
        pytest.skip(pg_available)
    with pg_schema() as a, pg_schema() as b:
        first, second = open_database(a), open_database(b)
        try:
            with runner_lock(first, 0), runner_lock(second, 0):
                pass
        finally:
            first.dispose()
            second.dispose()
