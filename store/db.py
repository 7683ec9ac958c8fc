"""Opening the database and bringing its schema up to date.

SQLite runs in WAL mode with a busy timeout, so the scheduler's job store and a supervisor's
review commands keep working while a run writes; PostgreSQL needs nothing special.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NewType

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from reconcile.errors import StoreError
from reconcile.messages import t

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 10_000
SCHEMA_HEAD = "0021"
"""The newest migration's revision, which every command checks the database against. Written here
so that the check does not load Alembic (a third of a command's start-up): a new migration changes
it too, and tests/integration/test_migrations.py checks it against Alembic's script directory."""

Database = NewType("Database", Engine)
"""The shell's handle on the database: what `open_database` returns and every store function takes.
The shell passes it along and never looks inside (it is SQLAlchemy's Engine, which only the store
names; "engine" in this project is the reconcile engine)."""

class DatabaseError(StoreError):
    """The database refused a statement or could not be reached. The store raises it where it talks
    to the database (`talking`: every `session_scope`, the schema check, the runner lock) in place of
    SQLAlchemy's error, so the shell catches the store's class and never SQLAlchemy's. Its text is
    what the database said, without the SQL statement."""


@contextmanager
def talking() -> Iterator[None]:
    """Where the store talks to the database: SQLAlchemy's wrapped driver error leaves as `DatabaseError`."""
    try:
        yield
    except DBAPIError as exc:
        said = exc.orig if exc.orig is not None else exc
        raise DatabaseError(str(said).strip() or type(said).__name__) from exc


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
    db = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(db, "connect", _sqlite_pragmas)
    else:
        _ping_when_idle(db)
    return Database(db)


PING_AFTER_IDLE_SECONDS = 2.0
"""A pooled connection that sat idle this long is pinged before use. A long-lived process (the
scheduler, the desk) may hold one the server closed between nights (a restart); the ingest checks
out a connection once per file, a few milliseconds after the last file gave it back, and a ping on
every checkout (SQLAlchemy's `pool_pre_ping`) was one more round trip a file."""


def _ping_when_idle(db: Engine) -> None:
    """Ping a connection at checkout when it sat idle PING_AFTER_IDLE_SECONDS or longer; a dead one
    is replaced as `pool_pre_ping` would (the pool's every connection older than it is discarded too:
    a restarted server closed them all)."""
    def checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            db.dialect.do_ping(dbapi_conn)
        except db.dialect.loaded_dbapi.Error as exc:
            if db.dialect.is_disconnect(exc, dbapi_conn, None):
                raise InvalidatePoolError() from exc
            raise

    event.listen(db, "checkin", checkin)
    event.listen(db, "checkout", checkout)



def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _alembic_config(db: Engine) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig  # only to migrate: not at every command's start

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = db  # the key migrations/env.py reads
    return cfg


def upgrade(db: Engine, lang: str = "zh") -> str:
    """Create or upgrade the schema in place to the newest migration; returns the revision."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(db), "head")
        return _revision(db) or ""
    except SQLAlchemyError as exc:
        raise DatabaseError(t("error.db_migrate", lang, error=_short(exc))) from exc


def current_revision(db: Engine) -> str | None:
    with talking():
        return _revision(db)


def _revision(db: Engine) -> str | None:
    """The revision Alembic recorded in the database (its table `alembic_version`), None when it has
    none; read as Alembic reads it (`MigrationContext.get_current_revision`) but without loading Alembic."""
    with db.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        heads = sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return ", ".join(heads) or None  # one row: the history is linear; more would not equal SCHEMA_HEAD


def head_revision() -> str:
    """The newest revision of Alembic's script directory (store/migrations): what `SCHEMA_HEAD` says."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    return script.get_current_head() or ""


def check_schema(db: Engine, lang: str = "zh") -> str:
    """Refuse to work on a database that `recon init` has not brought to the newest schema.

    An embedded (SQLite) database that holds no schema yet is created here, on first use: a new
    deployment needs no `recon init`. A PostgreSQL database, or an SQLite one at an older schema
    (holding data), is brought up to date only by `recon init`. Returns "created" when it made the
    schema, else ""."""
    with talking():  # what is not OperationalError (cannot connect) is said as the database said it
        try:
            have = _revision(db)
        except OperationalError as exc:
            raise DatabaseError(t("error.db_unreachable", lang, error=_short(exc))) from exc
    want = SCHEMA_HEAD
    if have == want:
        return ""
    if have is None and db.dialect.name == "sqlite":
        upgrade(db, lang)
        return "created"
    if have is None:
        raise StoreError(t("error.schema_none", lang, want=want))
    raise StoreError(t("error.schema_old", lang, have=have, want=want))


@contextmanager
def session_scope(db: Engine | Connection, *, wait_for_disk: bool = True) -> Iterator[Session]:
    """One transaction: commits on success, rolls back on any exception. A `Session` made directly:
    a `sessionmaker` per transaction made a new class each time, and one kept per database kept the
    database (and its pool of connections) alive after its last user let go of it.

    `wait_for_disk=False`: on PostgreSQL the commit does not wait for its WAL to reach the disk
    (`synchronous_commit` off for this transaction alone). It is committed and seen by everyone at
    once; only a crash of the server itself (not of this process) within a fraction of a second
    could undo it. Whoever commits so calls `on_disk` before acting on the commit outside the
    database (the ingest: before it moves the files of a group). SQLite: no difference.

    `db` may be the connection `unsynced` gives: there nothing need be set for `wait_for_disk=False`."""
    with talking(), Session(db, expire_on_commit=False) as session, session.begin():
        if db.dialect.name == "postgresql" and wait_for_disk == _is_unsynced(db):  # not as the session has it
            session.execute(_WAIT if wait_for_disk else _NO_WAIT)
        yield session


_NO_WAIT = text("SET LOCAL synchronous_commit TO OFF")
_WAIT = text("SET LOCAL synchronous_commit TO ON")
_UNSYNCED = "recon.unsynced"  # the mark, in a connection's `info`, of the connection `unsynced` gives


def _is_unsynced(db: Engine | Connection) -> bool:
    return isinstance(db, Connection) and bool(db.info.get(_UNSYNCED))


@contextmanager
def unsynced(db: Engine) -> Iterator[Engine | Connection]:
    """Where many transactions that do not wait for the disk run one after another (the ingest's
    files, `session_scope(..., wait_for_disk=False)` each): on PostgreSQL one connection of its own
    whose session has `synchronous_commit` off, so that no transaction sets it again (a round trip
    a file: bench/RESULTS.md, "The line's statement checked once a COPY"). The connection is closed
    at the end and never goes back to the pool with the setting. Its mark lives in the DBAPI
    connection's `info`: a connection made again after a break has none, and each transaction
    sets the setting itself, as without `unsynced`. SQLite: the engine itself."""
    if db.dialect.name != "postgresql":
        yield db
        return
    with talking():
        conn = db.connect()
    try:
        with talking():
            conn.exec_driver_sql("SET synchronous_commit TO OFF")
            conn.commit()
        conn.info[_UNSYNCED] = True
        yield conn
    finally:
        conn.invalidate()  # its session's setting leaves with it
        conn.close()
_FLUSH = text("SELECT pg_logical_emit_message(true, 'recon.on_disk', '')")


def on_disk(db: Engine) -> None:
    """Return once everything committed so far is on the disk, commits made with
    `wait_for_disk=False` included.

    PostgreSQL: one transaction that writes a WAL record (a transactional logical message, which
    no one need read: it needs no privilege and any `wal_level`) and commits waiting for the disk:
    its flush takes the WAL of every commit before it along. A transaction that wrote nothing would
    not wait, and waiting for the server's WAL writer took 0.4 s (it flushes every
    `wal_writer_delay`). SQLite (WAL, synchronous=NORMAL): a passive checkpoint, which syncs the WAL
    to the disk before copying it into the database; a commit is otherwise safe from a crash of the
    process but not from one of the machine."""
    if db.dialect.name == "sqlite":
        with talking(), db.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        return
    with talking(), db.begin() as conn:
        conn.execute(_WAIT)  # whatever the server's or the database's default
        conn.execute(_FLUSH)


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__
