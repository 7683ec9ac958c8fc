"""A reader child makes its statements' line identities (fingerprints and match keys) and sends them
with the lines (jobs/ingest/reading.py): the one writer stores them without making them again, and
never uses them for lines they were not made of."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from jobs.ingest.reading import STATEMENT_REDUCERS
from jobs.isolate import Worker
from reconcile import fingerprint
from reconcile.fingerprint import identities, statement_identities
from reconcile.model import Identities, Line, RefStrength, Statement

MB = 1024 * 1024


def _statement(intraday: bool = False) -> Statement:
    lines = tuple(Line(date(2008, 5, 1 + i % 20), (i + 1) * 100 * (-1) ** i, counterparty_account=f"6222-{i % 3}",
                       counterparty_name="张三", text="缴费", bank_ref=f"R{i}" if i % 2 else "",
                       ref_strength=RefStrength.STRONG if i % 4 == 1 else RefStrength.WEAK, source=f"line {i}")
                  for i in range(30))
    return Statement("2406070109000012345", lines=lines, format="mt940", intraday=intraday)


def _read(intraday: bool) -> list[Statement]:
    return [_statement(intraday)]


@pytest.mark.parametrize("intraday", [False, True])
def test_a_readers_statement_brings_the_identities_of_its_own_lines(intraday: bool,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    w: Worker[list[Statement]] = Worker(_read, (), 256 * MB, 30, STATEMENT_REDUCERS)
    got = w.result(w.send((intraday,)))
    w.abandon()
    assert isinstance(got, list)
    st = got[0]
    want = identities(st.booked, intraday=intraday)  # made here, in the parent, for the comparison
    assert st.identities is not None and st.identities.lines is st.lines
    assert (st.identities.fingerprints, st.identities.match_keys) == want
    # the writer takes them as they came: making them again would fail here
    monkeypatch.setattr(fingerprint, "identities", lambda *_a, **_k: pytest.fail("made again in the writer"))
    assert statement_identities(st, st.booked) == want


def test_identities_are_never_used_for_other_lines_or_another_namespace() -> None:
    st = _statement()
    made = identities(st.lines)
    carried = replace(st, identities=Identities(st.lines, False, *made))
    assert statement_identities(carried, carried.booked) == made
    fewer = replace(carried, lines=carried.lines[:-1])  # the identities still name the old tuple
    assert statement_identities(fewer, fewer.booked) == identities(fewer.lines)
    intraday = replace(carried, intraday=True)
    assert statement_identities(intraday, intraday.booked) == identities(st.lines, intraday=True)
    assert identities(st.lines, intraday=True) != made
    assert carried == st  # they take no part in a statement's equality
