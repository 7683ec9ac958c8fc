"""The months the engine keeps (engine_inputs, store.inputs) written again in the payload's second
format: by column, each day and repeated text once, the debits last (store.inputs `_dump`).

Why: a night decodes every kept month, and the first format (a JSON list per line, a Python call
to make each line) was most of the engine's reading of a province night; by column the lines are
made by C loops, and a night that starts an expense account from its carried state reads the
months before the restart day without their debits (the text after them not even parsed). The
first format is still read (store.inputs `_load`), so a month missed here is read as before.

Each row is read with the code that reads both formats and written with the code of the current
one: the same lines, day credits and parties (store.inputs's tests compare them field by field).
A province year (about 4,000 rows) takes under a minute. Downgrade: every kept month dropped
(an older code does not read the new payloads): its next reconcile reads the whole ledger.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from store.inputs import _dump, _load

    conn = op.get_bind()
    keys = conn.execute(text("SELECT account, month FROM engine_inputs ORDER BY account, month")).all()
    for account, month in keys:  # one row in memory at a time
        payload = conn.execute(text("SELECT payload FROM engine_inputs WHERE account = :a AND month = :m"),
                               {"a": account, "m": month}).scalar_one()
        whole, credits, refunded = _load(account, payload)
        conn.execute(text("UPDATE engine_inputs SET payload = :p WHERE account = :a AND month = :m"),
                     {"p": _dump(whole, credits, refunded), "a": account, "m": month})


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(text("DELETE FROM engine_inputs"))
    conn.execute(text("DELETE FROM engine_input_marks"))
