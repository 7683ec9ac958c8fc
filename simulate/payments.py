"""The plan-based money: the finance bureau funds the city expense account (fund), the city
allocates each county its plan (allocate), and every entity with a plan pays its benefits
(disburse: 批量代发 to the bank's 代发过渡户 plus individual pensions), clean or faulty.

Clean: fund and allocate pay the plan in force on the payment day, on or before the rolled rule day;
the payroll pays slightly less than the plan (0.2% to 1.2% below, within the 2% tolerance), and
now and then a pension comes back (退回: the beneficiary's account was closed).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from simulate import names
from simulate.actors import ref
from simulate.flows import fund_word, split_payroll
from simulate.ledger import RETURN, Book
from simulate.world import YM

if TYPE_CHECKING:
    from simulate.months import Sim


def fiscal(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    fund, city = a.fund, w.city.code
    exp = w.account(city, fund, "expense")
    if exp is None:
        return
    dl = w.nominal("fund", ym)
    rng = w.rng("fund", fund, ym)
    f = sim.faults.find(("late_fund", "partial_fund"), fund=fund, month=ym)
    day = w.add_wd(dl, 2) if f and f.kind == "late_fund" else rng.choice(w.window(w.workdays(ym)[0], dl))
    share = rng.randint(85, 95) if f and f.kind == "partial_fund" else 100
    remark = f"拨付{ym[0]}年{ym[1]:02d}月{fund_word(w, fund)}保险待遇资金"
    paid = [0]

    def total(at: date) -> int:
        return sum(sim.plans.amount(e.code, fund, ym, at) for e in w.registry.entities)

    def act(d: date) -> None:
        amount = total(d) * share // 100
        if amount > 0:
            sim.ledger.transfer(a, ref(exp), d, amount, "拨付", remark)
            sim.xfers["fund"].append((city, fund, d, amount))
            paid[0] += amount

    book.schedule(day, act)
    sim.fund_day[(fund, ym)] = day
    rev = sim.faults.find("plan_revised", fund=fund, month=ym)
    if rev is not None:
        def top_up(d: date) -> None:
            amount = total(d) - paid[0]
            if amount > 0:
                sim.ledger.transfer(a, ref(exp), d, amount, "拨付", remark + "（追加）")
                sim.xfers["fund"].append((city, fund, d, amount))
        approved: date = rev.extra["approved"]  # type: ignore[assignment]
        book.schedule(w.add_wd(approved, 4), top_up)


def city_expense(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    fund = a.fund
    dl = w.nominal("allocate", ym)
    first = w.workdays(ym)[0]
    lo = max(sim.fund_day.get((fund, ym), first), first)
    window = w.window(lo, dl) or w.window(first, dl)
    for e in w.counties:
        dst = w.account(e.code, fund, "expense")
        if dst is None:
            continue
        rng = w.rng("allocate", e.code, fund, ym)
        f = sim.faults.find(("late_allocate", "partial_allocate", "duplicate_payment", "holiday_deadline"),
                            entity=e.code, fund=fund, month=ym)
        if f and f.kind == "holiday_deadline" and f.extra.get("rule") != "allocate":
            f = None
        kind = f.kind if f else ""
        day = rng.choice(window)
        if kind == "late_allocate" or (kind == "holiday_deadline" and f and f.extra.get("late")):
            day = w.add_wd(dl, 2 if kind == "late_allocate" else 1)
        elif kind == "holiday_deadline" or sim.faults.find("plan_revised", entity=e.code, fund=fund, month=ym):
            day = dl
        if kind == "holiday_deadline" and f and not f.extra.get("late"):
            sim.no_finding.append({"fault": "holiday_deadline", "account": a.number, "entity": e.code,
                                   "paid": day.isoformat(),
                                   "check": "allocate paid on the rolled deadline: no finding"})
        share = rng.randint(80, 92) if kind == "partial_allocate" else 100
        remark = f"拨付{e.name}{ym[0]}年{ym[1]:02d}月{fund_word(w, fund)}保险待遇资金"

        def act(d: date, e: str = e.code, dst=dst, share: int = share, kind: str = kind, remark: str = remark) -> None:
            amount = sim.plans.amount(e, fund, ym, d) * share // 100
            if amount <= 0:
                return
            sim.ledger.transfer(a, ref(dst), d, amount, "拨付", remark)
            sim.xfers["allocate"].append((e, fund, d, amount))
            if kind == "duplicate_payment":
                def again(d2: date) -> None:
                    sim.ledger.transfer(a, ref(dst), d2, amount, "拨付", remark)
                    sim.xfers["allocate"].append((e, fund, d2, amount))
                    sim.direct("duplicate_payment", "allocate", a, d2, amount, "duplicate_payment")
                book.schedule(w.add_wd(d, 2), again)
        book.schedule(day, act)
    payroll(sim, book, ym, w.city.code)


def county_expense(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    payroll(sim, book, ym, a.entity)
    if sim.faults.find("unexpected_transfer", account=a.number, month=ym):
        city = w.account(w.city.code, a.fund, "expense")
        if city is None:
            return
        rng = w.rng("unexpected", a.number)
        d = rng.choice(w.window(date(ym[0], ym[1], 16), date(ym[0], ym[1], 20)))
        x = max(book.opening // 4, 100) // 100 * 100

        def act(day: date) -> None:
            sim.ledger.transfer(a, ref(city), day, x, "转账", "结余资金划回市社保")
            sim.direct("unexpected", None, a, day, x, "unexpected_transfer")
        book.schedule(d, act)


def payroll(sim: Sim, book: Book, ym: YM, entity: str) -> None:
    w, a = sim.world, book.acct
    fund = a.fund
    d_alloc, d_disb = w.nominal("allocate", ym), w.nominal("disburse", ym)
    rng = w.rng("payroll", a.number, ym)
    f = sim.faults.find(("late_disbursement", "short_disbursement"), entity=entity, fund=fund, month=ym)
    day = w.add_wd(d_disb, 2) if f and f.kind == "late_disbursement" else rng.choice(w.window(d_alloc, d_disb))
    word = fund_word(w, fund)
    remark = f"{ym[0]}年{ym[1]:02d}月{word}保险待遇"
    county = entity != w.city.code

    def act(d: date) -> None:
        plan = sim.plans.amount(entity, fund, ym, d)
        if plan <= 0:
            return
        if f and f.kind == "short_disbursement":
            gross = plan - plan * rng.randint(8, 20) // 100
        else:
            gross = plan - plan * rng.randint(20, 120) // 10000
        ext = w.payroll_external(entity) if county else None
        n = rng.randint(3, 12) if ext else sim.city_payees
        people = gross * rng.randint(2, 5) // 100 if ext else gross
        payments = split_payroll(w, rng, people, n)
        if ext:
            sim.ledger.transfer(a, ext, d, gross - sum(payments), "批量代发", remark)
            sim.xfers["disburse"].append((entity, fund, d, gross - sum(payments)))
        back = -1
        if f is None and rng.random() < 0.3:
            small = [i for i, x in enumerate(payments) if x <= plan * 4 // 1000]
            back = rng.choice(small) if small else -1
        for i, x in enumerate(payments):
            person, card = names.person(rng), names.card_number(rng)
            tag = sim.ledger.transfer(a, (card, person), d, x, f"代发{word}金", remark)
            if i == back:
                back_day = w.add_wd(d, rng.randint(1, 3))
                book.post(back_day, (x, card, person, "退回", "退回：收款账户已销户", RETURN, tag))
            else:
                sim.xfers["disburse"].append((entity, fund, d, x))
    book.schedule(day, act)
