"""Budget files (预算) for the simulated years, and the answer key's two tables: budget execution
per entity and fund, and the gap rule per county, fund and year (docs/DOMAIN.md, *Budgets and the
gap rule*; docs/RULES.md).

The figures come from what the simulation booked (contributions and interest credited to income
accounts, benefits paid from expense accounts, a returned payment not counted), never from the
engine. Each entity and fund gets a yearly budget (version 1); one entity and fund a revised,
monthly budget (version 2) approved in the first simulated month, which supersedes it; a third
file holds a version 3 approved after the last simulated day, which is not yet in force.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from reconcile.money import plain_yuan
from simulate.documents import _put, _table
from simulate.flows import deficit_counties
from simulate.ledger import CONTRIB
from simulate.world import YM

if TYPE_CHECKING:
    from simulate.months import Sim

HEADER_ZH = ["年度", "单位", "险种", "月份", "收入预算", "支出预算", "版本", "批准日期"]
HEADER_EN = ["year", "entity", "fund", "month", "income_budget", "expense_budget", "version", "approved"]
INTEREST = "interest"  # the simulator's kind of an interest credit (simulate.actors)


@dataclass(frozen=True)
class SimBudget:
    version: int
    income: int
    expense: int


def _bp(part: int, whole: int) -> int | None:
    """part / whole in basis points, rounded half up (integers only)."""
    return None if whole <= 0 else (part * 20_000 + whole) // (whole * 2)


def targets(sim: Sim) -> dict[tuple[int, str, str], int]:
    """The collection targets (扩面征缴目标) per year, county and fund: a year of the roster's
    contributions and 5% more (a county that collects as usual misses it), except 90% of it for the
    first deficit county's pension (it meets its target, so the city pool covers its gap)."""
    w = sim.world
    met = deficit_counties(w)[:1]
    out = {}
    for a in w.accounts("income", "county"):
        for year in sorted({ym[0] for ym in w.months}):
            base = sum(p.base_fen for p in sim.rosters[a.number])
            share = 90 if a.fund == "pension" and a.entity in met else 105
            out[(year, a.entity, a.fund)] = base * 12 * share // 100 // 100 * 100
    return out


