"""A resumed night reads only the statements and journals near the days it draws up (store.books
statements_near and spans_near, reconcile.book.run statement_days and journal_days): the account's
book drawn up from a day with them must be the one drawn up with every statement and journal of its
history, whatever they are (daily, weekly, monthly, with holes, without closings or openings,
intraday, past the as-of date, ending before they begin), the old unmatched records' days, the
restart and the as-of date. On SQLite and PostgreSQL (the queries go to the driver's cursor)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from reconcile.book.records import JournalEntry, JournalSpan
from reconcile.book.run import Resume, book_account, journal_days, statement_days
from reconcile.book.statement import Prior
from reconcile.calendar import WorkCalendar
from reconcile.model import Line
from store.books import journal_spans, spans_near, statements_near
from store.db import Database, session_scope
from store.ledger import stored_statements
from store.models import FileRow, JournalRow, StatementRow
from tests.book.helpers import ACCOUNT, entry, line

FIRST = date(2008, 10, 1)  # the 2009 Spring Festival (25-31 January) within
LAST = date(2009, 4, 30)


def _store(db: Database, rng: random.Random) -> None:
    """Daily, weekly and monthly statements with holes, some without a closing balance, some
    intraday, one file each; and another account's beside them."""
    now = datetime(2009, 5, 1, tzinfo=UTC)
    with session_scope(db) as s:
        files = 0

        def file(prefix: str) -> int:
            """A new file of its own, and its id."""
            nonlocal files
            files += 1
            f = FileRow(sha256=f"{files:064d}", name=f"{prefix}{files}", size=1, status="ingested", received_at=now,
                        processed_at=now)
            s.add(f)
            s.flush()
            return f.id

        def until(d: date, length: int) -> date:
            """The period's end: `length` days on, or now and then one ending before it begins."""
            return d + timedelta(days=length) if rng.random() < 0.97 else d - timedelta(days=1)

        d = FIRST + timedelta(days=rng.randint(0, 10))
        while d < LAST:
            length = rng.choice([0, 0, 0, 1, 2, 6, 30, 30])
            if rng.random() < 0.7:
                for account in (ACCOUNT.number, "other"):
                    fid = file("f")
                    end = until(d, length)
                    s.add(StatementRow(file_id=fid, index_in_file=0, account=account, format="x", currency="CNY",
                                       intraday=rng.random() < 0.1, period_start=d, period_end=end,
                                       opening_fen=rng.choice([None, rng.randint(0, 9)]),
                                       closing_fen=rng.choice([None, rng.randint(0, 10**6), rng.randint(0, 10**6)]),
                                       lines_sum_fen=0, line_count=0))
            d += timedelta(days=length + rng.choice([1, 1, 1, 2, 4, 9, 20]))
        d = FIRST + timedelta(days=rng.randint(0, 40))
        while d < LAST:  # the cashier's journals: monthly, a few weekly, some missing or without an opening
            length = rng.choice([30, 30, 30, 30, 6, 61])
            if rng.random() < 0.92:
                fid = file("j")
                end = until(d, length)
                s.add(JournalRow(file_id=fid, index_in_file=0, account=ACCOUNT.number, format="x", period_start=d,
                                 period_end=end, opening_fen=rng.choice([None, rng.randint(0, 10**6)]),
                                 closing_fen=None, entry_count=0))
            d += timedelta(days=length + rng.choice([1, 1, 1, 1, 1, 1, 12]))


def _day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _resume(rng: random.Random, as_of: date) -> tuple[Resume, list[JournalEntry], list[Line]]:
    """A restart at a random day (the day after the as-of date too, as a quiet account's), old
    unmatched entries and lines before the first day loaded, records from it on."""
    start = as_of + timedelta(days=1) if rng.random() < 0.2 else _day(rng, FIRST + timedelta(days=20), as_of)
    first = start if start > as_of else start - timedelta(days=5)
    before = first - timedelta(days=1)
    old_e = sorted((entry(_day(rng, FIRST, before).isoformat(), rng.choice([-1, 1]) * rng.randint(1, 999))
                    for _ in range(rng.randint(0, 8))), key=lambda e: e.entry_date)
    old_l = sorted((line(_day(rng, FIRST, first - timedelta(days=1)).isoformat(), rng.randint(1, 999))
                    for _ in range(rng.randint(0, 3))), key=lambda ln: ln.booking_date)
    entries = sorted((entry(_day(rng, first, as_of).isoformat(), rng.randint(1, 999))
                      for _ in range(rng.randint(0, 6)) if first <= as_of), key=lambda e: e.entry_date)
    lines = sorted((line(_day(rng, first, as_of).isoformat(), rng.randint(1, 999), balance=rng.choice([None, 5]))
                    for _ in range(rng.randint(0, 6)) if first <= as_of), key=lambda ln: ln.booking_date)
    # The sums before the first day loaded depend on the anchor's day: another anchor, another balance.
    prior = Prior(first, lambda d: d.toordinal() % 97, lambda d: 3 * (d.toordinal() % 89), lambda: (1000, 7))
    return Resume(start, first, [], old_e, old_l, prior), entries, lines


@pytest.mark.parametrize("seed", range(6))
def test_the_statements_and_journals_near_the_days_drawn_up_draw_up_the_book_of_all_of_them(database: Database,
                                                                                 seed: int) -> None:
    rng = random.Random(seed)
    cal = WorkCalendar()
    _store(database, rng)
    read = every = 0
    seen: list[set[str]] = []
    for _ in range(25):
        as_of = _day(rng, FIRST + timedelta(days=40), LAST)
        resume, entries, lines = _resume(rng, as_of)
        with session_scope(database) as s:
            whole = stored_statements(s, [ACCOUNT.number])
            near = statements_near(s, ACCOUNT.number, as_of, *statement_days(resume, as_of, cal))
            spans = journal_spans(s, ACCOUNT.number)
            near_spans = spans_near(s, ACCOUNT.number, as_of, *journal_days(resume, as_of, cal))
        assert all(x.statement.account == ACCOUNT.number for x in near)
        # The statements near, with one journal covering every day (the bank's side drawn up in full);
        # then the journals near too, with every statement's book as the reference.
        one = [JournalSpan(FIRST, LAST, 0, "j")]
        for want, got in ((book_account(ACCOUNT, entries, lines, one, whole, as_of, cal, 5, 90, resume),
                           book_account(ACCOUNT, entries, lines, one, near, as_of, cal, 5, 90, resume)),
                          (book_account(ACCOUNT, entries, lines, spans, whole, as_of, cal, 5, 90, resume),
                           book_account(ACCOUNT, entries, lines, near_spans, near, as_of, cal, 5, 90, resume))):
            assert (got.months, got.open_items, got.findings) == (want.months, want.open_items, want.findings), (
                seed, as_of, resume.start)
            seen.append({st.state for st in want.months})
        read, every = read + len(near) + len(near_spans), every + len(whole) + len(spans)
    assert read < every / 2, "the statements near the days drawn up are a few of the history's"
    # balances drawn up with one journal; with the stored ones, months they cover and months they do not
    assert "difference" in set().union(*seen[0::2]), seen
    assert {"no_journal", "no_statement"} <= set().union(*seen[1::2]) or "difference" in set().union(*seen[1::2])
