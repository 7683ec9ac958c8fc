"""The ledger's rows of new lines, made a column at a time (store/ledger.py `_rows`), are the rows the
per-line form made (kept here as the reference), on SQLite (dates as ISO text, booleans as 0/1) and
on PostgreSQL (as they are), texts longer than their column cut to it."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.model import Line
from store.ledger import _new_lines, _rows


def _reference(lines: list[Line], fps: list[str], keys: list[str], account: str, fmt: str, intraday: bool,
               file_id: int, statement_id: int, as_text: bool) -> list[tuple[Any, ...]]:
    rows = []
    for ln, fp, mk in zip(lines, fps, keys, strict=True):
        day, value = ln.booking_date, ln.value_date
        rows.append((
            account, day.isoformat() if as_text else day,
            (None if value is None else value.isoformat()) if as_text else value, ln.amount_fen,
            ln.counterparty_account[:64], ln.counterparty_name, ln.text, ln.remark, ln.bank_ref[:128], ln.balance_fen,
            int(ln.reversal) if as_text else ln.reversal, ln.type_code[:64], fp, mk, fmt,
            int(intraday) if as_text else intraday, file_id, statement_id, ln.source[:256]))
    return rows


_text = st.text(alphabet="ab张-\x1f ", max_size=300)
_day = st.dates(min_value=date(2008, 1, 1), max_value=date(2010, 12, 31))
_line = st.builds(Line, _day, st.integers(-10**12, 10**12), value_date=st.none() | _day,
                  counterparty_account=_text, counterparty_name=_text, text=_text, remark=_text, bank_ref=_text,
                  balance_fen=st.none() | st.integers(-10**12, 10**12), source=_text, reversal=st.booleans(),
                  type_code=_text)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=12), st.booleans(), st.booleans())
def test_rows_a_column_at_a_time_are_the_rows_line_by_line(lines: list[Line], intraday: bool, as_text: bool) -> None:
    fps = [f"f{i}" for i in range(len(lines))]
    keys = [f"k{i}" for i in range(len(lines))]
    got = _rows(tuple(lines), fps, keys, "2406", "mt940", intraday, 7, 9, as_text=as_text)
    want = _reference(lines, fps, keys, "2406", "mt940", intraday, 7, 9, as_text)
    assert got == want
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]  # 1 is not True here


@pytest.mark.parametrize(("fps", "keys", "held", "other", "want"), [
    (["a", "b"], ["x", "y"], set(), Counter(), None),  # nothing held: every line, without a step a line
    (["a", "b", "c"], ["x", "y", "z"], {"b"}, Counter(), [0, 2]),
    (["a", "b", "c"], ["x", "x", "z"], set(), Counter({"x": 1}), [1, 2]),  # one other-format line holds one
    (["a", "a"], ["x", "y"], set(), Counter(), [0]),  # a fingerprint twice: held the second time
])
def test_new_lines_are_those_the_ledger_does_not_hold(fps: list[str], keys: list[str], held: set[str],
                                                      other: Counter[str], want: list[int] | None) -> None:
    assert _new_lines(fps, keys, held, other) == want
