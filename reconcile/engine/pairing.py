"""Transfers between pooled accounts, their two legs paired, each with its route's verdict.

docs/DOMAIN.md, Legs / Routes: debits and credits between two pooled accounts are paired (same
amount, each naming the other, the credit from one working day before to `transit_window` working
days after the debit; debits in (date, fingerprint) order take the earliest unpaired credit); a
transfer is allowed on the sender's route, misdirected off it, unexpected from a sender without
one, or interest passed up from an expense account to its fiscal account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Account, Registry
from reconcile.calendar import WorkCalendar
from reconcile.engine.classify import PLAIN, ByAccount, Classified
from reconcile.engine.parties import POOLED, on_route, route_rule
from reconcile.model import Line


@dataclass(frozen=True, slots=True)
class Transfer:
    sender: Account
    receiver: Account
    amount_fen: int
    debit: Classified | None
    credit: Classified | None
    rule: str | None  # the sender's route rule
    status: str  # allowed | misdirected | unexpected | passup

    @property
    def date(self) -> date:
        leg = self.debit or self.credit
        assert leg is not None
        return leg.line.booking_date

    @property
    def lines(self) -> list[Line]:
        return [leg.line for leg in (self.debit, self.credit) if leg is not None]

    @property
    def key_line(self) -> Line:
        leg = self.debit or self.credit
        assert leg is not None
        return leg.line


def pair_transfers(by_account: ByAccount, registry: Registry, cal: WorkCalendar,
                   transit_window: int) -> list[Transfer]:
    """Every transfer between pooled accounts, in (date, key line's fingerprint) order."""
    city = registry.city_code
    debits: dict[tuple[str, str, int], list[Classified]] = defaultdict(list)
    credits: dict[tuple[str, str, int], list[Classified]] = defaultdict(list)
    for items in by_account.values():
        for c in items:
            if c.party.kind != POOLED or c.party.account is None or c.party.account.number == c.own.number:
                continue
            if c.is_debit and c.cls == PLAIN and c.returned_by is None:
                debits[(c.own.number, c.party.account.number, -c.line.amount_fen)].append(c)
            elif not c.is_debit and c.cls == PLAIN:
                credits[(c.party.account.number, c.own.number, c.line.amount_fen)].append(c)
    transfers = []
    for key in sorted(set(debits) | set(credits)):
        ds = sorted(debits.get(key, []), key=lambda c: (c.line.booking_date, c.line.fingerprint))
        cs = sorted(credits.get(key, []), key=lambda c: (c.line.booking_date, c.line.fingerprint))
        taken = [False] * len(cs)
        for d in ds:
            lo = cal.add_workdays(d.line.booking_date, -1)
            hi = cal.add_workdays(d.line.booking_date, transit_window)
            twin = None
            for i, c in enumerate(cs):
                if not taken[i] and lo <= c.line.booking_date <= hi:
                    taken[i] = True
                    twin = c
                    break
            transfers.append(_transfer(d.own, d.party.account, key[2], d, twin, city))  # type: ignore[arg-type]
        for i, c in enumerate(cs):
            if not taken[i]:
                transfers.append(_transfer(c.party.account, c.own, key[2], None, c, city))  # type: ignore[arg-type]
    transfers.sort(key=lambda t: (t.date, t.key_line.fingerprint))
    return transfers


def _transfer(sender: Account, receiver: Account, amount: int, debit: Classified | None,
              credit: Classified | None, city: str) -> Transfer:
    rule = route_rule(sender, city)
    if rule is None:
        passup = sender.role == "expense" and receiver.role == "fiscal" and receiver.fund == sender.fund
        status = "passup" if passup else "unexpected"
    elif on_route(sender, receiver, city):
        status = "allowed"
    else:
        status = "misdirected"
    return Transfer(sender, receiver, amount, debit, credit, rule, status)
