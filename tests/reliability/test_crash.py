"""Crash at any moment: SIGKILL at named points of ingest, reconcile, report and the nightly cycle,
then an ordinary run; the result must be exactly that of a run never interrupted.

`RECON_CRASH_AT=<point>:<n>` (jobs/crashpoints.py) makes the n-th pass through a point kill the
process as a power cut would. The dataset is two simulated months (about 180 files, 1,800 lines,
a duplicate and a malformed file), simulated once per module; the uninterrupted reference run is
shared by every case.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from jobs import crashpoints
from tests.reliability.helpers import (
    AS_OF,
    Picture,
    Seed,
    assert_same_as_uninterrupted,
    ok,
    pg_schema,
    picture,
    recon,
    sqlite_url,
    write_config,
)


def case(command: str, point: str, n: int, bug: str = "") -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
    return pytest.param(command, point, n, marks=marks, id=f"{command}-{point}-{n}")


# (command killed, crash point, n-th pass): each kill is followed by `recon run` to completion.
# `ingest`/`reconcile`/`report` are killed as single commands after the earlier steps ran whole.
CASES = [
    case("run", "ingest.read", 1),
    case("run", "ingest.read", 97),
    case("run", "ingest.parsed", 40),
    case("run", "ingest.file_row", 1),
    case("run", "ingest.statement", 1),
    case("run", "ingest.statement", 77),
    case("run", "ingest.before_commit", 25),
    case("run", "ingest.on_disk", 1),  # a group of files committed, none moved
    case("run", "ingest.on_disk", 3),  # the last group, which the files' end closes
    case("run", "ingest.committed", 1),
    case("run", "ingest.committed", 5),
    case("run", "ingest.committed", 150),
    case("run", "ingest.moved", 60),
    case("run", "ingest.reject_recorded", 1),
    case("run", "ingest.reason_written", 1),
    case("run", "ingest.duplicate_recorded", 1),
    case("run", "reconcile.loaded", 1),
    case("run", "reconcile.computed", 1),
    case("run", "reconcile.merged", 1),
    case("run", "reconcile.committed", 1),
    case("run", "report.xlsx", 1),
    case("run", "report.html", 1),
    case("run", "report.recorded", 1),
    case("run", "nightly.step", 1),
    case("run", "nightly.step", 2),
    case("run", "nightly.step", 3),
    case("run", "nightly.step", 5),
    case("ingest", "ingest.committed", 90),
    case("ingest", "ingest.file_row", 130),
    case("ingest", "ingest.on_disk", 2),
    case("reconcile", "reconcile.merged", 1),
    case("report", "report.html", 1),
]
# Two crashes in a row before the run that completes.
TWICE = [
    pytest.param([("run", "ingest.committed", 3), ("run", "ingest.committed", 3)], id="committed:3+committed:3"),
    pytest.param([("run", "ingest.reject_recorded", 1), ("run", "ingest.reason_written", 1)],
                 id="reject_recorded+reason_written"),
    pytest.param([("run", "reconcile.merged", 1), ("run", "report.html", 1)], id="merged:1+report.html:1"),
]
PG_CASES = [
    case("run", "ingest.statement", 77),
    case("run", "ingest.committed", 5),
    case("run", "ingest.on_disk", 2),
    case("run", "ingest.reject_recorded", 1),
    case("run", "reconcile.merged", 1),
    case("run", "report.recorded", 1),
    case("ingest", "ingest.moved", 100),
]
KILLS = [p.values for p in CASES] + [k for p in TWICE for k in cast(list[tuple[str, str, int]], p.values[0])]


def test_every_crash_point_used_is_a_declared_one() -> None:
    used = {k[1] for k in KILLS}
    assert used <= set(crashpoints.POINTS)
    assert set(crashpoints.POINTS) - used == set(), "every declared point is killed at least once"


def crash_then_recover(root: Path, url: str, seed: Seed, crashes: list[tuple[str, str, int]]) -> Picture:
    shutil.copytree(seed.inbox, root / "inbox")
    cfg = write_config(root, url)
    ok(recon(cfg, "init"))
    for command, point, n in crashes:
        if command in ("reconcile", "report"):
            ok(recon(cfg, "ingest", "--no-progress"), 0, 1)
        if command == "report":
            ok(recon(cfg, "reconcile", "--as-of", AS_OF), 0, 1)
        args = [command, "--as-of", AS_OF] if command != "ingest" else [command, "--no-progress"]
        killed = recon(cfg, *args, env={"RECON_CRASH_AT": f"{point}:{n}"})
        assert killed.returncode == -9, (
            f"{command} was to die at {point}:{n} but exited {killed.returncode}: {killed.stderr[-2000:]}")
    ok(recon(cfg, "run", "--as-of", AS_OF))
    return picture(root, url)


@pytest.mark.parametrize(("command", "point", "n"), CASES)
def test_a_kill_at_any_point_then_a_run_gives_the_database_of_an_uninterrupted_run(
        tmp_path: Path, seed: Seed, command: str, point: str, n: int) -> None:
    got = crash_then_recover(tmp_path, sqlite_url(tmp_path), seed, [(command, point, n)])
    assert_same_as_uninterrupted(got, seed, tmp_path)


@pytest.mark.parametrize("crashes", TWICE)
def test_two_kills_in_a_row_then_a_run_give_the_database_of_an_uninterrupted_run(
        tmp_path: Path, seed: Seed, crashes: list[tuple[str, str, int]]) -> None:
    got = crash_then_recover(tmp_path, sqlite_url(tmp_path), seed, crashes)
    assert_same_as_uninterrupted(got, seed, tmp_path)


@pytest.fixture
def pg_url(pg_available: str | None) -> Iterator[str]:
    if pg_available:
        pytest.skip(pg_available)
    with pg_schema() as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize(("command", "point", "n"), PG_CASES)
def test_a_kill_on_postgresql_then_a_run_gives_the_database_of_an_uninterrupted_sqlite_run(
        tmp_path: Path, seed: Seed, pg_url: str, command: str, point: str, n: int) -> None:
    got = crash_then_recover(tmp_path, pg_url, seed, [(command, point, n)])
    assert_same_as_uninterrupted(got, seed, tmp_path)
