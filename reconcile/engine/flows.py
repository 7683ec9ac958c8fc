"""Findings about single transfers and lines: misdirected, unexpected, unconfirmed, leak,
unidentified, misplaced_income (docs/DOMAIN.md: Routes, Legs, Misplaced income; docs/RULES.md)."""

from __future__ import annotations

from datetime import date

from reconcile.coverage import Coverage
from reconcile.engine.classify import PLAIN, ByAccount, Classified
from reconcile.engine.context import Settings, covered_through
from reconcile.engine.findings import Outcome, transfer
from reconcile.engine.pairing import Transfer
from reconcile.engine.parties import EXTERNAL, OUTSIDE, UNKNOWN, misdirection
from reconcile.engine.types import Finding

MISPLACED_ROLES = ("expense", "legacy_fiscal")


def check_transfers(s: Settings, as_of: date, transfers: list[Transfer], coverage: dict[str, Coverage]) -> Outcome:
    """Misdirected, unexpected and unconfirmed transfers (no obligations)."""
    out: list[Finding] = []
    for t in transfers:
        critical = t.sender.role == "income" and t.receiver.role == "expense"
        detail = {"sender": t.sender.number, "receiver": t.receiver.number}
        if t.status == "misdirected":
            out.append(transfer("misdirected", t.rule, t.sender.entity, t.sender.fund, t.sender.number, t.key_line,
                                t.amount_fen, t.lines, "critical" if critical else None,
                                differs=misdirection(t.sender, t.receiver, s.city), **detail))
        elif t.status == "unexpected":
            out.append(transfer("unexpected", None, t.sender.entity, t.sender.fund, t.sender.number, t.key_line,
                                t.amount_fen, t.lines, "critical" if critical else None, **detail))
        if t.debit is not None and t.credit is None:
            horizon = s.calendar.add_workdays(t.debit.line.booking_date, s.rules.transit_window)
            if covered_through(coverage.get(t.receiver.number), horizon) and horizon <= as_of:
                out.append(transfer("unconfirmed", None, t.sender.entity, t.sender.fund, t.sender.number, t.key_line,
                                    t.amount_fen, t.lines, missing="credit", **detail))
        elif t.credit is not None and t.debit is None:
            horizon = s.calendar.add_workdays(t.credit.line.booking_date, s.rules.transit_window)
            if covered_through(coverage.get(t.sender.number), horizon) and horizon <= as_of:
                out.append(transfer("unconfirmed", None, t.sender.entity, t.sender.fund, t.sender.number, t.key_line,
                                    t.amount_fen, t.lines, missing="debit", **detail))
    return Outcome(out)


def check_lines(s: Settings, by_account: ByAccount) -> Outcome:
    """Leaks and unidentified lines of income and fiscal accounts; misplaced income on expense and
    legacy fiscal accounts (no obligations)."""
    out: list[Finding] = []
    for items in by_account.values():
        for c in items:
            own = c.own
            if own.role in MISPLACED_ROLES:
                out += _misplaced(s, c)
            if own.role not in ("income", "fiscal", "legacy_fiscal") or c.cls != PLAIN or c.returned_by is not None:
                continue
            ln = c.line
            amount = abs(ln.amount_fen)
            if c.is_debit:
                ext = c.party.external
                if c.party.kind == OUTSIDE or (c.party.kind == EXTERNAL and ext and own.role not in ext.paid_by):
                    out.append(transfer("leak", None, own.entity, own.fund, own.number, ln, amount, [ln],
                                        counterparty=ln.counterparty_account or ln.counterparty_name))
                elif c.party.kind == UNKNOWN:
                    out.append(transfer("unidentified", None, own.entity, own.fund, own.number, ln, amount, [ln]))
            elif own.role == "fiscal" and c.party.kind == UNKNOWN:
                out.append(transfer("unidentified", None, own.entity, own.fund, own.number, ln, amount, [ln]))
    return Outcome(out)


def _misplaced(s: Settings, c: Classified) -> list[Finding]:
    """docs/DOMAIN.md, Misplaced income (全部存入原开设的收入户): a credit on an expense or legacy fiscal
    account from an identified non-pooled party (an outside account number or name), that is not a
    return of the account's own debit (class `return`), not interest and not from a registered
    external. The finding is the receiving account's: its entity and fund, the line's booking month
    and absolute amount; the detail names the payer and the income account the money belongs in."""
    ln = c.line
    if ln.amount_fen <= 0 or c.cls != PLAIN or c.party.kind != OUTSIDE:
        return []
    own = c.own
    home = next((a.number for a in s.registry.accounts
                 if a.entity == own.entity and a.fund == own.fund and a.role == "income"), "")
    return [transfer("misplaced_income", None, own.entity, own.fund, own.number, ln, ln.amount_fen, [ln],
                     payer=ln.counterparty_account or ln.counterparty_name, belongs_in=home)]
