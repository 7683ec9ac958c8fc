"""Payment plans (用款计划) and the plan-based rules (fund, allocate, disburse), judged as docs/DOMAIN.md
"Plan-based" says: the plan in force at the as-of date, deadlines moved by a late approval, and a
transfer counted first toward the oldest overdue unsettled obligation, then its booking month, then
(early funding) the next month, the rest `over` on its booking month.

"Unsettled" is read as "still out by more than the rule's tolerance": a clean month paid 99% of its
plan is settled and does not pull the next month's payroll back (docs/RULES.md is silent on it).
"""

from __future__ import annotations

import calendar as _cal
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from simulate.lots import Verdict, judge
from simulate.world import YM, World, next_ym, ym_of


@dataclass(frozen=True)
class SimPlan:
    month: YM  # the benefit month
    entity: str
    fund: str
    amount_fen: int
    submitted: date
    approved: date
    version: int = 1


class Plans:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, YM], list[SimPlan]] = defaultdict(list)

    def add(self, row: SimPlan) -> None:
        self.rows[(row.entity, row.fund, row.month)].append(row)

    def in_force(self, entity: str, fund: str, ym: YM, at: date) -> SimPlan | None:
        ok = [r for r in self.rows.get((entity, fund, ym), []) if r.approved <= at]
        return max(ok, key=lambda r: (r.version, r.approved, r.submitted)) if ok else None

    def amount(self, entity: str, fund: str, ym: YM, at: date) -> int:
        row = self.in_force(entity, fund, ym, at)
        return row.amount_fen if row else 0

    def first(self, entity: str, fund: str, ym: YM) -> SimPlan | None:
        rows = self.rows.get((entity, fund, ym), [])
        return min(rows, key=lambda r: (r.version, r.submitted)) if rows else None


@dataclass
class SimObligation:
    rule: str
    entity: str
    fund: str
    month: YM
    due: int
    deadline: date
    tol: int
    paid: list[tuple[date, int]]
    excess: int = 0

    def out(self) -> int:
        return self.due - sum(n for _d, n in self.paid)


def obligations(world: World, plans: Plans, rule: str, at: date) -> dict[tuple[str, str, YM], SimObligation]:
    """The obligations of one plan-based rule for every benefit month a plan is in force at `at`."""
    entities = [world.city.code] if rule == "fund" else [
        e.code for e in world.registry.entities if rule == "disburse" or e.level == "county"]
    months = sorted({ym for (_e, _f, ym) in plans.rows})
    out: dict[tuple[str, str, YM], SimObligation] = {}
    for fund in world.funds:
        for ym in months:
            if rule == "fund":
                rows = [r for e in world.registry.entities if (r := plans.in_force(e.code, fund, ym, at))]
                groups = [(world.city.code, rows)] if rows else []
            else:
                groups = [(e, [r]) for e in entities if (r := plans.in_force(e, fund, ym, at))]
            for entity, rows in groups:
                due = sum(r.amount_fen for r in rows)
                nominal = world.nominal(rule, ym)
                approved = max(r.approved for r in rows)
                deadline = world.add_wd(approved, world.rules.transit_window) if approved > nominal else nominal
                cfg = getattr(world.rules, rule)
                tol = cfg.tolerance_fen + due * cfg.tolerance_bp // 10000
                out[(entity, fund, ym)] = SimObligation(rule, entity, fund, ym, due, deadline, tol, [])
    return out


def allot(world: World, obs: dict[tuple[str, str, YM], SimObligation],
          transfers: list[tuple[str, str, date, int]]) -> None:
    """Count each transfer (entity, fund, date, amount), in date order, toward its obligations."""
    early_days = world.rules.early_funding_days
    for entity, fund, d, amount in sorted(transfers, key=lambda t: (t[2], t[0], t[1])):
        mine = sorted((o for (e, f, _m), o in obs.items() if e == entity and f == fund), key=lambda o: o.month)
        left = amount
        overdue = [o for o in mine if o.deadline < d and o.out() > o.tol]
        booking = next((o for o in mine if o.month == ym_of(d)), None)
        targets = list(overdue)  # every overdue unsettled month, oldest first (docs/RULES.md: catch-up)
        if booking is not None and booking not in targets:
            targets.append(booking)
        for o in targets:
            n = min(left, max(o.out(), 0))
            if n:
                o.paid.append((d, n))
                left -= n
        days_in = _cal.monthrange(d.year, d.month)[1]
        nxt = next((o for o in mine if o.month == next_ym(ym_of(d))), None)
        if left and d.day > days_in - early_days and booking is not None and booking.out() <= booking.tol and nxt:
            n = min(left, max(nxt.out(), 0))
            if n:
                nxt.paid.append((d, n))
                left -= n
        if left:
            if booking is None:
                raise AssertionError(f"{entity} {fund} paid {amount} on {d} with no plan in force")
            booking.excess += left


def judge_rule(world: World, plans: Plans, rule: str, transfers: list[tuple[str, str, date, int]],
               as_of: date) -> list[tuple[SimObligation, Verdict]]:
    obs = obligations(world, plans, rule, as_of)
    allot(world, obs, transfers)
    out = []
    for o in obs.values():
        if o.deadline > as_of:
            continue
        v = judge(o.due, o.paid, o.deadline, as_of, o.tol,
                  short_kind="short_disbursement" if rule == "disburse" else None)
        if o.excess > o.tol:
            if v is not None:
                raise AssertionError(f"{rule} {o.entity} {o.fund} {o.month} is both {v.kind} and over")
            v = Verdict("over", o.excess, None)
        if v is not None:
            out.append((o, v))
    return out
