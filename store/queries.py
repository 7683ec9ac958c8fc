"""Reads the shell's commands make in one transaction each, handing back plain values: the findings
of `recon findings list` (records) and the day of the last bank
reconciliation statements (`recon book`)."""

from __future__ import annotations

from datetime import date

from reconcile.reporting.records import Reviewed
from store.books import book_as_of
from store.db import Database, session_scope
from store.findings import listing


def findings(db: Database, *, kind: str | None = None, entity: str | None = None, fund: str | None = None,
             status: str | None = None) -> list[Reviewed]:
    """The findings that pass the filters (as store.findings.listing)."""
    with session_scope(db) as s:
        return listing(s, kind=kind, entity=entity, fund=fund, status=status)


def book_day(db: Database) -> date | None:
    """The as-of day of the stored bank reconciliation statements, None when there are none."""
    with session_scope(db) as s:
        return book_as_of(s)
