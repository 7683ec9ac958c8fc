"""PostgreSQL: the ledger's lines partitioned by booking year (docs/SCALE.md, Lines partitioned by
booking year). SQLite: nothing (no partitioning there).

The table is converted with its rows: the plain table is renamed aside and stripped of its keys
and indexes, the partitioned `lines` is made like it (`LIKE ... INCLUDING DEFAULTS`: the same
columns, and `id` still drawn from the same sequence, so the ids go on from where they were), one
partition per year from the ledger's first booking year to its last, the rows copied with their
ids, then the keys, indexes and foreign keys built once on the full partitions, the sequence given
to the new table and the old one dropped. A primary key on a partitioned table must hold the
partition key: it becomes (id, booking_date), and the ledger's dedup key (account, fingerprint,
booking_date), which refuses exactly what (account, fingerprint) refused, since a fingerprint hashes
the booking date (reconcile/fingerprint.py). No table has a foreign key to lines(id): what
references a line does it by value (finding_lines.line_id, book_items.record_id, the ids inside
engine_inputs, engine_input_marks.last_line_id) and is unchanged.

Downgrade: the reverse, into a plain table with the keys of migration 0001. A year detached to be
archived is not part of `lines` and is not copied back: attach it again before downgrading.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection, text

from store.partitions import create_sql, is_partitioned

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ASIDE = "lines_unpartitioned"

# Built after the copy (one sorted build per partition is faster than index maintenance per row).
PARTITIONED_KEYS = (
    "ALTER TABLE lines ADD CONSTRAINT lines_pkey PRIMARY KEY (id, booking_date)",
    "ALTER TABLE lines ADD CONSTRAINT uq_lines_account_fingerprint_date UNIQUE (account, fingerprint, booking_date)",
)
PLAIN_KEYS = (
    "ALTER TABLE lines ADD CONSTRAINT lines_pkey PRIMARY KEY (id)",
    "ALTER TABLE lines ADD CONSTRAINT uq_lines_account_fingerprint UNIQUE (account, fingerprint)",
)
INDEXES_AND_REFERENCES = (
    "CREATE INDEX ix_lines_account_date ON lines (account, booking_date)",
    "CREATE INDEX ix_lines_file_id ON lines (file_id)",
    "ALTER TABLE lines ADD CONSTRAINT lines_file_id_fkey FOREIGN KEY (file_id) REFERENCES files (id)",
    "ALTER TABLE lines ADD CONSTRAINT lines_statement_id_fkey FOREIGN KEY (statement_id) REFERENCES statements (id)",
    "ALTER TABLE lines ADD CONSTRAINT lines_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES files (id)",
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or is_partitioned(conn):
        return
    _set_aside(conn)
    conn.execute(text(f"CREATE TABLE lines (LIKE {ASIDE} INCLUDING DEFAULTS) PARTITION BY RANGE (booking_date)"))
    first, last = conn.execute(text(
        f"SELECT extract(year FROM min(booking_date))::int, extract(year FROM max(booking_date))::int FROM {ASIDE}"
    )).one()
    if first is not None:
        for year in range(first, last + 1):
            conn.execute(text(create_sql(year)))
    _copy_and_key(conn, PARTITIONED_KEYS)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or not is_partitioned(conn):
        return
    _set_aside(conn)
    conn.execute(text(f"CREATE TABLE lines (LIKE {ASIDE} INCLUDING DEFAULTS)"))
    _copy_and_key(conn, PLAIN_KEYS)


def _set_aside(conn: Connection) -> None:
    """Rename `lines` aside and free the names of its keys and indexes for the new table."""
    conn.execute(text(f"ALTER TABLE lines RENAME TO {ASIDE}"))
    for (name,) in conn.execute(text(
            "SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(:t) AND contype IN ('p', 'u', 'f')"),
            {"t": ASIDE}).all():
        conn.execute(text(f'ALTER TABLE {ASIDE} DROP CONSTRAINT "{name}"'))
    for (name,) in conn.execute(text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = to_regclass(:t)"), {"t": ASIDE}).all():
        conn.execute(text(f'DROP INDEX "{name}"'))


def _copy_and_key(conn: Connection, keys: tuple[str, ...]) -> None:
    columns = ", ".join(f'"{c}"' for (c,) in conn.execute(text(
        "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) AND attnum > 0 AND NOT attisdropped "
        "ORDER BY attnum"), {"t": ASIDE}))
    conn.execute(text(f"INSERT INTO lines ({columns}) SELECT {columns} FROM {ASIDE}"))
    for sql in (*keys, *INDEXES_AND_REFERENCES):
        conn.execute(text(sql))
    sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": ASIDE})
    if sequence:  # the ids go on from the same sequence, now owned by the new table
        conn.execute(text(f"ALTER SEQUENCE {sequence} OWNED BY lines.id"))
    conn.execute(text(f"DROP TABLE {ASIDE} CASCADE"))  # CASCADE: the partitions of a downgraded table
    conn.execute(text("ANALYZE lines"))
