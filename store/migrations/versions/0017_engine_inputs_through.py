"""The engine keeps the current month too (store.inputs): `engine_inputs.through`, the last day a
kept account-month holds; NULL for a month kept whole (closed). A night reads the kept part and
only the ledger's lines booked after it.

The rows kept before are closed months: NULL is what they are. The first night after the upgrade
reads the current month from the ledger once, as every night did before, and keeps it.
Downgrade: the parts of months dropped (an older code takes every row for a whole month), then
the column.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("engine_inputs", sa.Column("through", sa.Date, nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM engine_inputs WHERE through IS NOT NULL")
    with op.batch_alter_table("engine_inputs") as batch:
        batch.drop_column("through")
