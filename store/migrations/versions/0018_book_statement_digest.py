"""book_statements.digest: a digest of each stored monthly statement and its items
(store.books.statement_digest), written by every reconcile and filled here for the rows stored
before, so that the report knows which months' workbooks it has already written without reading
their items (jobs.report.book; issue 18: a quiet month of history costs next to nothing).

Each row's digest is computed from the stored row and its items as store.books.statement_digest
computes it at this revision (written out here, with the columns of this revision, so that a later
change of the app does not change what this migration does: a digest that differs from a later
definition only makes the report write that month's workbook again). Downgrade: the
column dropped.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# store.books._DIGESTED and _DIGESTED_ITEM at this revision, with their types (dates read as dates
# on SQLite too, as the app reads them).
_STATEMENT = (("account", sa.String), ("month", sa.String), ("month_end", sa.Date), ("state", sa.String),
              ("bank_balance_fen", sa.BigInteger), ("book_balance_fen", sa.BigInteger),
              ("book_in_fen", sa.BigInteger), ("book_out_fen", sa.BigInteger), ("bank_in_fen", sa.BigInteger),
              ("bank_out_fen", sa.BigInteger), ("difference_fen", sa.BigInteger), ("matched", sa.Integer))
_ITEM = (("side", sa.String), ("day", sa.Date), ("amount_fen", sa.BigInteger), ("ref", sa.String),
         ("text", sa.Text), ("counterparty", sa.Text), ("age_days", sa.Integer), ("fingerprint", sa.String),
         ("record_id", sa.BigInteger), ("source", sa.Text))


def _digest(statement: dict[str, Any], items: list[dict[str, Any]]) -> str:
    """store.books.statement_digest at this revision."""
    text = repr(([statement[k] for k, _ in _STATEMENT], [[it[k] for k, _ in _ITEM] for it in items]))
    return hashlib.sha256(text.encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("book_statements") as batch:
        batch.add_column(sa.Column("digest", sa.String(64), nullable=True))
    conn = op.get_bind()
    s = sa.table("book_statements", sa.column("id", sa.Integer), sa.column("digest", sa.String),
                 *(sa.column(k, type_) for k, type_ in _STATEMENT))
    i = sa.table("book_items", sa.column("id", sa.Integer), sa.column("account", sa.String),
                 sa.column("month", sa.String), *(sa.column(k, type_) for k, type_ in _ITEM))
    set_digest = s.update().where(s.c.id == sa.bindparam("row")).values(digest=sa.bindparam("digest"))
    for account in conn.execute(sa.select(s.c.account).distinct()).scalars().all():
        items: dict[str, list[dict[str, Any]]] = {}
        for r in conn.execute(sa.select(i.c.month, *(i.c[k] for k, _ in _ITEM))
                              .where(i.c.account == account, i.c.month != "").order_by(i.c.id)).mappings():
            items.setdefault(r["month"], []).append(dict(r))
        updates = [{"row": r["id"], "digest": _digest(dict(r), items.get(r["month"], []))}
                   for r in conn.execute(sa.select(s.c.id, *(s.c[k] for k, _ in _STATEMENT))
                                         .where(s.c.account == account)).mappings()]
        if updates:
            conn.execute(set_digest, updates)


def downgrade() -> None:
    with op.batch_alter_table("book_statements") as batch:
        batch.drop_column("digest")
