"""One runner at a time, across processes.

PostgreSQL: a session-level advisory lock held on a connection of its own for the whole run, keyed
by the schema the deployment lives in (advisory locks are per database: two deployments in one
database, each in its own schema, must not stop each other).
SQLite: an operating-system file lock (flock) on a file beside the database; the kernel releases
it when the process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from reconcile.errors import ReconError

ADVISORY_CLASS = 0x5245434F  # "RECO"; the second key is the hash of the current schema


_SCHEMA_KEY = "hashtext(current_schema())"


class LockedError(ReconError):
    """Another run holds the lock."""


@contextmanager
def runner_lock(engine: Engine, wait_seconds: float = 0.0, poll: float = 0.2) -> Iterator[None]:
    url = make_url(str(engine.url))
    deadline = time.monotonic() + wait_seconds
    if url.get_backend_name() == "sqlite":
        db = url.database or ":memory:"
        path = Path(db + ".lock") if db != ":memory:" else Path("/tmp/recon-memory.lock")
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o660)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockedError(_busy(wait_seconds)) from None
                    time.sleep(poll)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock
        return
    conn = engine.connect()
    try:
        while True:
            got = conn.execute(text(f"SELECT pg_try_advisory_lock(:k, {_SCHEMA_KEY})"),
                               {"k": ADVISORY_CLASS}).scalar()
            conn.commit()
            if got:
                break
            if time.monotonic() >= deadline:
                raise LockedError(_busy(wait_seconds))
            time.sleep(poll)
        try:
            yield
        finally:
            conn.execute(text(f"SELECT pg_advisory_unlock(:k, {_SCHEMA_KEY})"), {"k": ADVISORY_CLASS})
            conn.commit()
    finally:
        conn.close()


def _busy(waited: float) -> str:
    return (f"another recon run holds the lock (waited {waited:g} s); "
            "try again when it has finished, or see `recon status` for the running run")
