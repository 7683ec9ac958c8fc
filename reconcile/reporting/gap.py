"""The gap rule (基金缺口调剂, 绩效与基金缺口调剂补助挂钩): per county, fund and year, the fund's
income and benefit expenditure, the gap, the collection target and its completion, and who covers
the gap: the city pool when the county met its target (扩面征缴目标), the county government when it
missed it. Before the year ends the row is the year to date and says so. No finding.

Figures (docs/RULES.md, *Budget and the gap rule*): income = contributions + interest credited to
the county income account (docs/DOMAIN.md's actual income); disbursed = the disburse rule's "paid" from the
county expense account; gap = disbursed - income when positive, else 0; completion = contributions
(interest excluded: the target is a collection target) / target.
"""

from __future__ import annotations

from datetime import date

from reconcile.accounts import Registry
from reconcile.engine.types import CollectionTarget
from reconcile.reporting.budget import MonthActual, actual_totals
from reconcile.reporting.table import Table, basis_points, col

CITY_POOL, COUNTY_GOVERNMENT, NO_GAP, NO_TARGET = "city_pool", "county_government", "no_gap", "no_target"
FINAL, YEAR_TO_DATE = "final", "year_to_date"

GAP_COLUMNS = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("year", "int", 7), col("through", "date", 11),
    col("gap_state", "gap_state", 12), col("fund_income", "money", 18), col("disbursed", "money", 18),
    col("gap", "money", 18), col("target", "money", 18), col("contributions", "money", 18),
    col("completion_rate", "percent", 10), col("covered_by", "covered_by", 14),
)


def covered_by(gap_fen: int, contributions_fen: int, target_fen: int | None) -> str:
    if gap_fen <= 0:
        return NO_GAP
    if target_fen is None:
        return NO_TARGET
    return CITY_POOL if contributions_fen >= target_fen else COUNTY_GOVERNMENT


def gap_rows(actuals: list[MonthActual], targets: list[CollectionTarget], registry: Registry,
             as_of: date) -> list[tuple[object, ...]]:
    counties = [e.code for e in registry.counties]
    years = {int(a.month[:4]) for a in actuals} | {t.year for t in targets}
    target = {(t.year, t.entity, t.fund): t.amount_fen for t in targets}
    rows: list[tuple[object, ...]] = []
    for year in sorted(y for y in years if y <= as_of.year):
        totals = actual_totals(actuals, year, as_of)
        final = as_of >= date(year, 12, 31)
        through = date(year, 12, 31) if final else as_of
        for entity in counties:
            for fund in (f.code for f in registry.funds):
                a = totals.get((entity, fund))
                goal = target.get((year, entity, fund))
                if a is None and goal is None:
                    continue
                income = a.income_fen if a else 0
                contributions = a.contributions_fen if a else 0
                disbursed = a.disbursed_fen if a else 0
                gap = max(0, disbursed - income)
                rows.append((entity, fund, year, through, FINAL if final else YEAR_TO_DATE, income, disbursed, gap,
                             goal, contributions, basis_points(contributions, goal) if goal else None,
                             covered_by(gap, contributions, goal)))
    return rows


def gap_table(actuals: list[MonthActual], targets: list[CollectionTarget], registry: Registry, as_of: date) -> Table:
    return Table("fund_gap", "gap.section", GAP_COLUMNS, gap_rows(actuals, targets, registry, as_of))
