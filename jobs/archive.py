"""Every run checks the archived files against what was recorded when they were ingested.

A writer that paused longer than `ingest.settle_seconds` gets the first part of its file ingested
and archived, and what it writes afterwards lands in the archived file (issue 12, defect 5). So
each run compares each archived statement file's size (and, when it was modified after its ingest,
its sha256) with its row. A file that changed is read again, like an overlapping statement: a new
file row holds the new bytes and only the lines the ledger does not hold yet; the old row is marked
`changed` (its lines stay), and the change is reported (log, `recon status`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from loguru import logger

from jobs.prepare import file_sha256
from reconcile.messages import t
from store import files
from store.files import Arrival

if TYPE_CHECKING:
    from jobs.ingest import Ingestor, IngestReport

SKIP_FORMATS = ("payment_plan", "surplus_schedule", "collection_targets")  # schedules are replaced, not appended


def changed_files(ingestor: Ingestor) -> list[tuple[Arrival, int]]:
    """The ingested files whose archived bytes are no longer the recorded ones, with their new size.
    A stat per file (of four columns read as plain tuples); a hash only for a file modified after its
    ingest, whose row is then read whole."""
    out = []
    for r in files.archived(ingestor.engine, SKIP_FORMATS):
        try:
            st = os.stat(r.archive_path)
        except OSError:
            continue  # not there (yet): an interrupted move is finished from the inbox
        done = (r.processed_at if r.processed_at.tzinfo else r.processed_at.replace(tzinfo=UTC)).timestamp()
        if st.st_size == r.size and st.st_mtime <= done:
            continue
        old = files.archived_file(ingestor.engine, r.id)
        if st.st_size == r.size and file_sha256(Path(r.archive_path)) == old.sha256:
            continue
        out.append((old, st.st_size))
    return out


def recheck(ingestor: Ingestor, report: IngestReport, stop: Callable[[], bool]) -> None:
    from jobs.inbox import InboxFile
    from jobs.ingest import Rejection

    lang = ingestor.lang
    for old, size in changed_files(ingestor):
        if stop():
            return
        path = Path(old.archive_path)
        f = InboxFile(path, size, path.stat().st_mtime)
        prepared = ingestor.read_one(f)
        where = {"name": old.name, "path": old.archive_path, "old": old.size, "new": size}
        if prepared.error or not prepared.statements or prepared.sha256 == old.sha256:
            if prepared.sha256 != old.sha256:
                logger.warning(t("archive.changed_unread", lang, **where, error=prepared.error or "-"))
                report.changed_names.append(old.name)
            continue
        try:
            bound = ingestor.bind(prepared.statements, old.name)
        except Rejection as exc:
            logger.warning(t("archive.changed_unread", lang, **where, error=str(exc)))
            report.changed_names.append(old.name)
            continue
        now = ingestor.now()
        arrival = Arrival(sha256=prepared.sha256, name=old.name, size=size, status="ingested", received_at=now,
                          processed_at=now, format=",".join(sorted({st.format for _, st in bound})),
                          account=bound[0][0] if bound else "", archive_path=old.archive_path,
                          reason=t("archive.reread_reason", lang, id=old.id, old=old.size, new=size))
        def changed_reason(new_id: int, old: Arrival = old, size: int = size) -> str:
            return t("archive.changed_reason", lang, id=new_id, old=old.size, new=size)

        stored = files.record_reread(ingestor.engine, old.id, arrival, bound, changed_reason)
        report.added += stored.added
        report.skipped += stored.skipped
        report.changed_names.append(old.name)
        logger.warning(t("archive.changed", lang, **where, added=stored.added))
