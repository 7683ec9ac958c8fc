"""One report's content, built from `ReportData`: every table and chart the writers lay out.
The lines behind the findings are not here: they are streamed by the store and written as they come."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.engine.types import ClassedLine
from reconcile.reporting.budget import Curve, budget_table, curves
from reconcile.reporting.classed import classed_table
from reconcile.reporting.gap import gap_table
from reconcile.reporting.heatmap import Heatmap, TrendPoint, heatmaps, trend
from reconcile.reporting.records import ReportData
from reconcile.reporting.remittance import late_table, ytd_table
from reconcile.reporting.summary import Summary, summarize
from reconcile.reporting.table import Table
from reconcile.reporting.tables import (
    coverage_tables,
    disbursement_table,
    findings_table,
    new_table,
    rejected_table,
    resolved_table,
    warnings_table,
)
from reconcile.reporting.window import report_window


@dataclass
class Report:
    data: ReportData
    summary: Summary
    new: Table
    resolved: Table
    disbursement: Table
    late: Table
    ytd: Table
    heatmaps: list[Heatmap]
    trend: list[TrendPoint]
    findings: Table
    coverage: Table
    breaks: Table
    rejected: Table
    warnings: Table  # dialect warnings, on the coverage sheet
    classed: Table  # fees, interest, returns and refunds: listed, never findings
    kinds: dict[int, str]  # finding id -> kind, for the lines
    budget: Table | None = None  # budget execution (reconcile.reporting.budget)
    gap: Table | None = None  # the gap rule (reconcile.reporting.gap)
    curves: list[Curve] = field(default_factory=list)  # the budget's monthly curve per fund

    @property
    def open_keys(self) -> list[str]:
        return sorted(f.finding.key for f in self.data.open_findings)

    @property
    def arrears_fen(self) -> int:
        """Remit arrears outstanding at the as-of date."""
        return sum(o.outstanding_fen for o in self.data.obligations
                   if o.rule == "remit" and o.status in ("partial", "missing"))

    def tables(self) -> list[Table]:
        """Every table, in the order of the CSV files."""
        s = self.summary
        return [s.by_kind, s.by_severity, s.by_entity, self.new, self.resolved, self.disbursement, self.late,
                self.ytd, self.findings, self.coverage, self.breaks, self.warnings, self.rejected, self.classed,
                *self.budget_tables()]

    def budget_tables(self) -> list[Table]:
        return [t for t in (self.budget, self.gap) if t is not None]


def build_report(data: ReportData, registry: Registry, cal: WorkCalendar,
                 classed: Iterable[ClassedLine] = ()) -> Report:
    summary = summarize(data, [e.code for e in registry.entities])
    maps = heatmaps(data.obligations, registry, data.as_of)
    months = maps[0].months if maps else ()
    coverage, breaks = coverage_tables(data, registry, cal)
    report = Report(
        data=data, summary=summary, new=new_table(summary.new, data), resolved=resolved_table(summary.resolved),
        disbursement=disbursement_table(data), late=late_table(data), ytd=ytd_table(data, registry),
        heatmaps=maps, trend=trend(data.obligations, registry, months, data.as_of),
        findings=findings_table(data), coverage=coverage, breaks=breaks, rejected=rejected_table(data.rejected),
        warnings=warnings_table(data, registry), classed=classed_table(classed, registry),
        kinds={f.id: f.finding.kind for f in data.open_findings},
        budget=budget_table(data.budgets, data.actuals, registry, data.as_of),
        gap=gap_table(data.actuals, data.targets, registry, data.as_of),
        curves=curves(data.budgets, data.actuals, registry, data.as_of),
    )
    window = report_window(data.as_of)  # the tables that list history (their loaders read only it)
    for t in (report.resolved, report.late, report.coverage, report.breaks, report.warnings, report.classed):
        t.window = window
    return report
