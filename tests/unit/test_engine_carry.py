"""The disburse rule started from a carried state (reconcile.engine.carry) gives what a run over
every payment gives: random months of benefit payrolls with duplicates, over-payments, returns
and fees, a first night that keeps its state at a random restart day, a second night later that
starts from it, with or without a late line for an old day and a plan revised for an old month."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig
from reconcile.engine.codes import load_codes
from reconcile.engine.context import Settings, Snapshot
from reconcile.engine.run import Result, reconcile_all
from reconcile.engine.types import PaymentPlan
from reconcile.model import Line, Statement, StoredStatement

ROOT = Path(__file__).resolve().parents[2]
FULL = load_registry(ROOT / "mappings" / "accounts.toml")
KEEP = [a for a in FULL.accounts if (a.entity, a.fund, a.role) in {("ZS", "pension", "expense"),
                                                                   ("LZ", "pension", "expense")}]
REGISTRY = replace(FULL, accounts=tuple(KEEP))
SETTINGS = Settings(REGISTRY, RulesConfig(), WorkCalendar(), load_codes(ROOT / "mappings" / "codes.toml"))
START, END = date(2008, 1, 1), date(2008, 9, 30)


def fields(r: Result) -> tuple[object, ...]:
    return ([(f.key, f.kind, f.rule, f.entity, f.fund, f.account, f.period, f.amount_fen, f.days_late, f.severity,
              f.detail, f.lines, f.line_ids) for f in r.findings], r.obligations, r.contributions, r.actuals)


def scenario(seed: int) -> tuple[list[Line], list[PaymentPlan]]:
    rng = random.Random(seed)
    lines: list[Line] = []
    plans: list[PaymentPlan] = []
    n = 0

    def line(acct: str, day: date, fen: int, cp: str, name: str, text: str, reversal: bool = False) -> None:
        nonlocal n
        n += 1
        lines.append(Line(day, fen, counterparty_account=cp, counterparty_name=name, text=text, reversal=reversal,
                          source=f"line {n}", id=n, account=acct, fingerprint=f"fp{rng.random():.12f}",
                          file_name="f"))

    people = [(f"62220000{i:08d}", f"人{i}") for i in range(12)]
    for acct in KEEP:
        day = START
        while day <= END:
            if day.day == 1:
                month = day.strftime("%Y-%m")
                due = rng.choice([0, 6, 8, 10]) * 10_000
                approved = day - timedelta(days=rng.randint(0, 20)) + timedelta(days=rng.choice([0, 0, 0, 20]))
                if due:
                    plans.append(PaymentPlan(month, acct.entity, acct.fund, due, approved, approved, 1))
            if rng.random() < 0.15:  # a payroll day
                for cp, name in rng.sample(people, rng.randint(1, 8)):
                    fen = rng.choice([10_000, 10_000, 20_000, rng.randint(1, 30_000)])
                    line(acct.number, day, -fen, cp, name, "养老金发放")
                    if rng.random() < 0.08:  # paid twice
                        line(acct.number, day + timedelta(days=rng.randint(0, 6)), -fen, cp, name, "养老金发放")
                    if rng.random() < 0.05:  # returned
                        line(acct.number, day + timedelta(days=rng.randint(0, 15)), fen, cp, name, "退汇",
                             reversal=rng.random() < 0.5)
            if rng.random() < 0.03:
                line(acct.number, day, -rng.randint(1, 500), "", "", "手续费")
            day += timedelta(days=1)
    return lines, plans


def snapshot(lines: list[Line], plans: list[PaymentPlan], as_of: date) -> Snapshot:
    statements = [StoredStatement(Statement(a.number, period_start=START, period_end=as_of), "s", "f", 0, 0, "")
                  for a in KEEP]
    return Snapshot(as_of, [ln for ln in lines if ln.booking_date <= as_of], statements, plans)


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10**6), st.integers(60, 200), st.integers(1, 60), st.integers(0, 6))
def test_a_night_from_the_carried_state_equals_a_whole_run(seed: int, first: int, gap: int, back: int) -> None:
    for change in (0, 1, 2):  # nothing changed before the first night's as-of date, a late line, a plan revised
        night(seed, first, gap, back, change)


def night(seed: int, first: int, gap: int, back: int, change: int) -> None:
    rng = random.Random(seed)
    lines, plans = scenario(seed)
    a1 = START + timedelta(days=first)
    a2 = min(a1 + timedelta(days=gap), END)
    cut = date(a1.year, a1.month, 1)
    for _ in range(back):
        cut = date(cut.year, cut.month - 1, 1) if cut.month > 1 else cut
    one = reconcile_all(snapshot(lines, plans, a1), SETTINGS, cut=cut)
    assert one.carried is not None
    changed = a1 + timedelta(days=1)
    if change == 1:  # a late line for an old day
        late = START + timedelta(days=rng.randint(0, first))
        lines = [*lines, Line(late, -12_345, counterparty_account="6222000000000001", counterparty_name="人1",
                              text="养老金发放", source="late", id=10**6, account=KEEP[0].number,
                              fingerprint="late", file_name="g")]
        changed = late
    elif change == 2:  # an old month's plan revised, approved after the first night
        month = START + timedelta(days=rng.randint(0, first))
        plans = [*plans, PaymentPlan(month.strftime("%Y-%m"), KEEP[0].entity, KEEP[0].fund, 77_000,
                                     a1 + timedelta(days=1), a1 + timedelta(days=1), 2)]
    snap = snapshot(lines, plans, a2)
    got = reconcile_all(snap, SETTINGS, one.carried, changed, date(a2.year, a2.month, 1))
    assert fields(got) == fields(reconcile_all(snap, SETTINGS))
    if change != 1 and back >= 2:  # the restart day is a month or more before the window: used
        assert KEEP[1].number in got.resumed
