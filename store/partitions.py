"""The ledger's lines partitioned by booking year on PostgreSQL (docs/SCALE.md, Lines partitioned by
booking year).

`lines` is `PARTITION BY RANGE (booking_date)` with one partition per calendar year, `lines_<year>`
holding [<year>-01-01, <year+1>-01-01), made by migration 0013 for the years a ledger already holds
and by `ensure_years` for each year a statement brings later. There is no default partition: with
one, PostgreSQL refuses `DETACH PARTITION ... CONCURRENTLY` and a new year's partition would have
to be carved out of it. SQLite has no partitioning: there every function here does nothing.

A year whose table exists but is not attached was detached to be archived: its lines are refused
(`YearDetachedError`) instead of being stored in a new, empty partition of the same year, so that a
late statement for an archived year never splits that year in two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from reconcile.errors import StoreError
from reconcile.messages import t

PARENT = "lines"
# pg_advisory_xact_lock(class, key): the class says "lines' partitions", the key the schema, so two
# deployments in two schemas of one database never wait for each other (as jobs/lock.py does).
LOCK_CLASS = 0x4C594541  # "LYEA"
FIRST_YEAR, LAST_YEAR = 1900, 9998  # a booking date outside is no date a bank statement holds


class YearDetachedError(StoreError):
    """Lines of a year whose partition was detached (archived): it must be attached again first."""

    def __init__(self, year: int, lang: str = "zh") -> None:
        self.year = year
        super().__init__(t("error.year_detached", lang, year=year, table=partition_name(year, lang)))


def partition_name(year: int, lang: str = "zh") -> str:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise StoreError(t("error.year_range", lang, year=year, first=FIRST_YEAR, last=LAST_YEAR))
    return f"{PARENT}_{year:04d}"


def create_sql(year: int) -> str:
    """The statement that creates and attaches one year's partition (the bounds are literals: DDL
    takes no bind parameters)."""
    return (f"CREATE TABLE IF NOT EXISTS {partition_name(year)} PARTITION OF {PARENT} "
            f"FOR VALUES FROM ('{year:04d}-01-01') TO ('{year + 1:04d}-01-01')")


def is_partitioned(conn: Connection) -> bool:
    """Whether `lines` of the current schema is a partitioned table (PostgreSQL after migration 0013)."""
    if conn.dialect.name != "postgresql":
        return False
    return bool(conn.scalar(text(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass(:t))"), {"t": PARENT}))


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str  # as PostgreSQL says them: FOR VALUES FROM ('2008-01-01') TO ('2009-01-01')
    rows: int  # the planner's estimate (pg_class.reltuples), -1 if never analysed


def attached(conn: Connection) -> list[Partition]:
    """The partitions attached to `lines`, by name."""
    if not is_partitioned(conn):
        return []
    return [Partition(n, b, int(r)) for n, b, r in conn.execute(text(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples FROM pg_inherits i "
        "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(:t) ORDER BY c.relname"),
        {"t": PARENT})]


def _year_state(conn: Connection, year: int, lang: str = "zh") -> str:
    """"attached", "detached" (the table is there, not attached) or "missing"."""
    return str(conn.scalar(text(
        "SELECT CASE WHEN to_regclass(:p) IS NULL THEN 'missing' "
        "WHEN EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(:p) AND inhparent = to_regclass(:t)) "
        "THEN 'attached' ELSE 'detached' END"), {"p": partition_name(year, lang), "t": PARENT}))


# The years found attached, per database URL (and so per schema), for the life of the process: a
# night whose years exist asks the catalogue nothing. A year detached while a process runs is then
# refused by PostgreSQL itself ("no partition of relation "lines" found for row").
_KNOWN: dict[str, set[int]] = {}


def forget() -> None:
    """Drop what this process remembers of the partitions (after detaching or attaching a year)."""
    _KNOWN.clear()
    _GROWN.clear()
    _ANALYZED_AT.clear()


# -- the planner's statistics of the years the ingest grows ------------------------------------------------
# Without statistics PostgreSQL guesses a table's rows: a year's partition the ingest filled was read
# whole for 185 lines by id (a sequential scan of 860k lines for the book side's `line_details`, 233 ms
# against 0.5 ms through the primary key once analysed; bench/RESULTS.md, i18pgyear). Autovacuum
# analyses a partition after enough changes where it runs; the ingest does it itself, so a first load
# (or a server without autovacuum) leaves the reconcile after it with statistics of what it stored.
ANALYZE_MIN_LINES = 10_000
"""A year's partition is analysed once this process has stored this many lines in it since it last
did, and as many as the partition held then: a first load of a year analyses it about log2(lines /
10,000) times (10 for a province year), a night's few hundred lines never."""

