"""Incremental book side (issue 18): a night draws each account's 银行存款余额调节表 up again only from
the first month that can change, keeping what earlier nights decided (store.bookkept), and must
store exactly what a run over the whole history gives: every month's statement with its items,
the items outstanding at the as-of date, and the findings.

The property runs over the simulator with the cashiers' journals, the files arriving night by
night at random boundaries, some held back for weeks (a late statement or journal for an old
month), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.books import load_book, run_books
from jobs.ingest import Ingestor
from jobs.reconciling import ReconcileResult, run_reconcile, settings
from parsers.books.read import read
from parsers.books.writer import write
from reconcile.book.records import Item, JournalEntry, MonthStatement
from store.bookkept import KeptAccount, Mark, Since, month_key, restart_day
from store.books import book_accounts, load_open_items, load_statements
from store.db import session_scope
from store.models import BookKeptAccountRow, BookKeptMarkRow, BookKeptRow, FindingRow, JournalEntryRow, LineRow
from tests.integration.nights import TZ, deliver, one_seed_on_postgres, simulated
from tests.integration.nights import arrivals as arrivals_of

BOOK_KINDS = ("book_unreconciled", "stale_outstanding")


def _whole(app: App, as_of: date) -> tuple[list[MonthStatement], dict[str, list[Item]], dict[str, tuple[object, ...]]]:
    """Every account drawn up from its beginning (`recon book`'s reading), nothing kept used."""
    cal = settings(app.config, app.registry).calendar
    with session_scope(app.database()) as s:
        accounts = book_accounts(s)
    months: list[MonthStatement] = []
    items: dict[str, list[Item]] = {}
    findings: dict[str, tuple[object, ...]] = {}
    for number in accounts:
        book = load_book(app.config, app.registry, app.database(), number, as_of, cal)
        assert book is not None
        months += book.months
        if book.open_items:
            items[number] = book.open_items
        findings |= {f.key: (f.amount_fen, f.period, f.detail) for f in book.findings}
    return months, items, findings


def _stored(app: App) -> tuple[list[MonthStatement], dict[str, list[Item]], dict[str, tuple[object, ...]]]:
    with session_scope(app.database()) as s:
        months = load_statements(s)
        items = load_open_items(s)
        rows = s.scalars(select(FindingRow).where(FindingRow.kind.in_(BOOK_KINDS), FindingRow.state == "open"))
        findings: dict[str, tuple[object, ...]] = {r.key: (r.amount_fen, r.period, json.loads(r.detail)) for r in rows}
    return months, items, findings


def _same(app: App, as_of: date) -> None:
    got_months, got_items, got_findings = _stored(app)
    want_months, want_items, want_findings = _whole(app, as_of)
    assert [(st.account, st.month) for st in got_months] == [(st.account, st.month) for st in want_months], as_of
    for got, want in zip(got_months, want_months, strict=True):
        assert got == want, (as_of, got.account, got.month)
    assert got_items == want_items, as_of
    assert got_findings == want_findings, as_of


def _apart(app: App, as_of: date) -> date:
    """The earlier day of a match whose entry and line are days apart (the latest such match)."""
    cal = settings(app.config, app.registry).calendar
    with session_scope(app.database()) as s:
        accounts = book_accounts(s)
    days = []
    for number in accounts:
        book = load_book(app.config, app.registry, app.database(), number, as_of, cal)
        assert book is not None
        days += [min(book.entries[mt.entries[0]].entry_date, book.lines[mt.lines[0]].booking_date)
                 for mt in book.matching.matches if mt.days_apart and mt.cleared < as_of]
    assert days, "no match of records days apart"
    return max(days)


def _backdated(staged: Path, rng: random.Random, arrivals: dict[date, list[Path]]) -> date:
    """A cashier's entry booked late (补记): one account's February journal exported again with one
    more entry, dated a random day of February, arriving a random day of April."""
    journal = rng.choice(sorted(f for f in staged.iterdir()
                                if f.name.startswith("日记账_") and "_200802" in f.name and f.suffix == ".csv"))
    (j,) = read(journal.read_bytes(), journal.name)
    day = date(2008, 2, rng.randint(1, 29))
    late = JournalEntry(day, rng.choice([1, -1]) * rng.randint(100, 9_999_999), "记-99", "补记", "", source="")
    entries = sorted((*j.entries, late), key=lambda e: e.entry_date)
    again = staged / f"{journal.stem} 补记{journal.suffix}"
    again.write_bytes(write([replace(j, entries=tuple(entries))], j.format.split(":", 1)[1]))
    arrivals.setdefault(date(2008, 4, rng.randint(1, 28)), []).append(again)
    return day


def _held_back(staged: Path, rng: random.Random) -> dict[date, list[Path]]:
    """The files by arrival day, one in twelve 1 to 40 days late, and one account's bank journal of
    the first month and its statements of the second 45 days late (late files for old months)."""
    arrivals = arrivals_of(staged, rng)
    files = sorted(staged.iterdir())
    journal = rng.choice([f for f in files if f.name.startswith("日记账_") and "_200801" in f.name])
    account = journal.name.split("_")[1]
    statements = [f for f in files if not f.name.startswith("日记账_") and f"_{account}_200802" in f.name]
    assert statements, account
    for late in (journal, *statements):
        day = next(d for d, fs in arrivals.items() if late in fs)
        arrivals[day].remove(late)
        arrivals.setdefault(day + timedelta(days=45), []).append(late)
    return arrivals


@pytest.mark.parametrize("seed", [4, 9])
def test_night_by_night_book_equals_the_whole_history(tmp_path: Path, db_url: str, seed: int) -> None:
    one_seed_on_postgres(db_url, seed, 4)
    rng = random.Random(seed)
    app = simulated(tmp_path, db_url, 4, seed, 300)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    arrivals = _held_back(tmp_path / "staged", rng)
    backdated = _backdated(tmp_path / "staged", rng, arrivals)
    days = sorted(arrivals)
    nights = [*sorted(rng.sample([d for d in days if date(2008, 2, 20) <= d < days[-1]], 7)), days[-1]]
    done: set[date] = set()
    resumed = quiet = 0
    result: ReconcileResult | None = None
    as_of = nights[0]
    for night in nights:
        deliver(arrivals, night, done, inbox)
        Ingestor(app.config, app.registry, app.database()).run(progress=False)
        as_of = night - timedelta(days=rng.choice([0, 1, 1, 3]))
        if rng.random() < 0.3:  # a month end
            as_of = date(night.year, night.month, 1) - timedelta(days=1)
        result = run_reconcile(app.config, app.registry, app.database(), as_of)
        assert result.book, "the simulator's journals were read"
        resumed += int(result.book["drawn"]) < int(result.book["months"])
        _same(app, as_of)
        with session_scope(app.database()) as s:  # kept through the as-of date, its month's first days too
            assert set(s.scalars(select(BookKeptAccountRow.through))) == {month_key(as_of)}
        if rng.random() < 0.6:  # a night with nothing new, a day or two on (a month end too)
            as_of += timedelta(days=rng.choice([1, 2]))
            cal = settings(app.config, app.registry).calendar
            quiet += run_books(app.config, app.registry, app.database(), as_of, cal).quiet
            run_reconcile(app.config, app.registry, app.database(), as_of)
            _same(app, as_of)
    assert resumed >= 3, "the nights drew up fewer months than they stored (they resumed)"
    assert quiet, "no account was drawn up from the day after the last run's (nothing new)"
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.count()).select_from(BookKeptRow)), "nothing was kept between nights"
        assert s.scalar(select(JournalEntryRow.entry_date).where(JournalEntryRow.voucher == "记-99")) == backdated
    # An earlier day than the kept months (a report for last month), then the last night again; and
    # the day before a match whose two sides are days apart, then the last night again: nothing is
    # new then, but the ledger holds records after that day (not a night with nothing new).
    for day in (as_of - timedelta(days=40), as_of, _apart(app, as_of), as_of):
        run_reconcile(app.config, app.registry, app.database(), day)
        _same(app, day)
    assert result is not None
    incremental = _stored(app)
    full = run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
    assert _stored(app) == incremental
    assert full.book == {**result.book, "drawn": full.book["drawn"], "seconds": full.book["seconds"]}
    assert full.book["drawn"] == full.book["months"]
    assert (full.counts.opened, full.counts.closed, full.counts.changed, full.counts.reopened) == (0, 0, 0, 0)


