"""The late-remittance list (逾期上解清单): per county, fund and month, what was due, when, what
arrived on time and late, what is still outstanding, for how long, and the arrears in 元·天; then
the year to date per county and fund, with progress against collection targets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Registry
from reconcile.engine.types import Obligation
from reconcile.money import format_yuan
from reconcile.reporting.records import ReportData, Reviewed
from reconcile.reporting.table import Table, basis_points, col
from reconcile.reporting.window import report_window

LATE_STATUSES = ("late", "partial", "missing")
SETTLEMENT_KINDS = ("late", "partial", "missing", "over", "short_disbursement", "awaiting_statement")

LATE_COLUMNS = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("period", "text", 9), col("deadline", "date", 11),
    col("due", "money", 16), col("on_time", "money", 16), col("late_paid", "money", 16),
    col("late_payments", "text", 30), col("outstanding", "money", 16), col("days_overdue", "int", 9),
    col("yuan_days", "fen_days", 18), col("status", "status", 10), col("id", "int", 8), col("review", "review", 10),
)
YTD_COLUMNS = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("months_judged", "int", 9),
    col("months_late", "int", 9), col("due", "money", 16), col("on_time", "money", 16),
    col("on_time_rate", "percent", 10), col("outstanding", "money", 16), col("yuan_days", "fen_days", 18),
    col("target", "money", 18), col("collected", "money", 18), col("target_progress", "percent", 10),
)


def late_obligations(data: ReportData) -> list[Obligation]:
    """Remit obligations still (partly) outstanding, of any year, and those settled late whose
    deadline is in the report's window (reconcile.reporting.window); largest outstanding first."""
    start = report_window(data.as_of).start
    rows = [o for o in data.obligations if o.rule == "remit" and o.status in LATE_STATUSES
            and (o.status != "late" or o.deadline >= start)]
    return sorted(rows, key=lambda o: (-o.outstanding_fen, -o.fen_days, o.entity, o.fund, o.period))


def settlement_findings(data: ReportData) -> dict[tuple[str, str, str, str, str], Reviewed]:
    """Open settlement findings by (rule, entity, fund, period, account): an obligation's finding."""
    return {(x.rule or "", x.entity or "", x.fund or "", x.period or "", x.account or ""): f
            for f in data.open_findings for x in (f.finding,) if x.kind in SETTLEMENT_KINDS}


def late_table(data: ReportData) -> Table:
    found = settlement_findings(data)
    rows: list[tuple[object, ...]] = []
    for o in late_obligations(data):
        f = found.get((o.rule, o.entity, o.fund, o.period, o.account))
        by_day: dict[date, int] = {}
        for d, fen in o.late_payments:
            by_day[d] = by_day.get(d, 0) + fen
        paid = "; ".join(f"{d.isoformat()} {format_yuan(fen)}" for d, fen in sorted(by_day.items()))
        rows.append((o.entity, o.fund, o.period, o.deadline, o.due_fen, o.on_time_fen, o.late_fen, paid or None,
                     o.outstanding_fen, o.days_overdue, o.fen_days, o.status, f.id if f else None,
                     f.review.state if f else None))
    return Table("late_list", "report.section.late", LATE_COLUMNS, rows)


@dataclass
class _Year:
    judged: int = 0
    late: int = 0
    due: int = 0
    on_time: int = 0
    outstanding: int = 0
    fen_days: int = 0


def ytd_table(data: ReportData, registry: Registry) -> Table:
    """Year to date (the as-of date's year, deadlines up to the as-of date) per county and fund:
    months judged and late, on-time rate by amount, arrears, and collection-target progress."""
    year = data.as_of.year
    acc: defaultdict[tuple[str, str], _Year] = defaultdict(_Year)
    for o in data.obligations:
        if o.rule != "remit" or o.deadline.year != year or o.deadline > data.as_of:
            continue
        y = acc[(o.entity, o.fund)]
        if o.status == "awaiting_statement":
            continue
        y.judged += 1
        y.late += o.status in LATE_STATUSES
        y.due += o.due_fen
        y.on_time += min(o.on_time_fen, o.due_fen)
        y.outstanding += o.outstanding_fen
        y.fen_days += o.fen_days
    targets = {(t.entity, t.fund): t.amount_fen for t in data.targets if t.year == year}
    income = {(a.entity, a.fund): a.number for a in registry.accounts if a.role == "income"}
    counties = [e.code for e in registry.counties]
    rows: list[tuple[object, ...]] = []
    for entity in counties:
        for fund in (f.code for f in registry.funds):
            target = targets.get((entity, fund))
            if (entity, fund) not in acc and target is None:
                continue
            y = acc[(entity, fund)]
            collected = data.contributions.get(income.get((entity, fund), ""), 0)
            rows.append((entity, fund, y.judged, y.late, y.due, y.on_time, basis_points(y.on_time, y.due),
                         y.outstanding, y.fen_days, target, collected if target is not None else None,
                         basis_points(collected, target) if target else None))
    return Table("late_ytd", "report.section.ytd", YTD_COLUMNS, rows)
