"""The tables each reconcile replaces with what it computed (obligations, contributions, month
actuals), written only where they change (issue 18).

After the write the table holds exactly the run's rows: a row whose key the run no longer gives is
deleted, a new key inserted, a row whose columns differ updated, and every row's `as_of` set to the
run's date in one statement. Most of history's rows are the same night after night, so a night
writes the few that change instead of all of them. The rows' ids (obligations) are not kept in key
order: readers that need an order sort by the columns. Where a key is not unique (in the run's rows
or the stored ones) the table is rewritten whole, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session


def keep_rows(session: Session, model: Any, key: Sequence[str], rows: list[dict[str, Any]], as_of: date) -> None:
    """Make `model`'s table hold `rows` (each with every column but the id, `as_of` among them),
    identified by the columns `key`."""
    table = model.__table__
    pk = [c.name for c in table.primary_key.columns]
    new = {tuple(r[k] for k in key): r for r in rows}
    stored = [dict(r) for r in session.execute(select(table)).mappings()]
    old = {tuple(r[k] for k in key): r for r in stored}
    if len(new) != len(rows) or len(old) != len(stored):  # a key given twice: the whole table again
        session.execute(delete(table))
        if rows:
            session.execute(insert(table), rows)
        return
    where = and_(*(table.c[p] == bindparam(f"k_{p}") for p in pk))
    gone = [{f"k_{p}": old[k][p] for p in pk} for k in old.keys() - new.keys()]
    if gone:
        session.execute(delete(table).where(where), gone)
    fields = [c for c in (rows[0] if rows else {}) if c not in pk and c != "as_of"]
    changed = [{**{f"k_{p}": old[k][p] for p in pk}, **{f"v_{c}": r[c] for c in fields}}
               for k, r in new.items() if k in old and any(old[k][c] != r[c] for c in fields)]
    if changed:
        session.execute(update(table).where(where).values({c: bindparam(f"v_{c}") for c in fields})
                        .execution_options(synchronize_session=False), changed)
    session.execute(update(table).values(as_of=as_of).execution_options(synchronize_session=False))
    added = [r for k, r in new.items() if k not in old]
    if added:
        session.execute(insert(table), added)
