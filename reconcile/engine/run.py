"""The whole reconciliation in one short function: classify, pair, age, judge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reconcile.coverage import Coverage, coverage
from reconcile.engine.actuals import MonthActual, month_actuals
from reconcile.engine.carry import AccountCarry, Carry, StatementsCarry, left_out, usable
from reconcile.engine.classify import FEE, INTEREST, PLAIN, REFUND, RETURN, ByAccount, classify, counts_as_disbursement
from reconcile.engine.collections import check_collections
from reconcile.engine.condense import DayCredits
from reconcile.engine.context import Settings, Snapshot, statement_window
from reconcile.engine.findings import Outcome
from reconcile.engine.flows import check_lines, check_transfers
from reconcile.engine.pairing import pair_transfers
from reconcile.engine.parties import POOLED
from reconcile.engine.plans import AccountKeeping, check_plans, force_by_group, in_force, plans_in_force
from reconcile.engine.statements import check_statements, statements_at
from reconcile.engine.types import ClassedLine, Finding, Obligation, PaymentPlan
from reconcile.model import Line, StoredStatement


@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    obligations: list[Obligation]
    contributions: dict[tuple[str, int], int]  # (county income account, year) -> fen collected to A
    actuals: list[MonthActual] = field(default_factory=list)  # per entity, fund, month: budget execution, gap
    carried: Carry | None = None  # what to start the next night from (`cut`), reconcile.engine.carry: the
    # `carry` given when every account started from it and `cut` is its day (the same state)
    resumed: tuple[str, ...] = ()  # the expense accounts this run started from a carried state


def reconcile(snap: Snapshot, s: Settings) -> list[Finding]:
    """Every finding at `snap.as_of`, sorted by key."""
    return reconcile_all(snap, s).findings


def reconcile_all(snap: Snapshot, s: Settings, carry: Carry | None = None, changed_from: date | None = None,
                  cut: date | None = None) -> Result:
    """Every finding and every obligation's standing at `snap.as_of`. Deterministic: the same
    snapshot in any line order gives the same result.

    `carry`: what an earlier run decided before its restart day (reconcile.engine.carry), used
    where still exact given `changed_from`, the first booking day of a line changed since that
    run (None: nothing is used); the result is the same as without it. `cut`: a restart day for
    the next run, whose carried state the result gives (`Result.carried`)."""
    carried = starting(s, carry, changed_from, snap.plans, snap.as_of)
    if not snap.without_payments <= carried.keys():  # the reading left out payments this run needs
        raise ValueError(f"payments left out of the snapshot of accounts not carried: "
                         f"{sorted(snap.without_payments - carried.keys())}")
    lines = _booked(snap)
    if carry is not None and carried:
        lines = left_out(lines, carried, carry.cut)
    mine: dict[str, list[StoredStatement]] = {}
    for st in statement_window(snap.statements, snap.as_of):
        mine.setdefault(st.statement.account, []).append(st)
    before = _statements_before(snap, carry)
    cov: dict[str, Coverage] = {}
    for acct in s.registry.accounts:
        earlier = before.get(acct.number)
        cov[acct.number] = coverage(acct.number, mine.get(acct.number, []), s.calendar,
                                    earlier.coverage if earlier else None)
    by_account = _classify(lines, s)
    transfers = pair_transfers(by_account, s.registry, s.calendar, s.rules.transit_window)
    starts = [c.first_day for c in cov.values() if c.first_day is not None]
    start = min(starts) if starts else snap.as_of
    by_id = {ln.id: ln for ln in lines}
    condensed: dict[str, list[DayCredits]] = {}
    for dc in snap.condensed:
        if dc.day <= snap.as_of:  # type: ignore[operator]
            condensed.setdefault(dc.account, []).append(dc)
            by_id[dc.first.id] = dc.first
    keeping: dict[str, AccountKeeping] | None = {} if cut is not None else None
    outcome = Outcome.of((
        check_collections(s, snap.as_of, start, by_account, transfers, cov, snap.surplus, by_id, condensed),
        check_plans(s, snap.as_of, snap.plans, by_account, transfers, cov, carried, cut, keeping),
        check_transfers(s, snap.as_of, transfers, cov),
        check_lines(s, by_account),
        check_statements(s, snap.as_of, mine, cov, snap.rejected, before),
    ))
    disbursed: dict[tuple[str, str, str], int] = {}
    for number, ac in carried.items():
        owner = s.registry.account(number)
        assert owner is not None
        for month, fen in ac.disbursed:
            disbursed[(owner.entity, owner.fund, month)] = fen
    kept = None
    if cut is not None and keeping is not None:
        since = carry.cut if carry is not None else None
        statements = statements_at(s, snap.as_of, cut, mine, before, since)
        if (carry is not None and carry.cut == cut and set(carried) == set(carry.accounts) == set(keeping)
                and statements == carry.statements):
            kept = carry  # every account started from it at the same day: the same state again
        else:
            kept = Carry(cut, {n: _carry_of(s, n, k, by_account, carried.get(n), cut) for n, k in keeping.items()
                               if carry is None or n not in carried or carry.cut <= cut}, statements)
    return Result(sorted(outcome.findings, key=lambda f: f.key),
                  sorted(outcome.obligations, key=lambda v: (v.rule, v.entity, v.fund, v.period, v.account)),
                  _contributions(s, by_account, condensed), month_actuals(s.registry, by_account, condensed, disbursed),
                  kept, tuple(sorted(carried)))


def _statements_before(snap: Snapshot, carry: Carry | None) -> dict[str, StatementsCarry]:
    """What the statements before the carried restart day gave, for the accounts whose statements
    the snapshot holds from that day on (`Snapshot.statements_from`, reconcile.engine.carry)."""
    if not snap.statements_from:
        return {}
    if carry is None or not snap.statements_from <= carry.statements.keys() or carry.cut > snap.as_of:
        raise ValueError(f"statements read from the restart day without a state: {sorted(snap.statements_from)}")
    return {n: carry.statements[n] for n in snap.statements_from}


def starting(s: Settings, carry: Carry | None, changed_from: date | None, plans: list[PaymentPlan],
             as_of: date) -> dict[str, AccountCarry]:
    """The expense accounts a run as of `as_of` starts from their carried state (`reconcile_all`):
    those `usable` given `changed_from`, whose plans in force up to the restart day are those the
    state was kept with. The reading may leave their payments before the restart day out
    (`Snapshot.without_payments`, store.inputs), since the run leaves them out."""
    carried: dict[str, AccountCarry] = {}
    if carry is not None:
        force = force_by_group(in_force(plans, as_of))
        for number, ac in usable(s, carry, changed_from, as_of).items():
            acct = s.registry.account(number)
            if acct is not None and ac.plans == plans_in_force(force, acct.entity, acct.fund, carry.cut):
                carried[number] = ac
    return carried


def _carry_of(s: Settings, number: str, k: AccountKeeping, by_account: ByAccount, start: AccountCarry | None,
              cut: date) -> AccountCarry:
    """One expense account's state at `cut` for the next run: the obligations as its payments
    before `cut` left them (those judged for good as their findings and standings), and those
    payments' month sums; the other debits before it are kept."""
    acct = s.registry.account(number)
    assert acct is not None
    disbursed: dict[str, int] = dict(start.disbursed) if start is not None else {}
    kept = []
    for c in by_account.get(number, []):
        ln = c.line
        if ln.booking_date >= cut:
            break  # an account's lines are in date order
        if ln.amount_fen >= 0:
            continue
        if counts_as_disbursement(c):
            month = ln.booking_date.strftime("%Y-%m")
            disbursed[month] = disbursed.get(month, 0) - ln.amount_fen
        else:
            kept.append(ln.id)
    return AccountCarry(number, k.plans, k.carried_obligations(acct.entity, acct.fund), k.duplicates, k.latest,
                        tuple(sorted(disbursed.items())), frozenset(kept), k.decided_months(acct.entity, acct.fund))


