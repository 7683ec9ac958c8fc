"""The book side reads an account's lines with only what the balances read (store.books.load_matched)
and the rest for the lines that can tie as an entry's candidate, that a statement can list or that
the run keeps unmatched (reconcile.book.run `Details`): the matches, statements, items, findings
and the records kept must be those of the whole lines, whatever the records and the as-of date."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from reconcile.book.records import JournalEntry
from reconcile.book.run import book_account
from reconcile.calendar import WorkCalendar
from reconcile.model import Line
from tests.book.helpers import ACCOUNT, entry, line, span, statement

CAL = WorkCalendar()
FIRST = date(2008, 1, 1)


def _records(rng: random.Random) -> tuple[list[JournalEntry], list[Line]]:
    """Three months of entries and lines: most booked by both sides a few days apart (across month
    ends too), some by one side only, some as a day's several lines against one entry or the
    reverse, a few amounts repeated (ties) and of zero."""
    entries, lines = [], []
    amounts = [rng.choice([1, -1]) * rng.randint(1, 40) * 100 for _ in range(12)]
    for _ in range(rng.randint(20, 70)):
        day = FIRST + timedelta(days=rng.randint(0, 88))
        fen = rng.choice(amounts) if rng.random() < 0.4 else rng.choice([1, -1]) * rng.randint(0, 9_999)
        other = day + timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 6, -1, -4]))
        kind = rng.random()
        party = rng.choice(["", "某某中学", "盘县某某煤矿"])
        if kind < 0.6:
            entries.append(entry(day.isoformat(), fen, party=party))
            lines.append(line(other.isoformat(), fen, party=party, balance=rng.choice([None, fen])))
        elif kind < 0.7:
            entries.append(entry(day.isoformat(), fen))
        elif kind < 0.8:
            lines.append(line(day.isoformat(), fen))
        elif kind < 0.9:
            entries.append(entry(day.isoformat(), 2 * fen))
            lines += [line(other.isoformat(), fen), line(other.isoformat(), fen)]
        else:
            lines.append(line(day.isoformat(), 2 * fen))
            entries += [entry(other.isoformat(), fen), entry(other.isoformat(), fen)]
    entries.sort(key=lambda e: (e.entry_date, e.id))
    lines.sort(key=lambda ln: (ln.booking_date, ln.id))
    return entries, lines


def _narrow(lines: Sequence[Line]) -> list[Line]:
    """The lines as store.books.load_matched reads them."""
    return [Line(ln.booking_date, ln.amount_fen, balance_fen=ln.balance_fen, id=ln.id, account=ln.account)
            for ln in lines]


@pytest.mark.parametrize("seed", range(60))
def test_the_records_read_whole_only_where_needed_give_the_whole_records_book(seed: int) -> None:
    rng = random.Random(seed)
    entries, lines = _records(rng)
    as_of = FIRST + timedelta(days=rng.randint(25, 95))
    spans = [span("01-01", "03-31", 100_000)]
    statements = [statement("01-01", "01-31", 0, 500), statement("02-01", "02-29", 500, 700),
                  statement("03-01", "03-31", 700, 900)]
    whole = {ln.id: ln for ln in lines}
    asked: list[int] = []

    def details(line_ids: Sequence[int]) -> dict[int, Line]:
        asked.extend(line_ids)
        return {i: whole[i] for i in line_ids}

    want = book_account(ACCOUNT, entries, lines, spans, statements, as_of, CAL, 5)
    got = book_account(ACCOUNT, entries, _narrow(lines), spans, statements, as_of, CAL, 5, details=details)
    assert got.months == want.months
    assert got.open_items == want.open_items
    assert got.findings == want.findings
    assert got.matching == want.matching
    # what a run keeps (jobs.books `_kept`): the unmatched records whole, the matched by id
    assert got.entries == want.entries
    assert [ln for ln, k in zip(got.lines, got.matching.line_match, strict=True) if k < 0] == [
        ln for ln, k in zip(want.lines, want.matching.line_match, strict=True) if k < 0]
    assert [ln.id for ln in got.lines] == [ln.id for ln in want.lines]
    assert len(set(asked)) == len(asked) <= len(want.lines)


def test_lines_of_no_entry_s_amount_matched_and_cleared_within_their_month_are_not_read_again() -> None:
    entries = [entry("01-10", 500), entry("01-30", -200), entry("02-03", 70)]
    lines = [line("01-11", 500), line("01-20", 900), line("01-21", 60), line("02-01", -200), line("02-03", 20),
             line("02-03", 50)]  # the entry of -200 clears after January's end; 20 + 50 match the entry of 70
    asked: list[list[int]] = []

    def details(line_ids: Sequence[int]) -> dict[int, Line]:
        asked.append(list(line_ids))
        return {ln.id: ln for ln in lines if ln.id in line_ids}

    book = book_account(ACCOUNT, entries, _narrow(lines), [span("01-01", "02-29", 0)],
                        [statement("01-01", "01-31", 0, 1_460), statement("02-01", "02-29", 1_460, 1_330)],
                        date(2008, 2, 29), CAL, 5, details=details)
    ids = [ln.id for ln in lines]
    # the lines of the entries' amounts first, then those never matched; the day's two lines matched
    # by the entry of 70 within February are not read again
    assert asked == [[ids[0], ids[3]], [ids[1], ids[2]]]
    assert [it.ref for it in book.months[0].items if it.side.startswith("bank")] == [lines[1].bank_ref,
                                                                                     lines[2].bank_ref]
