"""book_statements.digest: a digest of each stored monthly statement and its items
(store.books.statement_digest), written by every reconcile and filled here for the rows stored
before, so that the report knows which months' workbooks it has already written without reading
their items (jobs.report.book; issue 18: a quiet month of history costs next to nothing).

Each row's digest is computed from the stored row and its items with the function replace_book
uses, so a row written before and one written after this migration digest alike. Downgrade: the
column dropped.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.books import _DIGESTED, _DIGESTED_ITEM, statement_digest
from store.models import BookItemRow, BookStatementRow

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("book_statements") as batch:
        batch.add_column(sa.Column("digest", sa.String(64), nullable=True))
    conn = op.get_bind()
    # The columns digested, read through the models' types (dates as dates on SQLite too), as
    # load_statements reads them; named one by one, so a later column does not break this revision.
    s, i = BookStatementRow, BookItemRow
    item_columns = [getattr(i, k) for k in _DIGESTED_ITEM]
    statement_columns = [getattr(s, k) for k in _DIGESTED]
    table = sa.table("book_statements", sa.column("id", sa.Integer), sa.column("digest", sa.String))
    set_digest = table.update().where(table.c.id == sa.bindparam("row")).values(digest=sa.bindparam("digest"))
    for account in conn.execute(sa.select(s.account).distinct()).scalars().all():
        items: dict[str, list[dict[str, object]]] = {}
        for r in conn.execute(sa.select(i.month, *item_columns).where(i.account == account, i.month != "")
                              .order_by(i.id)).mappings():
            items.setdefault(r["month"], []).append(dict(r))
        updates = [{"row": r["id"], "digest": statement_digest(dict(r), items.get(r["month"], []))}
                   for r in conn.execute(sa.select(s.id, *statement_columns).where(s.account == account)).mappings()]
        if updates:
            conn.execute(set_digest, updates)


def downgrade() -> None:
    with op.batch_alter_table("book_statements") as batch:
        batch.drop_column("digest")
