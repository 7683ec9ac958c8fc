"""Fund, allocate and disburse: obligations set by the approved monthly payment plans, and the
plans' own timeliness (docs/DOMAIN.md: Plan-based).

A payment counts first toward the oldest overdue unsettled obligation of its (rule, entity, fund),
then toward the benefit month it is booked in, then (booked in a month's last days, that month
settled, next month's plan in force) toward the next month; what is left is `over` on its booking
month.
"""

from __future__ import annotations

import bisect
import calendar as _cal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from reconcile.coverage import Coverage
from reconcile.engine.carry import AccountCarry, CarriedObligation, Decided, Plans, sole_expense
from reconcile.engine.classify import ByAccount, counts_as_disbursement
from reconcile.engine.context import Settings, add_months, covered_on, covered_through, month_key, parse_month
from reconcile.engine.findings import Outcome, obligation, simple, transfer
from reconcile.engine.judge import aged, judge, tolerance, view
from reconcile.engine.pairing import Transfer
from reconcile.engine.types import Finding, PaymentPlan
from reconcile.model import Line

PLAN_RULES = ("fund", "allocate", "disburse")


@dataclass(slots=True)
class Payment:
    day: date
    amount: int
    line: Line
    pair: tuple[str, str]  # (sender, receiver) for duplicate detection


@dataclass
class PlanObligation:
    """A plan-based rule's working state for one obligation while the payments are allotted: what is
    due, by when, and the settlements and excess it has been given so far (`settle`). Mutable, and
    private to this module: `_judge` reads it once at the end and returns the result, the frozen
    `Obligation` of reconcile/engine/types.py (its standing for the report), and the findings."""

    rule: str
    entity: str
    fund: str
    month: str
    account: str
    due: int
    deadline: date
    versions: dict[str, int | None]
    settlements: list[tuple[date, int, Line]] = field(default_factory=list)
    excess: list[tuple[date, int, Line]] = field(default_factory=list)

    tolerance: int = 0
    paid: int = 0

    @property
    def remaining(self) -> int:
        return self.due - self.paid

    def settle(self, day: date, amount: int, line: Line) -> None:
        self.settlements.append((day, amount, line))
        self.paid += amount

    @property
    def unsettled(self) -> bool:
        """Money still out beyond the rule's tolerance (a payroll at 99% of the plan is settled)."""
        return self.remaining > self.tolerance


def in_force(plans: list[PaymentPlan], as_of: date) -> dict[tuple[str, str, str], PaymentPlan]:
    """For each (month, entity, fund), the row approved on or before A with the highest version;
    without versions, the latest approved, then the latest submitted."""
    best: dict[tuple[str, str, str], PaymentPlan] = {}
    for row in plans:
        if row.approved is None or row.approved > as_of or row.submitted > as_of:
            continue
        key = (row.month, row.entity, row.fund)
        cur = best.get(key)
        if cur is None or _rank(row) > _rank(cur):
            best[key] = row
    return best


def _rank(row: PaymentPlan) -> tuple[int, date, date]:
    return (row.version if row.version is not None else -1, row.approved or date.min, row.submitted)


