"""What the disburse rule decided before a restart day, carried to the next night (issue 18).

Nine lines in ten the engine classes are an expense account's benefit payments. A payment booked
before the restart day K (the first of a month) matters afterwards only through what it gave:
its obligations' settlements and excess (with its line, which the findings list), the duplicate
findings and the duplicate window of the payments after K, and its month's disbursed actual. The
night that kept them (`Result.carried`) saw the same ledger before K; the next night leaves those
payments out of its run and starts each expense account's allotment from the kept state.

Exact when, for the account:
- no line booked before `add_workdays(K - 1, return_window)` changed since (a later return
  credit could reverse a payment before K; `changed_from` is the first booking day that did);
- the plans in force for its (entity, fund), months up to K's, are those it was kept with
  (their amounts, approval days and versions decide every allotment before K);
- the rules, calendar, registry and codes are the same (the store keeps a digest of them);
- it is the only expense account of its (entity, fund).
Otherwise the account runs from its first line as before, and keeps a new state for next time.

The debits before K that did not count as a payment (a fee, a transfer leg, a returned payment)
stay in the run (`kept`): a return credit takes the same debit with or without the payments left
out, since a payment left out was never returned and a return takes the latest free debit.

A month decided (`Decided`): an obligation of a month before K's, its deadline before K, settled
by the payments before K (what is left is within the rule's tolerance) and its account's
statements covering it through its deadline, is judged for good. No payment on or after K can
reach it (catch-up takes only unsettled obligations; a payment counts toward its own booking month
or the next), its settlements and excess are all before K and so before any as-of date the state
is used for, and its coverage only grows while the state is usable (a statement stored since for a
day before K makes it unusable). So its finding and standing are kept as they were judged, the
standing's fen-days aged to the night's as-of date (`judge.aged`: only the amount left within the
tolerance ages), and its settlements are not kept: they are neither read nor judged again. The
same conditions that make the state usable reopen it (the account then runs from its first line).

The statements (`StatementsCarry`, every account): what an account's end-of-day statements
beginning before K gave, its coverage, the balance chain's last link and the balance breaks found,
when each of them ended before K. Statements are only ever added (a file read again with changed
bytes takes its old row's statements away: the store then drops every account's state), so that
is the same the next night unless a statement beginning before K was stored since (the store
marks that account's state stale, `store.carry.read_carry`: the run reads all its statements and
makes its state again, and the state read is kept again only when the new one equals it). Exact
because coverage and the chain are a fold over the statements in period order: those beginning
on or after K come after them all, and their days after the last day of those
(`reconcile.coverage`). A run as of a day before K, or for an account without a state, reads all
of an account's statements (`statements_from`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from reconcile.coverage import Coverage, Link
from reconcile.engine.context import Settings
from reconcile.engine.types import Finding, Obligation
from reconcile.model import Line

Plans = tuple[tuple[str, int, str, int | None], ...]  # (month, amount, approved, version) in force


@dataclass(frozen=True)
class CarriedObligation:
    """One disburse obligation's settlements and excess from the payments before the restart day."""

    month: str
    settlements: tuple[tuple[date, int, Line], ...]
    excess: tuple[tuple[date, int, Line], ...]
    made: tuple[str, date] | None = None  # (account, deadline): no plan, made for an excess


@dataclass(frozen=True)
class Decided:
    """A disburse obligation's month judged for good before the restart day (see above): its
    finding (a late or over payment; none when paid on time) and its standing."""

    month: str
    findings: tuple[Finding, ...]
    standing: Obligation
    judged: date  # the as-of date of the standing


@dataclass(frozen=True)
class AccountCarry:
    """What one expense account's payments before the restart day decided."""

    account: str
    plans: Plans
    obligations: tuple[CarriedObligation, ...]
    duplicates: tuple[Finding, ...]  # duplicate_payment findings of payments before the day
    latest: tuple[tuple[tuple[str, str], int, date], ...]  # (pair, amount) -> its latest payment's day
    disbursed: tuple[tuple[str, int], ...]  # (booking month, fen) of the months before the day
    kept: frozenset[int]  # the debits before the day that did not count as a payment
    decided: tuple[Decided, ...] = ()  # the months judged for good, not in `obligations`


@dataclass(frozen=True)
class StatementsCarry:
    """What one account's end-of-day statements beginning before the restart day gave (each of
    them ended before it): the days they cover, the chain's last link and their balance breaks."""

    coverage: Coverage  # its `covered` a reconcile.coverage.Days
    link: Link | None
    findings: tuple[Finding, ...]  # balance_break findings, in the order the run found them


@dataclass(frozen=True)
class Carry:
    cut: date  # the restart day K, the first of a month
    accounts: dict[str, AccountCarry]
    statements: dict[str, StatementsCarry] = field(default_factory=dict)
    # accounts whose statements' state a statement stored since makes inexact (store.carry), not kept
    stale: frozenset[str] = frozenset()


def statements_from(carry: Carry | None, as_of: date) -> frozenset[str]:
    """The accounts a run as of `as_of` reads only the statements of from the restart day on: those
    with a state not stale, when the restart day is not after `as_of` (the statements the state
    stands for all ended before it, so the run's window does not cut them)."""
    if carry is None or carry.cut > as_of:
        return frozenset()
    return frozenset(carry.statements) - carry.stale


def restart_day(s: Settings, as_of: date, margin_days: int = 7) -> date:
    """The latest first of a month K with `add_workdays(K - 1, return_window)` at least
    `margin_days` before `as_of`: the next night can start there unless a line booked within
    that margin (a late statement) changed."""
    k = date(as_of.year, as_of.month, 1)
    while s.calendar.add_workdays(k - timedelta(days=1), s.rules.return_window) > as_of - timedelta(days=margin_days):
        k = date(k.year - 1, 12, 1) if k.month == 1 else date(k.year, k.month - 1, 1)
    return k


def usable(s: Settings, carry: Carry | None, changed_from: date | None, as_of: date) -> dict[str, AccountCarry]:
    """The accounts whose kept state this run can start from (the plans are checked later, by the
    disburse rule): nothing booked before the return window after K changed, K not after A + 1."""
    if carry is None or changed_from is None:
        return {}
    changed = min(changed_from, as_of + timedelta(days=1))
    if not s.calendar.add_workdays(carry.cut - timedelta(days=1), s.rules.return_window) < changed:
        return {}
    out = {}
    for number, ac in carry.accounts.items():
        acct = s.registry.account(number)
        if acct is not None and acct.role == "expense" and sole_expense(s, number):
            out[number] = ac
    return out


def sole_expense(s: Settings, number: str) -> bool:
    """Is this the only expense account of its (entity, fund)?"""
    acct = s.registry.account(number)
    return acct is not None and sum(1 for a in s.registry.accounts if a.role == "expense" and a.entity == acct.entity
                                    and a.fund == acct.fund) == 1


def left_out(lines: list[Line], carried: dict[str, AccountCarry], cut: date) -> list[Line]:
    """The lines without the payments the carried state stands for: an account's debits before
    the restart day, but those kept."""
    if not carried:
        return lines
    return [ln for ln in lines if not (ln.booking_date < cut and ln.amount_fen < 0 and ln.account in carried
                                       and ln.id not in carried[ln.account].kept)]
