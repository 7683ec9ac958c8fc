"""What the review desk reads: the findings queue (filtered, counted and paged in SQL), one
finding's page (its obligation, a page of the lines behind it, its history and audit trail), the
dashboard's data, the months with their sign-off, and the last run. Every read takes the user's
`scope` (an entity, or None for all) and applies it in the query itself.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from reconcile.accounts import Registry
from reconcile.desk import FACETS, FindingEvent, FindingPage, MonthRow, QueueFilter, QueuePage, SignOff
from reconcile.kinds import SERIOUS, SEVERITY_ORDER
from reconcile.reporting.heatmap import months_back
from reconcile.reporting.records import PreviousReport, ReportData
from reconcile.reporting.remittance import LATE_STATUSES, SETTLEMENT_KINDS
from reconcile.runs import Run
from store import audit, signoff
from store.findings import CLOSED, OPEN, aware, finding_record
from store.models import FileRow, FindingEventRow, FindingLineRow, FindingRow, LineRow, ObligationRow, RunRow
from store.reporting import (
    contributions,
    ledger_line,
    obligation_record,
    obligation_records,
    previous_report,
    renewed_since,
)

LINES_PER_PAGE = 200
_RANK = case({s.value: s.rank for s in SEVERITY_ORDER}, value=FindingRow.severity, else_=-1)
SORTS: dict[str, Any] = {
    "severity": _RANK, "id": FindingRow.id, "amount": FindingRow.amount_fen, "period": FindingRow.period,
    "days_late": FindingRow.days_late, "kind": FindingRow.kind, "entity": FindingRow.entity,
    "first_seen": FindingRow.first_seen_at, "review": FindingRow.review_state,
}
_COLUMNS = {"kind": FindingRow.kind, "entity": FindingRow.entity, "fund": FindingRow.fund,
            "severity": FindingRow.severity, "review": FindingRow.review_state}


def reconciled_as_of(session: Session) -> date | None:
    """The as-of date of the last reconcile the store holds."""
    return session.scalar(select(func.max(ObligationRow.as_of))) or session.scalar(select(func.max(FindingRow.as_of)))


def baseline(session: Session) -> PreviousReport | None:
    """The report that "new" is counted against: the last one before the last reconcile's date,
    as the nightly report counts it."""
    as_of = reconciled_as_of(session)
    row = previous_report(session, as_of) if as_of else None
    if row is None:
        return None
    return PreviousReport(row.as_of, aware(row.generated_at) or row.generated_at, frozenset(json.loads(row.open_keys)))


def _new_clause(session: Session) -> ColumnElement[bool]:
    base = baseline(session)
    clause = (FindingRow.state == OPEN) & (FindingRow.review_state == "none")
    if base is None:
        return clause
    renewed = renewed_since(session, base.generated_at)
    return clause & or_(FindingRow.key.not_in(sorted(base.open_keys)), FindingRow.key.in_(sorted(renewed)))


def _where(session: Session, f: QueueFilter, scope: str | None) -> list[ColumnElement[bool]]:
    """The filters that are not facets: scope, state, period, assignee, new."""
    out: list[ColumnElement[bool]] = []
    if scope is not None:
        out.append(FindingRow.entity == scope)
    if f.state in (OPEN, CLOSED):
        out.append(FindingRow.state == f.state)
    if f.period:
        if len(f.period) == 4:
            out.append(FindingRow.period.between(f"{f.period}-01", f"{f.period}-12"))
        else:
            out.append(FindingRow.period == f.period)
    if f.assignee is not None and f.assignee != "":
        out.append(FindingRow.assignee == ("" if f.assignee == "-" else f.assignee))
    if f.new:
        out.append(_new_clause(session))
    return out


def _facet_where(f: QueueFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = [_COLUMNS[n] == getattr(f, n) for n in ("kind", "entity", "fund", "severity")
                                      if getattr(f, n)]
    if f.review == "explained":
        out += [FindingRow.review_state == "none", FindingRow.explanation != ""]
    elif f.review:
        out.append(FindingRow.review_state == f.review)
    return out


def _chosen(f: QueueFilter, values: dict[str, str | None], explained: bool, skip: str | None = None) -> bool:
    """Whether a group of findings with these facet values passes the facet filters (but `skip`)."""
    for name in ("kind", "entity", "fund", "severity"):
        want = getattr(f, name)
        if want and name != skip and values[name] != want:
            return False
    if f.review and skip != "review":
        if f.review == "explained":
            return values["review"] == "none" and explained
        return values["review"] == f.review
    return True


def queue(session: Session, f: QueueFilter, scope: str | None) -> QueuePage:
    """One page of the queue, its total, and each facet's counts. The counts come from one grouped
    query over the non-facet filters (a scan of the queue index, not one query per facet)."""
    where = _where(session, f, scope)
    # The explanation is not in the queue index: group by it only when the filter asks for it.
    explained = case((FindingRow.explanation != "", 1), else_=0) if f.review == "explained" else literal(0)
    columns = [_COLUMNS[n] for n in FACETS]
    # Answered from an index alone: ix_findings_queue when a state is chosen, ix_findings_facets
    # (in the grouping's own order, so no sort) over every state.
    q = (select(*columns, explained, func.count()).where(*where)
         .group_by(*columns, *([explained] if f.review == "explained" else [])))
    counts: dict[str, dict[str, int]] = {n: {} for n in FACETS}
    total = 0
    for *values, was_explained, n in session.execute(q):
        got = {name: (str(v) if v is not None else None) for name, v in zip(FACETS, values, strict=True)}
        if _chosen(f, got, bool(was_explained)):
            total += int(n)
        for name in FACETS:
            value = got[name]
            if value is not None and _chosen(f, got, bool(was_explained), skip=name):
                counts[name][value] = counts[name].get(value, 0) + int(n)
    key = SORTS.get(f.sort, _RANK)
    order = [key.desc() if f.descending else key.asc(), FindingRow.id.desc() if f.descending else FindingRow.id]
    page = max(1, f.page)
    rows = tuple(finding_record(r) for r in session.scalars(
        select(FindingRow).where(*where, *_facet_where(f)).order_by(*order)
        .limit(f.per_page).offset((page - 1) * f.per_page)))
    facets = {name: tuple(sorted(c.items())) for name, c in counts.items()}
    return QueuePage(rows, total, page, f.per_page, facets)


def finding_page(session: Session, finding_id: int, scope: str | None, lines: int = LINES_PER_PAGE,
                 ) -> FindingPage | None:
    """One finding with everything behind it, or None when it does not exist for this scope."""
    row = session.get(FindingRow, finding_id) if 0 < finding_id < 2**31 else None
    if row is None or (scope is not None and row.entity != scope):
        return None
    found = finding_record(row)
    ob = None
    if row.kind in SETTLEMENT_KINDS and row.rule:
        ob_row = session.scalars(select(ObligationRow).where(
            ObligationRow.rule == row.rule, ObligationRow.entity == row.entity, ObligationRow.fund == row.fund,
            ObligationRow.period == row.period, ObligationRow.account == row.account).limit(1)).first()
        ob = obligation_record(ob_row) if ob_row is not None else None
    count = int(session.scalar(select(func.count()).select_from(FindingLineRow)
                               .where(FindingLineRow.finding_id == finding_id)) or 0)
    q = (select(LineRow, FileRow.name).join(FindingLineRow, FindingLineRow.line_id == LineRow.id)
         .join(FileRow, FileRow.id == LineRow.file_id).where(FindingLineRow.finding_id == finding_id)
         .order_by(LineRow.booking_date, LineRow.id).limit(lines))
    got = tuple(ledger_line(ln, name) for ln, name in session.execute(q))
    history = tuple(FindingEvent(aware(e.at) or e.at, e.as_of, e.event, e.kind, e.amount_fen) for e in session.scalars(
        select(FindingEventRow).where(FindingEventRow.finding_id == finding_id).order_by(FindingEventRow.id)))
    return FindingPage(found, ob, got, count, history, tuple(audit.trail(session, finding_id)))


def dashboard(session: Session, registry: Registry, scope: str | None) -> ReportData | None:
    """The data of the nightly report's first page as of the last reconcile, for one scope; None
    before the first reconcile."""
    as_of = reconciled_as_of(session)
    if as_of is None:
        return None
    base = baseline(session)
    wanted: ColumnElement[bool] = FindingRow.state == OPEN
    renewed: frozenset[str] = frozenset()
    if base is not None:
        wanted = or_(wanted, (FindingRow.state == CLOSED) & or_(FindingRow.closed_at > base.generated_at,
                                                                  FindingRow.key.in_(sorted(base.open_keys))))
        renewed = renewed_since(session, base.generated_at)
    fq = select(FindingRow).where(wanted)
    # The first page needs the remit obligations of the heatmap's twelve months, every remittance
    # that was late or is still owed (the late list and the arrears trend), and the month's
    # disbursements; not every standing of every year. Plain rows: no ORM objects for thousands.
    start = months_back(as_of)[0]
    ob = ObligationRow.__table__.c
    oq = select(ObligationRow.__table__).where(or_(
        (ob.rule == "remit") & (ob.status.in_(LATE_STATUSES) | (ob.period >= start)),
        (ob.rule == "disburse") & (ob.period >= start)))
    if scope is not None:
        fq, oq = fq.where(FindingRow.entity == scope), oq.where(ob.entity == scope)
    found = [finding_record(r) for r in session.scalars(fq.order_by(FindingRow.id))]
    obligations = obligation_records(session.execute(oq.order_by(ob.id)))
    paid = contributions(session, registry, as_of)
    if scope is not None:
        mine = {a.number for a in registry.accounts if a.entity == scope}
        paid = {a: fen for a, fen in paid.items() if a in mine}
    return ReportData(as_of=as_of, findings=found, obligations=obligations, statements=[], rejected=[], targets=[],
                      contributions=paid, previous=base, reconciled_as_of=as_of, renewed_keys=renewed)


def months(session: Session, funds: list[str], periods: list[str], scope: str | None) -> list[MonthRow]:
    """Each (fund, month): its sign-off and its open findings (all, and serious ones) in scope."""
    q = (select(FindingRow.fund, FindingRow.period, func.count(),
                func.sum(case((FindingRow.severity.in_(SERIOUS), 1), else_=0)))
         .where(FindingRow.state == OPEN, FindingRow.period.in_(periods))
         .group_by(FindingRow.fund, FindingRow.period))
    if scope is not None:
        q = q.where(FindingRow.entity == scope)
    counts = {(fund, period): (int(n), int(s or 0)) for fund, period, n, s in session.execute(q)}
    held = signoff.listing(session, periods)
    out = []
    for period in periods:
        for fund in funds:
            n, s = counts.get((fund, period), (0, 0))
            out.append(MonthRow(held.get((fund, period)) or SignOff(fund, period), n, s))
    return out


def last_run(session: Session) -> Run | None:
    r = session.scalars(select(RunRow).order_by(RunRow.id.desc()).limit(1)).first()
    if r is None:
        return None
    return Run(r.id, r.kind, r.as_of, aware(r.started_at) or r.started_at, aware(r.finished_at), r.status, r.error)


def assignees(session: Session, scope: str | None) -> list[str]:
    q = select(FindingRow.assignee).where(FindingRow.assignee != "").distinct()
    if scope is not None:
        q = q.where(FindingRow.entity == scope)
    return sorted(session.scalars(q))


def periods_held(session: Session, limit: int = 24) -> list[str]:
    """The newest months that have an obligation or a finding, newest first."""
    q = select(ObligationRow.period).distinct().order_by(ObligationRow.period.desc()).limit(limit)
    got = list(session.scalars(q))
    if not got:
        got = [p for p in session.scalars(select(FindingRow.period).where(FindingRow.period.is_not(None)).distinct()
                                          .order_by(FindingRow.period.desc()).limit(limit)) if p]
    return got
