"""The engine against the simulator's answer key: exactly the same findings, nothing missed,
nothing extra; 20 seeds of a simulated quarter on SQLite and one full year on PostgreSQL.

The simulator derives its key from what it injected, without importing the engine (an
import-linter contract), so these tests can fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import finding_json, run_reconcile
from simulate import simulate
from store.db import session_scope, upgrade
from store.findings import listing
from tests.accuracy import compare, load_key
from tests.integration.conftest import pg_schema as fresh_schema
from tests.integration.conftest import write_config

LOW = 1200


NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""


def engine_versus_key(root: Path, url: str, months: int, seed: int) -> tuple[list[object], list[object], int]:
    write_config(root, url, NAME_RULE)
    summary = simulate("2008-01", months, seed, "city", root / "inbox", lines_per_month=LOW)
    key = load_key(Path(summary.answer_key))
    app = App(str(root / "config.toml"))
    upgrade(app.engine(checked=False))
    report = Ingestor(app.config, app.registry, app.engine()).run(progress=False)
    assert report.rejected == 1  # the malformed file, and nothing else
    run_reconcile(app.config, app.registry, app.engine(), date.fromisoformat(key["as_of"]))
    with session_scope(app.engine()) as s:
        found = [finding_json(r) for r in listing(s, status="open")]
    missed, extra = compare(key["findings"], found)
    return missed, extra, len(key["findings"])


@pytest.mark.parametrize("seed", range(1, 21))
def test_a_simulated_quarter_gives_exactly_the_answer_key(tmp_path: Path, seed: int) -> None:
    missed, extra, n = engine_versus_key(tmp_path, f"sqlite:///{tmp_path / 'data' / 'recon.db'}", 3, seed)
    assert (missed, extra) == ([], []), f"seed {seed}: {len(missed)} missed, {len(extra)} extra of {n}"
    assert n >= 20


@pytest.fixture
def pg_url(pg_available: str | None) -> Iterator[str]:
    if pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {pg_available}")
        pytest.skip(pg_available)
    with fresh_schema() as url:
        yield url


@pytest.mark.postgres
def test_a_simulated_year_on_postgresql_gives_exactly_the_answer_key(tmp_path: Path, pg_url: str) -> None:
    missed, extra, n = engine_versus_key(tmp_path, pg_url, 12, 7)
    assert (missed, extra) == ([], []), f"{len(missed)} missed, {len(extra)} extra of {n}"
