"""PostgreSQL: the ledger's keys made cheaper to keep as the ingest copies lines in, with the same
guarantees or stronger. SQLite: nothing.

What a line cost the server at COPY (bench/RESULTS.md, i18pgyear: a province slice of 859k lines
replayed file by file, the backend's CPU seconds): 11 s, of which 6 s the two foreign-key checks a
row (`file_id` and `statement_id`: each a query of its own, run by a trigger for every line) and
most of the rest the keys. So:

- the dedup key (account, fingerprint, booking_date) becomes (account, booking_date, fingerprint),
  as SQLite's is since migration 0015 (`uq_lines_account_date_fingerprint`): a fingerprint is a
  SHA-1, so under the old order each new line went to a random page among the account's whole year,
  and the year's key (half a GB for a province) was written all over; keyed by date first, a
  statement's lines go to the pages of its own days. It refuses exactly what the old key refused
  (the same three columns);
- `ix_lines_account_date` (account, booking_date) stays, though the new key begins with its two
  columns: its entries of a day are in the order the lines were stored, so a read of an account's
  dates through it goes through the table's pages in order; through the key (a day's lines in
  fingerprint order) the reconcile's full reads of a province year touched a page a line (the
  book side's read 4.6 thousand buffer hits -> 3.9 million: measured, then kept);
- the two foreign keys `lines.file_id -> files` and `lines.statement_id -> statements` become one,
  `(statement_id, file_id) -> statements (id, file_id)` (with `uq_statements_id_file` on statements,
  which a composite foreign key needs): one check a line instead of two, and stronger, since a line
  must now also name its statement's own file; the statement's key to its file stays. The key of
  `superseded_by` is unchanged (it is checked only when a line is superseded).

Replayed so, the slice costs the server about 8.3 s in place of 11 (7.5 without `ix_lines_account_date`).
On an existing deployment the upgrade builds the new key over every year's lines (6.8 s of wall for
a province year of 5.16M lines, measured at idle) and checks the new foreign key over them once. Downgrade: the keys of migration 0013 again.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

UPGRADE = (
    "ALTER TABLE statements ADD CONSTRAINT uq_statements_id_file UNIQUE (id, file_id)",
    "ALTER TABLE lines DROP CONSTRAINT lines_file_id_fkey",
    "ALTER TABLE lines DROP CONSTRAINT lines_statement_id_fkey",
    "ALTER TABLE lines ADD CONSTRAINT fk_lines_statement_file FOREIGN KEY (statement_id, file_id) "
    "REFERENCES statements (id, file_id)",
    "ALTER TABLE lines ADD CONSTRAINT uq_lines_account_date_fingerprint UNIQUE (account, booking_date, fingerprint)",
    "ALTER TABLE lines DROP CONSTRAINT uq_lines_account_fingerprint_date",
)
DOWNGRADE = (
    "ALTER TABLE lines ADD CONSTRAINT uq_lines_account_fingerprint_date UNIQUE (account, fingerprint, booking_date)",
    "ALTER TABLE lines DROP CONSTRAINT uq_lines_account_date_fingerprint",
    "ALTER TABLE lines ADD CONSTRAINT lines_file_id_fkey FOREIGN KEY (file_id) REFERENCES files (id)",
    "ALTER TABLE lines ADD CONSTRAINT lines_statement_id_fkey FOREIGN KEY (statement_id) REFERENCES statements (id)",
    "ALTER TABLE lines DROP CONSTRAINT fk_lines_statement_file",
    "ALTER TABLE statements DROP CONSTRAINT uq_statements_id_file",
)


def upgrade() -> None:
    _run(UPGRADE)


def downgrade() -> None:
    _run(DOWNGRADE)


def _run(statements: tuple[str, ...]) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for sql in statements:
        conn.execute(text(sql))
