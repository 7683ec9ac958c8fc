"""The inbox's files in the store: what the ingest (jobs/ingest/) and the archive check
(jobs/archive.py) record and look up, as records in and records out. Each function is one
transaction; no `Session` or row leaves this module.

A file is recorded once per arrival (ingested, duplicate, rejected) with the archive path decided
before the commit, so that a run stopped between the commit and the move finishes the move.
`step` is told each step inside a transaction (`file_row`, each `statement`, `before_commit`): the
shell's crash points (jobs/crashpoints.py) hang on it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from reconcile.book.records import Journal
from reconcile.model import Statement
from store.books import store_journal
from store.db import session_scope
from store.ledger import (
    Conflict,
    Stored,
    archived_statement_files,
    conflicts,
    files_with_sha,
    record_file,
    store_schedule,
    store_statement,
)
from store.models import FileRow

__all__ = ["Arrival", "Conflict", "Database", "FileRecord", "Stored", "archived_files", "arrivals_of",
           "conflicts_with", "record", "record_journals", "record_reread", "record_schedule", "record_statements"]

Database = Engine  # the handle the shell passes in and never opens itself


def _no_step(_name: str) -> None:
    return None


@dataclass(frozen=True)
class Arrival:
    """One arrival of a file, as it is to be recorded."""

    sha256: str
    name: str
    size: int
    status: str  # ingested | duplicate | rejected
    received_at: datetime
    processed_at: datetime
    format: str = ""
    account: str = ""
    reason: str = ""
    archive_path: str = ""


@dataclass(frozen=True)
class FileRecord:
    """One recorded arrival."""

    id: int
    sha256: str
    name: str
    size: int
    status: str
    format: str
    account: str
    reason: str
    archive_path: str
    processed_at: datetime


def _record(row: FileRow) -> FileRecord:
    return FileRecord(row.id, row.sha256, row.name, row.size, row.status, row.format, row.account, row.reason,
                      row.archive_path, row.processed_at)


def _row(session: Any, a: Arrival) -> FileRow:
    return record_file(session, sha256=a.sha256, name=a.name, size=a.size, status=a.status,
                       received_at=a.received_at, processed_at=a.processed_at, fmt=a.format, reason=a.reason,
                       account=a.account, archive_path=a.archive_path)


def arrivals_of(engine: Engine, sha256: str) -> list[FileRecord]:
    """Every arrival of these bytes (ingested, duplicate, rejected), first first."""
    with session_scope(engine) as s:
        return [_record(r) for r in files_with_sha(s, sha256)]


def archived_files(engine: Engine) -> list[FileRecord]:
    """Every ingested file with an archive path (for the archive check of each run)."""
    with session_scope(engine) as s:
        rows = archived_statement_files(s)
    return [FileRecord(r.id, r.sha256, r.name, r.size, "ingested", r.format, "", "", r.archive_path,
                       r.processed_at) for r in rows]


def record(engine: Engine, arrival: Arrival) -> FileRecord:
    """An arrival that stores nothing else (a duplicate, a rejected file)."""
    with session_scope(engine) as s:
        return _record(_row(s, arrival))


def record_statements(engine: Engine, arrival: Arrival, bound: Sequence[tuple[str, Statement]],
                      step: Callable[[str], None] = _no_step) -> Stored:
    """The file's row and each (account, statement)'s new lines, in one transaction: the lines added
    and those the ledger held already."""
    return _record_items(engine, arrival, bound, store_statement, "statement", step)


def record_journals(engine: Engine, arrival: Arrival, bound: Sequence[tuple[str, Journal]],
                    step: Callable[[str], None] = _no_step) -> Stored:
    """The file's row and each (account, journal)'s new entries, in one transaction (`Stored` counts
    entries here)."""
    return _record_items(engine, arrival, bound, store_journal, None, step)


def _record_items(engine: Engine, arrival: Arrival, bound: Sequence[tuple[str, Any]], store_one: Callable[..., Any],
                  item: str | None, step: Callable[[str], None]) -> Stored:
    added = skipped = 0
    with session_scope(engine) as s:
        row = _row(s, arrival)
        step("file_row")
        for i, (account, one) in enumerate(bound):
            stored = store_one(s, row, i, account, one)
            if item:
                step(item)
            added += stored.added
            skipped += stored.skipped
        row.lines_added, row.lines_skipped = added, skipped
        step("before_commit")
    return Stored(added, skipped)


def record_schedule(engine: Engine, arrival: Arrival, kind: str, rows: Sequence[object]) -> int:
    """A plan, surplus schedule, collection-target or budget file and its rows, in one transaction."""
    with session_scope(engine) as s:
        row = _row(s, arrival)
        row.lines_added = store_schedule(s, row, kind, rows)
        return row.lines_added


def record_reread(engine: Engine, changed_id: int, arrival: Arrival, bound: Sequence[tuple[str, Statement]],
                  changed_reason: Callable[[int], str]) -> Stored:
    """An archived file whose bytes changed after its ingest, read again: a new row with the new
    bytes and the lines the ledger does not hold yet; the old row (`changed_id`) becomes `changed`
    with `changed_reason(new id)`. One transaction."""
    added = skipped = 0
    with session_scope(engine) as s:
        first = s.get(FileRow, changed_id)
        assert first is not None
        row = _row(s, arrival)
        for i, (account, st) in enumerate(bound):
            stored = store_statement(s, row, i, account, st)
            added += stored.added
            skipped += stored.skipped
        row.lines_added, row.lines_skipped = added, skipped
        first.status = "changed"
        first.reason = changed_reason(row.id)
    return Stored(added, skipped)


def conflicts_with(engine: Engine, bound: Sequence[tuple[str, Statement]]) -> list[Conflict]:
    """The corrections these (account, statement)s would bring against the ledger (store/ledger.py)."""
    with session_scope(engine) as s:
        return [c for account, st in bound for c in conflicts(s, account, st)]
