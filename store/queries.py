"""Reads the shell's commands make in one transaction each, handing back plain values: the findings
of `recon findings list` (in the shape the caller gives) and the day of the last bank
reconciliation statements (`recon book`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from reconcile.reporting.records import Reviewed
from store.books import book_as_of
from store.db import Database, session_scope
from store.findings import listing

T = TypeVar("T")


def findings(db: Database, shape: Callable[[Reviewed], T], *, kind: str | None = None,
             entity: str | None = None, fund: str | None = None, status: str | None = None) -> list[T]:
    """The findings that pass the filters (as store.findings.listing), each made into `shape(row)`
    while the transaction is open."""
    with session_scope(db) as s:
        return [shape(r) for r in listing(s, kind=kind, entity=entity, fund=fund, status=status)]


def book_day(db: Database) -> date | None:
    """The as-of day of the stored bank reconciliation statements, None when there are none."""
    with session_scope(db) as s:
        return book_as_of(s)
