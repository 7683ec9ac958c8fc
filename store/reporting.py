"""The queries behind the exception report: open findings (and those closed since the previous
report), obligation standings, statements, rejected files, targets and contributions, the lines
behind the findings (streamed), and the record of each report written."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, func, not_, or_, select
from sqlalchemy.orm import Session

from reconcile.accounts import Registry
from reconcile.book.records import Item, MonthStatement
from reconcile.engine.condense import Condenser, DayCredits
from reconcile.engine.context import Settings, Snapshot, month_key
from reconcile.engine.types import CollectionTarget, LedgerLine, Obligation
from reconcile.reporting.records import FindingLine, PreviousReport, RejectedRecord, ReportData
from reconcile.reporting.window import Window, report_window
from store.books import load_open_items, load_statements
from store.budgets import load_actuals, load_budgets
from store.db import session_scope
from store.departures import departures_around
from store.findings import RENEWED, SYSTEM, aware, finding_record

# What the reconcile kept of each closed month, in its own format (store.inputs owns it).
from store.inputs import _closed_through, _condense, _line, _load, _month_end, _read_lines, _refunds
from store.ledger import statement_infos
from store.models import (
    AuditRow,
    ContributionRow,
    EngineInputMarkRow,
    EngineInputRow,
    FileRow,
    FindingLineRow,
    FindingRow,
    LineRow,
    ObligationRow,
    ReportRow,
    TargetRow,
)
from store.snapshot import load_snapshot

BATCH = 10_000


class ReportReader:
    """One report's reads, and its record, over one transaction (`reading`): the report's data, the
    snapshot its classed lines come from, the lines behind the findings (streamed)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def data(self, registry: Registry, as_of: date) -> ReportData:
        return load_report_data(self._session, registry, as_of)

    def snapshot(self, as_of: date, tz: str, condenser: Condenser, kept: str | None = None) -> Snapshot:
        return load_snapshot(self._session, as_of, tz, condenser, kept=kept)

    def classing(self, window: Window, s: Settings, condenser: Condenser, kept: str) -> Snapshot | None:
        return load_classing(self._session, window, s, condenser, kept)

    def lines(self, per_finding: int | None = None, entity: str | None = None) -> Iterator[FindingLine]:
        return iter_finding_lines(self._session, per_finding, entity)

    def record(self, as_of: date, generated_at: datetime, path: str, open_keys: list[str]) -> int:
        return record_report(self._session, as_of, generated_at, path, open_keys)

    def book_statements(self, accounts: Sequence[str] | None) -> list[MonthStatement]:
        return load_statements(self._session, accounts)

    def book_open_items(self, accounts: Sequence[str] | None) -> dict[str, list[Item]]:
        return load_open_items(self._session, accounts)


@contextmanager
def reading(engine: Engine) -> Iterator[ReportReader]:
    """A `ReportReader` over one transaction, committed (the report's record) when the block ends."""
    with session_scope(engine) as session:
        yield ReportReader(session)


def read_report_data(engine: Engine, registry: Registry, as_of: date) -> ReportData:
    """The report's data, in a transaction of its own."""
    with reading(engine) as r:
        return r.data(registry, as_of)


def previous_report(session: Session, as_of: date) -> ReportRow | None:
    """The latest report written for an earlier as-of date."""
    return session.scalars(
        select(ReportRow).where(ReportRow.as_of < as_of).order_by(ReportRow.as_of.desc(), ReportRow.id.desc()).limit(1)
    ).first()


