"""Indexes for the night's reads that stepped through a whole history table to find a few rows
(issue 18): each read becomes a search, its cost in proportion to what it returns.

Found by EXPLAIN QUERY PLAN on a province deployment after three years (60,678 files, 44,908
statements, 12,888 kept months; bench/RESULTS.md, "The night's reads searched, not scanned"):

- `ix_files_rejected`, `ix_files_changed`: the files of the two rare statuses, partial (their
  rows only: one rejected file of 60,678; `changed` only after an archived file was read again).
  The reconcile and the report list the rejected files (store.snapshot.rejected_files); the book
  side asks which statements and journals came or went since its last run, among them those of
  files now `changed` (store.bookkept.sourced, which now reads the files first and their statements
  and journals by file). A plain index on `status` would also offer the
  planner the common `ingested`, and SQLite without statistics takes an equality on an index for
  a handful of rows: it would drive the joins of every statement from the files; partial, the
  index is used only by a query that names its status;
- `ix_statements_account_end` (account, period_end): the statements a resumed account reads near
  its days (store.books.statements_near: the last closing balance up to a day, those ending on or
  after a day), instead of all the account's statements of its history;
- `ix_book_kept_month` (month): the kept months a night's restarts read (store.bookkept.load_kept_all),
  instead of every account's every kept month; `ix_book_kept_unmatched` (month, partial: the months
  with records left unmatched), the old unmatched records it reads: without it, the planner took
  the month index for "every month up to now" and read the table a row at a time (slower than the scan).

`lines` (partitioned by year on PostgreSQL, docs/SCALE.md) gets none. Building them reads each
table once (a second or so for a province after three years). Downgrade: dropped.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for status in ("rejected", "changed"):
        rare = sa.text(f"status = '{status}'")
        op.create_index(f"ix_files_{status}", "files", ["id"], sqlite_where=rare, postgresql_where=rare)
    op.create_index("ix_statements_account_end", "statements", ["account", "period_end"])
    op.create_index("ix_book_kept_month", "book_kept", ["month"])
    unmatched = sa.text("unmatched_count > 0")
    op.create_index("ix_book_kept_unmatched", "book_kept", ["month"], sqlite_where=unmatched, postgresql_where=unmatched)


def downgrade() -> None:
    op.drop_index("ix_book_kept_unmatched", table_name="book_kept")
    op.drop_index("ix_book_kept_month", table_name="book_kept")
    op.drop_index("ix_statements_account_end", table_name="statements")
    op.drop_index("ix_files_changed", table_name="files")
    op.drop_index("ix_files_rejected", table_name="files")
