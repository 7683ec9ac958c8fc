"""store.inputs `_condense` decides a row's class without a `Condenser.plain_class` call a line
(another account's rows whole at once; an income account's credits by their texts and party, each
looked up once per distinct value): what it sums and keeps whole must be what the call a line
gave, written here as it was (the oracle), whatever the account, sign, reversal, texts, party
(pooled by number or name, a number with dashes, a party refunded, a name left out of a slim row)
and order of the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.accounts import Account, load_registry
from reconcile.engine.classify import INTEREST, PLAIN, class_of
from reconcile.engine.codes import load_codes
from reconcile.engine.condense import Condenser
from reconcile.engine.parties import POOLED, squash_name
from store.inputs import _condense

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "mappings" / "accounts.toml")
CODES = load_codes(ROOT / "mappings" / "codes.toml")
INCOME = [a for a in REGISTRY.accounts if a.role == "income"]
OTHER = next(a for a in REGISTRY.accounts if a.role != "income")
NUMBERS = ["", "", "", "6222000000000001", "6222000000000002", "6222-0000-0000-0003", OTHER.number,
           OTHER.number.replace("", "-")[1:-1], INCOME[1].number, "9", "退费户"]
NAMES = ["", "张三", "某单位", OTHER.name, INCOME[1].name, "退费户", None]
TEXTS = ["汇入", "利息", "退汇", "退费", "手续费", "", "结息"]


def _plain_class(c: Condenser, account: str, amount: int, cpa: Any, cpn: Any, text: str, remark: str,
                 reversal: bool, type_code: str) -> str | None:
    """Condenser.plain_class as it was before the change, a call a line."""
    if amount <= 0 or reversal or account not in c.income:
        return None
    cls = class_of(c.codes, False, True, reversal, text, remark, type_code, False)
    if cls not in (PLAIN, INTEREST):
        return None
    if (cpa or cpn) in c.refunded:
        return None
    if cpa:
        if cpa.isdigit():
            return cls if cpa not in c.resolver.by_number else None
        return cls if c.resolver.party_of_number(cpa).kind != POOLED else None
    found = c.resolver.by_name.get(squash_name(cpn)) if cpn else None
    return None if isinstance(found, Account) else cls


def _oracle(c: Condenser, account: str, rows: list[tuple[Any, ...]]) -> tuple[list[Any], dict[Any, list[Any]]]:
    whole: list[tuple[Any, ...]] = []
    days: dict[Any, list[Any]] = {}
    for r in rows:
        _, _, day, amount, cpa, cpn, txt, remark, reversal, type_code, fp = r[:11]
        cls = _plain_class(c, account, amount, cpa, cpn, txt, remark, bool(reversal), type_code)
        if cls is None:
            whole.append(r)
            continue
        got = days.get(day)
        if got is None:
            got = days[day] = [0, 0, 0, r]
        elif fp < got[3][10]:
            got[3] = r
        got[0] += amount
        got[1] += 1
        if cls == INTEREST:
            got[2] += amount
    return whole, days


ROW = st.tuples(st.sampled_from(["2008-03-03", "2008-03-04", "2008-03-05"]), st.integers(-1, 4),
                st.sampled_from(NUMBERS), st.sampled_from(NAMES), st.sampled_from(TEXTS),
                st.sampled_from(["", "3月", "利息"]), st.sampled_from([0, 0, 0, 1, False, True]),
                st.sampled_from(["", "NTRF", "INT"]), st.text("abc", min_size=1, max_size=3))


@settings(max_examples=400)
@given(st.sampled_from([INCOME[0].number, INCOME[0].number, OTHER.number]), st.lists(ROW, max_size=40),
       st.sets(st.sampled_from(["6222000000000002", "退费户", "张三"])), st.booleans())
def test_condensing_without_a_call_a_line_sums_and_keeps_what_the_call_a_line_did(
        account: str, drawn: list[tuple[Any, ...]], refunded: set[str], balances: bool) -> None:
    rows = [(k, None if amount > 0 else account, day, amount, cpa, cpn, txt, remark, rev, tc, fp, None, None,
             *((k * 10,) if balances else ()))
            for k, (day, amount, cpa, cpn, txt, remark, rev, tc, fp) in enumerate(drawn)]
    c = Condenser(REGISTRY, CODES)
    c.refunded = set(refunded)
    got = _condense(account, rows, c)
    whole, days = _oracle(Condenser(REGISTRY, CODES) if not refunded else _with(refunded), account, rows)
    assert got.whole == whole
    assert got.days == days
    assert list(got.days) == list(days)  # the days in the same order (the credits sorted by day later)


def _with(refunded: set[str]) -> Condenser:
    c = Condenser(REGISTRY, CODES)
    c.refunded = set(refunded)
    return c
