"""Which faults the simulation injects, where and when.

Every kind is placed at least once per run when the period has room for it (a quarter has), more at
`fault_rate` per eligible slot. A slot is (what, account or entity, month); a fault takes its slots
exclusively, so faults never meet unless one fault's consequence is the point. Faults whose money
stays outstanding at the as-of date (partial, missing, short) go in the final month: earlier, the
next month's payment would settle them late, which `late_*` already covers.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from reconcile.accounts import Account
from simulate.world import YM, World, next_ym

REMIT_LATE_TYPE = ("late_remittance", "misdirected_fund", "misdirected_entity", "returned_remittance")
REMIT_ANY = ("split_remittance", "contribution_refund")
REMIT_NONFINAL = ("over_remittance", "leak", "unconfirmed_leg")
REMIT_FINAL = ("partial_remittance", "missing_remittance")
PLAN_KINDS = {  # kind -> (rule slot, months: "any" | "final")
    "late_fund": ("fund", "any"), "partial_fund": ("fund", "final"),
    "late_allocate": ("allocate", "any"), "partial_allocate": ("allocate", "final"),
    "duplicate_payment": ("allocate", "any"),
    "late_disbursement": ("disburse", "any"), "short_disbursement": ("disburse", "final"),
}
SINGLE = ("stale_account", "holiday_deadline", "late_sweep", "plan_revised", "late_plan", "plan_never_sent",
          "unexpected_transfer", "late_surplus", "balance_break", "coverage_gap", "duplicate_file",
          "overlapping_statements", "malformed_file", "misplaced_contribution", "city_plan_starts_late")
BASELINE = ("bank_fees",)  # in every run's clean flows; listed in no_finding_faults
ALL_KINDS = (*REMIT_LATE_TYPE, *REMIT_ANY, *REMIT_NONFINAL, *REMIT_FINAL, *PLAN_KINDS, *SINGLE, *BASELINE)
RATED = (*REMIT_LATE_TYPE, *REMIT_ANY, *REMIT_NONFINAL, *REMIT_FINAL, *PLAN_KINDS)


@dataclass
class Fault:
    kind: str
    month: YM | None = None
    account: str = ""
    entity: str = ""
    fund: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    used: set[tuple[object, ...]] = field(default_factory=set)

    def take(self, *keys: tuple[object, ...]) -> bool:
        if any(k in self.used for k in keys):
            return False
        self.used.update(keys)
        return True

    def find(self, kind: str | tuple[str, ...], **match: object) -> Fault | None:
        kinds = (kind,) if isinstance(kind, str) else kind
        for f in self.faults:
            if f.kind in kinds and all(getattr(f, k) == v for k, v in match.items()):
                return f
        return None

    def of(self, kind: str) -> list[Fault]:
        return [f for f in self.faults if f.kind == kind]


def place(world: World, rate: float | Mapping[str, float]) -> FaultPlan:
    plan = FaultPlan()
    rng = world.rng("faults")
    months, final = world.months, world.months[-1]
    nonfinal = months[:-1]
    incomes = [a for a in world.accounts("income", "county")]
    rate_of = (lambda k: float(rate)) if isinstance(rate, int | float) else (lambda k: float(rate.get(k, 0.0)))

    def remit(kind: str, acct_choices: list, month_choices: list[YM], extra: dict | None = None) -> bool:
        cands = [(a, m) for a in acct_choices for m in month_choices]
        rng.shuffle(cands)
        for a, m in cands:
            keys = [("remit", a.number, m)]
            if kind in REMIT_LATE_TYPE:
                keys.append(("remit", a.number, next_ym(m)))
            receiver = None
            if kind == "misdirected_entity":
                later = [b for b in incomes if b.fund == a.fund and incomes.index(b) > incomes.index(a)]
                if not later:
                    continue
                receiver = later[0]
                keys.append(("remit", receiver.number, m))
            if plan.take(*keys):
                plan.faults.append(Fault(kind, m, a.number, a.entity, a.fund,
                                         dict(extra or {}, receiver=receiver.number if receiver else "")))
                return True
        return False

    # the constrained ones first
    stale = rng.choice(incomes) if incomes else None
    if stale is not None:
        plan.take(("remit", stale.number, final), ("account_final", stale.number))
        plan.faults.append(Fault("stale_account", final, stale.number, stale.entity, stale.fund))
    _holiday(world, plan, incomes, rng)
    for kind in (*REMIT_FINAL, *REMIT_LATE_TYPE, *REMIT_NONFINAL, *REMIT_ANY):
        choices = [final] if kind in REMIT_FINAL else nonfinal if kind not in REMIT_ANY else months
        if not remit(kind, incomes, choices):
            plan.skipped.append(kind)
    ordered = sorted(PLAN_KINDS.items(), key=lambda kv: kv[1][1] != "final")  # the final month fills first
    for i, (kind, (rule, when)) in enumerate(ordered):
        if i == sum(1 for _r, w in PLAN_KINDS.values() if w == "final"):
            _revised(world, plan, rng)
        if not _plan_slot(world, plan, rng, kind, rule, [final] if when == "final" else months):
            plan.skipped.append(kind)
    _singles(world, plan, rng)
    # more of the rated kinds, at the rate
    for kind in RATED:
        r = rate_of(kind)
        if r <= 0:
            continue
        if kind in PLAN_KINDS:
            rule, when = PLAN_KINDS[kind]
            for m in ([final] if when == "final" else months):
                for _ in range(len(world.counties) * len(world.funds)):
                    if rng.random() < r:
                        _plan_slot(world, plan, rng, kind, rule, [m])
        else:
            choices = [final] if kind in REMIT_FINAL else nonfinal if kind not in REMIT_ANY else months
            for a in incomes:
                for m in choices:
                    if rng.random() < r:
                        remit(kind, [a], [m])
    return plan


def _plan_slot(world: World, plan: FaultPlan, rng: random.Random, kind: str, rule: str, months: list[YM]) -> bool:
    entities = [world.city.code] if rule == "fund" else [e.code for e in world.counties]
    cands = [(e, f, m) for e in entities for f in world.funds for m in months]
    rng.shuffle(cands)
    for e, f, m in cands:
        if kind == "duplicate_payment" and world.add_wd(world.nominal("allocate", m), 2).day > 15:
            continue
        if plan.take((rule, e, f, m)):
            acct = world.account(e, f, "fiscal" if rule == "fund" else "expense")
            plan.faults.append(Fault(kind, m, acct.number if acct else "", e, f))
            return True
    return False


def _revised(world: World, plan: FaultPlan, rng: random.Random) -> None:
    """A plan revised after the fund day: approved after it, on or before the allocate day."""
    city = world.city.code
    revised = [(e.code, f, m) for e in world.counties for f in world.funds for m in world.months
               if world.add_wd(world.nominal("fund", m), 1) <= world.nominal("allocate", m)]
    rng.shuffle(revised)
    for e, f, m in revised:
        if plan.take(("fund", city, f, m), ("allocate", e, f, m), ("disburse", e, f, m), ("plan", e, m)):
            plan.faults.append(Fault("plan_revised", m, "", e, f))
            return
    plan.skipped.append("plan_revised")


def _holiday(world: World, plan: FaultPlan, incomes: list[Account], rng: random.Random) -> None:
    """A nominal deadline on a non-working day: one payer on the rolled day (no finding), one a
    working day after it (late, counted from the rolled day)."""
    due = world.rules.remit.due_day
    months = [m for m in world.months[:-1] if not world.cal.is_workday(date(m[0], m[1], due))]
    rng.shuffle(months)
    for m in months:
        if len(incomes) >= 2:
            pair = rng.sample(incomes, 2)
            if plan.take(*(("remit", a.number, mm) for a in pair for mm in (m, next_ym(m)))):
                plan.faults.append(Fault("holiday_deadline", m, pair[0].number, pair[0].entity, pair[0].fund,
                                         {"rule": "remit", "late": False}))
                plan.faults.append(Fault("holiday_deadline", m, pair[1].number, pair[1].entity, pair[1].fund,
                                         {"rule": "remit", "late": True}))
                return
    day = world.rules.allocate.due_day
    counties: list[str] = [e.code for e in world.counties]
    for m in world.months:
        if not world.cal.is_workday(date(m[0], m[1], day)) and len(counties) >= 2:
            two: list[str] = rng.sample(counties, 2)
            f = rng.choice(world.funds)
            if plan.take(*(("allocate", e, f, m) for e in two)):
                for e, late in zip(two, (False, True), strict=True):
                    acct = world.account(world.city.code, f, "expense")
                    plan.faults.append(Fault("holiday_deadline", m, acct.number if acct else "", e, f,
                                             {"rule": "allocate", "late": late}))
                return
    plan.skipped.append("holiday_deadline")


def _singles(world: World, plan: FaultPlan, rng: random.Random) -> None:
    months, final = world.months, world.months[-1]

    def add(kind: str, a: Account | None, month: YM | None, *keys: tuple[object, ...], entity: str = "") -> None:
        """One fault of `kind` on account `a` (or `entity`), if its slots are free."""
        if (a is None and not entity) or not plan.take(*keys):
            plan.skipped.append(kind)
            return
        if a is None:
            plan.faults.append(Fault(kind, month, "", entity))
        else:
            plan.faults.append(Fault(kind, month, a.number, a.entity, a.fund))

    sweeps = [(a, m) for a in world.accounts("income", "city") for m in months[:-1]]
    a, m = rng.choice(sweeps) if sweeps else (None, None)
    add("late_sweep", a, m, ("sweep", a.number if a else "", m))
    late = [(e.code, m) for e in world.counties for m in months[1:]]
    e, m = rng.choice(late) if late else ("", None)
    add("late_plan", None, m, ("plan", e, m), entity=e)
    add("plan_never_sent", None, next_ym(final), entity=rng.choice(world.counties).code)
    exp = [(a, m) for a in world.accounts("expense", "county") for m in months[:-1]]
    a, m = rng.choice(exp) if exp else (None, None)
    add("unexpected_transfer", a, m, ("xfer", a.number if a else "", m))
    legacy = world.accounts("legacy_fiscal")
    add("late_surplus", legacy[0] if legacy else None, None)
    # the city sends no plan line of its own for one fund until a later month, or never (docs/DOMAIN.md, Cases
    # decided later: its line is expected only once it has sent one): no late_plan for those months
    plan_months = [*months, next_ym(final)]
    fund = rng.choice(world.funds) if world.funds else ""
    k = rng.randint(1, len(plan_months))
    first = plan_months[k] if k < len(plan_months) else None
    if fund and plan.take(("city_plan", fund)):
        plan.faults.append(Fault("city_plan_starts_late", first, "", world.city.code, fund))
    else:
        plan.skipped.append("city_plan_starts_late")
    # contributions paid into an expense account, and into an old county 财政专户 (misplaced_income)
    spots = [(a, m) for a in world.accounts("expense", "county") for m in months]
    a, m = rng.choice(spots) if spots else (None, None)
    add("misplaced_contribution", a, m, ("misplaced", a.number if a else "", m))
    if legacy:
        a, m = rng.choice([(x, m) for x in legacy for m in months])
        add("misplaced_contribution", a, m, ("misplaced", a.number, m))
    # statement and file faults
    daily = [a for a in world.registry.accounts if a.number in world.daily]
    city_daily = [a for a in daily if a.entity == world.city.code and a.role != "income"]
    gap = (city_daily or daily)[0] if (city_daily or daily) else None
    add("coverage_gap", gap, final)
    balances = ([a for a in daily if a is not gap and a.profile == "camt"]
                + [a for a in daily if a is not gap and a.profile != "camt"]
                + [a for a in world.registry.accounts if a.profile == "ccb_mingxi" and a.role != "legacy_fiscal"])
    add("balance_break", balances[0] if balances else None, months[len(months) // 2])
    stale = plan.find("stale_account")
    monthly = [a for a in world.registry.accounts if a.number not in world.daily and a.role != "legacy_fiscal"
               and a.profile not in ("camt", "mt940", "ofx") and (stale is None or a.number != stale.account)]
    overlap = [a for a in monthly if a.profile == "ccb_mingxi"] + monthly
    copies = [a for a in monthly if a.role == "expense"] + monthly
    two = len(months) >= 2
    add("overlapping_statements", overlap[0] if overlap and two else None, months[0])
    add("duplicate_file", copies[0] if copies and two else None, months[0])
    broken = [a for a in daily if a.profile == "camt" and a is not gap] or daily
    add("malformed_file", broken[0] if broken else None, months[0])
