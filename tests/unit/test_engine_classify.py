"""Classes of lines (docs/DOMAIN.md, Classes of lines) as `reconcile.engine.classify` gives them:
each line classed once, with its final class, and never changed afterwards; and the rules'
outcomes put together by the run."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig
from reconcile.engine.classify import PLAIN, REFUND, RETURN, _match_returns, _unfounded_refunds, classify
from reconcile.engine.codes import load_codes
from reconcile.engine.context import Settings, Snapshot
from reconcile.engine.findings import Outcome
from reconcile.engine.run import reconcile_all
from reconcile.model import Line, Statement, StoredStatement

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
    st = StoredStatement(Statement(INCOME.number, period_start=date(2008, 3, 1), period_end=date(2008, 4, 30)),
                         "s", "f", 0, 0, "")
    result = reconcile_all(Snapshot(date(2008, 4, 30), lines, [st]), s)
    assert [(v.rule, v.period, v.due_fen, v.status) for v in result.obligations if v.due_fen] == [
        ("remit", "2008-03", 10_000, "missing")]
    assert [(f.kind, f.rule, f.period, f.amount_fen) for f in result.findings if f.rule == "remit"] == [
        ("missing", "remit", "2008-03", 10_000)]
    combined = Outcome.of([Outcome([], []), Outcome(result.findings[:1], result.obligations[:1])])
    assert combined == Outcome(result.findings[:1], result.obligations[:1])


def _direct_returns(lines: list[Line], found: list[str], cal: WorkCalendar,
                    window: int) -> tuple[dict[int, int], dict[int, int]]:
    """The return rule read straight from docs/DOMAIN.md: each return credit in order scans every
    earlier line for the latest unreturned non-fee line of the opposite amount within the window."""
    returned_by: dict[int, int] = {}
    return_of: dict[int, int] = {}
    for i, cls in enumerate(found):
        if cls != RETURN:
            continue
        c = lines[i]
        earliest = cal.add_workdays(c.booking_date, -window)
        match = None
        for j, ln in enumerate(lines):
            if ln.booking_date > c.booking_date:
                break
            if ln.amount_fen == -c.amount_fen and j not in returned_by and found[j] != "fee" \
                    and earliest <= ln.booking_date:
                match = j
        if match is not None:
            returned_by[match] = i
            return_of[i] = match
    return returned_by, return_of


def _direct_unfounded(lines: list[Line], found: list[str], lookback: int) -> set[int]:
    """The refund rule read straight: the sum of what the party paid in the lookback, line by line."""
    out = set()
    for i, cls in enumerate(found):
        if cls != REFUND:
            continue
        c = lines[i]
        who = c.counterparty_account or c.counterparty_name
        since = c.booking_date - timedelta(days=lookback)
        paid = sum(x.amount_fen for x in lines if x.amount_fen > 0 and since <= x.booking_date <= c.booking_date
                   and (x.counterparty_account or x.counterparty_name) == who)
        if not who or paid < -c.amount_fen:
            out.add(i)
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**9))
def test_returns_and_refunds_found_through_indexes_are_those_of_the_direct_scan(seed: int) -> None:
    """The classifier finds each return's debit and each refund's payments through per-amount and
    per-party indexes (a scan of the whole history per return or refund was quadratic in history):
    the same pairs and the same unfounded refunds as the direct scan, over random lines with equal
    amounts, zero amounts, fees, several parties and return windows crossing weekends."""
    rng = random.Random(seed)
    parties = [PAYER, STRANGER, "", "6222000055556666"]
    day = date(2008, 1, 1)
    lines, found = [], []
    for n in range(rng.randint(0, 120)):
        day += timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
        fen = rng.choice([0, 500, 500, 1_000, 2_500, rng.randint(1, 9_000)]) * rng.choice([1, -1])
        cls = rng.choice([PLAIN, PLAIN, RETURN, REFUND, "fee"]) if fen <= 0 else rng.choice([PLAIN, RETURN])
        if fen < 0 and cls == RETURN:
            cls = PLAIN  # a debit is never a return
        if fen > 0 and cls in (REFUND, "fee"):
            cls = PLAIN
        lines.append(Line(day, fen, counterparty_account=rng.choice(parties),
                          counterparty_name=rng.choice(["", "某公司"]), source=f"row {n}", id=n,
                          account=INCOME.number, fingerprint=f"fp{n:04d}", file_name="f.csv"))
        found.append(cls)
    order = sorted(range(len(lines)), key=lambda k: (lines[k].booking_date, lines[k].amount_fen < 0,
                                                     lines[k].fingerprint))
    lines, found = [lines[k] for k in order], [found[k] for k in order]
    cal, window, lookback = WorkCalendar(), rng.randint(0, 6), rng.randint(0, 40)
    returned_by, return_of = _match_returns(lines, found, cal, window)
    want_by, want_of = _direct_returns(lines, found, cal, window)
    assert {j: lines.index(c) for j, c in returned_by.items()} == want_by
    assert {i: lines.index(d) for i, d in return_of.items()} == want_of
    assert _unfounded_refunds(lines, found, lookback) == _direct_unfounded(lines, found, lookback)
