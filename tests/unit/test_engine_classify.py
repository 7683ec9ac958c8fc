"""Classes of lines (docs/DOMAIN.md, Classes of lines) as `reconcile.engine.classify` gives them:
each line classed once, with its final class, and never changed afterwards; and the rules'
outcomes put together by the run."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig
from reconcile.coverage import StatementInfo
from reconcile.engine.classify import PLAIN, REFUND, RETURN, classify
from reconcile.engine.codes import load_codes
from reconcile.engine.context import Settings, Snapshot
from reconcile.engine.findings import Outcome
from reconcile.engine.run import reconcile_all
from reconcile.model import Line

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "mappings" / "accounts.toml")
CODES = load_codes(ROOT / "mappings" / "codes.toml")
RULES = RulesConfig()
INCOME = next(a for a in REGISTRY.accounts if (a.entity, a.fund, a.role) == ("ZS", "pension", "income"))
PAYER, STRANGER = "6222000011112222", "6222000099998888"


def line(n: int, day: date, fen: int, cp: str, text: str) -> Line:
    return Line(day, fen, counterparty_account=cp, text=text, source=f"row {n}", id=n, account=INCOME.number,
                fingerprint=f"fp{n:04d}", file_name="f.csv")


def classes(lines: list[Line]) -> dict[int, tuple[str, int | None, int | None]]:
    """line id -> (class, id of the return that reverses it, id of the debit a return reverses)."""
    by_account = classify(lines, REGISTRY, CODES, WorkCalendar(), RULES.return_window, RULES.refund_lookback_days)
    return {c.line.id: (c.cls, c.returned_by.id if c.returned_by else None, c.return_of.id if c.return_of else None)
            for items in by_account.values() for c in items}


def test_a_refund_is_a_refund_only_to_a_party_that_paid_at_least_as_much_before() -> None:
    lines = [
        line(1, date(2008, 3, 3), 10_000, PAYER, "汇入"),
        line(2, date(2008, 3, 10), -10_000, PAYER, "退费"),  # paid 10,000 before: a refund
        line(3, date(2008, 3, 11), -20_000, PAYER, "退费"),  # more than it paid: an ordinary debit
        line(4, date(2008, 3, 12), -100, STRANGER, "退费"),  # never paid: an ordinary debit
    ]
    got = classes(lines)
    assert [got[i][0] for i in (1, 2, 3, 4)] == [PLAIN, REFUND, PLAIN, PLAIN]


def test_a_return_reverses_the_latest_earlier_debit_of_its_amount_and_an_unmatched_one_is_plain() -> None:
    lines = [
        line(1, date(2008, 3, 3), -5_000, STRANGER, "转账"),
        line(2, date(2008, 3, 4), -5_000, STRANGER, "转账"),
        line(3, date(2008, 3, 5), 5_000, STRANGER, "退汇"),  # takes debit 2, the latest
        line(4, date(2008, 3, 6), 7_000, STRANGER, "退汇"),  # no debit of 7,000: a plain credit
    ]
    got = classes(lines)
    assert got[1] == (PLAIN, None, None)
    assert got[2] == (PLAIN, 3, None)
    assert got[3] == (RETURN, None, 2)
    assert got[4] == (PLAIN, None, None)


def test_classifying_changes_nothing_and_the_same_lines_class_the_same_twice() -> None:
    lines = [
        line(1, date(2008, 3, 3), 10_000, PAYER, "汇入"),
        line(2, date(2008, 3, 10), -20_000, PAYER, "退费"),
        line(3, date(2008, 3, 11), -5_000, STRANGER, "转账"),
        line(4, date(2008, 3, 12), 5_000, STRANGER, "退汇"),
    ]
    first = classify(lines, REGISTRY, CODES, WorkCalendar(), RULES.return_window, RULES.refund_lookback_days)
    again = classify(lines, REGISTRY, CODES, WorkCalendar(), RULES.return_window, RULES.refund_lookback_days)
    assert first == again
    c = first[INCOME.number][0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.cls = REFUND  # type: ignore[misc]


def test_the_run_puts_together_what_each_rule_returns() -> None:
    """Findings and obligations come only from the rules' outcomes: with a county that remitted
    nothing, the remit obligation's standing is in the result, and its `missing` finding too."""
    s = Settings(replace(REGISTRY, accounts=(INCOME,)), RULES, WorkCalendar(), CODES)
    lines = [line(1, date(2008, 3, 3), 10_000, PAYER, "汇入")]
    st = StatementInfo(INCOME.number, "s", "f", 0, date(2008, 3, 1), date(2008, 4, 30), None, None, 0, "")
    result = reconcile_all(Snapshot(date(2008, 4, 30), lines, [st]), s)
    assert [(v.rule, v.period, v.due_fen, v.status) for v in result.obligations if v.due_fen] == [
        ("remit", "2008-03", 10_000, "missing")]
    assert [(f.kind, f.rule, f.period, f.amount_fen) for f in result.findings if f.rule == "remit"] == [
        ("missing", "remit", "2008-03", 10_000)]
    combined = Outcome.of([Outcome([], []), Outcome(result.findings[:1], result.obligations[:1])])
    assert combined == Outcome(result.findings[:1], result.obligations[:1])