def _booked(snap: Snapshot) -> list[Line]:
    """The lines booked on or before `snap.as_of`, in the snapshot's order (`classify` puts each
    account's lines in order, and the accounts in number order)."""
    as_of = snap.as_of
    return [ln for ln in snap.lines if ln.booking_date <= as_of]


def _classify(lines: list[Line], s: Settings) -> ByAccount:
    return classify(lines, s.registry, s.codes, s.calendar, s.rules.return_window, s.rules.refund_lookback_days)


def classed_lines(snap: Snapshot, s: Settings) -> list[ClassedLine]:
    """The fees, interest, returns and refunds booked on or before `snap.as_of`, classed exactly as
    the reconciliation classes them (the report lists them), by class, account, date."""
    by_account = _classify(_booked(snap), s)
    out = []
    for items in by_account.values():
        for c in items:
            if c.cls in (FEE, INTEREST, REFUND) or (c.cls == RETURN and c.return_of is not None):
                ln = c.line
                party = " ".join(p for p in (ln.counterparty_name, ln.counterparty_account) if p)
                words = " / ".join(p for p in (ln.text, ln.remark) if p)
                out.append(ClassedLine(c.cls, ln.account, ln.booking_date, ln.amount_fen, party, words, ln.where))
    for dc in snap.condensed:
        if dc.interest_fen and dc.day <= snap.as_of:  # type: ignore[operator]
            out.append(ClassedLine(INTEREST, dc.account, dc.first.booking_date, dc.interest_fen, "", "",
                                   dc.first.where, day_total=True))
    order = {FEE: 0, INTEREST: 1, RETURN: 2, REFUND: 3}
    return sorted(out, key=lambda x: (order[x.cls], x.account, x.booking_date, x.where))


def _contributions(s: Settings, by_account: ByAccount,
                   condensed: dict[str, list[DayCredits]]) -> dict[tuple[str, int], int]:
    """What each county income account collected per year (for the collection targets): its
    credits other than interest, returns and transfers from pooled accounts."""
    out: dict[tuple[str, int], int] = {}
    for acct in s.registry.accounts:
        if acct.role != "income" or acct.entity == s.city:
            continue
        for dc in condensed.get(acct.number, []):
            key = (acct.number, dc.first.booking_date.year)
            out[key] = out.get(key, 0) + dc.amount_fen - dc.interest_fen
        for c in by_account.get(acct.number, []):
            ln = c.line
            if ln.amount_fen > 0 and c.cls == PLAIN and c.party.kind != POOLED:
                key = (acct.number, ln.booking_date.year)
                out[key] = out.get(key, 0) + ln.amount_fen
    return out

