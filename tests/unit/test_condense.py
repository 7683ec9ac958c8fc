"""reconcile.engine.condense: a credit's counterparty number decides whether it is plain (not from
a pooled account). A number written with nothing for `normalize_number` to take out is looked up as
written (no resolver cache entry per contributor); any other the resolver's way: the same answer."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reconcile.accounts import load_registry
from reconcile.engine.classify import INTEREST, PLAIN
from reconcile.engine.codes import load_codes
from reconcile.engine.condense import Condenser
from reconcile.engine.parties import POOLED

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_registry(ROOT / "mappings" / "accounts.toml")
CODES = load_codes(ROOT / "mappings" / "codes.toml")
INCOME = next(a.number for a in REGISTRY.accounts if a.role == "income")
POOLED_NUMBERS = [a.number for a in REGISTRY.accounts]
NOISE = st.sampled_from([" ", "-", "'", '"', "\t", "\u3000", "\u00a0", "٣", "²", "0", "7"])


def _spelled(number: str, noise: list[str]) -> str:
    out = list(number)
    for i, n in enumerate(noise):
        out.insert(i * 3 % (len(out) + 1), n)
    return "".join(out)


@given(st.one_of(st.sampled_from(POOLED_NUMBERS), st.text("0123456789", min_size=1, max_size=20)),
       st.lists(NOISE, max_size=4))
def test_a_credit_from_a_number_is_plain_unless_the_number_is_pooled(number: str, noise: list[str]) -> None:
    raw = _spelled(number, noise)
    condenser = Condenser(REGISTRY, CODES)
    got = condenser.plain_credit(INCOME, 100, raw, "", "", "", False, "")
    cls = condenser._class[(False, "", "", "")]
    expected = cls in (PLAIN, INTEREST) and Condenser(REGISTRY, CODES).resolver.party_of_number(raw).kind != POOLED
    assert got == expected, raw
    if raw.isdigit():
        assert raw not in condenser.resolver._numbers  # looked up as written


def test_a_pooled_number_as_written_is_not_plain() -> None:
    condenser = Condenser(REGISTRY, CODES)
    assert not condenser.plain_credit(INCOME, 100, POOLED_NUMBERS[0].replace("-", ""), "", "", "", False, "")
    assert condenser.plain_credit(INCOME, 100, "6222000000000001", "", "", "", False, "")


@given(st.sampled_from(["", "利息", "结息", "存款利息", "养老保险费", "退汇", "退款"]),
       st.sampled_from(["", "利息", "缴费", "退汇"]),
       st.sampled_from(["", "6222000000000001", POOLED_NUMBERS[0]]),
       st.sampled_from(["", "张三", "某公司"]),
       st.integers(-5, 5), st.booleans())
def test_plain_class_is_plain_credit_with_the_class_is_interest_looks_up(text: str, remark: str, cpa: str, cpn: str,
                                                                         amount: int, reversal: bool) -> None:
    """store/inputs._condense and store/snapshot take the class plain_class found instead of asking
    is_interest again: the same answers as the pair."""
    got = Condenser(REGISTRY, CODES).plain_class(INCOME, amount, cpa, cpn, text, remark, reversal, "")
    pair = Condenser(REGISTRY, CODES)
    plain = pair.plain_credit(INCOME, amount, cpa, cpn, text, remark, reversal, "")
    assert (got is not None) == plain
    if plain:
        assert (got == INTEREST) == pair.is_interest(text, remark, "")
        assert got in (PLAIN, INTEREST)
