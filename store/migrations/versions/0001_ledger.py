"""The ledger: files, statements and lines.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("archive_path", sa.Text, nullable=False),
        sa.Column("lines_added", sa.Integer, nullable=False),
        sa.Column("lines_skipped", sa.Integer, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("index_in_file", sa.Integer, nullable=False),
        sa.Column("account", sa.String(64), nullable=False, index=True),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(8), nullable=False),
        sa.Column("intraday", sa.Boolean, nullable=False),
        sa.Column("period_start", sa.Date, nullable=True),
        sa.Column("period_end", sa.Date, nullable=True),
        sa.Column("opening_fen", sa.BigInteger, nullable=True),
        sa.Column("closing_fen", sa.BigInteger, nullable=True),
        sa.Column("lines_sum_fen", sa.BigInteger, nullable=False),
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("running_break", sa.Text, nullable=False),
    )
    op.create_table(
        "lines",
        sa.Column("id", BIG_ID, primary_key=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("booking_date", sa.Date, nullable=False),
        sa.Column("value_date", sa.Date, nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("counterparty_account", sa.String(64), nullable=False),
        sa.Column("counterparty_name", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("remark", sa.Text, nullable=False),
        sa.Column("bank_ref", sa.String(128), nullable=False),
        sa.Column("balance_fen", sa.BigInteger, nullable=True),
        sa.Column("reversal", sa.Boolean, nullable=False),
        sa.Column("type_code", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("match_key", sa.String(40), nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("intraday", sa.Boolean, nullable=False),
        sa.Column("superseded_by", sa.Integer, sa.ForeignKey("files.id"), nullable=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id"), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.UniqueConstraint("account", "fingerprint", name="uq_lines_account_fingerprint"),
    )
    op.create_index("ix_lines_account_date", "lines", ["account", "booking_date"])


def downgrade() -> None:
    op.drop_index("ix_lines_account_date", "lines")
    op.drop_table("lines")
    op.drop_table("statements")
    op.drop_table("files")
