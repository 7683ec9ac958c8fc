"""Row builders for the finding lists, the lines behind them, statement coverage with balance
checks, and rejected files."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.coverage import balance_breaks, coverage
from reconcile.engine.types import Obligation, RejectedFile
from reconcile.model import StoredStatement
from reconcile.reporting.records import FindingLine, ReportData, Reviewed
from reconcile.reporting.summary import finding_order, is_disbursement, is_new
from reconcile.reporting.table import Column, Table, col
from reconcile.reporting.window import report_window

FINDING_COLUMNS = (
    col("id", "int", 8), col("severity", "severity", 8), col("kind", "kind", 16), col("rule", "rule", 12),
    col("entity", "entity", 12), col("fund", "fund", 8), col("account", "text", 22), col("period", "text", 9),
    col("amount", "money", 16), col("days_late", "int", 9), col("review", "review", 10),
    col("review_note", "text", 24), col("is_new", "yesno", 8), col("first_seen", "datetime", 17),
    col("detail", "detail", 40), col("line_count", "int", 8),
)
RESOLVED_COLUMNS = (
    col("id", "int", 8), col("severity", "severity", 8), col("kind", "kind", 16), col("rule", "rule", 12),
    col("entity", "entity", 12), col("fund", "fund", 8), col("period", "text", 9), col("amount", "money", 16),
    col("closed_at", "datetime", 17), col("review", "review", 10),
)
LINE_COLUMNS = (
    col("id", "int", 8), col("kind", "kind", 16), col("where", "where", 40), col("booking_date", "date", 11),
    col("value_date", "date", 11), col("account", "text", 22), col("amount", "money", 16),
    col("counterparty", "text", 34), col("text", "text", 40),
)
DISBURSE_COLUMNS = (
    col("id", "int", 8), col("severity", "severity", 8), col("kind", "kind", 16), col("entity", "entity", 12),
    col("fund", "fund", 8), col("period", "text", 9), col("deadline", "date", 11), col("planned", "money", 16),
    col("paid_on_time", "money", 16), col("paid_late", "money", 16), col("outstanding", "money", 16),
    col("days_late", "int", 9), col("review", "review", 10),
)


def finding_row(f: Reviewed, data: ReportData) -> tuple[object, ...]:
    """A finding's row of the report (and of findings.csv): the finding, its life and its review."""
    x = f.finding
    return (f.id, x.severity, x.kind, x.rule, x.entity, x.fund, x.account, x.period, x.amount_fen, x.days_late,
            f.review.state, f.review.note or None, is_new(f, data), f.first_seen_at, x.detail,
            data.line_counts.get(f.id, 0))


def findings_table(data: ReportData) -> Table:
    """Every open finding with its review state, most serious first."""
    return Table("findings", "report.section.findings", FINDING_COLUMNS,
                 [finding_row(f, data) for f in sorted(data.open_findings, key=finding_order)])


def resolved_table(findings: Iterable[Reviewed]) -> Table:
    return Table("resolved", "report.summary.resolved", RESOLVED_COLUMNS, [
        (f.id, x.severity, x.kind, x.rule, x.entity, x.fund, x.period, x.amount_fen, f.closed_at, f.review.state)
        for f in findings for x in (f.finding,)])


def new_table(findings: Iterable[Reviewed], data: ReportData) -> Table:
    return Table("new", "report.summary.new", FINDING_COLUMNS, [finding_row(f, data) for f in findings])


def disbursement_table(data: ReportData) -> Table:
    """Benefits not paid in full and on time (short_disbursement, late disburse), with the plan
    obligation's figures; shown first, as the most serious."""
    obligations = {(o.entity, o.fund, o.period, o.account): o for o in data.obligations if o.rule == "disburse"}
    rows: list[tuple[object, ...]] = []
    for f in sorted((f for f in data.open_findings if is_disbursement(f)), key=finding_order):
        x = f.finding
        o: Obligation | None = obligations.get((x.entity or "", x.fund or "", x.period or "", x.account or ""))
        rows.append((f.id, x.severity, x.kind, x.entity, x.fund, x.period, o.deadline if o else None,
                     o.due_fen if o else None, o.on_time_fen if o else None, o.late_fen if o else None,
                     o.outstanding_fen if o else x.amount_fen, x.days_late, f.review.state))
    return Table("disbursement", "report.section.disbursement", DISBURSE_COLUMNS, rows)


