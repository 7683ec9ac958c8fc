"""Dialect warnings: how each stored statement's file departs from its format's standard.

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statement_warnings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statement_id", sa.Integer, sa.ForeignKey("statements.id"), nullable=False, index=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("place", sa.String(256), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("statement_warnings")