def load_report_data(session: Session, registry: Registry, as_of: date) -> ReportData:
    """The report's data; what lists history only for the report's window (reconcile.reporting.window):
    the statements that reach into it (and the one before, for the balance chain), their dialect
    warnings, and the findings closed since the previous report whose period is in it."""
    window = report_window(as_of)
    prev_row = previous_report(session, as_of)
    previous = None
    wanted = FindingRow.state == "open"
    renewed: frozenset[str] = frozenset()
    if prev_row is not None:
        keys = frozenset(json.loads(prev_row.open_keys))
        previous = PreviousReport(prev_row.as_of, aware(prev_row.generated_at) or prev_row.generated_at, keys)
        closed_since = and_(FindingRow.state == "closed",
                            or_(FindingRow.closed_at > prev_row.generated_at, FindingRow.key.in_(keys)),
                            or_(FindingRow.period.is_(None), FindingRow.period >= window.first_month))
        wanted = or_(wanted, closed_since)
        renewed = renewed_since(session, prev_row.generated_at)
    findings = [finding_record(r) for r in session.scalars(select(FindingRow).where(wanted).order_by(FindingRow.id))]
    obligations = [obligation_record(r) for r in session.scalars(select(ObligationRow).order_by(ObligationRow.id))]
    reconciled = session.scalar(select(func.max(ObligationRow.as_of))) or session.scalar(
        select(func.max(FindingRow.as_of)))
    rejected = [
        RejectedRecord(r.id, r.name, r.sha256, aware(r.received_at) or r.received_at, r.reason, r.archive_path)
        for r in session.scalars(select(FileRow).where(FileRow.status == "rejected").order_by(FileRow.id))
    ]
    targets = [CollectionTarget(r.year, r.entity, r.fund, r.amount_fen)
               for r in session.scalars(select(TargetRow).order_by(TargetRow.id))]
    return ReportData(
        as_of=as_of, findings=findings, obligations=obligations,
        statements=statement_infos(session, since=window.start - timedelta(days=1)),
        rejected=rejected, targets=targets,
        contributions=contributions(session, registry, as_of),
        previous=previous, reconciled_as_of=reconciled, renewed_keys=renewed, line_counts=finding_line_counts(session),
        warnings=departures_around(session, as_of, (as_of - window.start).days),
        budgets=load_budgets(session), actuals=load_actuals(session, as_of),
    )


def load_classing(session: Session, window: Window, s: Settings, condenser: Condenser, kept: str
                  ) -> Snapshot | None:
    """What the classes of the lines booked in the window depend on (docs/DOMAIN.md, Classes of
    lines), from the months the last reconcile kept (store.inputs) and the ledger after them: from
    the month `return_window` working days before the window (a return's debit), and for an income
    account that refunds in the window from `refund_lookback_days` before it (what the party
    paid); the parties refunded ever (which credits are kept whole) from every kept month that
    refunded one. The classes of the window's lines are then those of the whole snapshot: a return
    takes the latest earlier debit still free, so one whose debit was not read is booked within
    `return_window` working days of the first month read, before the window. None when what is
    kept is not the reading of the last reconcile as of the window's end (the caller reads it all)."""
    as_of = window.end
    mark = session.get(EngineInputMarkRow, 1)
    reconciled = session.scalar(select(func.max(ObligationRow.as_of))) or session.scalar(
        select(func.max(FindingRow.as_of)))
    if (mark is None or mark.config != kept or reconciled != as_of
            or (session.scalar(select(func.max(LineRow.id))) or 0) != mark.last_line_id
            or (session.scalar(select(func.max(FileRow.id))) or 0) != mark.last_file_id):
        return None
    closed = _closed_through(as_of)
    last = month_key(*closed)
    accounts: list[str] = json.loads(mark.accounts)
    read: dict[tuple[str, str], tuple[list[LedgerLine], list[DayCredits], list[str]]] = {}

    def take(first: str, until: str, account: str | None = None) -> None:
        q = select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload).where(
            EngineInputRow.month >= first, EngineInputRow.month <= until)
        if account is not None:
            q = q.where(EngineInputRow.account == account)
        for a, m, payload in session.execute(q):
            if (a, m) not in read:
                read[(a, m)] = _load(a, payload)

    before = s.calendar.add_workdays(window.start, -s.rules.return_window)
    base = (before.year, before.month)  # the window's first month or the one before
    take(month_key(*base), last)
    fresh = _read_lines(session, accounts, _month_end(closed), as_of)
    # A refund in the window looks back a year at what its party paid.
    back = window.start - timedelta(days=s.rules.refund_lookback_days)
    window_lines = [ln for whole, _, _ in read.values() for ln in whole] + [_line(r) for r in fresh]
    for a in sorted({ln.account for ln in window_lines
                     if ln.booking_date >= window.start and condenser.refund_party(ln) is not None}):
        take(month_key(back.year, back.month), month_key(*base), a)
    # The parties the income accounts refunded on or before A decide which credits are kept whole.
    parties = {p for _, _, refunds in read.values() for p in refunds} | _refunds(fresh, condenser)
    for a, m, payload in session.execute(
            select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload).where(
                EngineInputRow.account.in_(sorted(condenser.income)), EngineInputRow.month <= last,
                not_(EngineInputRow.payload.startswith('{"refunded":[]', autoescape=True)))):
        if (a, m) not in read:
            parties |= set(_load(a, payload)[2])
    condenser.refunded = parties
    whole, credits = _condense(fresh, condenser)
    for key in sorted(read):
        whole += read[key][0]
        credits += read[key][1]
    return Snapshot(as_of, whole, [], condensed=sorted(credits, key=lambda dc: (dc.account, dc.first.booking_date)))


