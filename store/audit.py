"""The append-only audit log with its hash chain.

`append` is the one way a row gets in: it first moves the head row (`audit_head`, locked by the
UPDATE on both databases), so two writers never link to the same predecessor; a unique index on
`prev_hash` makes a fork impossible even so. Callers that change several things in one
transaction (the reconcile's merge) take the head first with `lock`, so locks are always taken in
the same order (the head, then findings) and two transactions never wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reconcile.desk import Actor, AuditEntry, AuditFilter
from reconcile.desk.chain import GENESIS, Broken, canonical, row_hash, verify
from store.models import AuditHeadRow, AuditRow

HEAD_ID = 1
BATCH = 5_000


def lock(session: Session) -> None:
    """Take the audit head for the rest of the transaction (a write: SQLite's write lock, a
    PostgreSQL row lock); a second call in the same transaction is free."""
    session.execute(update(AuditHeadRow).where(AuditHeadRow.id == HEAD_ID).values(seq=AuditHeadRow.seq))


def append(session: Session, actor: Actor, action: str, target: str, now: datetime, *,
           finding_id: int | None = None, before: Mapping[str, object] | None = None,
           after: Mapping[str, object] | None = None, note: str = "") -> AuditEntry:
    lock(session)
    head = session.get(AuditHeadRow, HEAD_ID, populate_existing=True)
    assert head is not None, "the audit head row is created by migration 0006"
    fields = {"id": head.seq + 1, "at": now, "actor": actor.name, "address": actor.address, "action": action,
              "target": target, "finding_id": finding_id, "before": canonical(before or {}),
              "after": canonical(after or {}), "note": note, "prev_hash": head.hash}
    digest = row_hash(**fields)  # type: ignore[arg-type]
    session.add(AuditRow(**fields, hash=digest))
    head.seq, head.hash = head.seq + 1, digest
    session.flush()
    return _entry(session.get(AuditRow, fields["id"]))  # type: ignore[arg-type]


def listing(session: Session, f: AuditFilter) -> list[AuditEntry]:
    """The newest rows first, filtered."""
    q = select(AuditRow)
    if f.since is not None:
        q = q.where(AuditRow.at >= f.since)
    if f.actor:
        q = q.where(AuditRow.actor == f.actor)
    if f.finding_id is not None:
        q = q.where(AuditRow.finding_id == f.finding_id)
    return [_entry(r) for r in session.scalars(q.order_by(AuditRow.id.desc()).limit(f.limit))]


def trail(session: Session, finding_id: int) -> list[AuditEntry]:
    """A finding's rows, oldest first."""
    q = select(AuditRow).where(AuditRow.finding_id == finding_id).order_by(AuditRow.id)
    return [_entry(r) for r in session.scalars(q)]


def iter_all(session: Session) -> Iterator[AuditEntry]:
    q = select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=BATCH)
    for r in session.scalars(q):
        yield _entry(r)


def check(session: Session) -> tuple[int, Broken | None]:
    """Recompute the whole chain; (rows checked, the first row that was changed or None)."""
    head = session.get(AuditHeadRow, HEAD_ID)
    return verify(iter_all(session), (head.seq, head.hash) if head else None)


def _entry(r: AuditRow) -> AuditEntry:
    return AuditEntry(id=r.id, at=r.at, actor=r.actor, address=r.address, action=r.action, target=r.target,
                      finding_id=r.finding_id, before=r.before, after=r.after, note=r.note,
                      prev_hash=r.prev_hash, hash=r.hash)


__all__ = ["GENESIS", "append", "check", "listing", "lock", "trail"]
