"""What each account's holder does in a month, clean or faulty: counties remit, the city sweeps,
the finance bureau funds, the city allocates, everyone pays benefits; plus interest and fees.

Clean behaviour pays exactly what the rules say is due, on a working day on or before the rolled
deadline (remit: after the cut-off day, so every lot due is in the payment); a fault changes one
payer's behaviour in one month. Payers of lot-based rules read their `LotBook` at the moment they
pay, so whatever else happened to the account (fees, refunds, a misdirected credit) is paid in full.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from reconcile.accounts import Account
from simulate import names
from simulate.flows import fund_word
from simulate.ledger import FEE, REFUND, RETURN, Book
from simulate.world import YM

if TYPE_CHECKING:
    from simulate.months import Sim

REMIT_FAULTS = ("late_remittance", "partial_remittance", "missing_remittance", "split_remittance",
                "over_remittance", "misdirected_fund", "misdirected_entity", "leak", "unconfirmed_leg",
                "returned_remittance", "contribution_refund", "holiday_deadline")


def ref(a: Account) -> tuple[str, str]:
    return a.number, a.name


def interest_and_fee(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    rng = w.rng("fee", a.number, ym)
    if ym[1] % 3 == 0:
        d = w.wd_on_or_after(date(ym[0], ym[1], 21))
        amount = max(book.balance, 0) * 18 // 10000 + rng.randint(100, 9999)
        if book.last_day is None or d <= book.last_day:
            book.post(d, (amount, "", "", "利息划入", "结息", "interest", ""))
    days = w.window(date(ym[0], ym[1], 16), date(ym[0], ym[1], 19))
    if days and rng.random() < 0.6 and a.role != "legacy_fiscal":
        d = rng.choice(days)
        fee = rng.randint(10, 300) * 100
        if book.last_day is None or d <= book.last_day:
            def act(day: date, fee: int = fee) -> None:
                book.post(day, (-fee, "", "", "手续费", "账户管理费", FEE, ""))
                if book.lots is not None:
                    book.lots.absorb(day, fee)
            book.schedule(d, act)
            sim.fee_seen.append((a.number, d, fee))


# -- county income: remit -------------------------------------------------------------------------
def county_income(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    lots = book.lots
    assert lots is not None
    city = w.account(w.city.code, a.fund, "income")
    assert city is not None
    if book.last_day is not None and ym == w.months[-1]:
        return  # the stale account: its statements (and its remittance) stop
    f = sim.faults.find(REMIT_FAULTS, account=a.number, month=ym)
    kind = f.kind if f else ""
    dl = w.remit_deadline(ym)
    rng = w.rng("remit", a.number, ym)
    clean = rng.choice(w.window(date(ym[0], ym[1], w.rules.remit.cutoff_day + 1), dl))
    remark = f"上解{ym[0]}年{ym[1]:02d}月{fund_word(w, a.fund)}保险费收入"

    def pay(*, share: int = 100, extra: int = 0, all_open: bool = False, drop: bool = False, less: int = 0):
        def act(d: date) -> None:
            amount = lots.open_booked_by(d) if all_open else lots.open_due_by(dl)
            amount = amount * share // 100 + extra - less
            if amount <= 0:
                return
            tag = sim.ledger.transfer(a, ref(city), d, amount, "上解", remark, drop_credit=drop)
            lots.consume(d, amount, tag)
            if drop:
                sim.direct("unconfirmed", None, a, d, amount, "unconfirmed_leg")
        return act

    if kind == "missing_remittance":
        return
    if kind == "late_remittance":
        book.schedule(w.add_wd(dl, rng.randint(1, 4)), pay())
    elif kind == "partial_remittance":
        book.schedule(clean, pay(share=rng.randint(55, 90)))
    elif kind == "split_remittance":
        early = w.window(date(ym[0], ym[1], 8), date(ym[0], ym[1], 14))
        book.schedule(rng.choice(early), pay())
        book.schedule(clean, pay())
    elif kind == "over_remittance":
        book.schedule(clean, pay(all_open=True, extra=max(book.opening // 4, 100_000)))
    elif kind in ("misdirected_fund", "misdirected_entity"):
        wrong = (w.account(w.city.code, _other_fund(w, a.fund), "income") if kind == "misdirected_fund"
                 else w.registry.account(str(f.extra["receiver"])) if f else None)
        if wrong is None:
            book.schedule(clean, pay())
            sim.faults.skipped.append(kind)
        else:
            pct = rng.randint(10, 30)

            def misdirect(d: date, wrong: Account = wrong) -> None:
                due = lots.open_due_by(dl)
                x = min(due * pct // 100, max(book.opening // 3, 1))
                sim.ledger.transfer(a, ref(wrong), d, x, "上解", remark)
                sim.direct("misdirected", "remit", a, d, x, kind)
                pay(less=x)(d)  # the rest, on time; the misdirected part is paid again later
                book.schedule(w.add_wd(dl, 2), pay())
            book.schedule(clean, misdirect)
    elif kind == "leak":
        d = rng.choice(w.window(date(ym[0], ym[1], 2), date(ym[0], ym[1], 10)))
        x = max(book.opening // 3, 1) // 100 * 100
        company, number = names.employer(rng, ""), names.account_number(rng)

        def leak(day: date) -> None:
            sim.ledger.transfer(a, (number, company), day, x, "转账", "工程款")
            sim.direct("leak", None, a, day, x, "leak")
        book.schedule(d, leak)
        book.schedule(clean, pay())
    elif kind == "unconfirmed_leg":
        book.schedule(clean, pay(drop=True))
    elif kind == "returned_remittance":
        def first(d: date) -> None:
            amount = lots.open_due_by(dl)
            tag = sim.ledger.transfer(a, ref(city), d, amount, "上解", remark, drop_credit=True)
            lots.consume(d, amount, tag)
            book.post(w.add_wd(d, 1), (amount, city.number, city.name, "退汇", "退汇：收款人户名不符", RETURN, tag))
        book.schedule(dl, first)
        book.schedule(w.add_wd(dl, 2), pay())
    elif kind == "holiday_deadline" and f and f.extra.get("rule") == "remit":
        day = w.add_wd(dl, 1) if f.extra.get("late") else dl
        book.schedule(day, pay())
        if not f.extra.get("late"):
            sim.no_finding.append({"fault": "holiday_deadline", "account": a.number, "paid": day.isoformat(),
                                   "nominal": date(ym[0], ym[1], w.rules.remit.due_day).isoformat(),
                                   "check": "remit paid on the rolled deadline: no finding"})
    else:
        book.schedule(clean, pay())
    if kind == "contribution_refund" or (not kind and rng.random() < 0.08):
        _refund(sim, book, ym, record=kind == "contribution_refund")


def _other_fund(w, fund: str) -> str:
    others = [f for f in w.funds if f != fund]
    return others[0] if others else fund


def _refund(sim: Sim, book: Book, ym: YM, *, record: bool) -> None:
    w, a = sim.world, book.acct
    rng = w.rng("refund", a.number, ym)
    fee_days = {d for acct, d, _ in sim.fee_seen if acct == a.number}
    days = [d for d in w.window(date(ym[0], ym[1], 16), date(ym[0], ym[1], 19)) if d not in fee_days]
    if not days:
        return
    d = rng.choice(days)
    paid = [r for day in sorted(book.days) if day < d for r in book.days[day] if r[5] == "contrib" and r[1]]
    if not paid:
        return
    src = rng.choice(paid)
    amount = max(src[0] * rng.randint(20, 100) // 100, 1)

    def act(day: date) -> None:
        book.post(day, (-amount, src[1], src[2], "退费", "多缴社保费退费", REFUND, ""))
        assert book.lots is not None
        book.lots.absorb(day, amount)
    book.schedule(d, act)
    if record:
        sim.no_finding.append({"fault": "contribution_refund", "account": a.number, "date": d.isoformat(),
                               "amount_fen": amount, "counterparty": src[1],
                               "check": "listed as a refund (退费); absorbs lots; no leak, no finding"})


# -- city income: sweep; legacy fiscal: surplus -------------------------------------------------------
def city_income(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    lots = book.lots
    assert lots is not None
    fiscal = w.account(w.city.code, a.fund, "fiscal")
    assert fiscal is not None
    last = w.sweep_deadline(ym)
    remark = f"划转{ym[0]}年{ym[1]:02d}月{fund_word(w, a.fund)}保险基金收入至财政专户"

    def sweep(d: date) -> None:
        amount = lots.open_due_by(last)
        if amount > 0:
            tag = sim.ledger.transfer(a, ref(fiscal), d, amount, "划转", remark)
            lots.consume(d, amount, tag)
    late = sim.faults.find("late_sweep", account=a.number, month=ym)
    book.schedule(w.add_wd(last, 2) if late else last, sweep)


def legacy(sim: Sim, book: Book, ym: YM) -> None:
    w, a = sim.world, book.acct
    for row in sim.surplus:
        if row.account != a.number:
            continue
        due = row.due
        late = sim.faults.find("late_surplus", account=a.number)
        day = w.add_wd(due, 3) if late else w.add_wd(due, -w.rng("surplus", a.number).randint(0, 3))
        if (day.year, day.month) != ym:
            continue
        city = w.account(w.city.code, a.fund, "income")
        assert city is not None
        amount = row.amount_fen

        def act(d: date, city: Account = city, amount: int = amount) -> None:
            sim.ledger.transfer(a, ref(city), d, amount, "划转", "历年滚存结余上划市级")
            sim.surplus_paid.setdefault(a.number, []).append((d, amount))
        book.schedule(day, act)


# -- expense and old county 财政专户: contributions paid into the wrong account ------------------------
def misplaced(sim: Sim, book: Book, ym: YM) -> None:
    """An employer of the county pays its contribution into an expense or legacy fiscal account
    (全部存入原开设的收入户 says: the income account): `misplaced_income` of the receiving account."""
    w, a = sim.world, book.acct
    if not sim.faults.find("misplaced_contribution", account=a.number, month=ym):
        return
    income = w.account(a.entity, a.fund, "income")
    payers = [p for p in sim.rosters.get(income.number, []) if not p.person] if income else []
    rng = w.rng("misplaced", a.number, ym)
    p = rng.choice(payers) if payers else None
    account, name = (p.account, p.name) if p else ("6222" + str(rng.randint(10**14, 10**15 - 1)), "某某有限公司")
    amount = (p.base_fen if p else rng.randint(1000, 9000) * 100) * rng.randint(95, 105) // 100
    d = rng.choice(w.window(date(ym[0], ym[1], 2), date(ym[0], ym[1], 12)))
    remark = f"{ym[0]}年{ym[1]:02d}月{fund_word(w, a.fund)}保险费"

    def act(day: date) -> None:
        book.post(day, (amount, account, name, "社保费", remark, "contrib", ""))
        sim.direct("misplaced_income", None, a, day, amount, "misplaced_contribution")
    book.schedule(d, act)