def renewed_since(session: Session, moment: datetime) -> frozenset[str]:
    """Keys of findings whose review the merge reset since `moment` (their amount grew)."""
    return frozenset(session.scalars(
        select(FindingRow.key).join(AuditRow, AuditRow.finding_id == FindingRow.id).where(
            AuditRow.actor == SYSTEM, AuditRow.action == RENEWED, AuditRow.at > moment)))


def contributions(session: Session, registry: Registry, as_of: date) -> dict[str, int]:
    """Contributions credited to each county income account in the as-of year, as the last
    reconcile counted them (reconcile.engine.run keeps them per account and year)."""
    county = {e.code for e in registry.counties}
    out = {a.number: 0 for a in registry.accounts if a.role == "income" and a.entity in county}
    for account, fen in session.execute(
        select(ContributionRow.account, ContributionRow.amount_fen).where(ContributionRow.year == as_of.year)
    ):
        if account in out:
            out[account] = int(fen)
    return out


def finding_line_counts(session: Session) -> dict[int, int]:
    """How many ledger lines stand behind each open finding."""
    q = (select(FindingLineRow.finding_id, func.count())
         .join(FindingRow, FindingRow.id == FindingLineRow.finding_id)
         .where(FindingRow.state == "open").group_by(FindingLineRow.finding_id))
    return {int(i): int(n) for i, n in session.execute(q)}


def iter_finding_lines(session: Session, per_finding: int | None = None, entity: str | None = None,
                       ) -> Iterator[FindingLine]:
    """The lines behind every open finding (of one entity's findings, when given), by finding and
    booking date; at most `per_finding` each."""
    q = (select(FindingLineRow.finding_id, LineRow, FileRow.name)
         .join(LineRow, LineRow.id == FindingLineRow.line_id)
         .join(FileRow, FileRow.id == LineRow.file_id)
         .join(FindingRow, FindingRow.id == FindingLineRow.finding_id)
         .where(FindingRow.state == "open", *([FindingRow.entity == entity] if entity is not None else []))
         .order_by(FindingLineRow.finding_id, LineRow.booking_date, LineRow.id)
         .execution_options(yield_per=BATCH))
    current, taken = -1, 0
    for finding_id, ln, file_name in session.execute(q):
        if finding_id != current:
            current, taken = finding_id, 0
        taken += 1
        if per_finding is not None and taken > per_finding:
            continue
        yield finding_line(finding_id, ln, file_name)


def finding_line(finding_id: int, ln: LineRow, file_name: str) -> FindingLine:
    """A stored line behind a finding, as the report and the desk show it."""
    return FindingLine(ln.id, ln.account, ln.booking_date, ln.amount_fen, ln.counterparty_account, ln.counterparty_name,
                       ln.text, ln.remark, ln.reversal, ln.type_code, ln.fingerprint, file_name, ln.source,
                       ln.value_date, finding_id=finding_id)


def record_report(session: Session, as_of: date, generated_at: datetime, path: str, open_keys: list[str]) -> int:
    row = ReportRow(as_of=as_of, generated_at=generated_at, path=path, open_keys=json.dumps(sorted(open_keys)))
    session.add(row)
    session.flush()
    return row.id


def obligation_record(r: ObligationRow) -> Obligation:
    paid = tuple((date.fromisoformat(d), int(fen)) for d, fen in json.loads(r.late_payments or "[]"))
    return Obligation(
        rule=r.rule, entity=r.entity, fund=r.fund, period=r.period, account=r.account, deadline=r.deadline,
        due_fen=r.due_fen, on_time_fen=r.on_time_fen, late_fen=r.late_fen, late_payments=paid,
        outstanding_fen=r.outstanding_fen, excess_fen=r.excess_fen, days_overdue=r.days_overdue,
        fen_days=r.fen_days, status=r.status, plan_version=r.plan_version,
    )
