"""What each entity collected and disbursed per fund and booking month: budget execution and the
gap rule read it (docs/DOMAIN.md, *Budgets and the gap rule*; docs/RULES.md).

- contributions: credits on the entity's income account other than interest, returns and
  transfers from pooled accounts (the same credits the collection targets count);
- interest: interest (利息, 结息) credited to the income account;
- disbursed: the disburse rule's "paid" from the entity's expense account: debits to non-pooled
  parties (externals that count as disbursement included; fees and other externals not), a
  returned benefit payment counting for nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Registry
from reconcile.engine.classify import INTEREST, PLAIN, ByAccount, counts_as_disbursement
from reconcile.engine.condense import DayCredits
from reconcile.engine.parties import POOLED


@dataclass(frozen=True)
class MonthActual:
    """What an entity's income account collected and its expense account disbursed in a month."""

    entity: str
    fund: str
    month: str  # YYYY-MM, the booking month
    contributions_fen: int
    interest_fen: int
    disbursed_fen: int

    @property
    def income_fen(self) -> int:
        return self.contributions_fen + self.interest_fen


def month_actuals(registry: Registry, by_account: ByAccount, condensed: dict[str, list[DayCredits]],
                  disbursed: dict[tuple[str, str, str], int] | None = None) -> list[MonthActual]:
    """`disbursed`: (entity, fund, month) -> what the payments left out of `by_account` disbursed
    (reconcile.engine.carry)."""
    acc: defaultdict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for key, fen in (disbursed or {}).items():
        acc[key][2] += fen
    months: dict[date, str] = {}  # a payroll day's thousands of payments share their month

    def month(day: date) -> str:
        key = months.get(day)
        if key is None:
            key = months[day] = day.strftime("%Y-%m")
        return key

    for acct in registry.accounts:
        if acct.role == "income":
            for dc in condensed.get(acct.number, []):
                t = acc[(acct.entity, acct.fund, month(dc.first.booking_date))]
                t[0] += dc.amount_fen - dc.interest_fen
                t[1] += dc.interest_fen
            for c in by_account.get(acct.number, []):
                ln = c.line
                if ln.amount_fen <= 0 or c.party.kind == POOLED:
                    continue
                if c.cls == PLAIN:
                    acc[(acct.entity, acct.fund, month(ln.booking_date))][0] += ln.amount_fen
                elif c.cls == INTEREST:
                    acc[(acct.entity, acct.fund, month(ln.booking_date))][1] += ln.amount_fen
        elif acct.role == "expense":
            for c in by_account.get(acct.number, []):
                if counts_as_disbursement(c):
                    acc[(acct.entity, acct.fund, month(c.line.booking_date))][2] -= c.line.amount_fen
    return [MonthActual(e, f, m, *v) for (e, f, m), v in sorted(acc.items())]
