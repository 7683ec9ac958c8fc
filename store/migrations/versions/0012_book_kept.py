"""What the book side decided, kept per account and closed month (store/bookkept.py): a night
draws each account up again only from the first month that can change.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "book_kept",
        sa.Column("account", sa.String(64), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("matches", sa.Text, nullable=False),  # JSON: the matches made on a record of the month
        sa.Column("unmatched", sa.Text, nullable=False),  # JSON: the month's entries and lines left unmatched
        sa.Column("unmatched_count", sa.Integer, nullable=False),
    )
    op.create_table(
        "book_kept_accounts",
        sa.Column("account", sa.String(64), primary_key=True),
        sa.Column("first_month", sa.String(7), nullable=False),
        sa.Column("through", sa.String(7), nullable=False),  # the last month kept
        sa.Column("sources", sa.Text, nullable=False),  # JSON: month -> digest of its statements and journals
    )
    op.create_table(
        "book_kept_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_entry_id", sa.BigInteger, nullable=False),  # entries above it are new to book_kept
        sa.Column("last_line_id", sa.BigInteger, nullable=False),  # lines above it are new to book_kept
        sa.Column("as_of", sa.Date, nullable=False),  # the as-of date of the run that kept it
        sa.Column("config", sa.String(64), nullable=False),  # digest of the matching window and calendar
    )
    # A night replaces an account's statements from its restart month on.
    op.create_index("ix_book_items_account_month", "book_items", ["account", "month"])


def downgrade() -> None:
    op.drop_index("ix_book_items_account_month", table_name="book_items")
    op.drop_table("book_kept_marks")
    op.drop_table("book_kept_accounts")
    op.drop_table("book_kept")
