"""A report's data cut to one entity (a county's own report): its findings, obligations,
statements, targets, contributions, budgets and actuals only; no rejected files (a file that could not be read
belongs to no county, and its name may carry another county's account)."""

from __future__ import annotations

from dataclasses import replace

from reconcile.accounts import Registry
from reconcile.reporting.records import ReportData


def scoped_registry(registry: Registry, entity: str) -> Registry:
    """The registry with only the entity's accounts (coverage lists every account it holds)."""
    return replace(registry, accounts=tuple(a for a in registry.accounts if a.entity == entity))


def scoped(data: ReportData, registry: Registry, entity: str) -> ReportData:
    accounts = {a.number for a in registry.accounts if a.entity == entity}
    findings = [f for f in data.findings if f.finding.entity == entity]
    ids = {f.id for f in findings}
    return replace(
        data, findings=findings, obligations=[o for o in data.obligations if o.entity == entity],
        statements=[s for s in data.statements if s.statement.account in accounts], rejected=[],
        targets=[t for t in data.targets if t.entity == entity],
        contributions={a: fen for a, fen in data.contributions.items() if a in accounts},
        line_counts={i: n for i, n in data.line_counts.items() if i in ids},
        budgets=[b for b in data.budgets if b.entity == entity],
        actuals=[a for a in data.actuals if a.entity == entity],
    )
