"""Fixtures for tests against a real database: every such test runs on SQLite and on PostgreSQL.

PostgreSQL tests use a schema of their own on the `test` database at 127.0.0.1:5432 and drop it
afterwards. Where no server is reachable they skip with the reason, except under CI=true, where
a missing server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from store.db import Database, open_database, upgrade

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("RECON_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"


@contextmanager
def pg_schema() -> Iterator[str]:
    """A database URL on a fresh schema of the test server, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def pg_available() -> str | None:
    return _pg_reason()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_available: str | None) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'recon.db'}"
        return
    need_postgres(pg_available)
    with pg_schema() as url:
        yield url


def need_postgres(reason: str | None) -> None:
    """Without a reachable server: skip with the reason, or fail under CI=true."""
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(reason)


@pytest.fixture
def pg_database(pg_available: str | None) -> Iterator[Database]:
    """A fresh, empty schema of the test server (no tables made), its connections closed afterwards."""
    need_postgres(pg_available)
    with pg_schema() as url:
        db = open_database(url)
        yield db
        db.dispose()



@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An empty database on `db_url` at the schema's head, its connections closed afterwards."""
    db = open_database(db_url)
    upgrade(db)
    yield db
    db.dispose()

def write_config(root: Path, url: str, extra: str = "") -> Path:
    """A deployment folder: config.toml pointing at its own inbox, archive, ... and database, and at
    the project's real mappings; `extra` is appended (e.g. file-name rules)."""
    (root / "config.toml").write_text(
        f"""
[paths]
inbox = "inbox"
archive = "archive"
rejected = "rejected"
reports = "reports"
logs = "logs"
mappings = "{ROOT / 'mappings'}"

[database]
url = "{url}"

[ingest]
settle_seconds = 0
{extra}""",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def project(tmp_path: Path, db_url: str) -> Path:
    write_config(tmp_path, db_url)
    (tmp_path / "inbox").mkdir()
    return tmp_path