def check_plans(s: Settings, as_of: date, plans: list[PaymentPlan], by_account: ByAccount,
                transfers: list[Transfer], coverage: dict[str, Coverage],
                carried: dict[str, AccountCarry] | None = None, cut: date | None = None,
                kept: dict[str, AccountKeeping] | None = None) -> Outcome:
    """The plan-based rules' findings and obligations, and the plans' own timeliness.

    `carried`: the expense accounts whose payments before their restart day are left out of
    `by_account`, with what those payments decided (reconcile.engine.carry). `cut`: a restart day
    for the next night; what each sole expense account's payments before it decided is put in
    `kept` (by account number)."""
    force = in_force(plans, as_of)
    obligations = _obligations(s, force)
    for ob in obligations.values():
        cfg = s.rule(ob.rule)
        ob.tolerance = tolerance(ob.due, cfg.tolerance_fen, cfg.tolerance_bp)
    planned = set(obligations)
    carried = carried or {}
    groups = {("disburse", a.entity, a.fund): a.number for a in s.registry.accounts
              if a.role == "expense" and sole_expense(s, a.number)}
    payments = _payments(s, by_account, transfers, coverage)
    # each group's obligations, in `obligations`' order, kept in step with it by `_resume` and
    # `_allot`: a group's payments look at its own obligations, not at every group's of history
    grouped: dict[tuple[str, str, str], dict[ObligationKey, PlanObligation]] = defaultdict(dict)
    for key, ob in obligations.items():
        grouped[key[:3]][key] = ob
    out: list[Finding] = []
    decided: list[Outcome] = []  # the months the carried states judged for good
    force_of = force_by_group(force)
    for group, pays in sorted(payments.items()):
        number = groups.get(group)
        start = carried.get(number) if number is not None else None
        mine = grouped[group]
        if start is not None:
            decided.append(_resume(s, group, start, obligations, mine, as_of))
            out += start.duplicates
        found, before, latest = _duplicates(s, group[0], pays, start, cut if number is not None else None)
        out += found
        lengths = _allot(s, group, pays, obligations, mine, cut if number is not None else None)
        if number is not None and cut is not None and kept is not None and lengths is not None:
            kept[number] = AccountKeeping(lengths, planned, (*(start.duplicates if start else ()), *before),
                                          latest, plans_in_force(force_of, group[1], group[2], cut),
                                          decided=start.decided if start else (), cut=cut, as_of=as_of)
    each = {key: _judge(s, ob, as_of, coverage)
            for key, ob in sorted(obligations.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[1].month))}
    judged = Outcome.of([*decided, *each.values()])
    if kept is not None:
        for acc in kept.values():
            acc.obligations, acc.judged = obligations, each
    return Outcome(out + judged.findings + late_plans(s, plans, as_of), judged.obligations)


@dataclass
class AccountKeeping:
    """What `check_plans` noted at the restart day for one expense account: each obligation's
    number of settlements and excess entries then (`lengths`, by month), the duplicate findings
    before it and the duplicate window's latest days, the plans in force; `run._carry_of` makes the
    `AccountCarry` once the run is over."""

    lengths: dict[str, tuple[int, int]]
    planned: set[ObligationKey]
    duplicates: tuple[Finding, ...]
    latest: tuple[tuple[tuple[str, str], int, date], ...]
    plans: Plans
    decided: tuple[Decided, ...] = ()  # the months the state started from had judged for good
    cut: date | None = None
    as_of: date | None = None
    obligations: dict[ObligationKey, PlanObligation] = field(default_factory=dict)
    judged: dict[ObligationKey, Outcome] = field(default_factory=dict)  # each obligation's, this run

    def carried_obligations(self, entity: str, fund: str) -> tuple[CarriedObligation, ...]:
        out = []
        done = {d.month for d in self.decided_months(entity, fund)}
        for month, (n_settled, n_excess) in sorted(self.lengths.items()):
            key = ("disburse", entity, fund, month)
            o = self.obligations[key]
            if (n_settled == 0 and n_excess == 0) or month in done:
                continue
            made = None if key in self.planned else (o.account, o.deadline)
            out.append(CarriedObligation(month, tuple(o.settlements[:n_settled]), tuple(o.excess[:n_excess]), made))
        return tuple(out)

    def decided_months(self, entity: str, fund: str) -> tuple[Decided, ...]:
        """The months judged for good at the restart day (reconcile.engine.carry): those the state
        started from, and each obligation of a month before the day's whose deadline is before
        it, settled by the payments before it, judged with its statements through its deadline."""
        out = {d.month: d for d in self.decided}
        if self.cut is None or self.as_of is None or self.cut > self.as_of:
            return tuple(out[m] for m in sorted(out))
        first = month_key(self.cut.year, self.cut.month)
        for month, (n_settled, n_excess) in self.lengths.items():
            key = ("disburse", entity, fund, month)
            o = self.obligations[key]
            judged = self.judged.get(key)
            if (month >= first or o.deadline >= self.cut or o.unsettled or judged is None
                    or (len(o.settlements), len(o.excess)) != (n_settled, n_excess)
                    or len(judged.obligations) != 1 or judged.obligations[0].status == "awaiting_statement"):
                continue
            out[month] = Decided(month, tuple(judged.findings), judged.obligations[0], self.as_of)
        return tuple(out[m] for m in sorted(out))


