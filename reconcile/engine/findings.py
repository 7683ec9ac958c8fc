"""Building findings with their stable keys (docs/DOMAIN.md: Identity and state), and what each
rule of the engine returns: its findings and the standing of the obligations it judged."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from reconcile.engine.types import Finding, Obligation
from reconcile.kinds import SEVERITY
from reconcile.model import Line

SETTLEMENT_KINDS = ("late", "partial", "missing", "over", "short_disbursement", "awaiting_statement")


@dataclass(frozen=True)
class Outcome:
    """What a rule found: its findings and, for the rules with obligations, each obligation's
    standing (`Obligation`), both in the order the rule met them."""

    findings: list[Finding] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)

    @staticmethod
    def of(parts: Iterable[Outcome]) -> Outcome:
        """The parts' findings and obligations, one after the other."""
        findings: list[Finding] = []
        obligations: list[Obligation] = []
        for p in parts:
            findings += p.findings
            obligations += p.obligations
        return Outcome(findings, obligations)


def obligation(kind: str, rule: str, entity: str, fund: str, period: str, account: str, amount: int | None,
               days_late: int | None, lines: Iterable[Line] = (), severity: str | None = None,
               **detail: object) -> Finding:
    group = "split" if kind == "split" else "settlement"
    ls = list({ln.id: ln for ln in lines}.values())  # one debit may settle several lots: list it once
    return Finding(
        kind=kind, rule=rule, entity=entity, fund=fund, account=account, period=period, amount_fen=amount,
        days_late=days_late, key=f"obligation|{rule}|{entity}|{fund}|{period}|{account}|{group}",
        severity=severity or SEVERITY[kind], detail=dict(detail), lines=tuple(ln.where for ln in ls),
        line_ids=tuple(ln.id for ln in ls),
    )


def transfer(kind: str, rule: str | None, entity: str, fund: str, account: str, key_line: Line,
             amount: int, lines: Iterable[Line], severity: str | None = None, **detail: object) -> Finding:
    ls = list({ln.id: ln for ln in lines}.values())
    return Finding(
        kind=kind, rule=rule, entity=entity, fund=fund, account=account,
        period=key_line.booking_date.strftime("%Y-%m"), amount_fen=amount, days_late=None,
        key=f"{kind}|{key_line.fingerprint}", severity=severity or SEVERITY[kind], detail=dict(detail),
        lines=tuple(ln.where for ln in ls), line_ids=tuple(ln.id for ln in ls),
    )


def simple(kind: str, key: str, *, entity: str | None = None, fund: str | None = None, account: str | None = None,
           period: str | None = None, amount: int | None = None, days_late: int | None = None,
           rule: str | None = None, lines: Iterable[str] = (), **detail: object) -> Finding:
    return Finding(kind=kind, rule=rule, entity=entity, fund=fund, account=account, period=period,
                   amount_fen=amount, days_late=days_late, key=f"{kind}|{key}", severity=SEVERITY[kind],
                   detail=dict(detail), lines=tuple(lines))
