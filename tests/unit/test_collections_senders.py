"""The collections' rules go over the night's transfers once, not once per income account: each
account takes the transfers it sent. Scanning every transfer of history for each of a province's
178 income accounts made `check_collections` grow with history times the accounts (bench/RESULTS.md,
the lead's section of 2026-12-08)."""

from __future__ import annotations

from typing import Any

import pytest

import reconcile.engine.run as run
from reconcile.engine.pairing import Transfer
from reconcile.engine.run import reconcile_all
from tests.unit.test_engine_properties import KEEP, SETTINGS, scenario


class Counted(list[Transfer]):
    """The transfers, counting how often the whole list is gone over."""

    scans = 0

    def __iter__(self) -> Any:
        self.scans += 1
        return super().__iter__()


@pytest.mark.parametrize("seed", [3, 11, 2024])
def test_the_collections_go_over_the_transfers_once_whatever_the_number_of_income_accounts(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Counted] = []
    real = run.check_collections

    def counting(s: Any, as_of: Any, start: Any, by_account: Any, transfers: list[Transfer], *rest: Any) -> Any:
        counted = Counted(transfers)
        seen.append(counted)
        return real(s, as_of, start, by_account, counted, *rest)

    snap = scenario(seed)
    plain = reconcile_all(snap, SETTINGS)
    monkeypatch.setattr(run, "check_collections", counting)
    result = reconcile_all(snap, SETTINGS)
    assert len([a for a in KEEP if a.role == "income"]) == 3  # the county and city accounts of the scenario
    (transfers,) = seen
    assert transfers.scans == 1
    assert any(t.rule == "remit" for t in transfers)  # remittances to go over: the test is not empty
    assert [(f.key, f.kind, f.amount_fen, f.days_late) for f in result.findings] == \
        [(f.key, f.kind, f.amount_fen, f.days_late) for f in plain.findings]
    assert result.obligations == plain.obligations
