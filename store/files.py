"""The inbox's files in the store: what the ingest (jobs/ingest/) and the archive check
(jobs/archive.py) record and look up, as records in and records out. Each function is one
transaction; no `Session` or row leaves this module.

A file is recorded once per arrival (ingested, duplicate, rejected) with the archive path decided
before the commit, so that a run stopped between the commit and the move finishes the move.
`step` is told each step inside a transaction (`file_row`, each `statement`, `before_commit`): the
shell's crash points (jobs/crashpoints.py) hang on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from reconcile.book.records import Journal
from reconcile.model import Statement
from store.books import store_journal
from store.db import on_disk, session_scope, unsynced
from store.ledger import (
    Conflict,
    Stored,
    arrivals_with_sha,
    conflicts,
    record_file,
    set_counts,
    store_schedule,
    store_statement,
)
from store.models import FileRow
from store.partitions import analyze_grown

__all__ = ["Archived", "Arrival", "Conflict", "Database", "OneFile", "Stored", "Via", "archived", "archived_file",
           "arrivals_of", "conflicts_with", "on_disk", "one_file", "record_reread", "record_statements", "unsynced"]

Database = Engine  # the handle the shell passes in and never opens itself
Via = Engine | Connection  # where files' transactions go: the database, or what `unsynced` gives


def _no_step(_name: str) -> None:
    return None


@dataclass(frozen=True)
class Arrival:
    """One arrival of a file: as the ingest has it recorded (`id` 0), and as the store reads it back
    (the arrivals of some bytes, the archived files), with the id of its row."""

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
    id: int = 0  # its row's id, once recorded


def _record(row: FileRow) -> Arrival:
    return Arrival(row.sha256, row.name, row.size, row.status, row.received_at, row.processed_at, row.format,
                   row.account, row.reason, row.archive_path, row.id)


def _row(session: Any, a: Arrival) -> FileRow:
    return record_file(session, sha256=a.sha256, name=a.name, size=a.size, status=a.status,
                       received_at=a.received_at, processed_at=a.processed_at, fmt=a.format, reason=a.reason,
                       account=a.account, archive_path=a.archive_path)


class OneFile:
    """One file's lookups and rows in one transaction (`one_file`): the ingest's duplicate lookup,
    correction check and the file's rows share one session and one BEGIN/COMMIT, all or nothing."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def arrivals_of(self, sha256: str) -> list[Arrival]:
        """Every arrival of these bytes (ingested, duplicate, rejected), first first."""
        return [Arrival(*r) for r in arrivals_with_sha(self._s, sha256)]

    def conflicts_with(self, bound: Sequence[tuple[str, Statement]]) -> list[Conflict]:
        """The corrections these (account, statement)s would bring against the ledger (store/ledger.py)."""
        return [c for account, st in bound for c in conflicts(self._s, account, st)]

    def record(self, arrival: Arrival) -> Arrival:
        """An arrival that stores nothing else (a duplicate, a rejected file)."""
        return _record(_row(self._s, arrival))

    def record_statements(self, arrival: Arrival, bound: Sequence[tuple[str, Statement]],
                          step: Callable[[str], None] = _no_step) -> Stored:
        """The file's row and each (account, statement)'s new lines: the lines added and those the
        ledger held already."""
        return self._record_items(arrival, bound, store_statement, "statement", step)[1]

    def record_journals(self, arrival: Arrival, bound: Sequence[tuple[str, Journal]],
                        step: Callable[[str], None] = _no_step) -> Stored:
        """The file's row and each (account, journal)'s new entries (`Stored` counts entries here)."""
        return self._record_items(arrival, bound, store_journal, None, step)[1]

    def record_schedule(self, arrival: Arrival, kind: str, rows: Sequence[object]) -> int:
        """A plan, surplus schedule, collection-target or budget file and its rows."""
        row = _row(self._s, arrival)
        set_counts(self._s, row, store_schedule(self._s, row, kind, rows), 0)
        return row.lines_added

    def _record_items(self, arrival: Arrival, bound: Sequence[tuple[str, Any]], store_one: Callable[..., Any],
                      item: str | None, step: Callable[[str], None]) -> tuple[int, Stored]:
        """The file's row and its items (told to `step`): the row's id and what was stored."""
        added = skipped = 0
        row = _row(self._s, arrival)
        step("file_row")
        for i, (account, one) in enumerate(bound):
            stored = store_one(self._s, row, i, account, one)
            if item:
                step(item)
            added += stored.added
            skipped += stored.skipped
        set_counts(self._s, row, added, skipped)
        step("before_commit")
        return row.id, Stored(added, skipped)