def test_another_matching_window_draws_everything_up_again(tmp_path: Path) -> None:
    """The kept decisions depend on the window: another window forgets them."""
    app = simulated(tmp_path, f"sqlite:///{tmp_path / 'recon.db'}", 3, 5, 300, into="inbox")
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    cal = settings(app.config, app.registry).calendar
    as_of = date(2008, 3, 31)
    first = run_reconcile(app.config, app.registry, app.database(), as_of)
    again = run_books(app.config, app.registry, app.database(), as_of, cal)
    assert again.counts()["drawn"] < again.counts()["months"] == first.book["months"]
    narrower = replace(app.config, book=replace(app.config.book, match_days=3))
    other = run_books(narrower, app.registry, app.database(), as_of, cal)
    assert other.counts()["drawn"] == other.counts()["months"]


def test_a_night_restarts_at_a_day() -> None:
    """The restart is a day (the as-of date's month is kept as far as the as-of date), not the first
    of a month: a night loads about 4 x match_days + match_days days of records, not a month more."""
    kept = KeptAccount("2008-01", "2008-03", {})
    run = Since(0, 0, Mark(0, 0, date(2008, 3, 25), "c"))
    assert restart_day(kept, run, "a", {}, date(2008, 3, 26), 5) == date(2008, 3, 6)
    late = Since(0, 0, Mark(0, 0, date(2008, 3, 25), "c"), {"a": date(2008, 3, 14)})
    assert restart_day(kept, late, "a", {}, date(2008, 3, 26), 5) == date(2008, 2, 23)
    # A store kept by the version that kept closed months only: from the end of `through`.
    old = KeptAccount("2008-01", "2008-02", {})
    assert restart_day(old, run, "a", {}, date(2008, 3, 26), 5) == date(2008, 2, 10)
    assert restart_day(kept, run, "a", {}, date(2008, 1, 20), 5) is None  # before the kept months


