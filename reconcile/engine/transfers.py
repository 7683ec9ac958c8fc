"""Classes of lines, returns, and transfers between pooled accounts with their two legs paired.

docs/DOMAIN.md, Classes of lines / Legs / Routes: a line is first classed by keywords and codes (fee,
only when paid to the bank itself, `to_the_bank`; interest, return, refund); then its counterparty
is identified; debits and credits between two pooled accounts are paired (same amount, each naming
the other, the credit from one working day before to `transit_window` working days after the
debit; debits in (date, fingerprint) order take the earliest unpaired credit).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from reconcile.accounts import Account, Registry, normalize_number
from reconcile.calendar import WorkCalendar
from reconcile.engine.codes import Codes
from reconcile.engine.parties import EXTERNAL, OUTSIDE, POOLED, Party, Resolver, on_route, route_rule, squash_name
from reconcile.engine.types import LedgerLine

FEE, INTEREST, RETURN, REFUND, PLAIN = "fee", "interest", "return", "refund", "plain"
BANK_WORDS = ("银行", "信用社", "信用联社", "农商行", "邮储")  # a counterparty name that is a bank


@dataclass(slots=True)
class Classified:
    line: LedgerLine
    own: Account
    cls: str
    party: Party
    returned_by: LedgerLine | None = None  # a debit reversed by a later return credit
    return_of: LedgerLine | None = None  # a return credit: the debit it reverses

    @property
    def is_debit(self) -> bool:
        return self.line.amount_fen < 0


@dataclass
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
    def lines(self) -> list[LedgerLine]:
        return [leg.line for leg in (self.debit, self.credit) if leg is not None]

    @property
    def key_line(self) -> LedgerLine:
        leg = self.debit or self.credit
        assert leg is not None
        return leg.line


@dataclass
class Classification:
    by_account: dict[str, list[Classified]] = field(default_factory=dict)
    transfers: list[Transfer] = field(default_factory=list)


def classify(lines: list[LedgerLine], registry: Registry, codes: Codes, cal: WorkCalendar,
             return_window: int) -> dict[str, list[Classified]]:
    resolver = Resolver(registry, codes)
    out: dict[str, list[Classified]] = defaultdict(list)
    # Statements repeat the same few texts thousands of times: class each combination once.
    classes: dict[tuple[bool, bool, bool, str, str, str, bool], str] = {}
    banks: dict[tuple[str, str, str], bool] = {}
    own: Account | None = None
    current = None
    for ln in lines:
        if ln.account != current:  # lines come grouped by account
            current, own = ln.account, registry.account(ln.account)
        if own is None:
            continue
        bank = False
        if ln.amount_fen < 0:
            who = (ln.counterparty_account, ln.counterparty_name, own.number)
            hit = banks.get(who)
            if hit is None:
                hit = banks[who] = to_the_bank(ln.counterparty_account, ln.counterparty_name, own, codes)
            bank = hit
        key = (ln.amount_fen < 0, own.role == "income", ln.reversal, ln.text, ln.remark, ln.type_code, bank)
        cls = classes.get(key)
        if cls is None:
            cls = classes[key] = class_of(codes, *key)
        party = resolver.resolve(ln, own)
        out[ln.account].append(Classified(ln, own, cls, party))
    for items in out.values():
        items.sort(key=lambda c: (c.line.booking_date, c.line.amount_fen < 0, c.line.fingerprint))
        _match_returns(items, cal, return_window)
    return dict(out)


def to_the_bank(cp_account: str, cp_name: str, own: Account, codes: Codes) -> bool:
    """Is a debit paid to the bank itself (docs/DOMAIN.md, Classes of lines: a fee is paid to the
    bank, not to a company with its own account)? Yes when the line names no other party: no
    counterparty account and no name,
    or only the account's own name or a fee word as the name; when the counterparty account is the
    account's own; or when the counterparty's name is a bank's (with its internal account)."""
    name = squash_name(cp_name)
    if name and any(w in name for w in BANK_WORDS):
        return True
    number = normalize_number(cp_account)
    if number:
        return number == normalize_number(own.number)
    return not name or name in {squash_name(n) for n in (own.name, *own.aliases)} or codes.has("fee", name)


def class_of(codes: Codes, debit: bool, income: bool, reversal: bool, text: str, remark: str, type_code: str,
             to_bank: bool) -> str:
    """The class of a line; `to_bank`: a debit paid to the bank itself (`to_the_bank`), the only
    kind a fee word or code makes a fee."""
    words = text + " " + remark
    if debit:
        if to_bank and codes.has("fee", words, type_code):
            return FEE
        if income and codes.has("refund", words, type_code):
            return REFUND
        return PLAIN
    if reversal or codes.has("return", words, type_code):
        return RETURN
    if codes.has("interest", words, type_code):
        return INTEREST
    return PLAIN


def _match_returns(items: list[Classified], cal: WorkCalendar, window: int) -> None:
    """Pair each return credit with the latest earlier unreturned debit of the same amount within
    `window` working days; a return credit without such a debit is an ordinary credit."""
    for c in items:
        if c.cls != RETURN:
            continue
        earliest = cal.add_workdays(c.line.booking_date, -window)
        match = None
        for d in items:
            ln = d.line
            if ln.booking_date > c.line.booking_date:
                break
            if (ln.amount_fen == -c.line.amount_fen and d.returned_by is None and d.cls != FEE
                    and earliest <= ln.booking_date):
                match = d
        if match is None:
            c.cls = PLAIN
            continue
        match.returned_by = c.line
        c.return_of = match.line


def pair_transfers(by_account: dict[str, list[Classified]], registry: Registry, cal: WorkCalendar,
                   transit_window: int) -> list[Transfer]:
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


def paid_outside(c: Classified) -> bool:
    """A debit to a non-pooled party (identified or not)."""
    return c.is_debit and c.party.kind in (OUTSIDE, EXTERNAL, "unknown")


def counts_as_disbursement(c: Classified) -> bool:
    """docs/DOMAIN.md, Plan-based: debits to non-pooled parties other than fees and externals that do not
    count as disbursement; a returned payment counts for nothing."""
    if not c.is_debit or c.cls != PLAIN or c.returned_by is not None:
        return False
    if c.party.kind == EXTERNAL:
        return bool(c.party.external and c.party.external.disbursement)
    return c.party.kind in (OUTSIDE, "unknown")


def within_days(d: date, lo: date, days: int) -> bool:
    return lo - timedelta(days=days) <= d <= lo
