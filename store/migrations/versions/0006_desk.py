"""The review desk: users and their sessions, the hash-chained audit log (which takes over the
review audit's rows, in their order), month sign-offs, a finding's assignee and explanation, and
indexes for the queue's filters, facets and sorting.

Revision ID: 0006
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from reconcile.desk.chain import GENESIS, canonical, row_hash

revision = "0006"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
ACTIONS = {"acknowledged": "finding.acknowledge", "resolved": "finding.resolve", "none": "finding.reopen"}


def upgrade() -> None:
    log = op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", TS, nullable=False, index=True),
        sa.Column("actor", sa.String(64), nullable=False, index=True),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("finding_id", sa.Integer, nullable=True, index=True),
        sa.Column("before", sa.Text, nullable=False),
        sa.Column("after", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("entity", sa.String(32), nullable=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_login_at", TS, nullable=True),
        sa.Column("last_login_from", sa.String(64), nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
    )
    op.create_table(
        "signoffs",
        sa.Column("fund", sa.String(32), primary_key=True),
        sa.Column("period", sa.String(7), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("prepared_by", sa.String(64), nullable=False),
        sa.Column("prepared_at", TS, nullable=True),
        sa.Column("approved_by", sa.String(64), nullable=False),
        sa.Column("approved_at", TS, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("revoke_reason", sa.Text, nullable=False),
    )
    with op.batch_alter_table("findings") as batch:
        batch.add_column(sa.Column("assignee", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("explanation", sa.Text, nullable=False, server_default=""))
    for column in ("entity", "assignee"):
        op.create_index(f"ix_findings_{column}", "findings", [column])
    op.create_index("ix_findings_queue", "findings", ["state", "period", "kind", "entity", "fund", "severity",
                                                      "review_state", "assignee"])
    op.create_index("ix_findings_facets", "findings", ["kind", "entity", "fund", "severity", "review_state",
                                                       "state", "period", "assignee"])
    op.create_index("ix_findings_amount", "findings", ["amount_fen", "id"])
    seq, last = _carry_over_review_audit(op.get_bind(), log)
    op.bulk_insert(head, [{"id": 1, "seq": seq, "hash": last}])
    op.drop_table("review_audit")


def _carry_over_review_audit(conn: sa.Connection, log: sa.Table) -> tuple[int, str]:
    """The review audit's rows become the first rows of the chained log, in their order."""
    old = sa.table("review_audit", sa.column("id", sa.Integer), sa.column("finding_id", sa.Integer),
                   sa.column("at", TS), sa.column("by", sa.String), sa.column("from_state", sa.String),
                   sa.column("to_state", sa.String), sa.column("note", sa.Text))
    rows = conn.execute(sa.select(old.c.finding_id, old.c.at, old.c.by, old.c.from_state, old.c.to_state,
                                  old.c.note).order_by(old.c.id)).all()
    prev, seq = GENESIS, 0
    for finding_id, at, by, from_state, to_state, note in rows:
        seq += 1
        moment = at if at.tzinfo else at.replace(tzinfo=UTC)
        action = "finding.renewed" if by == "recon" and to_state == "none" else ACTIONS.get(to_state, "finding.review")
        fields = {"id": seq, "at": moment, "actor": by, "address": "", "action": action,
                  "target": f"finding:{finding_id}", "finding_id": finding_id,
                  "before": canonical({"review": from_state}), "after": canonical({"review": to_state}),
                  "note": note or "", "prev_hash": prev}
        digest = row_hash(**fields)
        conn.execute(log.insert(), [{**fields, "hash": digest}])
        prev = digest
    return seq, prev


def downgrade() -> None:
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
    conn = op.get_bind()
    for row in conn.execute(sa.text("SELECT finding_id, at, actor, before, after, note FROM audit_log "
                                    "WHERE finding_id IS NOT NULL AND action IN ('finding.acknowledge', "
                                    "'finding.resolve', 'finding.reopen', 'finding.renewed') ORDER BY id")).all():
        conn.execute(sa.text("INSERT INTO review_audit (finding_id, at, by, from_state, to_state, note) "
                             "VALUES (:f, :at, :by, :a, :b, :note)"),
                     {"f": row[0], "at": row[1], "by": row[2], "a": json.loads(row[3]).get("review", ""),
                      "b": json.loads(row[4]).get("review", ""), "note": row[5]})
    for name in ("entity", "assignee", "queue", "facets", "amount"):
        op.drop_index(f"ix_findings_{name}", "findings")
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("explanation")
        batch.drop_column("assignee")
    for table in ("signoffs", "web_sessions", "users", "audit_head", "audit_log"):
        op.drop_table(table)
