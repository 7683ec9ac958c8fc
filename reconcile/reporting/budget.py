"""Budget execution (预决算执行情况): per entity and fund, the budget in force for the as-of year
beside the actual income and expense to date, the execution rates and the straight-line share of
the year elapsed; and the monthly curve (cumulative budget against cumulative actuals) per fund.

docs/DOMAIN.md, *Budgets and the gap rule*: actual income is what the entity's income account collected
(contributions and interest); actual expense is what its expense account disbursed (the disburse
rule's "paid"). The engine counts both per entity, fund and booking month (`MonthActual`); this
module only reads them. No finding.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Registry
from reconcile.engine.actuals import MonthActual
from reconcile.reporting.table import Table, basis_points, col


@dataclass(frozen=True)
class BudgetLine:
    """One row of a budget file: a yearly budget (month None) or one month of it."""

    year: int
    entity: str
    fund: str
    month: int | None
    income_fen: int
    expense_fen: int
    version: int | None = None
    approved: date | None = None
    file_name: str = ""
    source: str = ""
    file_id: int = 0  # the order files were stored in: the later file wins a tie


@dataclass(frozen=True)
class Budget:
    """The year's chosen budget, not a row: what `in_force` files under a (year, entity, fund) from
    the rows of the version in force. Its totals are the year's (the yearly row's, else the sum of
    its months); `monthly` the twelve months when the file gave months (else None: the curve is
    straight-line)."""

    version: int | None  # the version chosen
    income_fen: int
    expense_fen: int
    monthly: tuple[tuple[int, int], ...] | None  # 12 x (income, expense)


def _rank(r: BudgetLine) -> tuple[int, date, int]:
    return (r.version or 0, r.approved or date.min, r.file_id)


def in_force(rows: list[BudgetLine], as_of: date) -> dict[tuple[int, str, str], Budget]:
    """Per (year, entity, fund), the budget in force at `as_of`, as for plans (docs/DOMAIN.md, Plan-based):
    among the versions approved on or before `as_of` (a row without an approval date counts from
    the start), the highest `version`; without versions, the latest approval; then the later file.
    A version is all rows of one file with the same year, entity, fund and version."""
    groups: dict[tuple[int, str, str, int | None, int], list[BudgetLine]] = defaultdict(list)
    for r in rows:
        if r.approved is None or r.approved <= as_of:
            groups[(r.year, r.entity, r.fund, r.version, r.file_id)].append(r)
    best: dict[tuple[int, str, str], list[BudgetLine]] = {}
    for (year, entity, fund, _v, _f), members in groups.items():
        key = (year, entity, fund)
        rank = max(_rank(r) for r in members)
        if key not in best or rank > max(_rank(r) for r in best[key]):
            best[key] = members
    out: dict[tuple[int, str, str], Budget] = {}
    for (year, entity, fund), members in best.items():
        yearly = [r for r in members if r.month is None]
        months = [r for r in members if r.month is not None]
        monthly = None
        if months:
            by = {r.month: (r.income_fen, r.expense_fen) for r in months}
            monthly = tuple(by.get(m, (0, 0)) for m in range(1, 13))
        if yearly:
            income, expense = yearly[-1].income_fen, yearly[-1].expense_fen
        else:
            income = sum(r.income_fen for r in months)
            expense = sum(r.expense_fen for r in months)
        out[(year, entity, fund)] = Budget(members[0].version, income, expense, monthly)
    return out


def year_elapsed_bp(as_of: date, year: int) -> int:
    """The straight-line share of `year` elapsed at the end of `as_of`, in basis points."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 10_000
    days = 366 if calendar.isleap(year) else 365
    return basis_points(as_of.timetuple().tm_yday, days) or 0


