"""Keeping findings across runs: merging a run's findings into the stored ones by their stable
key, and closing those the run no longer finds. (The review itself is store.review.)

A finding's engine state (open, or closed at a time) and its review state (none, acknowledged,
resolved) are separate: closing never erases a review; a finding whose amount grows after it was
acknowledged is new again (an audit row by the tool itself). A finding of a (fund, month) that
opens, closes, reopens or changes kind or amount revokes that month's sign-off, here, where the
change happens (store.signoff.revoke).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from reconcile.desk import Actor
from reconcile.engine.actuals import MonthActual
from reconcile.engine.types import Finding, Obligation
from reconcile.kinds import SERIOUS, FindingStatus, ReviewState
from reconcile.money import check_stored
from reconcile.reporting.records import Review, Reviewed
from store import audit, signoff
from store.bookkept import AccountKept, Since, save_kept
from store.books import replace_book
from store.budgets import replace_actuals
from store.db import session_scope
from store.models import (
    OBLIGATION_IDENTITY,
    ContributionRow,
    FindingEventRow,
    FindingLineRow,
    FindingRow,
    ObligationRow,
)
from store.standings import replace_rows

SYSTEM = "recon"
RENEWED = "finding.renewed"  # the audit action of a review reset by a grown amount
TOOL = Actor(SYSTEM, "system", None, "recon")
OPEN, CLOSED = FindingStatus.OPEN.value, FindingStatus.CLOSED.value  # as `findings.state` holds them


@dataclass(frozen=True)
class MergeCounts:
    opened: int
    changed: int
    closed: int
    reopened: int
    unchanged: int


def merge(session: Session, found: list[Finding], as_of: date, now: datetime) -> MergeCounts:
    """Merge a run's findings into the stored ones. Only what changes is written: a finding whose
    stored columns are those of last night is left alone but for its `as_of` and `last_seen_at`,
    which every open finding takes from this run in one statement at the end (`_SEEN`); the rows
    read are the open findings and those of this run's keys, never the closed ones of history."""
    audit.lock(session)  # the audit head before the findings, as every desk action takes them
    found = list({f.key: f for f in found}.values())  # one finding per identity, whatever the caller did
    for f in found:  # before any write: a sum beyond the database leaves the stored findings as they were
        check_stored(f.amount_fen, f"finding {f.key} amount_fen")
    stored = {r.key: r for r in session.execute(select(*_STORED).where(FindingRow.state == OPEN)
                                                  .order_by(FindingRow.id))}
    others = [f.key for f in found if f.key not in stored]  # new, or closed before: read by key
    for chunk in _chunks(others):
        stored.update((r.key, r) for r in session.execute(select(*_STORED).where(FindingRow.key.in_(chunk))))
    linked: dict[int, set[int]] = {}
    for chunk in _chunks([r.id for r in stored.values()]):
        for fid, lid in session.execute(select(FindingLineRow.finding_id, FindingLineRow.line_id)
                                        .where(FindingLineRow.finding_id.in_(chunk))):
            linked.setdefault(fid, set()).add(lid)
    # The rows written below (changed, reopened, closed) loaded in a few statements, not one each:
    # `get_one` then finds them in the session (held here: the session keeps them weakly).
    keys = {f.key for f in found}
    same = {f.key for f in found if (old := stored.get(f.key)) is not None and _same(old, f)}  # compared once
    loaded: list[FindingRow] = []
    for chunk in _chunks([stored[f.key].id for f in found if f.key in stored and f.key not in same]
                         + [old.id for key, old in stored.items() if key not in keys and old.state == OPEN]):
        loaded += session.scalars(select(FindingRow).where(FindingRow.id.in_(chunk))).all()
    changes: list[signoff.Change] = []
    opened = changed = closed = reopened = unchanged = 0
    seen = set()
    for f in found:
        seen.add(f.key)
        old = stored.get(f.key)
        if old is None:
            row = FindingRow(key=f.key, state=OPEN, first_seen_at=now, review_state="none", review_note="",
                             review_by="", reviewed_amount_fen=None, closed_at=None)
            _fill(row, f, as_of, now)
            session.add(row)
            session.flush()
            _event(session, row, "opened", as_of, now)
            changes.append(signoff.Change(row.id, row.fund, row.period, "opened"))
            opened += 1
            fid = row.id
        else:
            fid = old.id
            grows = _grows(old, f)
            if f.key in same:
                unchanged += 1  # as last night: nothing to write (as_of and last_seen_at below)
            else:
                row = session.get_one(FindingRow, old.id)
                was = (row.kind, row.amount_fen, row.days_late, row.state)
                reopen = row.state == CLOSED
                kind_changed = row.kind != f.kind
                amount_changed = row.amount_fen != f.amount_fen
                _fill(row, f, as_of, now)
                row.state, row.closed_at = OPEN, None
                if reopen:
                    _event(session, row, "reopened", as_of, now)
                    changes.append(signoff.Change(row.id, row.fund, row.period, "reopened"))
                    reopened += 1
                elif kind_changed or amount_changed:
                    _event(session, row, "kind" if kind_changed else "amount", as_of, now)
                    changes.append(signoff.Change(row.id, row.fund, row.period,
                                                  "kind" if kind_changed else "amount"))
                    changed += 1
                elif was == (row.kind, row.amount_fen, row.days_late, row.state):
                    unchanged += 1
                else:
                    changed += 1
                if grows:
                    before_amount = row.reviewed_amount_fen
                    audit.append(session, TOOL, RENEWED, f"finding:{row.id}", now, finding_id=row.id,
                                 before={"review": row.review_state, "amount_fen": row.reviewed_amount_fen},
                                 after={"review": "none", "amount_fen": f.amount_fen},
                                 note=f"amount grew from {row.reviewed_amount_fen} to {f.amount_fen} fen: new again")
                    row.review_state, row.review_by, row.review_at, row.reviewed_amount_fen = (
                        "none", SYSTEM, now, None)
                    row.review_note = f"amount grew from {before_amount} to {f.amount_fen} fen: new again"
        ids = sorted(set(f.line_ids))
        if set(ids) == linked.get(fid, set()):
            continue  # the same lines as last night: nothing to write
        session.execute(delete(FindingLineRow).where(FindingLineRow.finding_id == fid))
        if ids:
            session.execute(insert(FindingLineRow), [{"finding_id": fid, "line_id": i} for i in ids])
    for key, old in sorted(stored.items(), key=lambda kv: kv[1].id):  # in the order of the findings' ids
        if key not in seen and old.state == OPEN:
            row = session.get_one(FindingRow, old.id)
            row.state, row.closed_at = CLOSED, now
            _event(session, row, "closed", as_of, now)
            changes.append(signoff.Change(row.id, row.fund, row.period, "closed"))
            closed += 1
    session.flush()
    # Every finding open now was found by this run: this run's date and clock, in one statement.
    session.execute(update(FindingRow).where(FindingRow.state == OPEN).values(as_of=as_of, last_seen_at=now)
                    .execution_options(synchronize_session=False))
    signoff.revoke(session, changes, as_of, now)
    return MergeCounts(opened, changed, closed, reopened, unchanged)


