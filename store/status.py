"""What the ledger holds, read in one transaction for `recon status` (jobs/status.py)."""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.departures import HeldDeparture
from reconcile.model import StoredStatement
from store.db import Database, session_scope
from store.departures import latest_departures
from store.ledger import AccountCounts, account_counts, file_counts, stored_statements


@dataclass(frozen=True)
class Holdings:
    counts: dict[str, AccountCounts]  # by account number
    statements: list[StoredStatement]
    files: dict[str, int]  # by file status
    warnings: list[HeldDeparture]  # the latest, newest first
    warnings_total: int


def holdings(db: Database, warnings_shown: int) -> Holdings:
    """The per-account counts, every statement's facts, the files by status, and the latest
    `warnings_shown` dialect warnings with how many there are in all."""
    with session_scope(db) as s:
        counts = account_counts(s)
        infos = stored_statements(s)
        files = file_counts(s)
        warnings, total = latest_departures(s, warnings_shown)
    return Holdings(counts, infos, files, warnings, total)
