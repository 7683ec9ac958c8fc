"""Book against bank: journals and their entries (ingest), and the monthly 余额调节表 with its
outstanding items (replaced by each reconcile).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "journals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
        sa.Column("index_in_file", sa.Integer, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("opening_fen", sa.BigInteger, nullable=True),
        sa.Column("closing_fen", sa.BigInteger, nullable=True),
        sa.Column("entry_count", sa.Integer, nullable=False),
    )
    op.create_index("ix_journals_file_id", "journals", ["file_id"])
    op.create_index("ix_journals_account", "journals", ["account"])
    op.create_table(
        "journal_entries",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("entry_date", sa.Date, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("voucher", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("counterparty", sa.Text, nullable=False),
        sa.Column("settlement_ref", sa.String(128), nullable=False),
        sa.Column("balance_fen", sa.BigInteger, nullable=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
        sa.Column("journal_id", sa.Integer, sa.ForeignKey("journals.id"), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.UniqueConstraint("account", "fingerprint", name="uq_journal_entries_account_fingerprint"),
    )
    op.create_index("ix_journal_entries_account_date", "journal_entries", ["account", "entry_date"])
    op.create_index("ix_journal_entries_file_id", "journal_entries", ["file_id"])
    op.create_table(
        "book_statements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("month_end", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("bank_balance_fen", sa.BigInteger, nullable=True),
        sa.Column("book_balance_fen", sa.BigInteger, nullable=True),
        sa.Column("book_in_fen", sa.BigInteger, nullable=False),
        sa.Column("book_out_fen", sa.BigInteger, nullable=False),
        sa.Column("bank_in_fen", sa.BigInteger, nullable=False),
        sa.Column("bank_out_fen", sa.BigInteger, nullable=False),
        sa.Column("difference_fen", sa.BigInteger, nullable=True),
        sa.Column("matched", sa.Integer, nullable=False),
        sa.UniqueConstraint("account", "month", name="uq_book_statements_account_month"),
    )
    op.create_table(
        "book_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("ref", sa.String(128), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("counterparty", sa.Text, nullable=False),
        sa.Column("age_days", sa.Integer, nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("record_id", sa.BigInteger, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_book_items_account", "book_items", ["account"])


def downgrade() -> None:
    op.drop_table("book_items")
    op.drop_table("book_statements")
    op.drop_index("ix_journal_entries_file_id", "journal_entries")
    op.drop_index("ix_journal_entries_account_date", "journal_entries")
    op.drop_table("journal_entries")
    op.drop_index("ix_journals_account", "journals")
    op.drop_index("ix_journals_file_id", "journals")
    op.drop_table("journals")