# What `merge` reads of a stored finding: its id, key, state and review, then the columns `_fill`
# writes from the engine's finding (`_FILLED` of the row; `_columns` of the finding, in that order).
_STORED = (FindingRow.id, FindingRow.key, FindingRow.state, FindingRow.review_state, FindingRow.reviewed_amount_fen,
           FindingRow.kind, FindingRow.rule, FindingRow.entity, FindingRow.fund, FindingRow.account,
           FindingRow.period, FindingRow.amount_fen, FindingRow.days_late, FindingRow.severity, FindingRow.detail,
           FindingRow.lines)
_FILLED = slice(5, None)


def _grows(old: Any, f: Finding) -> bool:
    """An acknowledged finding whose amount grew beyond the one reviewed: new again."""
    return bool(old.review_state == "acknowledged" and old.reviewed_amount_fen is not None
                and f.amount_fen is not None and f.amount_fen > old.reviewed_amount_fen)


def _same(old: Any, f: Finding) -> bool:
    """Open, and its stored columns those of the finding: nothing to write."""
    return bool(old.state == OPEN and not _grows(old, f) and _columns(f) == tuple(old)[_FILLED])


def _columns(f: Finding) -> tuple[object, ...]:
    return (f.kind, f.rule, f.entity, f.fund, f.account, f.period, f.amount_fen, f.days_late, f.severity,
            _detail(f), _lines(f))


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _detail(f: Finding) -> str:
    return json.dumps(f.detail, ensure_ascii=False, sort_keys=True, default=str)


def _lines(f: Finding) -> str:
    return json.dumps(list(f.lines), ensure_ascii=False)


def _fill(row: FindingRow, f: Finding, as_of: date, now: datetime) -> None:
    row.kind, row.rule, row.entity, row.fund, row.account = f.kind, f.rule, f.entity, f.fund, f.account
    row.period, row.amount_fen, row.days_late, row.severity = f.period, f.amount_fen, f.days_late, f.severity
    row.detail, row.lines = _detail(f), _lines(f)
    row.as_of, row.last_seen_at = as_of, now


def _event(session: Session, row: FindingRow, event: str, as_of: date, now: datetime) -> None:
    session.add(FindingEventRow(finding_id=row.id, at=now, as_of=as_of, event=event, kind=row.kind,
                                amount_fen=row.amount_fen))