ForceByGroup = dict[tuple[str, str], list[tuple[str, PaymentPlan]]]


def force_by_group(force: dict[tuple[str, str, str], PaymentPlan]) -> ForceByGroup:
    """The plans in force (`in_force`) by (entity, fund): each (month, row), once for all the groups
    a run asks about (`plans_in_force`), not a scan of every plan of history for each."""
    out: ForceByGroup = defaultdict(list)
    for (month, entity, fund), row in force.items():
        out[(entity, fund)].append((month, row))
    return out


def plans_in_force(force: ForceByGroup, entity: str, fund: str, cut: date) -> Plans:
    """The disburse plans of (entity, fund) in force (`force_by_group`) for the months up to the
    restart day's: what the allotment of the payments before it depended on."""
    last = month_key(cut.year, cut.month)
    return tuple(sorted((month, row.amount_fen, row.approved.isoformat() if row.approved else "", row.version)
                        for month, row in force.get((entity, fund), ()) if month <= last))


def _resume(s: Settings, group: tuple[str, str, str], start: AccountCarry,
            obs: dict[ObligationKey, PlanObligation], mine: dict[ObligationKey, PlanObligation],
            as_of: date) -> Outcome:
    """The group's obligations as the payments before the restart day left them; the months it
    judged for good are taken out of `obs` (and of `mine`, the group's own) and their findings and
    standings returned."""
    rule, entity, fund = group
    for d in start.decided:
        obs.pop((rule, entity, fund, d.month), None)
        mine.pop((rule, entity, fund, d.month), None)
    for c in start.obligations:
        key = (rule, entity, fund, c.month)
        if c.made is not None:
            obs[key] = mine[key] = PlanObligation(rule, entity, fund, c.month, c.made[0], 0, c.made[1], {})
        o = obs[key]
        o.settlements.extend(c.settlements)  # as `settle` one by one
        o.paid += sum(amount for _, amount, _ in c.settlements)
        o.excess.extend(c.excess)
    return Outcome([f for d in start.decided for f in d.findings],
                   [aged(d.standing, d.judged, as_of) for d in start.decided])


ObligationKey = tuple[str, str, str, str]  # (rule, entity, fund, month)


def _obligations(s: Settings, force: dict[tuple[str, str, str], PaymentPlan]) -> dict[ObligationKey, PlanObligation]:
    obs: dict[ObligationKey, PlanObligation] = {}
    by_month_fund: dict[tuple[str, str], list[PaymentPlan]] = defaultdict(list)
    for (month, entity, fund), row in force.items():
        by_month_fund[(month, fund)].append(row)
        y, m = parse_month(month)
        expense = s.registry.first_account(entity, fund, "expense")
        if expense is not None:
            obs[("disburse", entity, fund, month)] = PlanObligation(
                "disburse", entity, fund, month, expense.number, row.amount_fen,
                _deadline(s, "disburse", y, m, [row]), {entity: row.version})
        city_expense = s.registry.first_account(s.city, fund, "expense")
        if entity != s.city and city_expense is not None:
            obs[("allocate", entity, fund, month)] = PlanObligation(
                "allocate", entity, fund, month, city_expense.number, row.amount_fen,
                _deadline(s, "allocate", y, m, [row]), {entity: row.version})
    for (month, fund), rows in by_month_fund.items():
        fiscal = s.registry.first_account(s.city, fund, "fiscal")
        if fiscal is None:
            continue
        y, m = parse_month(month)
        obs[("fund", s.city, fund, month)] = PlanObligation(
            "fund", s.city, fund, month, fiscal.number, sum(r.amount_fen for r in rows),
            _deadline(s, "fund", y, m, rows), {r.entity: r.version for r in rows})
    return obs


