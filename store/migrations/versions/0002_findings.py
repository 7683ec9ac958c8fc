"""Plans and schedules, findings with their history and review audit, and run history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("submitted", sa.Date, nullable=False),
        sa.Column("approved", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.Column("source", sa.String(256), nullable=False),
    )
    op.create_table(
        "surplus_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_id", sa.Integer, sa.ForeignKey("files.id"), nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("fund", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False, index=True),
        sa.Column("rule", sa.String(16), nullable=True),
        sa.Column("entity", sa.String(32), nullable=True),
        sa.Column("fund", sa.String(32), nullable=True),
        sa.Column("account", sa.String(64), nullable=True),
        sa.Column("period", sa.String(7), nullable=True),
        sa.Column("amount_fen", sa.BigInteger, nullable=True),
        sa.Column("days_late", sa.Integer, nullable=True),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("state", sa.String(8), nullable=False, index=True),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("first_seen_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.Column("review_state", sa.String(16), nullable=False),
        sa.Column("review_note", sa.Text, nullable=False),
        sa.Column("review_by", sa.String(64), nullable=False),
        sa.Column("review_at", TS, nullable=True),
        sa.Column("reviewed_amount_fen", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "finding_lines",
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), primary_key=True),
        sa.Column("line_id", BIG_ID, primary_key=True),
    )
    op.create_table(
        "finding_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False, index=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id"), nullable=False, index=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date, nullable=True),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("steps", sa.Text, nullable=False),
        sa.Column("counts", sa.Text, nullable=False),
        sa.Column("error", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("runs", "review_audit", "finding_events", "finding_lines", "findings", "targets",
                  "surplus_items", "plans"):
        op.drop_table(table)