def test_a_statement_that_came_restarts_from_its_first_day_not_its_months() -> None:
    """A changed month restarts from the first day of a statement or journal that came or went in it
    (a daily statement of the 20th: the 20th, less the replay window), not from the month's first
    day; a changed month none of them explains restarts from its first day."""
    kept = KeptAccount("2008-01", "2008-03", {"2008-03": "old"})
    mark = Mark(0, 0, date(2008, 3, 25), "c")
    came = Since(0, 0, mark, {}, {"a": [date(2008, 2, 2), date(2008, 3, 20), date(2008, 3, 24)]})
    assert restart_day(kept, came, "a", {"2008-03": "new"}, date(2008, 3, 26), 5) == date(2008, 2, 29)
    assert restart_day(kept, Since(0, 0, mark), "a", {"2008-03": "new"}, date(2008, 3, 26), 5) == date(2008, 2, 10)
    # March's statements went (a file read again): from the first day of those that went
    gone = Since(0, 0, mark, {}, {"a": [date(2008, 3, 3)]})
    assert restart_day(kept, gone, "a", {}, date(2008, 3, 26), 5) == date(2008, 2, 12)
    # a day of another month only (February did not change): March's first day
    other = Since(0, 0, mark, {}, {"a": [date(2008, 2, 2)]})
    assert restart_day(kept, other, "a", {"2008-03": "new"}, date(2008, 3, 26), 5) == date(2008, 2, 10)


def test_an_end_of_day_statement_superseding_intraday_lines_draws_the_book_up_again(tmp_path: Path,
                                                                                   db_url: str) -> None:
    """The end-of-day statement of 17 and 18 March, its lines all booked on the 18th, arrives after a
    night as of the 17th that drew the intraday lines of the 17th up: the intraday lines go (no line
    stored since is dated the 17th: only the statement's first day says where the book changed),
    and the next night stores what the whole history gives."""
    app = simulated(tmp_path, db_url, 3, 3, 400)
    staged = sorted((tmp_path / "staged").iterdir())
    intraday = next(f for f in staged if f.name == "camt052_520501621600000102_20080317-20080317.xml")
    final = next(f for f in staged if f.name == "camt053_520501621600000102_20080317-20080317.xml")
    journal = next(f for f in staged if f.name.startswith("日记账_520501621600000102_20080301"))
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for f in staged:
        if f is not final and (datetime.fromtimestamp(f.stat().st_mtime, TZ).date() <= date(2008, 3, 18)
                               or f in (intraday, journal)):
            shutil.copy2(f, inbox / f.name)
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 17))
    _same(app, date(2008, 3, 17))
    xml = final.read_text(encoding="utf-8").replace("<ToDtTm>2008-03-17T23:59:59", "<ToDtTm>2008-03-18T23:59:59")
    xml = xml.replace("<BookgDt><Dt>2008-03-17</Dt>", "<BookgDt><Dt>2008-03-18</Dt>")
    (inbox / "camt053_520501621600000102_20080317-20080318.xml").write_text(xml, encoding="utf-8")
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.count()).select_from(LineRow).where(
            LineRow.booking_date == date(2008, 3, 17), LineRow.superseded_by.is_not(None))), "superseded"
        assert not s.scalar(select(func.count()).select_from(LineRow).where(
            LineRow.id > s.scalar(select(BookKeptMarkRow.last_line_id)), LineRow.booking_date <= date(2008, 3, 17)))
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 18))
    _same(app, date(2008, 3, 18))
    incremental = _stored(app)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 18), full=True)
    assert _stored(app) == incremental

