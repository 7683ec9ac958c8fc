"""The correction rule of store/ledger.py, without a database: which new lines are a bank's
correction of a held line (issue 12, defect 6)."""

from __future__ import annotations

from datetime import date

from reconcile.model import Line, RefStrength
from store.ledger import restatement_conflicts, serial_conflicts

DAY = date(2008, 1, 4)


def line(amount: int, ref: str = "R1", strength: RefStrength = RefStrength.STRONG, day: date = DAY,
         source: str = "line 9") -> Line:
    return Line(booking_date=day, amount_fen=amount, bank_ref=ref, ref_strength=strength, source=source)


def held(amount: int, ref: str = "R1", day: date = DAY) -> Line:
    """A stored line as the rule reads it back."""
    return Line(day, amount, bank_ref=ref, source="line 3", file_name="first.csv")


def test_same_serial_and_date_with_another_amount_is_a_conflict_naming_both_lines() -> None:
    (c,) = serial_conflicts([line(9000)], [held(10000)])
    assert (c.new.bank_ref, c.new.amount_fen, c.new.source, c.held.amount_fen, c.held.file_name, c.held.source) == (
        "R1", 9000, "line 9", 10000, "first.csv", "line 3")


def test_another_direction_is_a_conflict() -> None:
    assert serial_conflicts([line(10000)], [held(-10000)])


def test_the_same_amount_again_is_no_conflict() -> None:
    assert serial_conflicts([line(10000)], [held(10000)]) == []


def test_a_weak_or_missing_serial_is_never_compared() -> None:
    assert serial_conflicts([line(9000, strength=RefStrength.WEAK)], [held(10000)]) == []
    assert serial_conflicts([line(9000, ref="")], [held(10000, ref="")]) == []


def test_another_day_or_serial_is_no_conflict() -> None:
    assert serial_conflicts([line(9000, day=date(2008, 1, 5))], [held(10000)]) == []
    assert serial_conflicts([line(9000, ref="R2")], [held(10000)]) == []


def test_a_fee_or_a_reversal_under_the_same_serial_beside_the_held_amount_is_no_conflict() -> None:
    assert serial_conflicts([line(-10000), line(-150)], [held(-10000)]) == []  # transfer and its fee
    assert serial_conflicts([line(-10000), line(10000)], [held(-10000)]) == []  # and its later reversal


def test_a_restatement_with_one_amount_changed_is_a_conflict_on_that_line() -> None:
    new = [line(100, ref="", source="Ntry[1]"), line(250, ref="", source="Ntry[2]")]
    old = [held(100, ref=""), Line(DAY, 200, source="Ntry[2]", file_name="first.xml")]
    (c,) = restatement_conflicts(new, old)
    assert (c.new.amount_fen, c.new.source, c.held.amount_fen, c.held.source) == (250, "Ntry[2]", 200, "Ntry[2]")


def test_a_restatement_with_the_same_amounts_or_other_lines_is_no_conflict() -> None:
    assert restatement_conflicts([line(100, ref=""), line(200, ref="")], [held(200, ref=""), held(100, ref="")]) == []
    assert restatement_conflicts([line(100, ref="")], [held(100, ref=""), held(200, ref="")]) == []
