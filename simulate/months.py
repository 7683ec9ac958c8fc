"""The simulation loop: open every account's book, then month by month let each holder act and
write the month's statements, in an order that lets every account close its month as soon as
nobody can still pay into it (county income accounts first: they hold most of the lines).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconcile.accounts import Account
from simulate import actors, payments
from simulate.cashiers import Cashiers
from simulate.faults import FaultPlan
from simulate.flows import contributions, make_plans, roster
from simulate.ledger import RETURN, Book, Ledger
from simulate.lots import LotBook
from simulate.plans import SimPlan
from simulate.statements import StatementWriter
from simulate.world import YM, World, month_end, next_ym, ym_str


@dataclass(frozen=True)
class SimSurplus:
    """A row of the surplus schedule (历年滚存结余上划): the sending account's opening balance."""

    entity: str
    fund: str
    amount_fen: int
    due: date
    account: str


class Sim:
    def __init__(self, world: World, faults: FaultPlan, out: Path, banks_dir: Path, lines_per_month: int) -> None:
        self.world, self.faults = world, faults
        self.writer = StatementWriter(world, out, banks_dir, faults)
        self.cashiers = Cashiers(world, banks_dir.parent / "books")  # the agencies' bank journals
        self.ledger = Ledger(world, self.writer.ref_strength)
        self.xfers: dict[str, list[tuple[str, str, date, int]]] = {"fund": [], "allocate": [], "disburse": []}
        self.direct_findings: list[dict[str, object]] = []
        self.no_finding: list[dict[str, object]] = []
        self.fee_seen: list[tuple[str, date, int]] = []
        self.fund_day: dict[tuple[str, YM], date] = {}
        self.surplus_paid: dict[str, list[tuple[date, int]]] = {}
        self.city_payees = max(5, lines_per_month // 100)
        w = world
        self.rosters = {a.number: roster(w, a, lines_per_month) for a in w.accounts("income")}
        plan_months = [*w.months, next_ym(w.months[-1])]
        skip = {(f.entity, f.month) for f in faults.of("plan_never_sent") if f.month}
        late = {(f.entity, f.month) for f in faults.of("late_plan") if f.month}
        silent = frozenset((f.entity, f.fund, ym) for f in faults.of("city_plan_starts_late") for ym in plan_months
                           if f.month is None or ym < f.month)
        self.plans = make_plans(w, self.rosters, plan_months, skip, late, silent)
        for f in faults.of("plan_revised"):
            assert f.month is not None
            v1 = self.plans.first(f.entity, f.fund, f.month)
            if v1 is None:
                continue
            approved = w.add_wd(w.nominal("fund", f.month), 1)
            f.extra["approved"] = approved
            self.plans.add(SimPlan(f.month, f.entity, f.fund, v1.amount_fen * 103 // 100, w.add_wd(approved, -1),
                                   approved, 2))
        self.surplus: list[SimSurplus] = []
        self._open_books()

    def _monthly_plan(self, fund: str, entity: str | None = None) -> int:
        ym = self.world.months[0]
        ents = [entity] if entity else [e.code for e in self.world.registry.entities]
        return sum(r.amount_fen for e in ents for r in self.plans.rows.get((e, fund, ym), [])[:1])

    def _open_books(self) -> None:
        w = self.world
        stale = self.faults.find("stale_account")
        due = w.months[1] if len(w.months) > 1 else w.months[0]
        for a in w.registry.accounts:
            rng = w.rng("opening", a.number)
            lots = None
            if a.role == "income":
                level = w.registry.entity(a.entity).level
                opening = rng.randint(300_000, 1_000_000) * 100 * (3 if level == "city" else 1)
                lots = LotBook(w.remit_due_of_lot if level == "county" else w.sweep_due_of_lot)
            elif a.role == "fiscal":
                opening = 24 * self._monthly_plan(a.fund) + rng.randint(0, 10**9)
            elif a.role == "expense":
                is_city = a.entity == w.city.code
                opening = (2 * self._monthly_plan(a.fund) if is_city else self._monthly_plan(a.fund, a.entity))
                opening += rng.randint(100_000, 1_000_000) * 100
            else:
                opening = rng.randint(2_000_000, 8_000_000) * 100
                self.surplus.append(SimSurplus(a.entity, a.fund, opening, w.last_workday(due), a.number))
            book = self.ledger.add(a, opening, lots)
            if stale and stale.account == a.number:
                book.last_day = w.add_wd(w.as_of, -10)
                stale.extra["last_day"] = book.last_day

    def direct(self, kind: str, rule: str | None, a: Account, d: date, amount: int, fault: str) -> None:
        self.direct_findings.append({"kind": kind, "rule": rule, "entity": a.entity, "fund": a.fund,
                                     "account": a.number, "period": ym_str((d.year, d.month)),
                                     "amount_fen": amount, "days_late": None, "fault": fault})

    # -- the loop -------------------------------------------------------------------------------------
    def run(self) -> None:
        w = self.world
        books = self.ledger.books
        by_role = lambda role, level=None: [books[a.number] for a in w.accounts(role, level)]  # noqa: E731
        for ym in w.months:
            for b in by_role("legacy_fiscal"):
                actors.legacy(self, b, ym)
                actors.misplaced(self, b, ym)
                self._run(b, ym)
                self._close(b, ym)
            for b in by_role("income", "county"):
                contributions(w, b, self.rosters[b.acct.number], ym, b.last_day)
                actors.interest_and_fee(self, b, ym)
                actors.county_income(self, b, ym)
                self._run(b, ym)
                self._close(b, ym)
            for b in by_role("income", "city"):
                contributions(w, b, self.rosters[b.acct.number], ym, b.last_day)
                actors.interest_and_fee(self, b, ym)
                actors.city_income(self, b, ym)
                self._run(b, ym)
                self._close(b, ym)
            for b in by_role("fiscal"):
                actors.interest_and_fee(self, b, ym)
                payments.fiscal(self, b, ym)
                self._run(b, ym)
                self._close(b, ym)
            expense = by_role("expense", "city") + by_role("expense", "county")
            for b in expense:
                actors.interest_and_fee(self, b, ym)
                (payments.city_expense if b.acct.entity == w.city.code else payments.county_expense)(self, b, ym)
                actors.misplaced(self, b, ym)
                self._run(b, ym)
            for b in expense:
                self._close(b, ym)

    def _run(self, book: Book, ym: YM) -> None:
        """The month's days in order: a day's credits make lots first, then the day's actions."""
        lots = book.lots
        for d in self.world.workdays(ym):
            if lots is not None:
                for raw in book.days.get(d, ()):
                    if raw[0] > 0:
                        if raw[5] == RETURN:
                            lots.reinstate(raw[6])
                        else:
                            lots.credit(d, raw[0])
            for fn in book.actions.pop(d, []):
                fn(d)
        end = month_end(ym)
        if any(d <= end for d in book.actions):
            raise AssertionError(f"{book.acct.number}: an action on a non-working day")

    def _close(self, book: Book, ym: YM) -> None:
        days = self.ledger.close_month(book, ym)
        self.cashiers.month(book.acct, ym, days, book.last_day)
        self.writer.emit(book.acct, ym, days, book.last_day)
