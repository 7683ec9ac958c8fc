"""What the engine read, kept per account and month (store/inputs.py): a night reads the ledger's
closed months from here and only the lines stored since from the ledger.

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_inputs",
        sa.Column("account", sa.String(64), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("refunded", sa.String(64), nullable=False),  # digest of the refunded parties it was condensed with
        sa.Column("line_count", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),  # JSON: the month's whole lines and day credits
    )
    op.create_table(
        "engine_input_marks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_line_id", sa.BigInteger, nullable=False),  # lines above it are not yet in engine_inputs
        sa.Column("last_file_id", sa.Integer, nullable=False),  # files above it may have superseded lines
        sa.Column("config", sa.String(64), nullable=False),  # digest of the registry and codes it was built with
        sa.Column("accounts", sa.Text, nullable=False),  # JSON: every account the ledger has lines of
    )


def downgrade() -> None:
    op.drop_table("engine_input_marks")
    op.drop_table("engine_inputs")
