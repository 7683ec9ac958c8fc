"""The simulated world: the registry's entities and accounts, the working-day calendar, the rules'
deadlines (docs/DOMAIN.md "Settlement, precisely" and docs/RULES.md), and seeded random streams.

Every random draw comes from `World.rng(*parts)`: a `random.Random` seeded with the run's seed and
a purpose (an account, a month, ...), so a draw never depends on the order the simulator works in.
"""

from __future__ import annotations

import calendar as _cal
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from reconcile.accounts import Account, Entity, Registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig

YM = tuple[int, int]


def next_ym(ym: YM, n: int = 1) -> YM:
    y, m = ym
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def month_end(ym: YM) -> date:
    return date(ym[0], ym[1], _cal.monthrange(*ym)[1])


def ym_str(ym: YM) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def ym_of(d: date) -> YM:
    return d.year, d.month


@dataclass
class World:
    registry: Registry
    cal: WorkCalendar
    rules: RulesConfig
    seed: int
    months: list[YM]
    daily: frozenset[str] = frozenset()  # accounts whose bank sends a statement per working day
    _workdays: dict[YM, list[date]] = field(default_factory=dict)

    # -- who is who -------------------------------------------------------------------------------
    @property
    def city(self) -> Entity:
        city = self.registry.city
        if city is None:
            raise ValueError("the simulated registry has no entity of level city")
        return city

    @property
    def counties(self) -> list[Entity]:
        return list(self.registry.counties)

    @property
    def funds(self) -> list[str]:
        return [f.code for f in self.registry.funds]

    def account(self, entity: str, fund: str, role: str) -> Account | None:
        for a in self.registry.accounts:
            if a.entity == entity and a.fund == fund and a.role == role:
                return a
        return None

    def accounts(self, role: str, level: str | None = None) -> list[Account]:
        levels = {e.code: e.level for e in self.registry.entities}
        return [a for a in self.registry.accounts if a.role == role and (level is None or levels[a.entity] == level)]

    def payroll_external(self, entity: str) -> tuple[str, str] | None:
        """The bank's 代发过渡户 a county pays its payroll batches to (an external whose name names it)."""
        name = self.registry.entity(entity).name
        for x in self.registry.externals:
            if x.disbursement and "expense" in x.paid_by and (name in x.name or any(name in a for a in x.aliases)):
                return x.number, x.name
        return None

    # -- time ---------------------------------------------------------------------------------------
    @property
    def start(self) -> date:
        return date(self.months[0][0], self.months[0][1], 1)

    @property
    def as_of(self) -> date:
        return month_end(self.months[-1])

    def rng(self, *parts: object) -> random.Random:
        return random.Random("/".join(map(str, (self.seed, *parts))))

    def workdays(self, ym: YM) -> list[date]:
        hit = self._workdays.get(ym)
        if hit is None:
            hit = self.cal.workdays(date(ym[0], ym[1], 1), month_end(ym))
            self._workdays[ym] = hit
        return hit

    def roll(self, d: date) -> date:
        return self.cal.roll(d, self.rules.roll)

    def add_wd(self, d: date, n: int) -> date:
        return self.cal.add_workdays(d, n)

    def wd_on_or_after(self, d: date) -> date:
        return self.cal.roll(d, "following")

    def wd_on_or_before(self, d: date) -> date:
        return self.cal.roll(d, "preceding")

    def window(self, lo: date, hi: date) -> list[date]:
        return self.cal.workdays(lo, hi)

    # -- deadlines ----------------------------------------------------------------------------------
    def remit_deadline(self, ym: YM) -> date:
        r = self.rules.remit
        return self.roll(date(ym[0], ym[1], r.due_day)) + timedelta(days=r.grace_days)

    def remit_due_of_lot(self, booked: date) -> date:
        ym = ym_of(booked)
        return self.remit_deadline(ym if booked.day <= self.rules.remit.cutoff_day else next_ym(ym))

    def cutoff(self, ym: YM) -> date:
        return date(ym[0], ym[1], self.rules.remit.cutoff_day)

    def last_workday(self, ym: YM) -> date:
        return self.wd_on_or_before(month_end(ym))

    def sweep_deadline(self, ym: YM) -> date:
        return self.last_workday(ym) + timedelta(days=self.rules.sweep.grace_days)

    def sweep_due_of_lot(self, booked: date) -> date:
        ym = ym_of(booked)
        return self.sweep_deadline(ym if booked <= self.last_workday(ym) else next_ym(ym))

    def first_deadline_on_or_after(self, rule: str, d: date) -> date:
        ym = ym_of(d)
        dl = self.remit_deadline if rule == "remit" else self.sweep_deadline
        for m in (next_ym(ym, -1), ym):  # a deadline rolled into the next month comes first
            if d <= dl(m):
                return dl(m)
        return dl(next_ym(ym))

    def period_of_deadline(self, rule: str, deadline: date) -> YM:
        """The month whose (remit or sweep) deadline this is: the period never follows the roll
        (docs/DOMAIN.md, Cases decided later: 25 January 2009 rolls to 1 February and stays 2009-01)."""
        dl = self.remit_deadline if rule == "remit" else self.sweep_deadline
        ym = ym_of(deadline)
        return next_ym(ym, -1) if dl(next_ym(ym, -1)) == deadline else ym

    def nominal(self, rule: str, ym: YM) -> date:
        """The rolled nominal day of a plan-based rule in benefit month `ym` (plus grace)."""
        cfg = getattr(self.rules, rule)
        return self.roll(date(ym[0], ym[1], cfg.due_day)) + timedelta(days=cfg.grace_days)

    def plan_deadline(self, ym: YM) -> date:
        p = next_ym(ym, -1)
        return self.roll(date(p[0], p[1], self.rules.plan.due_day)) + timedelta(days=self.rules.plan.grace_days)
