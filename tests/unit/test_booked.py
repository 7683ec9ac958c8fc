"""`Statement.booked`: the lines of status BOOK, in order, the statement's own tuple when all are."""

from __future__ import annotations

from datetime import date

from reconcile.model import EntryStatus, Line, Statement


def _line(amount: int, status: EntryStatus | str = EntryStatus.BOOK) -> Line:
    return Line(date(2008, 3, 3), amount, status=status)  # type: ignore[arg-type]


def test_booked_is_the_statements_own_tuple_when_every_line_is_booked() -> None:
    """No copy a call (the ingest asks four times a statement); fails on the tuple built each time."""
    lines = tuple(_line(a) for a in (100, -20, 100))
    st = Statement("1", lines=lines)
    assert st.booked is lines
    assert Statement("1").booked == ()


def test_booked_leaves_out_pending_and_information_lines_in_order() -> None:
    lines = (_line(1), _line(2, EntryStatus.PDNG), _line(3), _line(4, EntryStatus.INFO), _line(5))
    assert [ln.amount_fen for ln in Statement("1", lines=lines).booked] == [1, 3, 5]
    assert Statement("1", lines=lines[1:2]).booked == ()
    # a status that only compares equal to BOOK is not BOOK (as `is` decided before)
    assert Statement("1", lines=(_line(1, "BOOK"), _line(2))).booked == (_line(2),)
