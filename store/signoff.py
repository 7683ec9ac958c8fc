"""Month sign-off, maker-checker: an accountant prepares a (fund, month), a supervisor other than
the preparer approves it (or sends it back). When a finding of that fund and month opens, closes,
reopens or changes kind or amount afterwards, the sign-off is revoked by itself: `revoke` is called
by the merge of a reconcile's findings, the one place where findings change, and writes the
reason (which findings, what happened) to the audit log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.desk import Actor, SignOff
from reconcile.errors import ReconError
from store import audit
from store.models import SignOffRow

SYSTEM = Actor("recon", "system", None, "recon")


class SignOffError(ReconError):
    """A sign-off step that is not possible now: `key` is the catalogue key of the reason."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key} {values}")
        self.key, self.values = key, values


@dataclass(frozen=True)
class Change:
    """A finding that changed in a merge: its id, fund, month and what happened."""

    finding_id: int
    fund: str | None
    period: str | None
    event: str  # opened | closed | reopened | kind | amount


def get(session: Session, fund: str, period: str) -> SignOff:
    row = session.get(SignOffRow, (fund, period))
    return _record(row) if row is not None else SignOff(fund, period)


def listing(session: Session, periods: list[str] | None = None) -> dict[tuple[str, str], SignOff]:
    q = select(SignOffRow)
    if periods is not None:
        q = q.where(SignOffRow.period.in_(periods))
    return {(r.fund, r.period): _record(r) for r in session.scalars(q)}


def prepare(session: Session, actor: Actor, fund: str, period: str, now: datetime, note: str = "") -> SignOff:
    audit.lock(session)
    row = _row(session, fund, period)
    if row.state not in ("open", "revoked"):
        raise SignOffError("months.not_open", fund=fund, period=period)
    before = row.state
    row.state, row.prepared_by, row.prepared_at, row.note = "prepared", actor.name, now, note
    row.approved_by, row.approved_at = "", None
    audit.append(session, actor, "month.prepare", _target(fund, period), now, before={"state": before},
                 after={"state": "prepared"}, note=note)
    return _record(row)


def approve(session: Session, actor: Actor, fund: str, period: str, now: datetime, note: str = "") -> SignOff:
    audit.lock(session)
    row = _row(session, fund, period)
    if row.state != "prepared":
        raise SignOffError("months.not_prepared", fund=fund, period=period)
    if row.prepared_by == actor.name:
        raise SignOffError("months.same_person")  # maker-checker: two people
    row.state, row.approved_by, row.approved_at = "approved", actor.name, now
    audit.append(session, actor, "month.approve", _target(fund, period), now, before={"state": "prepared"},
                 after={"state": "approved", "prepared_by": row.prepared_by}, note=note)
    return _record(row)


def reject(session: Session, actor: Actor, fund: str, period: str, now: datetime, note: str = "") -> SignOff:
    """A supervisor sends a prepared month back to the accountant."""
    audit.lock(session)
    row = _row(session, fund, period)
    if row.state != "prepared":
        raise SignOffError("months.not_prepared", fund=fund, period=period)
    row.state, row.note = "open", note
    audit.append(session, actor, "month.reject", _target(fund, period), now, before={"state": "prepared"},
                 after={"state": "open"}, note=note)
    return _record(row)


def revoke(session: Session, changes: list[Change], as_of: date, now: datetime) -> list[SignOff]:
    """Revoke the prepared or approved sign-offs of the months these changes touch."""
    touched: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        if c.fund and c.period:
            touched.setdefault((c.fund, c.period), []).append(c)
    if not touched:
        return []
    held = session.scalars(select(SignOffRow).where(SignOffRow.state.in_(("prepared", "approved")),
                                                    SignOffRow.period.in_(sorted({p for _, p in touched}))))
    out = []
    for row in held:
        mine = touched.get((row.fund, row.period))
        if not mine:
            continue
        reason = [{"finding": c.finding_id, "event": c.event} for c in sorted(mine, key=lambda c: c.finding_id)]
        before = {"state": row.state, "prepared_by": row.prepared_by, "approved_by": row.approved_by}
        row.state, row.revoked_at = "revoked", now
        row.revoke_reason = json.dumps({"as_of": as_of.isoformat(), "changes": reason}, ensure_ascii=False)
        audit.append(session, SYSTEM, "month.revoke", _target(row.fund, row.period), now, before=before,
                     after={"state": "revoked", "as_of": as_of.isoformat(), "changes": reason})
        out.append(_record(row))
    return out


def _target(fund: str, period: str) -> str:
    return f"month:{fund}:{period}"


def _row(session: Session, fund: str, period: str) -> SignOffRow:
    row = session.get(SignOffRow, (fund, period), populate_existing=True)
    if row is None:
        row = SignOffRow(fund=fund, period=period, state="open", prepared_by="", approved_by="", note="",
                         revoke_reason="")
        session.add(row)
        session.flush()
    return row


def _aware(moment: datetime | None) -> datetime | None:
    return None if moment is None else (moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _record(r: SignOffRow) -> SignOff:
    return SignOff(fund=r.fund, period=r.period, state=r.state, prepared_by=r.prepared_by,
                   prepared_at=_aware(r.prepared_at), approved_by=r.approved_by, approved_at=_aware(r.approved_at),
                   note=r.note, revoked_at=_aware(r.revoked_at), revoke_reason=r.revoke_reason)
