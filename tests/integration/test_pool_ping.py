"""PostgreSQL: a pooled connection is pinged only when it sat idle (store/db.py), and a dead one is
still replaced: the server closing it (a restart, here `pg_terminate_backend`) costs no transaction."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import text

from store import db as store_db
from store.db import Database, open_database, session_scope
from tests.integration.conftest import PG_URL, pg_schema

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_available: str | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Database, list[int]]]:
    """The database, and a list that grows by one at each ping."""
    if pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {pg_available}")
        pytest.skip(pg_available)
    monkeypatch.setattr(store_db, "PING_AFTER_IDLE_SECONDS", 0.2)
    with pg_schema() as url:
        db = open_database(url)
        pings: list[int] = []
        real = db.dialect.do_ping

        def counted(conn: object) -> bool:
            pings.append(1)
            return real(conn)

        monkeypatch.setattr(db.dialect, "do_ping", counted)
        try:
            yield db, pings
        finally:
            db.dispose()


def _backend(db: Database) -> int:
    with session_scope(db) as s:
        return int(s.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    with psycopg.connect(PG_URL.replace("+psycopg", ""), autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)
    time.sleep(0.1)  # the backend is gone once the server has handled the signal


def test_a_connection_the_server_closed_while_it_sat_idle_is_replaced(pg: tuple[Database, list[int]]) -> None:
    db, pings = pg
    first = _backend(db)
    _terminate(first)
    time.sleep(0.2)  # idle past PING_AFTER_IDLE_SECONDS
    second = _backend(db)  # no error: the ping found it dead and the pool connected again
    assert second != first
    assert pings == [1]


def test_a_connection_given_back_moments_ago_is_not_pinged(pg: tuple[Database, list[int]]) -> None:
    db, pings = pg
    pids = {_backend(db) for _ in range(20)}
    assert len(pids) == 1  # the same pooled connection each time
    assert pings == []
    time.sleep(0.25)
    assert _backend(db) in pids
    assert pings == [1]
