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

Both formats are written out here as they were at this revision (`_by_column` is store.inputs
`_dump` of then, on the first format's rows as they are, no Line made), so that a later change of
the app's payload does not change what this migration writes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from alembic import op
from sqlalchemy import text

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# A line of the first format: [id, day, amount, cpa, cpn, text, remark, reversal, type, fp, file,
# source]; the second format's columns, each a list (the texts and days by their place).
_ID, _DAY, _AMOUNT, _CPA, _CPN, _TEXT, _REMARK, _REVERSAL, _TYPE, _FP, _FILE, _SOURCE = range(12)
_COLUMNS = ("day", "amount", "cpa", "cpn", "text", "remark", "reversal", "type", "fp", "file", "source")


def _columns(rows: list[list[Any]]) -> dict[str, Any]:
    """store.inputs `_columns` at this revision, on first-format rows."""
    if not rows:
        return {k: [] for k in ("id", "days", "texts", *_COLUMNS)}
    days = list(dict.fromkeys(r[_DAY] for r in rows))
    texts = list(dict.fromkeys(itertools.chain.from_iterable(
        (r[_CPA], r[_CPN], r[_TEXT], r[_REMARK], r[_TYPE], r[_FILE]) for r in rows)))
    day = {d: i for i, d in enumerate(days)}
    at = {v: i for i, v in enumerate(texts)}
    return {"id": [r[_ID] for r in rows], "days": days, "texts": texts,
            "day": [day[r[_DAY]] for r in rows], "amount": [r[_AMOUNT] for r in rows],
            "cpa": [at[r[_CPA]] for r in rows], "cpn": [at[r[_CPN]] for r in rows],
            "text": [at[r[_TEXT]] for r in rows], "remark": [at[r[_REMARK]] for r in rows],
            "reversal": [int(bool(r[_REVERSAL])) for r in rows], "type": [at[r[_TYPE]] for r in rows],
            "fp": [r[_FP] for r in rows], "file": [at[r[_FILE]] for r in rows], "source": [r[_SOURCE] for r in rows]}


def _by_column(payload: str) -> str:
    """A kept month of the first format ({"refunded", "lines", "credits": [[amount, count,
    interest, first line]]}) in the second, as store.inputs `_dump` wrote it at this revision: the
    lines that are not debits, then each day's first credit line, by column; the day credits'
    sums; the debits last (a night reads a month without its debits by cutting the text there)."""
    data = json.loads(payload)
    if data.get("format") == 2:
        return payload
    rest = [r for r in data["lines"] if r[_AMOUNT] >= 0]
    debits = [r for r in data["lines"] if r[_AMOUNT] < 0]
    firsts = [c[3] for c in data["credits"]]
    return json.dumps({
        "refunded": data["refunded"], "format": 2, "whole": len(rest), **_columns([*rest, *firsts]),
        "credits": [[amount, count, interest] for amount, count, interest, _ in data["credits"]],
        "debits": _columns(debits),
    }, ensure_ascii=False, separators=(",", ":"))


def upgrade() -> None:
    conn = op.get_bind()
    keys = conn.execute(text("SELECT account, month FROM engine_inputs ORDER BY account, month")).all()
    for account, month in keys:  # one row in memory at a time
        payload = conn.execute(text("SELECT payload FROM engine_inputs WHERE account = :a AND month = :m"),
                               {"a": account, "m": month}).scalar_one()
        conn.execute(text("UPDATE engine_inputs SET payload = :p WHERE account = :a AND month = :m"),
                     {"p": _by_column(payload), "a": account, "m": month})


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(text("DELETE FROM engine_inputs"))
    conn.execute(text("DELETE FROM engine_input_marks"))
