"""SQLite: the ledger's dedup key of lines by date, (account, booking_date, fingerprint), in place of
(account, fingerprint). PostgreSQL: nothing.

Why: a fingerprint is a SHA-1, so under (account, fingerprint) each new line of a statement went to
a random place among all the account's lines ever stored, and each file's commit wrote as many
pages of that index as the statement had lines once the account held months of them: a December's
files into a ledger holding January to November cost the writer 35% more CPU than the same files
into a new one (bench/RESULTS.md, "The province year's ingest, profiled at scale"). Keyed by date
first, a statement's lines go to the few pages of its own days, as in a new ledger. The key refuses
exactly what (account, fingerprint) refused, since a fingerprint hashes the booking date
(reconcile/fingerprint.py; PostgreSQL's partitioned key, migration 0013, holds the same three
columns). The index (account, booking_date) is made again: it keeps each day's lines in id order,
which the range reads' ORDER BY (booking_date, id) take as they are (through the new key SQLite
sorted them: the book side's read of a night 25% more CPU); its new entries land at the end of the
account's days, as the key's do.

SQLite cannot change a table's constraints in place: the table is rebuilt from its own definition
(sqlite_master) with the one key replaced, its rows copied with their ids, and `ix_lines_file_id`
and `ix_lines_account_date` made again. No table has a foreign key to lines(id) (see 0013), so dropping the old table drops
nothing else. A province year (5M lines) takes about a minute and a half.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection, text

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OLD_KEY = "CONSTRAINT uq_lines_account_fingerprint UNIQUE (account, fingerprint)"
NEW_KEY = "CONSTRAINT uq_lines_account_date_fingerprint UNIQUE (account, booking_date, fingerprint)"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if _rebuild(conn, OLD_KEY, NEW_KEY):
        conn.execute(text("CREATE INDEX ix_lines_file_id ON lines (file_id)"))
        conn.execute(text("CREATE INDEX ix_lines_account_date ON lines (account, booking_date)"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    if _rebuild(conn, NEW_KEY, OLD_KEY):
        conn.execute(text("CREATE INDEX ix_lines_file_id ON lines (file_id)"))
        conn.execute(text("CREATE INDEX ix_lines_account_date ON lines (account, booking_date)"))


def _rebuild(conn: Connection, old: str, new: str) -> bool:
    """`lines` again with the key `old` replaced by `new`, the same columns, rows and ids; False when
    it has the key `new` already (nothing done)."""
    ddl = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lines'")).scalar_one()
    if new in ddl:
        return False
    assert old in ddl, ddl  # no revision makes another key for lines on SQLite
    start = ddl.index("(")
    conn.execute(text("CREATE TABLE lines_rebuilt " + ddl[start:].replace(old, new)))
    conn.execute(text("INSERT INTO lines_rebuilt SELECT * FROM lines ORDER BY id"))
    conn.execute(text("DROP TABLE lines"))  # its indexes with it
    conn.execute(text("ALTER TABLE lines_rebuilt RENAME TO lines"))
    return True