def actual_totals(actuals: list[MonthActual], year: int, as_of: date) -> dict[tuple[str, str], MonthActual]:
    """Per (entity, fund): the year's actuals booked up to `as_of` (the month field is the year)."""
    last = f"{as_of.year:04d}-{as_of.month:02d}" if as_of.year == year else f"{year:04d}-12"
    acc: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for a in actuals:
        if a.month[:4] == f"{year:04d}" and a.month <= last:
            t = acc[(a.entity, a.fund)]
            t[0] += a.contributions_fen
            t[1] += a.interest_fen
            t[2] += a.disbursed_fen
    return {k: MonthActual(k[0], k[1], str(year), *v) for k, v in acc.items()}


BUDGET_COLUMNS = (
    col("entity", "entity", 12), col("fund", "fund", 8), col("year", "int", 7),
    col("budget_version", "int", 7), col("income_budget", "money", 18), col("income_actual", "money", 18),
    col("income_rate", "percent", 10), col("expense_budget", "money", 18), col("expense_actual", "money", 18),
    col("expense_rate", "percent", 10), col("year_elapsed", "percent", 10),
)


def budget_table(budgets: list[BudgetLine], actuals: list[MonthActual], registry: Registry, as_of: date) -> Table:
    """One row per entity and fund with a budget in force for the as-of year, or with actuals in it."""
    year = as_of.year
    force = in_force(budgets, as_of)
    totals = actual_totals(actuals, year, as_of)
    elapsed = year_elapsed_bp(as_of, year)
    rows: list[tuple[object, ...]] = []
    for e in registry.entities:
        for fund in (f.code for f in registry.funds):
            b = force.get((year, e.code, fund))
            a = totals.get((e.code, fund))
            if b is None and a is None:
                continue
            income = a.income_fen if a else 0
            expense = a.disbursed_fen if a else 0
            rows.append((e.code, fund, year, b.version if b else None, b.income_fen if b else None, income,
                         basis_points(income, b.income_fen) if b else None, b.expense_fen if b else None, expense,
                         basis_points(expense, b.expense_fen) if b else None, elapsed))
    return Table("budget_execution", "budget.section", BUDGET_COLUMNS, rows)


@dataclass(frozen=True)
class CurvePoint:
    month: str  # YYYY-MM
    budget_income_fen: int  # cumulative to the month's end
    budget_expense_fen: int
    income_fen: int | None  # cumulative actuals; None after the as-of month
    expense_fen: int | None


@dataclass(frozen=True)
class Curve:
    fund: str
    year: int
    points: tuple[CurvePoint, ...]


def curves(budgets: list[BudgetLine], actuals: list[MonthActual], registry: Registry, as_of: date) -> list[Curve]:
    """Per fund, summed over the entities in view: the cumulative budget at each month end of the
    as-of year (the budget's own months, or straight-line twelfths) against the cumulative actuals."""
    year = as_of.year
    force = in_force(budgets, as_of)
    codes = {e.code for e in registry.entities}
    out: list[Curve] = []
    for fund in (f.code for f in registry.funds):
        mine = [b for (y, e, f), b in force.items() if y == year and f == fund and e in codes]
        monthly: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for a in actuals:
            if a.fund == fund and a.entity in codes and a.month[:4] == f"{year:04d}":
                monthly[a.month][0] += a.income_fen
                monthly[a.month][1] += a.disbursed_fen
        if not mine and not monthly:
            continue
        points = []
        bi = be = ai = ae = 0
        for m in range(1, 13):
            for b in mine:
                if b.monthly is not None:
                    bi += b.monthly[m - 1][0]
                    be += b.monthly[m - 1][1]
            bi_line = bi + sum(b.income_fen * m // 12 for b in mine if b.monthly is None)
            be_line = be + sum(b.expense_fen * m // 12 for b in mine if b.monthly is None)
            key = f"{year:04d}-{m:02d}"
            ai += monthly.get(key, [0, 0])[0]
            ae += monthly.get(key, [0, 0])[1]
            shown = (year, m) <= (as_of.year, as_of.month)
            points.append(CurvePoint(key, bi_line, be_line, ai if shown else None, ae if shown else None))
        out.append(Curve(fund, year, tuple(points)))
    return out