_GROWN: dict[str, Counter[int]] = {}  # per URL: the lines stored in each year since its last ANALYZE here
_ANALYZED_AT: dict[str, dict[int, int]] = {}  # per URL: each year's rows (reltuples) at that ANALYZE


def grew(conn: Connection, per_year: Counter[int]) -> None:
    """Count the lines a statement stored in each booking year (PostgreSQL: for `analyze_grown`)."""
    if conn.dialect.name == "postgresql":
        _GROWN.setdefault(conn.engine.url.render_as_string(hide_password=True), Counter()).update(per_year)


GROWN_WITH_LINES = ("files", "statements", "journal_entries")
"""The tables the ingest grows beside the lines, analysed with them: the ledger's lookups join `files`
to `lines`, and with statistics for one side only PostgreSQL planned the join from the wrong side
(the correction check's `_HELD_SERIALS` through every file: 0.7 s a thousand calls against 9 ms)."""


def analyze_grown(engine: Engine) -> list[int]:
    """ANALYZE each year's partition that grew enough (ANALYZE_MIN_LINES) since this process last did,
    with GROWN_WITH_LINES; the years analysed. Called after a file's commit, in a transaction of its
    own: ANALYZE samples about 30,000 rows whatever a table's size (under a second for a province
    year), and its lock (SHARE UPDATE EXCLUSIVE) lets the ledger be read and written meanwhile."""
    where = engine.url.render_as_string(hide_password=True)
    grown = _GROWN.get(where)
    if not grown:
        return []
    at = _ANALYZED_AT.setdefault(where, {})
    due = sorted(y for y, n in grown.items() if n >= max(ANALYZE_MIN_LINES, at.get(y, 0)))
    if not due:
        return []
    names = [partition_name(y) for y in due]
    with engine.begin() as conn:
        conn.execute(text(f"ANALYZE {', '.join((*GROWN_WITH_LINES, *names))}"))
        for year, name in zip(due, names, strict=True):
            at[year] = int(conn.scalar(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:p)"),
                                       {"p": name}) or 0)
            grown[year] = 0
    return due


def ensure_years(session: Session, years: Iterable[int], lang: str = "zh") -> list[int]:
    """Make sure `lines` has a partition for each of `years` before lines of them are stored; the
    years it created. Idempotent. Inside the caller's transaction: the creation commits or rolls
    back with the lines it was made for.

    Two processes storing the first lines of a year at once: the transaction-level advisory lock
    makes one create the partition and the other, once the first has committed, find it (a bare
    `CREATE TABLE IF NOT EXISTS` is not safe against a concurrent create of the same name). The
    lock is taken only when a year is missing, so a night whose years exist costs one catalogue
    query. Creating a partition takes an ACCESS EXCLUSIVE lock on `lines` until the transaction
    ends: readers of the ledger wait for the rest of that file's transaction, once a year."""
    wanted = sorted(set(years))
    conn = session.connection()
    if not wanted or conn.dialect.name != "postgresql":
        return []
    where = conn.engine.url.render_as_string(hide_password=True)  # the URL names the schema
    if _KNOWN.get(where, set()).issuperset(wanted) or not is_partitioned(conn):
        return []
    missing = [y for y in wanted if _year_state(conn, y, lang) != "attached"]
    # Only what was found attached is remembered: a year made here may still roll back.
    _KNOWN.setdefault(where, set()).update(y for y in wanted if y not in missing)
    if not missing:
        return []
    conn.execute(text("SELECT pg_advisory_xact_lock(:c, hashtext(current_schema()))"), {"c": LOCK_CLASS})
    made = []
    for year in missing:
        state = _year_state(conn, year)  # again, under the lock: another process may have made it
        if state == "detached":
            raise YearDetachedError(year, lang)
        if state == "missing":
            conn.execute(text(create_sql(year)))
            made.append(year)
    return made
