"""Two runners at once on the same inbox and database: the runner lock serialises them, so the result is
that of one run (same lines, every file accounted for once), on SQLite (flock) and PostgreSQL (advisory
lock)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT
from tests.reliability.helpers import (
    AS_OF,
    Seed,
    assert_same_as_uninterrupted,
    file_rows_match_files,
    ok,
    pg_schema,
    picture,
    recon,
    sqlite_url,
    write_config,
)


def at_once(cfg: Path, *commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECON_")} | {"PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "jobs.cli", "--config", str(cfg), *args], cwd=str(cfg.parent),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for args in commands]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path, pg_available: str | None) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    if pg_available:
        pytest.skip(pg_available)
    with pg_schema() as u:
        yield u


def test_two_ingests_started_together_give_the_database_of_one(tmp_path: Path, seed: Seed, url: str) -> None:
    shutil.copytree(seed.inbox, tmp_path / "inbox")
    cfg = write_config(tmp_path, url)
    ok(recon(cfg, "init"))
    first, second = at_once(cfg, ["ingest", "--no-progress"], ["ingest", "--no-progress"])
    ok(first, 0, 1)
    ok(second, 0, 1)
    assert file_rows_match_files(tmp_path, url) == []
    ok(recon(cfg, "run", "--as-of", AS_OF))
    assert_same_as_uninterrupted(picture(tmp_path, url), seed, tmp_path)


def test_two_nightly_runs_started_together_give_the_database_of_one(tmp_path: Path, seed: Seed) -> None:
    shutil.copytree(seed.inbox, tmp_path / "inbox")
    url = sqlite_url(tmp_path)
    cfg = write_config(tmp_path, url)
    ok(recon(cfg, "init"))
    for proc in at_once(cfg, ["run", "--as-of", AS_OF], ["run", "--as-of", AS_OF], ["ingest", "--no-progress"]):
        ok(proc, 0, 1)
    assert_same_as_uninterrupted(picture(tmp_path, url), seed, tmp_path)


def test_a_second_runner_that_cannot_get_the_lock_in_time_says_so_and_exits_3(tmp_path: Path, seed: Seed) -> None:
    shutil.copytree(seed.inbox, tmp_path / "inbox")
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    first, second = at_once(cfg, ["run", "--as-of", AS_OF], ["run", "--as-of", AS_OF, "--wait", "0"])
    ok(first)
    if second.returncode == 0:  # it ran first: the other waited its turn
        return
    assert second.returncode == 3 and "Traceback" not in second.stderr, second.stderr
    assert "lock" in second.stderr
