"""A plan group's payments are allotted against that group's own obligations (`mine`), and
every other group's obligations in `obs` are left alone. Scanning every group's obligations for
each group made `check_plans` grow with months × groups: a province night's `check_plans`
went from 0.23 s after one year to 0.64 s after three (bench/RESULTS.md, i18night3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig
from reconcile.engine.codes import load_codes
from reconcile.engine.context import Settings
from reconcile.engine.plans import ObligationKey, Payment, PlanObligation, _allot
from reconcile.model import Line

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(load_registry(ROOT / "mappings" / "accounts.toml"), RulesConfig(), WorkCalendar(),
                    load_codes(ROOT / "mappings" / "codes.toml"))
GROUP = ("disburse", "ZS", "pension")


class Guarded(dict[ObligationKey, PlanObligation]):
    """Every obligation of every group, read by key only: a scan of it fails the test."""

    def _scan(self, *_: object) -> None:
        raise AssertionError("a group's allotment scanned every group's obligations")

    items = values = keys = __iter__ = _scan  # type: ignore[assignment]


def obligations() -> dict[ObligationKey, PlanObligation]:
    obs: dict[ObligationKey, PlanObligation] = {}
    for entity in ("LZ", "ZS", "PX"):
        for m in range(1, 7):
            month = f"2008-{m:02d}"
            obs[("disburse", entity, "pension", month)] = PlanObligation(
                "disburse", entity, "pension", month, f"acct-{entity}", 100_000, date(2008, m, 15), {entity: 1})
    return obs


def payments() -> list[Payment]:
    days_fen = [(date(2008, 1, 10), 100_000), (date(2008, 2, 20), 60_000), (date(2008, 3, 5), 140_000),
                (date(2008, 4, 28), 250_000), (date(2008, 8, 11), 300_000), (date(2008, 8, 12), 5_000)]
    return [Payment(day, fen, Line(day, -fen, id=i, account="acct-ZS", source=f"line {i}"), ("acct-ZS", "x"))
            for i, (day, fen) in enumerate(days_fen, 1)]


def allotted(obs: dict[ObligationKey, PlanObligation]) -> list[tuple[object, ...]]:
    return [(k, o.paid, [(d, f, ln.id) for d, f, ln in o.settlements], [(d, f, ln.id) for d, f, ln in o.excess])
            for k, o in sorted(obs.items())]


@pytest.mark.parametrize("cut", [None, date(2008, 3, 1), date(2008, 8, 12)])
def test_a_group_is_allotted_from_its_own_obligations_alone(cut: date | None) -> None:
    plain = obligations()
    expected = _allot(SETTINGS, GROUP, payments(), plain, {k: o for k, o in plain.items() if k[:3] == GROUP}, cut)
    every = obligations()
    mine = {k: o for k, o in every.items() if k[:3] == GROUP}
    guarded = Guarded(every)
    got = _allot(SETTINGS, GROUP, payments(), guarded, mine, cut)
    assert got == expected
    every = dict(dict.items(guarded))
    assert allotted(every) == allotted(plain)  # and the obligation made for August's excess
    assert ("disburse", "ZS", "pension", "2008-08") in every
    assert list(mine) == [k for k in every if k[:3] == GROUP]  # kept in step with `obs`, in its order
    assert all(o.paid == 0 and not o.excess for k, o in every.items() if k[:3] != GROUP)
