"""The store's side of the runner lock (jobs/lock.py does the waiting): which file an SQLite
database's runners lock, and PostgreSQL's advisory lock on a connection of its own.

The advisory lock is keyed by the schema the deployment lives in (advisory locks are per database:
two deployments in one database, each in its own schema, must not stop each other).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, text

from store.db import Database, talking

ADVISORY_CLASS = 0x5245434F  # "RECO"; the second key is the hash of the current schema
_SCHEMA_KEY = "hashtext(current_schema())"


def lock_file(db: Database) -> Path | None:
    """The file beside an SQLite database that its runners lock (flock); None for PostgreSQL."""
    if db.url.get_backend_name() != "sqlite":
        return None
    file = db.url.database or ":memory:"
    return Path(file + ".lock") if file != ":memory:" else Path("/tmp/recon-memory.lock")


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock, held on its own connection while it is open."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def try_take(self) -> bool:
        with talking():
            got = self._conn.execute(text(f"SELECT pg_try_advisory_lock(:k, {_SCHEMA_KEY})"),
                                     {"k": ADVISORY_CLASS}).scalar()
            self._conn.commit()
        return bool(got)

    def release(self) -> None:
        with talking():
            self._conn.execute(text(f"SELECT pg_advisory_unlock(:k, {_SCHEMA_KEY})"), {"k": ADVISORY_CLASS})
            self._conn.commit()


@contextmanager
def advisory(db: Database) -> Iterator[AdvisoryLock]:
    """A connection of its own for the advisory lock; closing it would release the lock too."""
    with talking():
        conn = db.connect()
    try:
        yield AdvisoryLock(conn)
    finally:
        conn.close()
