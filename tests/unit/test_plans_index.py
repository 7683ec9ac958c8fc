"""The plans' rule looks accounts and plans up by an index made once, not by a scan of the
registry (for every obligation) or of every plan in force of history (for every kept account):
the same answers as the scans, which are kept here as the reference."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reconcile.accounts import Account, Registry, load_registry
from reconcile.engine.plans import force_by_group, plans_in_force
from reconcile.engine.types import PaymentPlan

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "mappings" / "accounts.toml")
ENTITIES = ("LZ", "ZS", "PX", "SC")
FUNDS = ("pension", "unemployment")


def scanned_account(registry: Registry, entity: str, fund: str, role: str) -> Account | None:
    return next((a for a in registry.accounts if a.entity == entity and a.fund == fund and a.role == role), None)


def scanned_plans(force: dict[tuple[str, str, str], PaymentPlan], entity: str, fund: str, cut: date
                  ) -> tuple[tuple[str, int, str, int], ...]:
    last = f"{cut.year:04d}-{cut.month:02d}"
    return tuple(sorted((month, row.amount_fen, row.approved.isoformat() if row.approved else "", row.version)
                        for (month, e, f), row in force.items() if e == entity and f == fund and month <= last))


def test_the_first_account_of_an_entity_fund_and_role_is_the_scans_even_with_two_of_them() -> None:
    base = REGISTRY.accounts
    twice = replace(base[3], number="9" + base[3].number)  # a second account of the same kind, after the first
    registry = replace(REGISTRY, accounts=(*base, twice))
    kinds = {(a.entity, a.fund, a.role) for a in registry.accounts} | {("XX", "pension", "expense")}
    for entity, fund, role in kinds:
        assert registry.first_account(entity, fund, role) is scanned_account(registry, entity, fund, role)
    assert registry.first_account(twice.entity, twice.fund, twice.role) is base[3]


plan_rows = st.lists(st.tuples(st.integers(1, 18), st.sampled_from(ENTITIES), st.sampled_from(FUNDS),
                               st.integers(0, 10**9), st.integers(0, 3), st.booleans()), max_size=40)


@given(plan_rows, st.integers(1, 18))
def test_the_plans_in_force_of_a_group_are_the_scans(rows: list[tuple[int, str, str, int, int, bool]],
                                                      cut_month: int) -> None:
    force: dict[tuple[str, str, str], PaymentPlan] = {}
    for n, entity, fund, amount, version, approved in rows:
        month = f"{2008 + (n - 1) // 12:04d}-{(n - 1) % 12 + 1:02d}"
        force[(month, entity, fund)] = PaymentPlan(month, entity, fund, amount, date(2008, 1, 1),
                                                   date(2008, 1, 2) if approved else None, version, "")
    cut = date(2008 + (cut_month - 1) // 12, (cut_month - 1) % 12 + 1, 5)
    by_group = force_by_group(force)
    for entity in ENTITIES:
        for fund in FUNDS:
            assert plans_in_force(by_group, entity, fund, cut) == scanned_plans(force, entity, fund, cut)