def _deadline(s: Settings, rule: str, y: int, m: int, rows: list[PaymentPlan]) -> date:
    nominal = s.nominal(rule, y, m)
    approved = max((r.approved for r in rows if r.approved), default=None)
    if approved is not None and approved > nominal:
        nominal = s.calendar.add_workdays(approved, s.rules.transit_window)
    return nominal + timedelta(days=s.rule(rule).grace_days)


def _payments(s: Settings, by_account: ByAccount, transfers: list[Transfer],
              coverage: dict[str, Coverage]) -> dict[tuple[str, str, str], list[Payment]]:
    out: dict[tuple[str, str, str], list[Payment]] = defaultdict(list)
    for t in transfers:
        if t.status != "allowed" or t.rule not in ("fund", "allocate"):
            continue
        if t.debit is None and covered_on(coverage.get(t.sender.number), t.date):
            continue
        entity = s.city if t.rule == "fund" else t.receiver.entity
        out[(t.rule, entity, t.sender.fund)].append(
            Payment(t.date, t.amount_fen, t.key_line, (t.sender.number, t.receiver.number)))
    in_order: set[tuple[str, str, str]] = set()  # a group all one account's: in (date, fingerprint) order
    for acct in s.registry.accounts:
        if acct.role != "expense":
            continue
        group = ("disburse", acct.entity, acct.fund)
        if group not in out:
            in_order.add(group)
        else:
            in_order.discard(group)
        pays = out[group]
        number = acct.number
        for c in by_account.get(number, []):
            if counts_as_disbursement(c):
                ln = c.line
                pays.append(Payment(ln.booking_date, -ln.amount_fen, ln, (number, ln.counterparty_account or
                                                                             ln.counterparty_name)))
    for group, pays in out.items():
        if group not in in_order:  # an account's debits are already in order (classify)
            pays.sort(key=lambda p: (p.day, p.line.fingerprint))
    return out


def _duplicates(s: Settings, rule: str, pays: list[Payment], start: AccountCarry | None = None,
                cut: date | None = None
                ) -> tuple[list[Finding], list[Finding], tuple[tuple[tuple[str, str], int, date], ...]]:
    """The duplicate payments; with `cut`, also those of the payments before it and the latest
    days then that a payment on or after it may still be a duplicate of."""
    out: list[Finding] = []
    # (pair, amount) -> the day of its latest payment so far: the payments come in date order, so
    # an earlier one is within the window when the latest is
    latest: dict[tuple[tuple[str, str], int], date] = {}
    if start is not None:
        latest = {(pair, amount): day for pair, amount, day in start.latest}
    window: dict[date, date] = {}  # a payroll day's thousands of payments share it
    ahead: list[Finding] | None = None  # the findings of the payments before `cut`
    at_cut: tuple[tuple[tuple[str, str], int, date], ...] = ()
    for p in pays:
        if cut is not None and ahead is None and p.day >= cut:
            ahead, at_cut = list(out), _window_at(s, latest, cut)
        earliest = window.get(p.day)
        if earliest is None:
            earliest = window[p.day] = s.calendar.add_workdays(p.day, -s.rules.duplicate_window)
        key = (p.pair, p.amount)
        before = latest.get(key)
        latest[key] = p.day
        if before is not None and earliest <= before:
            sender = s.registry.account(p.pair[0])
            assert sender is not None
            out.append(transfer("duplicate_payment", rule, sender.entity, sender.fund, sender.number, p.line,
                                p.amount, [p.line]))
    if cut is not None and ahead is None:
        ahead, at_cut = list(out), _window_at(s, latest, cut)
    return out, ahead or [], at_cut


