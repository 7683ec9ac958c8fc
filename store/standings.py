"""The tables each reconcile replaces whole: the obligations' standings (store.findings), the
contributions by account and year (store.findings) and the month actuals (store.budgets). What the
run hands over becomes the table, but it is written as its difference to what is stored: a night
writes the standings that changed, not every standing of history again (issue 18).

Each table's `as_of` is the date of the reconcile that stands by its rows, and the store's readers
take `max(obligations.as_of)` as the date of the last reconcile (store.desk.reconciled_as_of, the
report's header in store.reporting.ReportReader.data, store.inputs.kept_as_of). The one way it is
kept: after the difference, one statement moves every row not at the run's date to it, as the
findings' merge moves the open findings' (store.findings.merge). So every row is at the last
reconcile's date as when the tables were rewritten, the readers' answers and the stored rows are
what they were, and a reconcile that goes back to an earlier date leaves no row at a later one. A
second source of "the last reconcile" beside the column would leave each row's `as_of` meaning
something else; the statement is one pass of the database over the table, without a row sent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from store.models import Base


def replace_rows(session: Session, model: type[Base], identity: Sequence[str], rows: Sequence[Mapping[str, Any]],
                 as_of: date) -> None:
    """Make `model`'s table hold exactly `rows` (each with every column but a surrogate id and `as_of`),
    all at `as_of`. Rows are matched to the stored ones by `identity` (unique among `rows`): a
    stored row whose identity the run no longer has is deleted (as is a second stored row of one
    identity), one whose other columns differ is updated, a new identity is inserted in `rows`'
    order, and an equal row is not written but for its date. The stored rows are read as plain
    tuples of the compared columns, no ORM object each. A row's id is no longer its place in the
    run's order: the obligations' readers sort by identity (store.reporting.obligation_records)."""
    table = cast(Table, model.__table__)
    key = list(table.primary_key.columns)
    values = [c.name for c in table.columns if c.name not in identity and c.name != "as_of" and c not in key]
    ident = [table.c[n] for n in identity]
    wanted = {tuple(r[n] for n in identity): r for r in rows}
    if len(wanted) != len(rows):
        raise ValueError(f"{table.name}: two rows of one identity ({', '.join(identity)})")
    stored: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    gone: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    width = len(identity)
    for r in session.execute(select(*ident, *(table.c[n] for n in values), *key)):
        k, pk = tuple(r[:width]), {f"k_{c.name}": v for c, v in zip(key, r[width + len(values):], strict=True)}
        new = wanted.get(k)
        if new is None or k in stored:  # no longer the run's, or a second row of one identity
            gone.append(pk)
            continue
        stored[k] = r
        if tuple(r[width:width + len(values)]) != tuple(new[n] for n in values):
            changed.append({**pk, **{n: new[n] for n in values}, "as_of": as_of})
    where = and_(*(c == bindparam(f"k_{c.name}") for c in key))
    if gone:
        session.execute(delete(table).where(where), gone)
    if changed:
        session.execute(update(table).where(where), changed)
    added = [{**r, "as_of": as_of} for k, r in wanted.items() if k not in stored]
    if added:
        session.execute(insert(table), added)
    session.execute(update(table).where(table.c.as_of != as_of).values(as_of=as_of))
