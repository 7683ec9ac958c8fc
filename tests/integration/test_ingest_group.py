"""The ingest's groups (jobs/ingest/pipeline.py `Group`): each file's transaction commits without
waiting for the disk, and a group's files move only once the group is on the disk; a run that fails
still moves what it committed. On SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text

from jobs.app import App
from jobs.ingest import Ingestor, pipeline
from store.db import Database, on_disk, open_database, session_scope, unsynced, upgrade
from store.models import FileRow
from tests.integration.files import Row, icbc_csv

DAYS = 7


def app_for(project: Path) -> App:
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    return app


def drop_days(project: Path, n: int = DAYS) -> None:
    for day in range(1, n + 1):  # a file a day: each adds its own line
        (project / "inbox" / f"工行流水-{day:02d}.csv").write_bytes(
            icbc_csv([Row(f"2008-03-{day:02d} 09:00:00", 1000 * day, voucher=f"V{day}")]))


def archived(project: Path) -> int:
    return sum(1 for p in (project / "archive").rglob("*") if p.is_file()) if (project / "archive").exists() else 0


def rows(db: Database) -> int:
    with session_scope(db) as s:
        return s.scalar(select(func.count()).select_from(FileRow)) or 0


@pytest.fixture
def grouped(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[App, Database]:
    """A deployment with DAYS files in its inbox and groups of three files."""
    monkeypatch.setattr(pipeline, "GROUP_FILES", 3)
    app = app_for(project)
    drop_days(project)
    return app, app.database()


def test_files_move_a_group_at_a_time_and_never_before_their_commit(
        project: Path, grouped: tuple[App, Database]) -> None:
    app, db = grouped
    seen: list[tuple[int, int]] = []

    def watch() -> bool:  # asked before and after each file: what is archived, what is committed
        seen.append((archived(project), rows(db)))
        return False

    report = Ingestor(app.config, app.registry, db).run(stop=watch, progress=False)
    assert (report.ingested, report.added) == (DAYS, DAYS)
    assert archived(project) == DAYS and not any((project / "inbox").iterdir())
    assert {moved for moved, _ in seen} == {0, 3, 6}  # whole groups only; the last moves at the end
    assert all(moved <= committed for moved, committed in seen)
    assert max(committed for _, committed in seen) == DAYS


def test_a_run_that_fails_still_moves_the_files_it_committed_and_the_next_run_takes_the_rest(
        project: Path, grouped: tuple[App, Database]) -> None:
    app, db = grouped
    told: list[str] = []

    def on_file(name: str) -> None:  # the nightly cycle's run row is written here; say it fails
        told.append(name)
        if len(told) == 5:
            raise OSError("the run row could not be written")

    with pytest.raises(OSError, match="run row"):
        Ingestor(app.config, app.registry, db, on_file=on_file).run(progress=False)
    assert rows(db) == 4 and archived(project) == 4  # committed = moved, a group and a part of one
    assert len(list((project / "inbox").iterdir())) == DAYS - 4
    report = Ingestor(app.config, app.registry, db).run(progress=False)
    assert (report.ingested, report.duplicate, report.added) == (DAYS - 4, 0, DAYS - 4)
    assert rows(db) == DAYS and archived(project) == DAYS


def test_a_runs_files_share_one_connection_that_sets_nothing_a_file_and_the_pool_is_left_as_it_was(
        project: Path, grouped: tuple[App, Database]) -> None:
    """PostgreSQL: the files' transactions go through one connection whose session does not wait for
    the disk (store/db.py `unsynced`), so no file's transaction sets it (a round trip a file); the
    connection is closed after the run, so every connection of the pool waits for the disk again.
    SQLite: the engine, as before."""
    app, db = grouped
    said: list[str] = []
    event.listen(db, "before_cursor_execute", lambda _conn, _cur, statement, *_rest: said.append(statement))
    Ingestor(app.config, app.registry, db).run(progress=False)
    assert rows(db) == DAYS and archived(project) == DAYS
    assert [s for s in said if "synchronous_commit" in s and "OFF" in s] == (
        ["SET synchronous_commit TO OFF"] if db.dialect.name == "postgresql" else [])
    if db.dialect.name == "postgresql":
        pooled = [db.connect() for _ in range(db.pool.size())]  # every connection the pool holds, and more
        try:
            assert {c.execute(text("SHOW synchronous_commit")).scalar_one() for c in pooled} == {"on"}
        finally:
            for c in pooled:
                c.close()


@pytest.mark.postgres
def test_on_postgresql_a_files_commit_does_not_wait_for_the_disk_and_on_disk_waits_for_it(
        pg_database: Database) -> None:
    database = pg_database
    with session_scope(database, wait_for_disk=False) as s:
        assert s.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        s.execute(text("CREATE TABLE IF NOT EXISTS grouped (n int)"))
        s.execute(text("INSERT INTO grouped VALUES (1)"))
    with session_scope(database) as s:
        assert s.execute(text("SHOW synchronous_commit")).scalar_one() == "on"  # the next one waits again
        written = s.execute(text("SELECT pg_current_wal_insert_lsn()::text")).scalar_one()
    on_disk(database)
    with session_scope(database) as s:
        assert s.execute(text("SELECT pg_current_wal_flush_lsn() >= CAST(:w AS pg_lsn)"), {"w": written}).scalar_one()
    with unsynced(database) as via:  # many such transactions: the session's setting, set once
        for wait, said in ((False, "off"), (True, "on"), (False, "off")):
            with session_scope(via, wait_for_disk=wait) as s:
                assert s.execute(text("SHOW synchronous_commit")).scalar_one() == said


def test_on_sqlite_on_disk_puts_what_the_wal_holds_into_the_database_file(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'recon.db'}")
    with session_scope(database, wait_for_disk=False) as s:
        s.execute(text("CREATE TABLE grouped (n int)"))
        s.execute(text("INSERT INTO grouped VALUES (1)"))

    def in_the_file() -> list[int]:  # the database file alone, without its WAL
        with closing(sqlite3.connect(f"file:{database.url.database}?immutable=1", uri=True)) as conn:
            try:
                return [n for (n,) in conn.execute("SELECT n FROM grouped")]
            except sqlite3.OperationalError:
                return []

    assert in_the_file() == []  # committed into the WAL only
    on_disk(database)
    assert in_the_file() == [1]
    database.dispose()