def _window_at(s: Settings, latest: dict[tuple[tuple[str, str], int], date],
               cut: date) -> tuple[tuple[tuple[str, str], int, date], ...]:
    """The latest days a payment on or after `cut` can be a duplicate of (within the window of
    `cut` itself: a later payment's window starts no earlier)."""
    earliest = s.calendar.add_workdays(cut, -s.rules.duplicate_window)
    return tuple(sorted((pair, amount, day) for (pair, amount), day in latest.items() if day >= earliest))


def _allot(s: Settings, group: tuple[str, str, str], pays: list[Payment],
           obs: dict[ObligationKey, PlanObligation], mine: dict[ObligationKey, PlanObligation],
           cut: date | None = None) -> dict[str, tuple[int, int]] | None:
    """Each payment to its obligations (`obs`; `mine`: the group's own, in the same order, kept in
    step). With `cut`: each of the group's obligations' number of settlements and excess entries
    when the first payment on or after `cut` came (by month)."""
    rule, entity, fund = group
    lengths: dict[str, tuple[int, int]] | None = None
    # Catch-up looks at the overdue unsettled obligations, oldest month first. Payments come in
    # date order, so an obligation joins `overdue` once (when its deadline is passed) and leaves
    # it for good when settled: each payment looks at a few obligations, not at all of history.
    by_deadline = sorted(mine.values(), key=lambda o: (o.deadline, o.month))
    waiting = 0
    overdue: list[PlanObligation] = []  # in month order
    months: dict[date, tuple[ObligationKey, ObligationKey, bool]] = {}  # a payroll day's payments share them
    for p in pays:
        left, day = p.amount, p.day
        if cut is not None and lengths is None and day >= cut:
            lengths = _lengths(mine)
        got = months.get(day)
        if got is None:
            got = months[day] = ((rule, entity, fund, month_key(day.year, day.month)),
                                 (rule, entity, fund, month_key(*add_months(day.year, day.month, 1))),
                                 day.day > _cal.monthrange(day.year, day.month)[1] - s.rules.early_funding_days)
            while waiting < len(by_deadline) and by_deadline[waiting].deadline < day:  # (a new day)
                if by_deadline[waiting].unsettled:
                    bisect.insort(overdue, by_deadline[waiting], key=lambda o: o.month)
                waiting += 1
        booking, following, last_days = got
        for o in overdue:
            if left == 0:
                break
            if o.unsettled:
                take = min(left, o.remaining)
                o.settle(day, take, p.line)
                left -= take
        if overdue and not all(o.unsettled for o in overdue):
            overdue = [o for o in overdue if o.unsettled]
        this = obs.get(booking)
        if left and this is not None and this.remaining > 0:
            take = min(left, this.remaining)
            this.settle(day, take, p.line)
            left -= take
        if left and last_days and this is not None and not this.unsettled:
            nxt = obs.get(following)
            take = min(left, nxt.remaining) if nxt is not None else 0
            if nxt is not None and take > 0:
                nxt.settle(day, take, p.line)
                left -= take
        if left:
            if this is None:
                account = _owing_account(s, rule, entity, fund)
                this = obs[booking] = mine[booking] = PlanObligation(  # nothing due: never unsettled
                    rule, entity, fund, booking[3], account, 0, s.deadline(rule, day.year, day.month), {})
            this.excess.append((day, left, p.line))
    if cut is not None and lengths is None:
        lengths = _lengths(mine)
    return lengths


def _lengths(mine: dict[ObligationKey, PlanObligation]) -> dict[str, tuple[int, int]]:
    return {k[3]: (len(o.settlements), len(o.excess)) for k, o in mine.items()}


def _owing_account(s: Settings, rule: str, entity: str, fund: str) -> str:
    if rule == "fund":
        acct = s.registry.first_account(s.city, fund, "fiscal")
    elif rule == "allocate":
        acct = s.registry.first_account(s.city, fund, "expense")
    else:
        acct = s.registry.first_account(entity, fund, "expense")
    return acct.number if acct else ""


