"""Dialect warnings in the store: written with each statement, read back for `recon status` and the
report's coverage sheet as `HeldDeparture` records (the departure and the file it was found in)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from sqlalchemy import Table, func, insert, or_, select
from sqlalchemy.orm import Session

from reconcile.departures import Departure, HeldDeparture
from reconcile.model import Statement
from store.models import FileRow, StatementRow, StatementWarningRow

_INSERT_WARNING = insert(cast(Table, StatementWarningRow.__table__))  # built once, run in Core (store/ledger.py)


def store_departures(session: Session, file_id: int, statement_id: int, account: str, st: Statement) -> None:
    if not st.warnings:
        return
    session.connection().execute(_INSERT_WARNING, [
        {"statement_id": statement_id, "file_id": file_id, "account": account, "code": d.code[:64],
         "place": d.where[:256], "count": d.count, "detail": d.detail} for d in st.warnings])


def _held(rows: object) -> list[HeldDeparture]:
    out: list[HeldDeparture] = []
    for w, name, received, index in rows:  # type: ignore[attr-defined]
        out.append(HeldDeparture(file_name=name, account=w.account, statement=index + 1, received_at=received,
                                 departure=Departure(w.code, w.place, w.count, w.detail)))
    return out


def latest_departures(session: Session, limit: int) -> tuple[list[HeldDeparture], int]:
    """The departures of the most recently stored statements (newest first), and how many there are."""
    total = session.scalar(select(func.count()).select_from(StatementWarningRow)) or 0
    q = (select(StatementWarningRow, FileRow.name, FileRow.received_at, StatementRow.index_in_file)
         .join(FileRow, FileRow.id == StatementWarningRow.file_id)
         .join(StatementRow, StatementRow.id == StatementWarningRow.statement_id)
         .order_by(StatementWarningRow.id.desc()).limit(limit))
    return _held(session.execute(q)), total


def departures_around(session: Session, as_of: date, days: int = 366) -> list[HeldDeparture]:
    """The departures of the statements covering any of the `days` up to `as_of` (those the report's
    coverage sheet speaks of), by file and account; a statement without a period counts as current."""
    since = as_of - timedelta(days=days)
    q = (select(StatementWarningRow, FileRow.name, FileRow.received_at, StatementRow.index_in_file)
         .join(FileRow, FileRow.id == StatementWarningRow.file_id)
         .join(StatementRow, StatementRow.id == StatementWarningRow.statement_id)
         .where(FileRow.status == "ingested",
                or_(StatementRow.period_end.is_(None), StatementRow.period_end >= since),
                or_(StatementRow.period_start.is_(None), StatementRow.period_start <= as_of))
         .order_by(StatementWarningRow.account, FileRow.name, StatementWarningRow.id))
    return _held(session.execute(q))
