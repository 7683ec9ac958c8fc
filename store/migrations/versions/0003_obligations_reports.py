"""Obligation standings (the late-remittance list) and the reports written.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("due_fen", sa.BigInteger, nullable=False),
        sa.Column("on_time_fen", sa.BigInteger, nullable=False),
        sa.Column("late_fen", sa.BigInteger, nullable=False),
        sa.Column("late_payments", sa.Text, nullable=False),
        sa.Column("outstanding_fen", sa.BigInteger, nullable=False),
        sa.Column("excess_fen", sa.BigInteger, nullable=False),
        sa.Column("days_overdue", sa.Integer, nullable=True),
        sa.Column("fen_days", sa.BigInteger, nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("plan_version", sa.Integer, nullable=True),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("open_keys", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_table("obligations")
