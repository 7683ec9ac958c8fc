"""The one review mechanism, for the desk and for `recon findings`: an action on a finding changes
its review state, assignee or explanation and writes exactly one audit row, in one transaction.

Actions: explain (a county's 情况说明), assign (to a person), acknowledge, resolve, reopen (back to
not reviewed). Acknowledge and resolve record the amount reviewed: a finding whose amount grows
afterwards is new again (store.findings.merge). `scope` is the one entity the actor may see: a
finding outside it does not exist for them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from reconcile.desk import Actor
from reconcile.errors import ReconError
from reconcile.reporting.records import Reviewed
from store import audit
from store.models import FindingRow

REVIEW_TO = {"acknowledge": "acknowledged", "resolve": "resolved", "reopen": "none"}
ACTIONS = ("explain", "assign", *REVIEW_TO)
MAX_NOTE = 4000


class ReviewError(ReconError):
    """A review that cannot be carried out: `key` is the catalogue key of the reason."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(f"{key} {values}")
        self.key, self.values = key, values


def act(session: Session, actor: Actor, finding_id: int, action: str, now: datetime, *, note: str = "",
        assignee: str | None = None, scope: str | None = None) -> Reviewed:
    if action not in ACTIONS:
        raise ReviewError("review.bad_action", action=action)
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ReviewError("review.note_long", n=MAX_NOTE)
    if action == "explain" and not note:
        raise ReviewError("review.explain_empty")
    if not actor.name.strip():
        raise ReviewError("review.no_actor")
    audit.lock(session)  # the head first, then the finding: the order merge takes them in
    row = session.get(FindingRow, finding_id) if 0 < finding_id < 2**31 else None
    if row is None or (scope is not None and row.entity != scope):
        raise ReviewError("review.no_finding", id=finding_id)
    before: dict[str, object]
    after: dict[str, object]
    if action == "explain":
        before, after = {"explanation": row.explanation}, {"explanation": note}
        row.explanation = note
    elif action == "assign":
        who = (assignee or "").strip()
        before, after = {"assignee": row.assignee}, {"assignee": who}
        row.assignee = who
    else:
        to = REVIEW_TO[action]
        if action == "reopen" and row.review_state == "none":
            raise ReviewError("review.not_reviewed", id=finding_id)
        before = {"review": row.review_state, "amount_fen": row.reviewed_amount_fen}
        row.review_state, row.review_note, row.review_by, row.review_at = to, note, actor.name, now
        row.reviewed_amount_fen = row.amount_fen if to != "none" else None
        after = {"review": to, "amount_fen": row.reviewed_amount_fen}
    audit.append(session, actor, f"finding.{action}", f"finding:{finding_id}", now, finding_id=finding_id,
                 before=before, after=after, note=note)
    session.flush()
    from store.findings import finding_record

    return finding_record(row)