def line_row(fl: FindingLine, kinds: dict[int, str]) -> tuple[object, ...]:
    ln = fl.line
    party = " ".join(p for p in (ln.counterparty_name, ln.counterparty_account) if p)
    words = " / ".join(p for p in (ln.text, ln.remark) if p)
    return (fl.finding_id, kinds.get(fl.finding_id), ln.where, ln.booking_date, ln.value_date, ln.account,
            ln.amount_fen, party or None, words or None)


def lines_table(lines: Iterable[FindingLine], kinds: dict[int, str]) -> Table:
    return Table("lines", "report.section.lines", LINE_COLUMNS, [line_row(ln, kinds) for ln in lines])


COVERAGE_COLUMNS: tuple[Column, ...] = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("role", "role", 12), col("account", "text", 22),
    col("statements", "int", 9), col("first_day", "date", 11), col("last_day", "date", 11),
    col("covered_to_as_of", "yesno", 10), col("gaps", "text", 30), col("last_balance", "money", 18),
    col("breaks", "int", 9),
)
BREAK_COLUMNS: tuple[Column, ...] = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("account", "text", 22), col("file", "text", 40),
    col("period_start", "date", 11), col("period_end", "date", 11), col("reason", "reason", 24),
    col("difference", "money", 16),
)


def coverage_tables(data: ReportData, registry: Registry, cal: WorkCalendar) -> tuple[Table, Table]:
    """Per registered account: statements held, days covered, gaps, last balance, balance breaks;
    and the list of balance breaks; of the statements that reach into the report's window."""
    window = report_window(data.as_of)
    by_account: dict[str, list[StoredStatement]] = {}
    for st in data.statements:  # those reaching into the window, and the one before (the chain)
        by_account.setdefault(st.statement.account, []).append(st)
    cov_rows: list[tuple[object, ...]] = []
    break_rows: list[tuple[object, ...]] = []
    for a in registry.accounts:
        held = by_account.get(a.number, [])
        mine = [s for s in held if s.period_end >= window.start]
        cov = coverage(a.number, mine, cal)
        breaks = [b for b in balance_breaks(held) if b.statement.period_end >= window.start]
        finals = sorted((s for s in mine if not s.statement.intraday and s.statement.closing_fen is not None),
                        key=lambda s: (s.period_end, s.period_start))
        gaps = "; ".join(_span(g[0], g[1]) for g in cov.gaps)
        cov_rows.append((a.entity, a.fund, a.role, a.number, len(mine), cov.first_day, cov.last_day,
                         cov.covered_through(data.as_of) if cov.first_day else False, gaps or None,
                         finals[-1].statement.closing_fen if finals else None, len(breaks)))
        for b in breaks:
            break_rows.append((a.entity, a.fund, a.number, b.statement.file_name, b.statement.period_start,
                               b.statement.period_end, b.reason, b.difference_fen))
    return (Table("coverage", "report.section.coverage", COVERAGE_COLUMNS, cov_rows),
            Table("balance_breaks", "report.section.breaks", BREAK_COLUMNS, break_rows))


def _span(a: date, b: date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()}~{b.isoformat()}"


WARNING_COLUMNS: tuple[Column, ...] = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("account", "text", 22), col("file", "text", 40),
    col("warning", "warning", 12),  # the last column: its text runs on over the empty cells to its right
)


def warnings_table(data: ReportData, registry: Registry) -> Table:
    """The statements read although their files depart from their format's standard (dialects), with
    the departure: what, how many, where first."""
    rows: list[tuple[object, ...]] = []
    for w in data.warnings:
        a = registry.account(w.account)
        rows.append((a.entity if a else None, a.fund if a else None, w.account, w.file_name, w.departure))
    return Table("dialect_warnings", "dialect.title", WARNING_COLUMNS, rows)


REJECTED_COLUMNS = (
    col("id", "int", 8), col("file", "text", 36), col("received", "datetime", 17), col("reason", "text", 80),
    col("kept_at", "text", 40),
)


def rejected_table(rejected: Iterable[RejectedFile]) -> Table:
    return Table("rejected", "report.section.rejected", REJECTED_COLUMNS,
                 [(r.id, r.name, r.received_at, r.reason, r.kept_at) for r in rejected])
