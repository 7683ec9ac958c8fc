"""Realistic money: who pays the income accounts (employers and 灵活就业 individuals, amounts from a
skewed lognormal distribution, in integer fen), what the plans ask for, and the payrolls.

Volumes follow `lines_per_month` (about 50k at city scale): each income account gets a roster of
payers in proportion to its weight, and each payer pays about once a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Account
from simulate import names
from simulate.ledger import CONTRIB, Book
from simulate.plans import Plans, SimPlan
from simulate.world import YM, World, next_ym

FUND_WORD = {"pension": "养老", "unemployment": "失业"}
FUND_SHARE = {"pension": 3, "unemployment": 1}  # lines: pension collects three times as often
AMOUNT_MEDIAN = {"pension": 2600.0, "unemployment": 320.0}  # yuan per employer and month
BENEFIT_RATIO = {"pension": 85, "unemployment": 40}  # % of contributions the plans pay out
DEFICIT_RATIO = 120  # the pension plans of the counties that pay out more than they collect (the gap rule)


def deficit_counties(world: World) -> list[str]:
    """Two counties whose pension fund pays out more than it collects (older industrial districts):
    the first meets its collection target, the second misses it (simulate.budgets)."""
    counties = sorted(e.code for e in world.counties)
    return world.rng("deficit").sample(counties, min(2, len(counties)))


@dataclass(frozen=True)
class Payer:
    name: str
    account: str
    base_fen: int
    person: bool


def fund_word(world: World, fund: str) -> str:
    return FUND_WORD.get(fund) or (world.registry.fund(fund).keywords or (fund,))[0]


def entity_weights(world: World) -> dict[str, int]:
    """Relative size of each entity's collections (per mille), fixed by the seed."""
    rng = world.rng("weights")
    out = {}
    for e in world.registry.entities:
        out[e.code] = 250 if e.level == "city" else rng.randint(80, 320)
    return out


def roster(world: World, acct: Account, lines_per_month: int) -> list[Payer]:
    weights = entity_weights(world)
    incomes = world.accounts("income")
    total = sum(weights[a.entity] * FUND_SHARE.get(a.fund, 1) for a in incomes)
    share = weights[acct.entity] * FUND_SHARE.get(acct.fund, 1)
    n = max(8, lines_per_month * share // max(total, 1))
    rng = world.rng("roster", acct.number)
    place = world.registry.entity(acct.entity).name
    median = AMOUNT_MEDIAN.get(acct.fund, 1000.0)
    out = []
    for i in range(n):
        if i % 4 == 3:  # 灵活就业人员: a person paying their own contribution
            amount = int(median * 0.18 * rng.lognormvariate(0, 0.25) * 100)
            out.append(Payer(names.person(rng), names.card_number(rng), max(amount, 1000), True))
        else:
            amount = int(median * rng.lognormvariate(0, 1.25) * 100)
            amount = min(max(amount, 5000), 300_000_000)
            out.append(Payer(names.employer(rng, place), names.account_number(rng), amount, False))
    return out


def contributions(world: World, book: Book, payers: list[Payer], ym: YM, until: date | None = None) -> None:
    """One month of contributions credited to an income account (working days only)."""
    days = [d for d in world.workdays(ym) if until is None or d <= until]
    if not days:
        return
    rng = world.rng("contrib", book.acct.number, ym)
    word = fund_word(world, book.acct.fund)
    remark = f"{ym[0]}年{ym[1]:02d}月{word}保险费"
    n = len(days)
    for p in payers:
        r = rng.random()
        if r < 0.03:
            continue
        times = 2 if r > 0.97 else 1
        for t in range(times):
            d = days[min(int(rng.triangular(0, n, n * 0.3)), n - 1)]
            amount = p.base_fen * rng.randint(95, 105) // 100
            if t:
                text, rmk = "补缴社保费", f"补缴{word}保险费"
            elif p.person:
                text, rmk = "灵活就业社保费", remark
            else:
                text, rmk = rng.choice(("社保费", "代收社保费", f"{word}保险费")), remark
            book.post(d, (amount, p.account, p.name, text, rmk, CONTRIB, ""))


def make_plans(world: World, rosters: dict[str, list[Payer]], months: list[YM], skip: set[tuple[str, YM]],
               late: set[tuple[str, YM]], silent: frozenset[tuple[str, str, YM]] = frozenset()) -> Plans:
    """The plans for every simulated month and the next: one submission per entity and month, but
    none for `skip` (entity, month) and `silent` (entity, fund, month)."""
    plans = Plans()
    for e in world.registry.entities:
        for fund in world.funds:
            income = world.account(e.code, fund, "income")
            base = sum(p.base_fen for p in rosters.get(income.number, [])) if income else 0
            deficit = fund == "pension" and e.code in deficit_counties(world)
            base = base * (DEFICIT_RATIO if deficit else BENEFIT_RATIO.get(fund, 50)) // 100
            rng = world.rng("plan", e.code, fund)
            for ym in months:
                if (e.code, ym) in skip or (e.code, fund, ym) in silent or base <= 0:
                    continue
                prev = next_ym(ym, -1)
                srng = world.rng("plan-dates", e.code, ym)
                if (e.code, ym) in late:
                    k = srng.randint(1, 3)
                    submitted = world.add_wd(world.plan_deadline(ym), k)
                    approved = world.add_wd(submitted, 1)
                    while approved >= world.nominal("fund", ym) and k > 1:
                        k -= 1
                        submitted = world.add_wd(world.plan_deadline(ym), k)
                        approved = world.add_wd(submitted, 1)
                    if approved >= world.nominal("fund", ym):
                        approved = submitted
                else:
                    submitted = srng.choice(world.window(date(prev[0], prev[1], 10), date(prev[0], prev[1], 20)))
                    approved = world.add_wd(submitted, srng.randint(1, 3))
                if approved >= world.nominal("fund", ym):
                    raise AssertionError(f"plan {e.code} {ym} approved on {approved}, after the fund day")
                amount = base * rng.randint(97, 103) // 100
                plans.add(SimPlan(ym, e.code, fund, amount, submitted, approved, 1))
    return plans


def split_payroll(world: World, rng, gross: int, n: int) -> list[int]:
    """`n` individual payments (pensions) adding up to `gross`."""
    if n <= 1 or gross < n * 20000:
        return [gross]
    parts = [max(int(rng.lognormvariate(0, 0.5) * 1000), 100) for _ in range(n)]
    total = sum(parts)
    out = [gross * p // total for p in parts]
    out[-1] += gross - sum(out)
    return [x for x in out if x > 0]
