"""Which stored lines the engine may take as day totals instead of one by one.

A province year is about five million lines, almost all of them contributions credited to income
accounts. Such a credit matters to the engine only as part of its day's lot (docs/DOMAIN.md, Lots: the
lots of one day share their due date and FIFO takes them together), so the loader sums them per
account and day instead of building an object per line: what it buys is memory (a year fits in a
few hundred MB instead of several GB) and the time to build and sort those objects.

A credit is kept whole when anything else may need it: a return (退汇) that reinstates lots, a
credit from a pooled account (it pairs with its debit), or a credit from a party that the account
refunded (the refund rule looks at what that party paid).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from reconcile.accounts import Account, Registry
from reconcile.engine.classify import INTEREST, PLAIN, REFUND, class_of, to_the_bank
from reconcile.engine.codes import Codes
from reconcile.engine.parties import POOLED, Resolver, squash_name
from reconcile.model import Line


@dataclass(slots=True)
class DayCredits:
    """The plain credits of one income account on one day, summed."""

    account: str
    day: object  # datetime.date
    amount_fen: int
    count: int
    first: Line  # the day's first line, to point at in findings
    interest_fen: int = 0  # the part that is interest (利息), not contributions


class Condenser:
    def __init__(self, registry: Registry, codes: Codes) -> None:
        self.codes = codes
        self.resolver = Resolver(registry, codes)
        self.income: dict[str, Account] = {a.number: a for a in registry.accounts if a.role == "income"}
        self.refunded: set[str] = set()
        self._class: dict[tuple[bool, str, str, str], str] = {}

    def note_debit(self, line: Line) -> None:
        """Remember who an income account refunded (its credits from them stay whole)."""
        party = self.refund_party(line)
        if party is not None:
            self.refunded.add(party)

    def refund_party(self, line: Line) -> str | None:
        """The party a refund debit of an income account pays back (None: not such a debit)."""
        own = self.income.get(line.account)
        if own is None or line.amount_fen >= 0:
            return None
        bank = to_the_bank(line.counterparty_account, line.counterparty_name, own, self.codes)
        if class_of(self.codes, True, True, line.reversal, line.text, line.remark, line.type_code, bank) == REFUND:
            return line.counterparty_account or line.counterparty_name
        return None

    def is_interest(self, text: str, remark: str, type_code: str) -> bool:
        return self._class.get((False, text, remark, type_code)) == INTEREST

    def plain_credit(self, account: str, amount_fen: int, cp_account: str, cp_name: str, text: str, remark: str,
                     reversal: bool, type_code: str) -> bool:
        return self.plain_class(account, amount_fen, cp_account, cp_name, text, remark, reversal, type_code) is not None

    def plain_class(self, account: str, amount_fen: int, cp_account: str, cp_name: str, text: str, remark: str,
                    reversal: bool, type_code: str) -> str | None:
        """PLAIN or INTEREST for a plain credit (the class is_interest would look up again), None otherwise."""
        if amount_fen <= 0 or reversal or account not in self.income:
            return None
        cls = self.credit_class(text, remark, type_code)
        return cls if cls is not None and self.plain_party(cp_account, cp_name) else None

    def credit_class(self, text: str, remark: str, type_code: str) -> str | None:
        """PLAIN or INTEREST for a credit (not a reversal) of an income account with these texts and
        type, None when its texts make it another class: a plain credit's class, before its party."""
        key = (False, text, remark, type_code)
        cls = self._class.get(key)
        if cls is None:
            cls = self._class[key] = class_of(self.codes, False, True, False, text, remark, type_code, False)
        return cls if cls in (PLAIN, INTEREST) else None

    def pooled_numbers(self) -> Container[str]:
        """The pooled accounts' numbers as written: a credit from one is not plain (`plain_party`)."""
        return self.resolver.by_number

    def plain_party(self, cp_account: str, cp_name: str) -> bool:
        """May a credit of an income account from this counterparty be summed in its day? Not when the
        account refunded the party, nor when it is a pooled account (its transfer pairs with a
        debit). Given a counterparty account, the answer depends on it alone, else on the name."""
        if (cp_account or cp_name) in self.refunded:
            return False
        if cp_account:
            if cp_account.isdigit():  # nothing for normalize_number to take out: the number as written
                # (a contributor's own: no cache entry)
                return cp_account not in self.pooled_numbers()
            return self.resolver.party_of_number(cp_account).kind != POOLED
        found = self.resolver.by_name.get(squash_name(cp_name)) if cp_name else None
        return not isinstance(found, Account)
