"""The answer key: the complete expected `recon findings list --json` at the last simulated day,
derived from what the simulation did and from the rules as docs/DOMAIN.md and docs/RULES.md write them.

Obligation findings are judged from the simulator's own books (lots for remit and sweep, plan
transfers for fund, allocate and disburse); transfer and statement findings come from the faults
that made them. Every finding names its `fault`; a finding no fault explains is a bug in the clean
baseline and stops the simulation.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from simulate.lots import judge, judge_lots
from simulate.plans import judge_rule
from simulate.world import next_ym, ym_of, ym_str

if TYPE_CHECKING:
    from simulate.months import Sim

FIELDS = ("kind", "rule", "entity", "fund", "account", "period", "amount_fen", "days_late")
RULE_FAULTS = {
    "remit": ("late_remittance", "partial_remittance", "missing_remittance", "split_remittance", "over_remittance",
              "misdirected_fund", "misdirected_entity", "returned_remittance", "holiday_deadline"),
    "sweep": ("late_sweep",),
    "fund": ("late_fund", "partial_fund", "plan_revised"),
    "allocate": ("late_allocate", "partial_allocate", "duplicate_payment", "holiday_deadline"),
    "disburse": ("late_disbursement", "short_disbursement"),
}


def finding(kind: str, rule: str | None, entity: str | None, fund: str | None, account: str | None,
            period: str | None, amount: int | None, days: int | None, fault: str) -> dict[str, object]:
    return {"kind": kind, "rule": rule, "entity": entity, "fund": fund, "account": account, "period": period,
            "amount_fen": amount, "days_late": days, "fault": fault}


def sort_key(f: dict[str, object]) -> tuple[object, ...]:
    return tuple("" if f[k] is None else f[k] for k in FIELDS[:6]) + tuple(
        -1 if f[k] is None else f[k] for k in FIELDS[6:])


def build(sim: Sim) -> dict[str, object]:
    w = sim.world
    as_of, start = w.as_of, w.start
    out: list[dict[str, object]] = []

    def blame(rule: str, **match: object) -> str:
        f = next((f for f in sim.faults.faults if f.kind in RULE_FAULTS[rule]
                  and all(getattr(f, k) == v for k, v in match.items())
                  and (f.kind != "holiday_deadline" or f.extra.get("rule") == rule)), None)
        if f is None:
            raise AssertionError(f"the clean baseline made a {rule} finding: {match}")
        return f.kind

    stale = sim.faults.find("stale_account")
    for a in w.accounts("income", "county"):
        lots = sim.ledger.books[a.number].lots
        assert lots is not None
        verdicts = judge_lots(lots, as_of, start,
                              lambda dl: w.remit_deadline(next_ym(w.period_of_deadline("remit", dl), -1)),
                              lambda d: w.first_deadline_on_or_after("remit", d), split=True)
        if stale and stale.account == a.number:
            last = stale.extra["last_day"]
            for dl in sorted(set(lots.due) | set(verdicts)):
                period = w.period_of_deadline("remit", dl)
                if dl <= as_of and (last < dl or last < w.cutoff(period)):  # type: ignore[operator]
                    verdicts.pop(dl, None)
                    due = lots.due.get(dl, 0) - lots.absorbed.get(dl, 0)
                    out.append(finding("awaiting_statement", "remit", a.entity, a.fund, a.number, ym_str(period),
                                       due, None, "stale_account"))
        for dl, vs in verdicts.items():
            period = w.period_of_deadline("remit", dl)
            for v in vs:
                fault = blame("remit", account=a.number, month=period)
                out.append(finding(v.kind, "remit", a.entity, a.fund, a.number, ym_str(period), v.amount_fen,
                                   v.days_late, fault))
    for a in w.accounts("income", "city"):
        lots = sim.ledger.books[a.number].lots
        assert lots is not None
        verdicts = judge_lots(lots, as_of, start, lambda dl: dl, lambda d: w.first_deadline_on_or_after("sweep", d),
                              split=False)
        for dl, vs in verdicts.items():
            period = w.period_of_deadline("sweep", dl)
            for v in vs:
                fault = blame("sweep", account=a.number, month=period)
                out.append(finding(v.kind, "sweep", a.entity, a.fund, a.number, ym_str(period), v.amount_fen,
                                   v.days_late, fault))
    for rule in ("fund", "allocate", "disburse"):
        for o, v in judge_rule(w, sim.plans, rule, sim.xfers[rule], as_of):
            role = "fiscal" if rule == "fund" else "expense"
            owner = w.city.code if rule in ("fund", "allocate") else o.entity
            acct = w.account(owner, o.fund, role)
            match: dict[str, object] = {"fund": o.fund, "month": o.month}
            if rule != "fund":
                match["entity"] = o.entity
            out.append(finding(v.kind, rule, o.entity, o.fund, acct.number if acct else None, ym_str(o.month),
                               v.amount_fen, v.days_late, blame(rule, **match)))
    for row in sim.surplus:
        dl = w.roll(row.due)
        if dl > as_of:
            continue
        sv = judge(row.amount_fen, sim.surplus_paid.get(row.account, []), dl, as_of, 0)
        if sv is not None:
            if not sim.faults.find("late_surplus", account=row.account):
                raise AssertionError(f"the clean baseline made a surplus finding: {row}")
            out.append(finding(sv.kind, "surplus", row.entity, row.fund, row.account, ym_str(ym_of(row.due)),
                               sv.amount_fen, sv.days_late, "late_surplus"))
    out += _plans(sim)
    out += sim.direct_findings + sim.writer.findings
    if stale:
        last = stale.extra["last_day"]
        assert isinstance(last, date)
        out.append(finding("stale_account", None, stale.entity, stale.fund, stale.account, ym_str(ym_of(last)),
                           None, None, "stale_account"))
    for f in out:
        f.pop("file", None)
    out.sort(key=sort_key)
    incomes = {a.number for a in w.accounts("income", "county")}
    fee = next(((acct, d, n) for acct, d, n in sorted(sim.fee_seen) if acct in incomes), None)
    if fee:
        sim.no_finding.append({"fault": "bank_fees", "account": fee[0], "date": fee[1].isoformat(),
                               "amount_fen": fee[2], "check": "listed as a fee (手续费); absorbs lots; no finding"})
    for cf in sim.faults.of("city_plan_starts_late"):
        sim.no_finding.append({"fault": "city_plan_starts_late", "entity": cf.entity, "fund": cf.fund,
                               "first_month": ym_str(cf.month) if cf.month else None,
                               "check": "the city sends no plan line of its own before this month: no late_plan"})
    no_finding = sorted(sim.no_finding + sim.writer.no_finding, key=lambda x: (str(x["fault"]), str(x)))
    return {"as_of": as_of.isoformat(), "findings": out, "no_finding_faults": no_finding}


def _plans(sim: Sim) -> list[dict[str, object]]:
    """late_plan: every county's line per fund and benefit month; the city's own line only from the
    month of its first line of that fund known at the as-of date (docs/DOMAIN.md, Cases decided later)."""
    w = sim.world
    out = []
    months = [*w.months, next_ym(w.months[-1])]
    for e in w.registry.entities:
        for fund in w.funds:
            sent = [ym for ym in months if (r := sim.plans.first(e.code, fund, ym)) and r.submitted <= w.as_of]
            for ym in months:
                dl = w.plan_deadline(ym)
                if dl > w.as_of:
                    continue
                if e.code == w.city.code and (not sent or ym < sent[0]):
                    continue
                first = sim.plans.first(e.code, fund, ym)
                if first is None:
                    if sim.faults.find("plan_never_sent", entity=e.code, month=ym):
                        out.append(finding("late_plan", "plan", e.code, fund, None, ym_str(ym), None,
                                           (w.as_of - dl).days, "plan_never_sent"))
                    continue
                if first.submitted > dl and first.submitted <= w.as_of:
                    if not sim.faults.find("late_plan", entity=e.code, month=ym):
                        raise AssertionError(f"a clean plan came late: {first}")
                    out.append(finding("late_plan", "plan", e.code, fund, None, ym_str(ym), None,
                                       (first.submitted - dl).days, "late_plan"))
    return out
