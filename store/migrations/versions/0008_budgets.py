"""Budgets (预算) as read from budget files, and what each entity collected and disbursed per fund and
month at the last reconciliation (replaced by each): budget execution and the gap rule.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("month", sa.Integer, nullable=True),
        sa.Column("income_fen", sa.BigInteger, nullable=False),
        sa.Column("expense_fen", sa.BigInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("approved", sa.Date, nullable=True),
        sa.Column("source", sa.String(256), nullable=False),
    )
    op.create_index("ix_budgets_file_id", "budgets", ["file_id"])
    op.create_table(
        "actuals",
        sa.Column("entity", sa.String(32), primary_key=True),
        sa.Column("fund", sa.String(32), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("contributions_fen", sa.BigInteger, nullable=False),
        sa.Column("interest_fen", sa.BigInteger, nullable=False),
        sa.Column("disbursed_fen", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("actuals")
    op.drop_index("ix_budgets_file_id", "budgets")
    op.drop_table("budgets")