class RunWriter:
    """What one reconciliation keeps, written in one transaction (`keeping`): the findings merged,
    then the obligations, contributions, month actuals and the book side's statements replaced."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def merge(self, found: list[Finding], as_of: date, now: datetime) -> MergeCounts:
        return merge(self._session, found, as_of, now)

    def replace(self, obligations: list[Obligation], contributions: dict[tuple[str, int], int],
                actuals: Sequence[MonthActual], book: Sequence[AccountKept], as_of: date) -> None:
        replace_obligations(self._session, obligations, as_of)
        replace_contributions(self._session, contributions, as_of)
        replace_actuals(self._session, actuals, as_of)
        replace_book(self._session, book, as_of)

    def keep_book(self, book: Sequence[AccountKept], as_of: date, since: Since, config: str) -> None:
        """Keep the book side's decisions for closed months (store.bookkept), in this transaction."""
        save_kept(self._session, book, as_of, since, config)


@contextmanager
def keeping(engine: Engine) -> Iterator[RunWriter]:
    """A `RunWriter` over one transaction, committed when the block ends without an error."""
    with session_scope(engine) as session:
        yield RunWriter(session)


def replace_obligations(session: Session, views: list[Obligation], as_of: date) -> None:
    """The obligation standings of this run replace the previous run's, written as their difference
    by identity (rule, entity, fund, period, account; store.standings)."""
    rows = [(v.rule, v.entity, v.fund, v.period, v.account, v.deadline, v.due_fen, v.on_time_fen, v.late_fen,
             _paid(v.late_payments), v.outstanding_fen, v.excess_fen, v.days_overdue, v.fen_days, v.status,
             v.plan_version) for v in views]
    replace_rows(session, ObligationRow, _OBLIGATION_COLUMNS, len(OBLIGATION_IDENTITY), rows, as_of)


_OBLIGATION_COLUMNS = (*OBLIGATION_IDENTITY, "deadline", "due_fen", "on_time_fen", "late_fen", "late_payments",
                       "outstanding_fen", "excess_fen", "days_overdue", "fen_days", "status", "plan_version")


def _paid(late: tuple[tuple[date, int], ...]) -> str:
    """The late payments as stored, JSON [[date, fen], ...]; "[]" without the encoder for the most,
    which have none (thousands of standings a night)."""
    return json.dumps([[d.isoformat(), a] for d, a in late]) if late else "[]"


def replace_contributions(session: Session, totals: dict[tuple[str, int], int], as_of: date) -> None:
    """Each account's contributions of each year, replacing the previous run's (store.standings)."""
    rows = [(a, y, fen) for (a, y), fen in sorted(totals.items())]
    replace_rows(session, ContributionRow, ("account", "year", "amount_fen"), 2, rows, as_of)


def listing(session: Session, *, kind: str | None = None, entity: str | None = None, fund: str | None = None,
            status: str | None = None) -> list[Reviewed]:
    q = select(FindingRow)
    if kind:
        q = q.where(FindingRow.kind == kind)
    if entity:
        q = q.where(FindingRow.entity == entity)
    if fund:
        q = q.where(FindingRow.fund == fund)
    if status in (OPEN, CLOSED):
        q = q.where(FindingRow.state == status)
    elif status in ("acknowledged", "resolved", "none"):
        q = q.where(FindingRow.review_state == status)
    return [finding_record(r) for r in session.scalars(q.order_by(FindingRow.key))]


def unreviewed_serious(engine: Engine, ids: Iterable[int] | None = None) -> list[Reviewed]:
    """Open, unreviewed findings of medium severity or above (`reconcile.kinds.SERIOUS`), of the
    given ids when given: what the e-mail announces (jobs.notify)."""
    with session_scope(engine) as s:
        q = select(FindingRow).where(FindingRow.state == OPEN, FindingRow.severity.in_(SERIOUS),
                                     FindingRow.review_state == ReviewState.NONE.value)
        if ids is not None:
            q = q.where(FindingRow.id.in_(list(ids)))
        return [finding_record(r) for r in s.scalars(q.order_by(FindingRow.id))]


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the store writes UTC."""
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def finding_record(r: FindingRow) -> Reviewed:
    """The stored finding as the core's record: the engine's finding, its life and its review."""
    detail = json.loads(r.detail or "{}")
    finding = Finding(kind=r.kind, rule=r.rule, entity=r.entity, fund=r.fund, account=r.account, period=r.period,
                      amount_fen=r.amount_fen, days_late=r.days_late, key=r.key, severity=r.severity,
                      detail=detail if isinstance(detail, dict) else {}, lines=tuple(json.loads(r.lines or "[]")))
    review = Review(ReviewState(r.review_state), r.review_note, r.review_by, aware(r.review_at), r.assignee or "",
                    r.explanation or "")
    return Reviewed(r.id, finding, FindingStatus(r.state), aware(r.first_seen_at) or r.first_seen_at,
                    aware(r.closed_at), review)

