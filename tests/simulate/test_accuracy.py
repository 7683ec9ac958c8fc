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
from store.books import load_statements
from store.db import session_scope, upgrade
from store.findings import listing
from tests.accuracy import book_row, compare, compare_book, load_key
from tests.integration.conftest import pg_schema as fresh_schema
from tests.integration.conftest import write_config
from tests.simulate.test_budget_accuracy import check_report_tables

LOW = 1200


NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""
BOOK = """[book]
stale_days = 30  # a quarter then holds stale items (the default 90 would need four months)
"""


def engine_versus_key(root: Path, url: str, months: int, seed: int,
                      start: str = "2008-01") -> tuple[list[object], list[object], int]:
    """(missed, extra, findings in the key): findings, and every account-month's 调节表 and items."""
    write_config(root, url, NAME_RULE + BOOK)
    app = App(str(root / "config.toml"))
    summary = simulate(start, months, seed, "city", root / "inbox", lines_per_month=LOW, config=app.config)
    key = load_key(Path(summary.answer_key))
    upgrade(app.database(checked=False))
    report = Ingestor(app.config, app.registry, app.database()).run(progress=False)
    assert report.rejected == 1  # the malformed file, and nothing else
    run_reconcile(app.config, app.registry, app.database(), date.fromisoformat(key["as_of"]))
    check_report_tables(app, key)  # budget execution and the gap rule (tests/simulate/test_budget_accuracy.py)
    with session_scope(app.database()) as s:
        found = [finding_json(r) for r in listing(s, status="open")]
        book = [book_row(st) for st in load_statements(s)]
    missed, extra = compare(key["findings"], found)
    book_missed, book_extra = compare_book(key["book"], book)
    assert {f["kind"] for f in key["findings"]} >= {"book_unreconciled", "stale_outstanding", "misplaced_income"}
    assert sum(len(m.get("items", [])) for m in key["book"]) >= 5
    return missed + book_missed, extra + book_extra, len(key["findings"])


@pytest.mark.parametrize("seed", range(1, 21))
def test_a_simulated_quarter_gives_exactly_the_answer_key(tmp_path: Path, seed: int) -> None:
    missed, extra, n = engine_versus_key(tmp_path, f"sqlite:///{tmp_path / 'data' / 'recon.db'}", 3, seed)
    assert (missed, extra) == ([], []), f"seed {seed}: {len(missed)} missed, {len(extra)} extra of {n}"
    assert n >= 20


@pytest.mark.parametrize("seed", (3, 8))
def test_a_quarter_over_the_2009_spring_festival_gives_exactly_the_answer_key(tmp_path: Path, seed: int) -> None:
    """25 January 2009 falls in the Spring Festival holiday: January's remit deadline rolls to
    1 February and its findings keep the period 2009-01 (docs/DOMAIN.md, Cases decided later)."""
    missed, extra, n = engine_versus_key(tmp_path, f"sqlite:///{tmp_path / 'data' / 'recon.db'}", 3, seed,
                                         start="2008-12")
    assert (missed, extra) == ([], []), f"seed {seed}: {len(missed)} missed, {len(extra)} extra of {n}"
    key = load_key(tmp_path / "answer_key.json")
    assert any(f["fault"] == "holiday_deadline" and f["period"] == "2009-01" for f in key["findings"])


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
