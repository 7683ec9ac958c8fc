from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import statement
from reconcile.accounts import normalize_number
from reconcile.fingerprint import fingerprints, identities, match_keys
from reconcile.model import Line, RefStrength

D = date(2008, 3, 4)


def test_two_identical_contributions_on_one_day_both_keep_their_own_fingerprint() -> None:
    twin = Line(D, 150000, counterparty_name="某建筑公司", text="汇入")
    fps = fingerprints([twin, twin])
    assert fps[0] != fps[1]
    assert fingerprints([twin, twin]) == fps  # deterministic: the same file again gives the same


def test_a_strong_serial_identifies_a_line_whatever_its_texts() -> None:
    a = Line(D, 100, bank_ref="SN1", ref_strength=RefStrength.STRONG, text="汇入")
    b = Line(D, 100, bank_ref="SN1", ref_strength=RefStrength.STRONG, text="转账", remark="另一说明")
    assert fingerprints([a]) == fingerprints([b])


def test_a_weak_serial_is_not_enough_on_its_own() -> None:
    a = Line(D, 100, bank_ref="0001", ref_strength=RefStrength.WEAK, counterparty_name="甲")
    b = Line(D, 100, bank_ref="0001", ref_strength=RefStrength.WEAK, counterparty_name="乙")
    assert fingerprints([a]) != fingerprints([b])


def test_intraday_lines_never_collide_with_end_of_day_lines() -> None:
    a = Line(D, 100, bank_ref="SN1", ref_strength=RefStrength.STRONG)
    assert fingerprints([a], intraday=True) != fingerprints([a])


def test_match_keys_ignore_serials_and_texts_but_count_occurrences() -> None:
    a = Line(D, 100, counterparty_account="23-1234", bank_ref="X", text="汇入")
    b = Line(D, 100, counterparty_account="231234", bank_ref="Y", text="转账")
    assert match_keys([a]) == match_keys([b])
    assert len(set(match_keys([a, b]))) == 2


# -- the stored values never change: `identities` against the joined form it replaced -------------------
def _joined_digest(parts: tuple[object, ...]) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8"), usedforsecurity=False).hexdigest()


def _joined(lines: list[Line], intraday: bool) -> tuple[list[str], list[str]]:
    """The fingerprints and match keys as they were first stored (the code before `identities`)."""
    space = "I" if intraday else "B"
    seen: Counter[tuple[object, ...]] = Counter()
    seen_mk: Counter[tuple[object, ...]] = Counter()
    fps, keys = [], []
    for ln in lines:
        if ln.ref_strength is RefStrength.STRONG and ln.bank_ref:
            key: tuple[object, ...] = (space, "S", ln.bank_ref, ln.booking_date, ln.amount_fen)
        else:
            key = (space, "N", ln.booking_date, ln.amount_fen, normalize_number(ln.counterparty_account),
                   ln.counterparty_name.strip(), ln.text.strip(), ln.remark.strip(), ln.balance_fen, ln.bank_ref)
        fps.append(_joined_digest((*key, seen[key])))
        seen[key] += 1
        mk = (ln.booking_date, ln.amount_fen, normalize_number(ln.counterparty_account))
        keys.append(_joined_digest((*mk, seen_mk[mk])))
        seen_mk[mk] += 1
    return fps, keys


ODD = ["", " ", "\x1f", "a\x1fb", "\x1f\x1f", "\u3000汇入\u3000", "e\u0301", "\u00e9", "\u200b", "\ufeff", "𠀀𪚥",
       "😀👨‍👩‍👧", "\u00a0", "\t23-1234 ", "None", "0", "-1", "\u202e", "ＡＢＣ１２３", "'\"", "\x00", "\n", "‐", "—"]
_odd = st.sampled_from(ODD) | st.text(max_size=6) | st.sampled_from(ODD).flatmap(
    lambda a: st.sampled_from(ODD).map(lambda b: a + b))
_line = st.builds(
    Line, st.sampled_from([D, date(2008, 3, 5), date(1999, 12, 31)]), st.sampled_from([0, 100, -100, 10**15, -1]),
    counterparty_account=_odd, counterparty_name=_odd, text=_odd, remark=_odd, bank_ref=_odd,
    ref_strength=st.sampled_from(list(RefStrength)), balance_fen=st.none() | st.sampled_from([0, 5, -7, 10**12]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_line, max_size=12), st.booleans())
def test_identities_equal_the_joined_form_they_replaced(lines: list[Line], intraday: bool) -> None:
    assert identities(lines, intraday=intraday) == _joined(lines, intraday)


def test_identities_equal_the_joined_form_on_many_generated_lines() -> None:
    lines = [ln._replace(ref_strength=s, bank_ref=ref, counterparty_name=name)
             for ln in statement(3000, seed=3).lines
             for s, ref, name in [(RefStrength.STRONG, ln.bank_ref, ln.counterparty_name),
                                  (RefStrength.WEAK, ln.bank_ref[-3:], ln.counterparty_name + "\u3000"),
                                  (RefStrength.NONE, "", "a\x1fb")]]
    lines += lines[:500]  # repeats: occurrences
    for intraday in (False, True):
        assert identities(lines, intraday=intraday) == _joined(lines, intraday)
    assert fingerprints(lines) == identities(lines)[0]
    assert match_keys(lines) == identities(lines)[1]


def test_parts_that_join_alike_keep_their_own_occurrence_count() -> None:
    a = Line(D, 100, counterparty_name="a\x1fb", text="c")
    b = Line(D, 100, counterparty_name="a", text="b\x1fc")
    assert identities([a, b]) == _joined([a, b], False)
    assert fingerprints([a, b])[0] == fingerprints([a, b])[1]  # as first stored: both occurrence 0