def _judge(s: Settings, o: PlanObligation, as_of: date, coverage: dict[str, Coverage]) -> Outcome:
    if o.deadline > as_of:
        return Outcome()
    cfg = s.rule(o.rule)
    tol = tolerance(o.due, cfg.tolerance_fen, cfg.tolerance_bp)
    lines = [ln for _, _, ln in o.settlements] + [ln for _, _, ln in o.excess]
    version = o.versions.get(o.entity) if o.rule != "fund" else None
    detail: dict[str, object] = {"plan_versions": o.versions, "due_fen": o.due, "deadline": o.deadline.isoformat()}
    if o.rule != "fund":
        detail["plan_version"] = version
    settled = [(d, a) for d, a, _ in o.settlements]
    excess = sum(a for _, a, _ in o.excess)
    if o.due > 0 and not covered_through(coverage.get(o.account), o.deadline):
        return Outcome(
            [obligation("awaiting_statement", o.rule, o.entity, o.fund, o.month, o.account, o.due, None, lines,
                        None, **detail)],
            [view(o.rule, o.entity, o.fund, o.month, o.account, o.due, settled, excess, o.deadline, as_of, None,
                  awaiting=True, plan_version=version)])
    verdict = judge(o.due, settled, excess, o.deadline, as_of, tol,
                    short_kind="short_disbursement" if o.rule == "disburse" else None)
    standing = [view(o.rule, o.entity, o.fund, o.month, o.account, o.due, settled, excess, o.deadline, as_of,
                     verdict, plan_version=version)]
    if verdict is None:
        return Outcome([], standing)
    return Outcome([obligation(verdict.kind, o.rule, o.entity, o.fund, o.month, o.account, verdict.amount_fen,
                               verdict.days_late, lines, None, **detail)], standing)


def late_plans(s: Settings, plans: list[PaymentPlan], as_of: date) -> list[Finding]:
    known = [p for p in plans if p.submitted <= as_of]
    if not known:
        return []
    first_month = min(p.month for p in known)
    sent: dict[tuple[str, str, str], list[PaymentPlan]] = defaultdict(list)
    for p in known:
        sent[(p.month, p.entity, p.fund)].append(p)
    pairs = sorted({(a.entity, a.fund) for a in s.registry.accounts if a.role == "expense"})
    city_from = _city_sends(s, known)
    out: list[Finding] = []
    y, m = parse_month(first_month)
    while True:
        py, pm = add_months(y, m, -1)
        deadline = s.deadline("plan", py, pm)
        if deadline > as_of:
            break
        month = month_key(y, m)
        for entity, fund in pairs:
            if entity == s.city and not (fund in city_from and city_from[fund] <= month):
                continue
            rows = sent.get((month, entity, fund), [])
            if not rows:
                out.append(simple("late_plan", f"{entity}|{fund}|{month}", entity=entity, fund=fund, period=month,
                                  days_late=(as_of - deadline).days, rule="plan", deadline=deadline.isoformat(),
                                  never_sent=True))
                continue
            first = min(rows, key=lambda r: (r.version if r.version is not None else -1, r.submitted))
            if first.submitted > deadline:
                out.append(simple("late_plan", f"{entity}|{fund}|{month}", entity=entity, fund=fund, period=month,
                                  days_late=(first.submitted - deadline).days, rule="plan",
                                  deadline=deadline.isoformat(), plan_version=first.version,
                                  lines=[f"{first.file_name}:{first.source}"]))
        y, m = add_months(y, m, 1)
    return out


def _city_sends(s: Settings, known: list[PaymentPlan]) -> dict[str, str]:
    """docs/DOMAIN.md, Cases decided later (who sends plans): every county sends a line per fund and month;
    the city's own line is expected only once the city has sent one for that fund: from the benefit
    month of its first line of that fund known at A. Fund -> that month."""
    out: dict[str, str] = {}
    for p in known:
        if p.entity == s.city and (p.fund not in out or p.month < out[p.fund]):
            out[p.fund] = p.month
    return out
