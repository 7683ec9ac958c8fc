"""One runner at a time, across processes.

PostgreSQL: a session-level advisory lock held on a connection of its own for the whole run, keyed
by the schema the deployment lives in (store/lock.py).
SQLite: an operating-system file lock (flock) on a file beside the database; the kernel releases
it when the process dies, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from reconcile.errors import ReconError
from store.db import Database
from store.lock import advisory, lock_file


class LockedError(ReconError):
    """Another run holds the lock."""


@contextmanager
def runner_lock(db: Database, wait_seconds: float = 0.0, poll: float = 0.2) -> Iterator[None]:
    deadline = time.monotonic() + wait_seconds
    path = lock_file(db)
    if path is not None:
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
    with advisory(db) as lock:
        while not lock.try_take():
            if time.monotonic() >= deadline:
                raise LockedError(_busy(wait_seconds))
            time.sleep(poll)
        try:
            yield
        finally:
            lock.release()


def _busy(waited: float) -> str:
    return (f"another recon run holds the lock (waited {waited:g} s); "
            "try again when it has finished, or see `recon status` for the running run")
