"""Who is on the other side of a line: a pooled account, a registered external, an outside party,
or nobody known (docs/DOMAIN.md: Counterparty identification; docs/RULES.md)."""

from __future__ import annotations

from dataclasses import dataclass

from reconcile.accounts import Account, External, Registry, normalize_number
from reconcile.engine.codes import Codes
from reconcile.model import Line

POOLED, EXTERNAL, OUTSIDE, UNKNOWN = "pooled", "external", "outside", "unknown"


@dataclass(frozen=True, slots=True)
class Party:
    kind: str
    account: Account | None = None
    external: External | None = None
    by: str = ""  # "number", "name", "keyword"


NOBODY = Party(UNKNOWN)
_OUTSIDE_NUMBER = Party(OUTSIDE, by="number")  # one for every outside number: a payroll names thousands


def squash_name(name: str) -> str:
    return "".join(name.split())


class Resolver:
    def __init__(self, registry: Registry, codes: Codes) -> None:
        self.registry, self.codes = registry, codes
        self.by_number: dict[str, Account] = {normalize_number(a.number): a for a in registry.accounts}
        self.ext_by_number: dict[str, External] = {normalize_number(x.number): x for x in registry.externals}
        self.by_name: dict[str, Account | External] = {}
        for x in registry.externals:
            for n in (x.name, *x.aliases):
                self.by_name[squash_name(n)] = x
        for a in registry.accounts:
            for n in (a.name, *a.aliases):
                self.by_name[squash_name(n)] = a
        self.city = registry.city_code
        self.county_names = {e.name: e.code for e in registry.counties}
        self.fund_words = {k: f.code for f in registry.funds for k in f.keywords}
        self._cache: dict[tuple[str, str, str, str, bool], Party] = {}
        self._numbers: dict[str, Party] = {}

    def party_of_number(self, raw: str) -> Party:
        """A number decides alone (names are not consulted): one cache entry per spelling."""
        hit = self._numbers.get(raw)
        if hit is None:
            hit = self._by_number(raw)
            self._numbers[raw] = hit
        return hit

    def resolve(self, line: Line, own: Account) -> Party:
        if line.counterparty_account:
            hit = self.party_of_number(line.counterparty_account)
            if hit is not NOBODY:
                return hit
        key = (line.counterparty_name, line.text, line.remark, own.number, line.amount_fen < 0)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._resolve(line, own)
        return found

    def _by_number(self, raw: str) -> Party:
        number = normalize_number(raw)
        if not number:
            return NOBODY
        if number in self.by_number:
            return Party(POOLED, account=self.by_number[number], by="number")
        if number in self.ext_by_number:
            return Party(EXTERNAL, external=self.ext_by_number[number], by="number")
        return _OUTSIDE_NUMBER

    def _resolve(self, line: Line, own: Account) -> Party:
        name = squash_name(line.counterparty_name)
        if name:
            found = self.by_name.get(name)
            if isinstance(found, Account):
                return Party(POOLED, account=found, by="name")
            if isinstance(found, External):
                return Party(EXTERNAL, external=found, by="name")
        if line.amount_fen < 0:
            words = line.text + " " + line.remark
            if self.codes.has("route", words):
                receiver = self._route_receiver(own, words)
                if receiver is not None:
                    return Party(POOLED, account=receiver, by="keyword")
        if name:
            return Party(OUTSIDE, by="name")
        return NOBODY

    def _route_receiver(self, sender: Account, words: str) -> Account | None:
        """The receiver a keyword implies: the sender's route, in the fund the text names."""
        fund = next((code for word, code in self.fund_words.items() if word in words), sender.fund)
        role_entity = route_target(sender, self.city)
        if role_entity is None:
            return None
        role, entity = role_entity
        if entity == "*":
            entity = next((code for cname, code in self.county_names.items() if cname in words), "")
            if not entity:
                return None
        return next((a for a in self.registry.accounts
                     if a.entity == entity and a.fund == fund and a.role == role), None)


def route_rule(sender: Account, city: str) -> str | None:
    """The rule of the sender's one outgoing route (docs/DOMAIN.md: Routes), or None."""
    if sender.role == "income":
        return "sweep" if sender.entity == city else "remit"
    if sender.role == "fiscal":
        return "fund"
    if sender.role == "expense" and sender.entity == city:
        return "allocate"
    if sender.role == "legacy_fiscal":
        return "surplus"
    return None


def route_target(sender: Account, city: str) -> tuple[str, str] | None:
    """(role, entity) of the route's receiver; entity '*' means any county."""
    rule = route_rule(sender, city)
    return {
        "remit": ("income", city), "sweep": ("fiscal", city), "fund": ("expense", city),
        "allocate": ("expense", "*"), "surplus": ("income", city),
    }.get(rule or "")


def on_route(sender: Account, receiver: Account, city: str) -> bool:
    target = route_target(sender, city)
    if target is None or receiver.fund != sender.fund or receiver.role != target[0]:
        return False
    if target[1] == "*":
        return receiver.entity != city
    return receiver.entity == target[1]


def misdirection(sender: Account, receiver: Account, city: str) -> list[str]:
    """Which of fund, entity, role differ from the route's receiver."""
    target = route_target(sender, city)
    if target is None:
        return []
    out = []
    if receiver.fund != sender.fund:
        out.append("fund")
    if target[1] == "*":
        if receiver.entity == city:
            out.append("entity")
    elif receiver.entity != target[1]:
        out.append("entity")
    if receiver.role != target[0]:
        out.append("role")
    return out
