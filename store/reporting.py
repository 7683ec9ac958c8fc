"""The queries behind the exception report: open findings (and those closed since the previous
report), obligation standings, statements, rejected files, targets and contributions, the lines
behind the findings (streamed), and the record of each report written."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from reconcile.accounts import Registry
from reconcile.book.records import Item, MonthStatement
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Snapshot
from reconcile.engine.types import CollectionTarget, Obligation
from reconcile.model import Line
from reconcile.reporting.records import FindingLine, PreviousReport, ReportData
from reconcile.reporting.window import Window, report_window
from store.books import BookMonth, book_months, load_open_items, load_statements
from store.budgets import load_actuals, load_budgets
from store.classing import KeptMonths
from store.db import session_scope
from store.departures import departures_around
from store.findings import CLOSED, OPEN, RENEWED, SYSTEM, aware, finding_record
from store.inputs import kept_as_of
from store.ledger import stored_statements
from store.models import (
    OBLIGATION_IDENTITY,
    AuditRow,
    ContributionRow,
    FileRow,
    FindingLineRow,
    FindingRow,
    LineRow,
    ObligationRow,
    ReportRow,
    TargetRow,
)
from store.snapshot import load_snapshot, rejected_files

BATCH = 10_000


class ReportReader:
    """One report's reads, and its record, over one transaction (`reading`): the report's data, the
    snapshot its classed lines come from, the lines behind the findings (streamed)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def data(self, registry: Registry, as_of: date) -> ReportData:
        return load_report_data(self._session, registry, as_of)

    def snapshot(self, as_of: date, condenser: Condenser, kept: str | None = None) -> Snapshot:
        return load_snapshot(self._session, as_of, condenser, kept=kept)

    def classing(self, window: Window, kept: str) -> KeptMonths | None:
        """The months the last reconcile kept, to class the window's lines from (jobs.report.classing);
        None when what is kept is not its reading as of the window's end (store.inputs.kept_as_of)."""
        return KeptMonths(self._session) if kept_as_of(self._session, window.end, kept) else None

    def lines(self, entity: str | None = None) -> Iterator[FindingLine]:
        return iter_finding_lines(self._session, entity)

    def record(self, as_of: date, generated_at: datetime, path: str, open_keys: list[str]) -> int:
        return record_report(self._session, as_of, generated_at, path, open_keys)

    def book_statements(self, accounts: Sequence[str] | None,
                        months: Sequence[str] | None = None) -> list[MonthStatement]:
        return load_statements(self._session, accounts, months)

    def book_months(self, accounts: Sequence[str] | None) -> list[BookMonth]:
        return book_months(self._session, accounts)

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
    wanted = FindingRow.state == OPEN
    renewed: frozenset[str] = frozenset()
    if prev_row is not None:
        keys = frozenset(json.loads(prev_row.open_keys))
        previous = PreviousReport(prev_row.as_of, aware(prev_row.generated_at) or prev_row.generated_at, keys)
        closed_since = and_(FindingRow.state == CLOSED,
                            or_(FindingRow.closed_at > prev_row.generated_at, FindingRow.key.in_(keys)),
                            or_(FindingRow.period.is_(None), FindingRow.period >= window.first_month))
        wanted = or_(wanted, closed_since)
        renewed = renewed_since(session, prev_row.generated_at)
    findings = [finding_record(r) for r in session.scalars(select(FindingRow).where(wanted).order_by(FindingRow.id))]
    # Plain rows, no ORM object each: every standing of history (the arrears, the late list) is read.
    table = ObligationRow.__table__
    obligations = obligation_records(session.execute(select(table).order_by(table.c.id)))
    reconciled = session.scalar(select(func.max(ObligationRow.as_of))) or session.scalar(
        select(func.max(FindingRow.as_of)))
    targets = [CollectionTarget(r.year, r.entity, r.fund, r.amount_fen)
               for r in session.scalars(select(TargetRow).order_by(TargetRow.id))]
    return ReportData(
        as_of=as_of, findings=findings, obligations=obligations,
        statements=stored_statements(session, since=window.start - timedelta(days=1)),
        rejected=rejected_files(session), targets=targets,
        contributions=contributions(session, registry, as_of),
        previous=previous, reconciled_as_of=reconciled, renewed_keys=renewed, line_counts=finding_line_counts(session),
        warnings=departures_around(session, as_of, (as_of - window.start).days),
        budgets=load_budgets(session), actuals=load_actuals(session, as_of),
    )



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
         .where(FindingRow.state == OPEN).group_by(FindingLineRow.finding_id))
    return {int(i): int(n) for i, n in session.execute(q)}


def iter_finding_lines(session: Session, entity: str | None = None) -> Iterator[FindingLine]:
    """The lines behind every open finding (of one entity's findings, when given), by finding and
    booking date: plain rows, no ORM object a line (each open finding's lines, every night)."""
    lines = LineRow.__table__
    q = (select(FindingLineRow.finding_id, lines, FileRow.name.label("file_name"))
         .join(lines, lines.c.id == FindingLineRow.line_id)
         .join(FileRow, FileRow.id == lines.c.file_id)
         .join(FindingRow, FindingRow.id == FindingLineRow.finding_id)
         .where(FindingRow.state == OPEN, *([FindingRow.entity == entity] if entity is not None else []))
         .order_by(FindingLineRow.finding_id, lines.c.booking_date, lines.c.id)
         .execution_options(yield_per=BATCH))
    for r in session.execute(q):
        yield FindingLine(r.finding_id, ledger_line(r, r.file_name))  # type: ignore[arg-type]


def ledger_line(ln: LineRow, file_name: str) -> Line:
    """A stored line with its value date, as the report and the desk show it."""
    return Line(ln.booking_date, ln.amount_fen, ln.value_date, ln.counterparty_account, ln.counterparty_name, ln.text,
                ln.remark, source=ln.source, reversal=ln.reversal, type_code=ln.type_code, id=ln.id, account=ln.account,
                fingerprint=ln.fingerprint, file_name=file_name)


def record_report(session: Session, as_of: date, generated_at: datetime, path: str, open_keys: list[str]) -> int:
    row = ReportRow(as_of=as_of, generated_at=generated_at, path=path, open_keys=json.dumps(sorted(open_keys)))
    session.add(row)
    session.flush()
    return row.id


def obligation_records(rows: Iterable[Any]) -> list[Obligation]:
    """Stored obligations as the core's records, in the order the engine hands them over (by
    `OBLIGATION_IDENTITY`, reconcile.engine.run), which their ids no longer follow since a reconcile
    writes only the standings that changed (store.standings). Sorted here, not by the database,
    whose order of text (PostgreSQL's collation) need not be Python's."""
    return sorted((obligation_record(r) for r in rows), key=_IDENTITY)


_IDENTITY = attrgetter(*OBLIGATION_IDENTITY)


def obligation_record(r: ObligationRow) -> Obligation:
    late = r.late_payments
    paid = () if not late or late == "[]" else tuple(  # most have none: no JSON decoder for them
        (date.fromisoformat(d), int(fen)) for d, fen in json.loads(late))
    return Obligation(
        rule=r.rule, entity=r.entity, fund=r.fund, period=r.period, account=r.account, deadline=r.deadline,
        due_fen=r.due_fen, on_time_fen=r.on_time_fen, late_fen=r.late_fen, late_payments=paid,
        outstanding_fen=r.outstanding_fen, excess_fen=r.excess_fen, days_overdue=r.days_overdue,
        fen_days=r.fen_days, status=r.status, plan_version=r.plan_version,
    )
