"""The summary: open findings counted by kind, severity and entity, and what is new and what was
resolved since the previous report.

New: open, not reviewed (an acknowledged or resolved finding is not new), and either absent from
the previous report or made new again by an amount that grew after its review. Resolved since:
findings closed since the previous report (the store loads exactly those).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from reconcile.kinds import SEVERITY_ORDER, FindingStatus, ReviewState, is_serious, kind_rank, severity_rank
from reconcile.reporting.records import ReportData, Reviewed
from reconcile.reporting.table import NO_ENTITY, Table, col


def finding_order(f: Reviewed) -> tuple[object, ...]:
    """Most serious first; then by kind, entity, fund, period."""
    x = f.finding
    return (-severity_rank(x.severity), kind_rank(x.kind), x.entity or "", x.fund or "", x.period or "", f.id)


def is_new(f: Reviewed, data: ReportData) -> bool:
    if f.status is not FindingStatus.OPEN or f.review.state is not ReviewState.NONE:
        return False
    prev = data.previous
    return prev is None or f.finding.key not in prev.open_keys or f.finding.key in data.renewed_keys


def is_disbursement(f: Reviewed) -> bool:
    """Benefits not paid in full and on time: the most serious findings, shown first."""
    return f.finding.kind == "short_disbursement" or (f.finding.kind == "late" and f.finding.rule == "disburse")


@dataclass
class Summary:
    open_count: int
    new_count: int
    resolved_count: int
    critical_count: int
    open_amount_fen: int
    by_kind: Table
    by_severity: Table
    by_entity: Table
    new: list[Reviewed]
    resolved: list[Reviewed]


def summarize(data: ReportData, entity_order: list[str]) -> Summary:
    opened = data.open_findings
    new = sorted((f for f in opened if is_new(f, data)), key=finding_order)
    resolved = sorted((f for f in data.findings if f.status is FindingStatus.CLOSED), key=finding_order)
    count: Counter[str] = Counter(f.finding.kind for f in opened)
    fresh: Counter[str] = Counter(f.finding.kind for f in new)
    amount: defaultdict[str, int] = defaultdict(int)
    for f in opened:
        amount[f.finding.kind] += f.finding.amount_fen or 0
    kinds = sorted(count, key=kind_rank)
    by_kind = Table("summary_kind", "report.summary.by_kind", (
        col("kind", "kind", 22), col("count", "int", 10), col("new", "int", 10), col("amount", "money", 20)))
    by_kind.rows = [(k, count[k], fresh[k], amount[k]) for k in kinds]
    by_kind.rows.append(("total", len(opened), len(new), sum(amount.values())))

    sev: Counter[str] = Counter(f.finding.severity for f in opened)
    sev_new: Counter[str] = Counter(f.finding.severity for f in new)
    by_severity = Table("summary_severity", "report.summary.by_severity", (
        col("severity", "severity", 14), col("count", "int", 10), col("new", "int", 10)))
    by_severity.rows = [(s, sev[s], sev_new[s]) for s in reversed(SEVERITY_ORDER) if sev[s]]

    ent: Counter[str] = Counter(f.finding.entity or "" for f in opened)
    serious: Counter[str] = Counter(f.finding.entity or "" for f in opened if is_serious(f.finding.severity))
    ent_amount: defaultdict[str, int] = defaultdict(int)
    for f in opened:
        ent_amount[f.finding.entity or ""] += f.finding.amount_fen or 0
    order = {e: i for i, e in enumerate(entity_order)}
    by_entity = Table("summary_entity", "report.summary.by_entity", (
        col("entity", "entity", 16), col("count", "int", 10), col("serious", "int", 14),
        col("amount", "money", 20)))
    by_entity.rows = [(e or NO_ENTITY, ent[e], serious[e], ent_amount[e])
                      for e in sorted(ent, key=lambda e: (order.get(e, len(order)), e))]
    return Summary(
        open_count=len(opened), new_count=len(new), resolved_count=len(resolved),
        critical_count=sum(1 for f in opened if f.finding.severity == "critical"),
        open_amount_fen=sum(amount.values()), by_kind=by_kind, by_severity=by_severity, by_entity=by_entity,
        new=new, resolved=resolved,
    )
