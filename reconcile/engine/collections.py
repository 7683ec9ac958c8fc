"""Remit, sweep and surplus: obligations that accrue from collections, aged first-in first-out."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from reconcile.accounts import Account
from reconcile.coverage import Coverage
from reconcile.engine.ageing import ABSORB, SETTLE, Consumer, Lot, ObligationAcc, age
from reconcile.engine.classify import FEE, REFUND, RETURN, ByAccount, Classified
from reconcile.engine.condense import DayCredits
from reconcile.engine.context import (
    Settings,
    add_months,
    covered_on,
    covered_through,
    month_key,
    months_between,
)
from reconcile.engine.findings import Outcome, obligation
from reconcile.engine.judge import judge, tolerance, view
from reconcile.engine.pairing import Transfer
from reconcile.engine.parties import on_route
from reconcile.engine.types import SurplusItem
from reconcile.model import Line


def check_collections(
    s: Settings, as_of: date, start: date, by_account: ByAccount, transfers: list[Transfer],
    coverage: dict[str, Coverage], surplus: list[SurplusItem], lines_by_id: dict[int, Line],
    condensed: dict[str, list[DayCredits]] | None = None,
) -> Outcome:
    """The remit, sweep and surplus rules' findings and obligations, account by account. Each
    account sees only the transfers it sent (`sent`, in `transfers`' order): a scan of every
    transfer for each account grew with history times the accounts (issue 18)."""
    sent: dict[str, list[Transfer]] = {}
    for t in transfers:
        sent.setdefault(t.sender.number, []).append(t)
    parts: list[Outcome] = []
    for acct in s.registry.accounts:
        if acct.role == "income":
            rule = "sweep" if acct.entity == s.city else "remit"
            items = [x for x in surplus if x.account == acct.number]
            parts.append(_aged(s, rule, acct, as_of, start, by_account.get(acct.number, []),
                               sent.get(acct.number, []), coverage, items, lines_by_id,
                               (condensed or {}).get(acct.number, [])))
        elif acct.role == "legacy_fiscal":
            items = [x for x in surplus if x.account == acct.number]
            parts.append(_legacy(s, acct, as_of, sent.get(acct.number, []), coverage, items, lines_by_id))
    return Outcome.of(parts)


@functools.lru_cache(maxsize=8192)
def _period_of_lot(s: Settings, rule: str, booked: date) -> str:
    if rule == "remit":
        y, m = (booked.year, booked.month) if booked.day <= s.rule("remit").cutoff_day else add_months(
            booked.year, booked.month, 1)
        return month_key(y, m)
    if booked <= s.last_workday(booked.year, booked.month):
        return month_key(booked.year, booked.month)
    return month_key(*add_months(booked.year, booked.month, 1))


def _excess_period(s: Settings, rule: str, day: date) -> str:
    """The period of the first deadline on or after `day`: a deadline rolled into the next month
    (25 January 2009 -> 1 February) is still its own month's (docs/DOMAIN.md, Cases decided later)."""
    prev = add_months(day.year, day.month, -1)
    if day <= s.deadline(rule, *prev):
        return month_key(*prev)
    if day <= s.deadline(rule, day.year, day.month):
        return month_key(day.year, day.month)
    return month_key(*add_months(day.year, day.month, 1))


def _sender_consumers(s: Settings, acct: Account, items: list[Classified], sent: list[Transfer],
                      rules: tuple[str, ...], coverage: dict[str, Coverage]) -> list[Consumer]:
    """What consumed the account's lots: the transfers it sent (`sent`: those whose sender it is)
    on the rules' routes, its fees and refunds, and its returned debits along the route."""
    out = []
    for t in sent:
        if t.status != "allowed" or t.rule not in rules:
            continue
        if t.debit is None and covered_on(coverage.get(acct.number), t.date):
            continue  # the sender's statement covers that day and shows no debit: settles nothing
        ln = t.key_line
        out.append(Consumer(t.date, ln.fingerprint, t.amount_fen, SETTLE, ln.id))
    for c in items:
        ln = c.line
        if not c.is_debit:
            continue
        if c.cls in (FEE, REFUND):
            out.append(Consumer(ln.booking_date, ln.fingerprint, -ln.amount_fen, ABSORB, ln.id))
        elif c.returned_by is not None and c.party.account is not None and on_route(acct, c.party.account, s.city):
            # A returned debit along the route consumed lots until its return gave them back.
            out.append(Consumer(ln.booking_date, ln.fingerprint, -ln.amount_fen, SETTLE, ln.id,
                                returned_on=c.returned_by.booking_date))
    return out


def _day_lots(s: Settings, rule: str, items: list[Classified], condensed: list[DayCredits]) -> list[Lot]:
    """The account's lots, one per booking day: the lots of one day share their due date and FIFO
    takes them together (in fingerprint order), so merging them changes no amount and saves a
    Python object per contribution. The first lines of each day are kept for the report."""
    by_day: dict[date, Lot] = {}
    for c in items:  # items are in (date, fingerprint) order
        if c.is_debit or (c.cls == RETURN and c.return_of is not None):
            continue
        ln = c.line
        lot = by_day.get(ln.booking_date)
        if lot is None:
            by_day[ln.booking_date] = Lot(ln.booking_date, ln.fingerprint, _period_of_lot(s, rule, ln.booking_date),
                                          ln.amount_fen, ln.amount_fen, ln.id)
        else:
            lot.amount += ln.amount_fen
            lot.remaining += ln.amount_fen
    for dc in condensed:  # credits the loader already summed per day (reconcile.engine.condense)
        day = dc.first.booking_date
        lot = by_day.get(day)
        if lot is None:
            by_day[day] = Lot(day, dc.first.fingerprint, _period_of_lot(s, rule, day), dc.amount_fen, dc.amount_fen,
                              dc.first.id)
        else:
            lot.amount += dc.amount_fen
            lot.remaining += dc.amount_fen
    return sorted(by_day.values(), key=lambda lot: lot.booked)


def _aged(s: Settings, rule: str, acct: Account, as_of: date, start: date, items: list[Classified],
          sent: list[Transfer], coverage: dict[str, Coverage], surplus: list[SurplusItem],
          lines_by_id: dict[int, Line], condensed: list[DayCredits]) -> Outcome:
    lots = _day_lots(s, rule, items, condensed)
    for i, item in enumerate(surplus):
        lots.append(Lot(date.min, f"{i:08d}", f"surplus:{i}", item.amount_fen, item.amount_fen, None, first=True))
    rules = (rule, "surplus") if rule == "remit" else (rule,)
    consumers = _sender_consumers(s, acct, items, sent, rules, coverage)
    acc = age(lots, consumers, lambda d: _excess_period(s, rule, d))
    cov = coverage.get(acct.number)
    first = cov.first_day if cov and cov.first_day else start
    periods = {month_key(y, m) for y, m in months_between(first, as_of)} | {p for p in acc if ":" not in p}
    cfg = s.rule(rule)
    parts: list[Outcome] = []
    for period in sorted(periods):
        y, m = (int(x) for x in period.split("-"))
        deadline = s.deadline(rule, y, m)
        if deadline > as_of or (deadline < first and period not in acc):
            continue
        o = acc.get(period) or ObligationAcc(period)
        parts.append(_judge_one(s, rule, acct, acct.entity, period, o, deadline, as_of, cov, coverage,
                                cfg.tolerance_fen, cfg.tolerance_bp, lines_by_id,
                                previous=s.deadline(rule, *add_months(y, m, -1))))
    for i, item in enumerate(surplus):
        o = acc.get(f"surplus:{i}") or ObligationAcc(f"surplus:{i}", due=item.amount_fen)
        deadline = s.calendar.roll(item.due, s.rules.roll) + timedelta(days=s.rule("surplus").grace_days)
        if deadline > as_of:
            continue
        sc = s.rule("surplus")
        parts.append(_judge_one(s, "surplus", acct, item.entity, item.due.strftime("%Y-%m"), o, deadline, as_of,
                                cov, coverage, sc.tolerance_fen, sc.tolerance_bp, lines_by_id,
                                previous=None))
    return Outcome.of(parts)


def _judge_one(s: Settings, rule: str, acct: Account, entity: str, period: str, o: ObligationAcc, deadline: date,
               as_of: date, cov: Coverage | None, coverage: dict[str, Coverage],
               tol_fen: int, tol_bp: int, lines_by_id: dict[int, Line], previous: date | None) -> Outcome:
    due = o.due - o.absorbed
    settled = [(d, a) for d, a, _ in o.settlements]
    paid = sum(a for _, a in settled)
    if due == 0 and paid == 0 and not o.excess and covered_through(cov, deadline):
        return Outcome()
    behind = [lines_by_id[i] for i in (*o.lot_lines[:50], *(lid for _, _, lid in o.settlements if lid is not None),
                                       *(lid for _, _, lid in o.excess if lid is not None)) if i in lines_by_id]
    tol = tolerance(due, tol_fen, tol_bp)
    if not covered_through(cov, deadline):
        receiver = _route_receiver_coverage(s, acct, coverage)
        horizon = s.calendar.add_workdays(deadline, s.rules.transit_window)
        if not (covered_through(receiver, horizon) and due - paid <= tol and due > 0):
            return Outcome(
                [obligation("awaiting_statement", rule, entity, acct.fund, period, acct.number, due, None, behind)],
                [view(rule, entity, acct.fund, period, acct.number, due, settled, o.excess_fen, deadline, as_of,
                      None, awaiting=True)])
    out = []
    verdict = judge(due, settled, o.excess_fen, deadline, as_of, tol)
    standing = view(rule, entity, acct.fund, period, acct.number, due, settled, o.excess_fen, deadline, as_of,
                    verdict)
    if verdict is not None:
        out.append(obligation(verdict.kind, rule, entity, acct.fund, period, acct.number, verdict.amount_fen,
                              verdict.days_late, behind, due_fen=due, deadline=deadline.isoformat()))
    if rule == "remit" and previous is not None:
        dates = {d for d, _, lid in o.settlements if previous < d <= deadline}
        if len(dates) >= 2:
            out.append(obligation("split", rule, entity, acct.fund, period, acct.number, due, None, behind,
                                  dates=sorted(x.isoformat() for x in dates)))
    return Outcome(out, [standing])


def _route_receiver_coverage(s: Settings, acct: Account, coverage: dict[str, Coverage]) -> Coverage | None:
    role = "fiscal" if acct.entity == s.city else "income"
    for a in s.registry.accounts:
        if a.entity == s.city and a.fund == acct.fund and a.role == role:
            return coverage.get(a.number)
    return None


def _legacy(s: Settings, acct: Account, as_of: date, sent: list[Transfer], coverage: dict[str, Coverage],
            surplus: list[SurplusItem], lines_by_id: dict[int, Line]) -> Outcome:
    paid = [(t.date, t.amount_fen, t.key_line.id) for t in sent
            if t.status == "allowed" and t.rule == "surplus"
            and (t.debit is not None or not covered_on(coverage.get(acct.number), t.date))]
    parts: list[Outcome] = []
    for item in sorted(surplus, key=lambda x: x.due):
        o = ObligationAcc(item.due.strftime("%Y-%m"), due=item.amount_fen)
        left = item.amount_fen
        while paid and left > 0:
            d, a, lid = paid[0]
            take = min(a, left)
            o.settlements.append((d, take, lid))
            left -= take
            paid[0] = (d, a - take, lid)
            if paid[0][1] == 0:
                paid.pop(0)
        deadline = s.calendar.roll(item.due, s.rules.roll) + timedelta(days=s.rule("surplus").grace_days)
        if deadline > as_of:
            continue
        if item is sorted(surplus, key=lambda x: x.due)[-1]:
            o.excess = [(d, a, lid) for d, a, lid in paid]
        sc = s.rule("surplus")
        parts.append(_judge_one(s, "surplus", acct, item.entity, o.period, o, deadline, as_of,
                                coverage.get(acct.number), coverage, sc.tolerance_fen, sc.tolerance_bp,
                                lines_by_id, previous=None))
    return Outcome.of(parts)
