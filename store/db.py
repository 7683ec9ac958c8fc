"""Opening the database and bringing its schema up to date.

SQLite runs in WAL mode with a busy timeout, so the scheduler's job store and a supervisor's
review commands keep working while a run writes; PostgreSQL needs nothing special.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NewType
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from reconcile.errors import StoreError
from reconcile.messages import t

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 10_000

Database = NewType("Database", Engine)
"""The shell's handle on the database: what `open_database` returns and every store function takes.
The shell passes it along and never looks inside (it is SQLAlchemy's Engine, which only the store
names; "engine" in this project is the reconcile engine)."""

DatabaseError = DBAPIError
"""The database refused a statement or could not be reached (the driver's error, as SQLAlchemy wraps
it): the shell catches this name to say why in one line (`database_error_cause`)."""


def database_error_cause(exc: BaseException) -> BaseException:
    """The driver's own error inside a DatabaseError (what the database said, without the SQL)."""
    return getattr(exc, "orig", None) or exc


def safe_url(url: str) -> str:
    """The database URL as it may be shown or logged: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def open_database(url: str) -> Database:
    """The database at `url`; creates the SQLite file's folder (owner and group only)."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        file = parsed.database
        if file and file != ":memory:":
            folder = Path(file).parent
            folder.mkdir(parents=True, exist_ok=True, mode=0o770)
            if not Path(file).exists():
                # Treasury data: readable by the owner and group only.
                fd = os.open(file, os.O_CREAT | os.O_WRONLY, 0o660)
                os.close(fd)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_MS / 1000}
    else:
        # Kept: a long-lived process (the scheduler, the desk) may hold a pooled connection the server
        # closed between nights (a restart); the ping is one round trip per checkout, and the ingest
        # checks out once per file (store/files.py, `one_file`).
        kwargs["pool_pre_ping"] = True
    db = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(db, "connect", _sqlite_pragmas)
    return Database(db)


make_engine = open_database  # the former name, still used by bench/ and tests


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _alembic_config(db: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = db  # the key migrations/env.py reads
    return cfg


def upgrade(db: Engine) -> str:
    """Create or upgrade the schema in place to the newest migration; returns the revision."""
    try:
        command.upgrade(_alembic_config(db), "head")
        return current_revision(db) or ""
    except SQLAlchemyError as exc:
        raise StoreError(f"the database could not be migrated: {_short(exc)}") from exc


def current_revision(db: Engine) -> str | None:
    with db.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    return script.get_current_head() or ""


def check_schema(db: Engine, lang: str = "zh") -> str:
    """Refuse to work on a database that `recon init` has not brought to the newest schema.

    An embedded (SQLite) database that holds no schema yet is created here, on first use: a new
    deployment needs no `recon init`. A PostgreSQL database, or an SQLite one at an older schema
    (holding data), is brought up to date only by `recon init`. Returns "created" when it made the
    schema, else ""."""
    try:
        have = current_revision(db)
    except OperationalError as exc:
        raise StoreError(f"the database cannot be reached: {_short(exc)}") from exc
    want = head_revision()
    if have == want:
        return ""
    if have is None and db.dialect.name == "sqlite":
        upgrade(db)
        return "created"
    if have is None:
        raise StoreError(t("error.schema_none", lang, want=want))
    raise StoreError(t("error.schema_old", lang, have=have, want=want))


_FACTORIES: WeakKeyDictionary[Engine, sessionmaker[Session]] = WeakKeyDictionary()


@contextmanager
def session_scope(db: Engine) -> Iterator[Session]:
    """One transaction: commits on success, rolls back on any exception. One `sessionmaker` per
    database, made at its first transaction (not one per transaction)."""
    factory = _FACTORIES.get(db)
    if factory is None:
        factory = _FACTORIES[db] = sessionmaker(db, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__