def _yearly(sim: Sim, entity: str, fund: str, year: int) -> tuple[int, int]:
    """A plausible yearly budget: twelve months of the roster's contributions and of the plan, give
    or take a few percent, in whole yuan."""
    w = sim.world
    income = w.account(entity, fund, "income")
    base = sum(p.base_fen for p in sim.rosters.get(income.number, [])) if income else 0
    first = sim.plans.first(entity, fund, w.months[0])
    plan = first.amount_fen if first else 0
    rng = w.rng("budget", entity, fund, year)
    return (base * 12 * rng.randint(95, 108) // 100 // 100 * 100,
            plan * 12 * rng.randint(95, 108) // 100 // 100 * 100)


def write_budgets(sim: Sim, out: Path) -> dict[tuple[int, str, str], SimBudget]:
    """Write the budget files into the inbox; return the budget in force at the as-of date per
    (year, entity, fund): version, yearly income and expense."""
    w = sim.world
    years = sorted({ym[0] for ym in w.months})
    keys = [(y, e.code, f) for y in years for e in w.registry.entities for f in w.funds]
    force: dict[tuple[int, str, str], SimBudget] = {}
    v1 = [HEADER_ZH]
    for y, e, f in keys:
        income, expense = _yearly(sim, e, f, y)
        v1.append([str(y), w.registry.entity(e).name, w.registry.fund(f).name, "", plain_yuan(income),
                   plain_yuan(expense), "1", date(y, 1, 1).isoformat()])
        force[(y, e, f)] = SimBudget(1, income, expense)
    _put(out / "budget_v1.csv", _table(v1, "csv", w.start), w.start)
    rng = w.rng("budget-revised")
    y, e, f = rng.choice([k for k in keys if k[0] == years[-1]])
    approved = w.workdays(w.months[0])[0]
    income, expense = _yearly(sim, e, f, y)
    months = [(m, income * (100 + m) // 1278 // 100 * 100, expense * (100 + m) // 1278 // 100 * 100)
              for m in range(1, 13)]  # weights 101..112 (sum 1278): a budget that grows through the year
    v2 = [HEADER_EN] + [[str(y), e, f, str(m), plain_yuan(i), plain_yuan(x), "2", approved.isoformat()]
                        for m, i, x in months]
    _put(out / "budget_revised.xlsx", _table(v2, "xlsx", approved), approved)
    force[(y, e, f)] = SimBudget(2, sum(i for _, i, _ in months), sum(x for _, _, x in months))
    later = w.as_of + timedelta(days=1)
    v3 = [HEADER_ZH, [str(y), w.registry.entity(e).name, w.registry.fund(f).name, "", plain_yuan(income * 2),
                      plain_yuan(expense * 2), "3", later.isoformat()]]
    _put(out / "budget_draft.csv", _table(v3, "csv", w.start), w.start)  # approved after the as-of date
    return force


def _actuals(sim: Sim) -> dict[tuple[str, str, YM], list[int]]:
    """Per (entity, fund, month): contributions and interest credited to the income account, and
    benefits paid from the expense account, as the simulation booked them."""
    w = sim.world
    owner = {a.number: a for a in w.registry.accounts}
    out: dict[tuple[str, str, YM], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (number, ym, kind), fen in sim.ledger.credited.items():
        a = owner[number]
        if a.role != "income":
            continue
        if kind == CONTRIB:
            out[(a.entity, a.fund, ym)][0] += fen
        elif kind == INTEREST:
            out[(a.entity, a.fund, ym)][1] += fen
    for entity, fund, d, fen in sim.xfers["disburse"]:
        out[(entity, fund, (d.year, d.month))][2] += fen
    return out


def answer(sim: Sim, force: dict[tuple[int, str, str], SimBudget],
           targets: dict[tuple[int, str, str], int]) -> dict[str, list[dict[str, object]]]:
    """The answer key's `budget` (the as-of year) and `gap` (every simulated year) rows."""
    w = sim.world
    as_of = w.as_of
    acts = _actuals(sim)
    yearly: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (e, f, ym), v in acts.items():
        t = yearly[(ym[0], e, f)]
        for i in range(3):
            t[i] += v[i]
    days = 366 if calendar.isleap(as_of.year) else 365
    elapsed = _bp(as_of.timetuple().tm_yday, days)
    budget = []
    for ent in w.registry.entities:
        for f in w.funds:
            b = force.get((as_of.year, ent.code, f))
            a = yearly.get((as_of.year, ent.code, f), [0, 0, 0])
            if b is None:  # the simulation budgets every entity and fund of every year
                raise AssertionError(f"no simulated budget for {as_of.year} {ent.code} {f}")
            inc, exp = b.income, b.expense
            budget.append({"entity": ent.code, "fund": f, "year": as_of.year, "budget_version": b.version,
                           "income_budget_fen": inc, "income_actual_fen": a[0] + a[1],
                           "income_rate_bp": _bp(a[0] + a[1], inc), "expense_budget_fen": exp,
                           "expense_actual_fen": a[2], "expense_rate_bp": _bp(a[2], exp),
                           "year_elapsed_bp": elapsed})
    gap = []
    for y in sorted({ym[0] for ym in w.months}):
        final = as_of >= date(y, 12, 31)
        for county in w.counties:
            for f in w.funds:
                a = yearly.get((y, county.code, f), [0, 0, 0])
                goal = targets.get((y, county.code, f))
                if (y, county.code, f) not in yearly and goal is None:
                    continue
                income = a[0] + a[1]
                g = max(0, a[2] - income)
                who = ("no_gap" if g == 0 else "no_target" if goal is None
                       else "city_pool" if a[0] >= goal else "county_government")
                gap.append({"entity": county.code, "fund": f, "year": y,
                            "through": (date(y, 12, 31) if final else as_of).isoformat(),
                            "gap_state": "final" if final else "year_to_date", "fund_income_fen": income,
                            "disbursed_fen": a[2], "gap_fen": g, "target_fen": goal, "contributions_fen": a[0],
                            "completion_rate_bp": _bp(a[0], goal) if goal else None, "covered_by": who})
    return {"budget": budget, "gap": gap}