@contextmanager
def one_file(engine: Engine, *, wait_for_disk: bool = True, via: Via | None = None) -> Iterator[OneFile]:
    """One transaction for one file: commits when the block ends, rolls back on any exception. After
    the commit, a year's partition the ingest grew enough is analysed (store/partitions.py); should
    that fail, the file is committed and not yet moved, which the next run finishes.

    `wait_for_disk=False`: the commit does not wait for the disk (store/db.py `session_scope`); the
    ingest then calls `on_disk` before it moves the file (a group of files at a time). `via`: the
    handle `unsynced(engine)` gives, for many such files in turn."""
    with session_scope(engine if via is None else via, wait_for_disk=wait_for_disk) as s:
        yield OneFile(s)
    analyze_grown(engine)


def arrivals_of(engine: Engine, sha256: str) -> list[Arrival]:
    """Every arrival of these bytes (ingested, duplicate, rejected), first first."""
    with one_file(engine) as tx:
        return tx.arrivals_of(sha256)


class Archived(NamedTuple):
    """What the archive check compares of an ingested file (`archived`): its row's id, archive path,
    recorded size and the time it was processed (naive: UTC, as SQLite gives it back)."""

    id: int
    archive_path: str
    size: int
    processed_at: datetime


def archived(engine: Engine, skip_formats: Sequence[str] = ()) -> list[Archived]:
    """Every ingested file with an archive path and a recorded digest, but those of `skip_formats`:
    the four columns the archive check compares, as plain tuples (one a file, every night: issue 18)."""
    q = (select(FileRow.id, FileRow.archive_path, FileRow.size, FileRow.processed_at)
         .where(FileRow.status == "ingested", FileRow.archive_path != "", FileRow.sha256 != "",
                FileRow.format.not_in(skip_formats)))
    with engine.connect() as conn:
        return [Archived(*r) for r in conn.execute(q)]


def archived_file(engine: Engine, row_id: int) -> Arrival:
    """The arrival of one file row, by its id (a file the archive check found changed)."""
    with session_scope(engine) as s:
        row = s.get(FileRow, row_id)
        assert row is not None
        return _record(row)


def record_statements(engine: Engine, arrival: Arrival, bound: Sequence[tuple[str, Statement]],
                      step: Callable[[str], None] = _no_step) -> Stored:
    """The file's row and each (account, statement)'s new lines, in one transaction: the lines added
    and those the ledger held already."""
    with one_file(engine) as tx:
        return tx.record_statements(arrival, bound, step)


def record_reread(engine: Engine, changed_id: int, arrival: Arrival, bound: Sequence[tuple[str, Statement]],
                  changed_reason: Callable[[int], str]) -> Stored:
    """An archived file whose bytes changed after its ingest, read again: a new row with the new
    bytes and the lines the ledger does not hold yet; the old row (`changed_id`) becomes `changed`
    with `changed_reason(new id)`. One transaction."""
    with session_scope(engine) as s:
        first = s.get(FileRow, changed_id)
        assert first is not None
        row_id, stored = OneFile(s)._record_items(arrival, bound, store_statement, None, _no_step)
        first.status = "changed"
        first.reason = changed_reason(row_id)
    return stored


def conflicts_with(engine: Engine, bound: Sequence[tuple[str, Statement]]) -> list[Conflict]:
    """The corrections these (account, statement)s would bring against the ledger (store/ledger.py)."""
    with one_file(engine) as tx:
        return tx.conflicts_with(bound)
