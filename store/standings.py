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

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from reconcile.money import check_stored_rows
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
    ident, vals = _getter(identity), _getter(values)
    wanted = {ident(r): r for r in rows}
    if len(wanted) != len(rows):
        raise ValueError(f"{table.name}: two rows of one identity ({', '.join(identity)})")
    seen: set[tuple[Any, ...]] = set()
    gone: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    written: list[Mapping[str, Any]] = []
    width, upto = len(identity), len(identity) + len(values)
    for r in session.execute(select(*(table.c[n] for n in (*identity, *values)), *key)).all():
        k = r[:width]
        new = wanted.get(k)
        if new is None or k in seen:  # no longer the run's, or a second row of one identity
            gone.append(dict(zip(_KEYS[:len(key)], r[upto:], strict=True)))
            continue
        seen.add(k)
        if r[width:upto] != (now := vals(new)):
            changed.append({**dict(zip(_KEYS[:len(key)], r[upto:], strict=True)), **dict(zip(values, now, strict=True)),
                            "as_of": as_of})
            written.append(new)
    added = [{**r, "as_of": as_of} for k, r in wanted.items() if k not in seen]
    check_stored_rows([*written, *added], table.name)  # what is written: the others were checked when they were
    where = and_(*(c == bindparam(name) for c, name in zip(key, _KEYS, strict=False)))
    if gone:
        session.execute(delete(table).where(where), gone)
    if changed:
        session.execute(update(table).where(where), changed)
    if added:
        session.execute(insert(table), added)
    session.execute(update(table).where(table.c.as_of != as_of).values(as_of=as_of))


_KEYS = ("k_0", "k_1", "k_2", "k_3", "k_4")  # the primary key's parameters in a statement by key


def _getter(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The named values of a row as a tuple (as a stored row's slice is), one name or more."""
    get = itemgetter(*names)
    return get if len(names) > 1 else lambda r: (get(r),)
