from __future__ import annotations

from datetime import date

from reconcile.fingerprint import fingerprints, match_keys
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
