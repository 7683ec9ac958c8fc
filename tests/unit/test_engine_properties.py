"""Properties of the engine on random months of remittances: input order does not matter,
running twice gives the same findings, and every fen of every collection lot is remitted,
outstanding, or explained by a finding."""

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
from reconcile.engine.run import reconcile_all
from reconcile.model import Line, Statement, StoredStatement

ROOT = Path(__file__).resolve().parents[2]
FULL = load_registry(ROOT / "mappings" / "accounts.toml")
KEEP = [a for a in FULL.accounts if (a.entity, a.fund, a.role) in
        {("ZS", "pension", "income"), ("LZ", "pension", "income"), ("LPS", "pension", "income"),
         ("LPS", "pension", "fiscal")}]
REGISTRY = replace(FULL, accounts=tuple(KEEP))
SETTINGS = Settings(REGISTRY, RulesConfig(), WorkCalendar(), load_codes(ROOT / "mappings" / "codes.toml"))
CITY = next(a for a in KEEP if a.entity == "LPS" and a.role == "income")
FISCAL = next(a for a in KEEP if a.role == "fiscal")
START, END = date(2008, 3, 1), date(2008, 6, 30)


def scenario(seed: int) -> Snapshot:
    rng = random.Random(seed)
    lines: list[Line] = []
    n = 0

    def line(acct: str, day: date, fen: int, cp: str, text: str) -> None:
        nonlocal n
        n += 1
        lines.append(Line(day, fen, counterparty_account=cp, text=text, source=f"line {n}", id=n, account=acct,
                          fingerprint=f"fp{n:06d}", file_name="f"))

    days = [START + timedelta(days=i) for i in range((END - START).days + 1)]
    for county in (a for a in KEEP if a.entity != "LPS"):
        owed = 0
        for day in days:
            if rng.random() < 0.3:
                fen = rng.randint(1, 500_000)
                line(county.number, day, fen, "6222000011112222", "汇入")
                owed += fen
            if owed and rng.random() < 0.08:
                pay = rng.choice([owed, owed, rng.randint(1, owed), owed + rng.randint(1, 1000)])
                line(county.number, day, -pay, CITY.number, "上解")
                if rng.random() < 0.95:
                    line(CITY.number, day, pay, county.number, "上解")
                owed = max(owed - pay, 0)
    for day in days:
        if rng.random() < 0.05:
            line(CITY.number, day, -rng.randint(1, 2_000_000), FISCAL.number, "转入财政专户")
    statements = [StoredStatement(Statement(a.number, period_start=START, period_end=END), "s", "f", 0, 0, "")
                  for a in KEEP]
    return Snapshot(END, lines, statements)


def keyed(snap: Snapshot) -> list[tuple[object, ...]]:
    return [(f.key, f.kind, f.amount_fen, f.days_late) for f in reconcile_all(snap, SETTINGS).findings]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_findings_do_not_depend_on_the_order_of_the_lines_and_a_second_run_changes_nothing(seed: int) -> None:
    snap = scenario(seed)
    first = keyed(snap)
    shuffled = list(snap.lines)
    random.Random(seed).shuffle(shuffled)
    assert keyed(replace(snap, lines=shuffled)) == first
    assert keyed(snap) == first


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_every_fen_of_every_lot_is_remitted_outstanding_or_explained_by_a_finding(seed: int) -> None:
    snap = scenario(seed)
    result = reconcile_all(snap, SETTINGS)
    findings = {(f.rule, f.entity, f.period, f.kind) for f in result.findings}
    for county in (a for a in KEEP if a.entity != "LPS"):
        views = [v for v in result.obligations if v.rule == "remit" and v.account == county.number]
        lots = 0
        for ln in snap.lines:
            if ln.account == county.number and ln.amount_fen > 0:
                month = (ln.booking_date.year, ln.booking_date.month + (ln.booking_date.day > 20))
                due_key = f"{month[0] + (month[1] > 12):04d}-{(month[1] - 1) % 12 + 1:02d}"
                if any(v.period == due_key for v in views):
                    lots += ln.amount_fen
        assert sum(v.due_fen for v in views) == lots
        for v in views:
            assert v.on_time_fen + v.late_fen + v.outstanding_fen == v.due_fen
            if v.outstanding_fen:
                assert {(v.rule, v.entity, v.period, k) for k in ("partial", "missing")} & findings
            elif v.late_fen:
                assert (v.rule, v.entity, v.period, "late") in findings
