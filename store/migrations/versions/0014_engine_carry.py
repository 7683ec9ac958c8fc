"""What the engine decided before a restart day, kept for the next night (store/carry.py): the
expense accounts' payments before it are then left out of the run.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_carry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("config", sa.String(64), nullable=False),  # digest of the rules, calendar, registry and codes
        sa.Column("cut", sa.Date, nullable=False),  # the restart day
        sa.Column("as_of", sa.Date, nullable=False),  # the as-of date of the run that kept it
        sa.Column("last_line_id", sa.BigInteger, nullable=False),  # lines above it are new to the kept state
        sa.Column("last_file_id", sa.Integer, nullable=False),  # files above it are new to the kept state
        sa.Column("payload", sa.Text, nullable=False),  # JSON: per expense account
    )


def downgrade() -> None:
    op.drop_table("engine_carry")
