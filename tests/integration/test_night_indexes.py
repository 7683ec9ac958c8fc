"""The night's reads that look for a few rows of a history table search an index for them (issue 18,
migration 0021): SQLite's plan for each says SEARCH (or SCAN of a partial index: its rows only),
never SCAN of the table. The statements are those the code sends, caught with their values as
SQLite runs them (the trace callback), so a query rewritten so that no index serves it fails here.

SQLite only: its planner has no statistics (the tool never runs ANALYZE on SQLite), so the plan is
the same on an empty file as on a province's; PostgreSQL weighs its statistics, and on small tables
rightly reads them whole."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from store.bookkept import Mark, load_kept_all, sourced
from store.books import statements_near
from store.db import Database, open_database, session_scope, upgrade
from store.snapshot import rejected_files


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'recon.db'}")
    upgrade(db)
    yield db
    db.dispose()


def _plans(db: Database, read: Callable[[Session], Any]) -> list[tuple[str, list[str]]]:
    """Each SELECT `read` runs, with SQLite's plan for it (its values bound, as they were run)."""
    sent: list[str] = []
    with session_scope(db) as s:
        raw = s.connection().connection.dbapi_connection
        raw.set_trace_callback(sent.append)
        try:
            read(s)
        finally:
            raw.set_trace_callback(None)
        selects = [q for q in sent if q.lstrip().upper().startswith("SELECT")]
        return [(q, [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + q).fetchall()]) for q in selects]


def _plan_of(db: Database, read: Callable[[Session], Any], table: str) -> list[str]:
    """The plan of the one SELECT of `read` that reads `table`."""
    found = [plan for q, plan in _plans(db, read) if f" {table} " in f" {' '.join(q.split())} ".replace(",", " ")]
    assert len(found) == 1, found
    return found[0]


def _searched(plan: list[str], table: str, index: str) -> None:
    """Read through `index` (a SEARCH, or a SCAN of a partial index: its rows only), not the table whole."""
    assert any(step.split(" ")[:2] in (["SEARCH", table], ["SCAN", table]) and f"INDEX {index}" in step
               for step in plan), plan
    assert f"SCAN {table}" not in plan, plan


def test_the_rejected_files_are_found_by_their_partial_index(sqlite_db: Database) -> None:
    plan = _plan_of(sqlite_db, rejected_files, "files")
    _searched(plan, "files", "ix_files_rejected")


def test_the_statements_and_journals_since_are_read_by_their_files(sqlite_db: Database) -> None:
    """store.bookkept.sourced: the files stored since (the key) or `changed` (a partial index),
    then their statements and journals by file, not every statement joined to its file."""
    plans = _plans(sqlite_db, lambda s: sourced(s, Mark(0, 0, date(2010, 12, 14), "c")))
    reads = [plan for q, plan in plans if "period_start" in q]
    assert len(reads) == 2, plans
    for plan, table in zip(reads, ("statements", "journals"), strict=True):
        assert f"SEARCH {table} USING INDEX ix_{table}_file_id (file_id=?)" in plan, plan
        assert "SCAN files USING INDEX ix_files_changed" in plan, plan
        assert not [step for step in plan if step == f"SCAN {table}" or step == "SCAN files"], plan


def test_the_kept_months_a_restart_reads_are_searched_by_month(sqlite_db: Database) -> None:
    restarts = {"acct": (date(2010, 12, 1), date(2010, 11, 20))}
    plans = _plans(sqlite_db, lambda s: load_kept_all(s, restarts, 30, date(2010, 12, 15)))
    kept = [plan for q, plan in plans if "FROM book_kept" in q]
    assert len(kept) == 2, plans
    matches, unmatched = kept
    assert any(step.startswith("SEARCH book_kept USING INDEX ix_book_kept_month (month>? AND month<?)")
               for step in matches), matches
    assert any(step.startswith("SEARCH book_kept USING INDEX ix_book_kept_unmatched") for step in unmatched), unmatched


def test_the_statements_near_a_day_search_the_account_by_its_period_ends(sqlite_db: Database) -> None:
    plans = _plans(sqlite_db, lambda s: statements_near(s, "acct", date(2010, 12, 15),
                                                         [(date(2010, 10, 1), date(2010, 10, 31)),
                                                          (date(2010, 11, 1), date.max)], date(2010, 11, 30)))
    assert len(plans) == 1, plans
    plan = plans[0][1]
    assert "SEARCH a USING INDEX ix_statements_account_end (account=? AND period_end<?)" in plan, plan
