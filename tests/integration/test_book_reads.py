"""What a night's book side reads of the bank statements (issue 18: a night's cost in proportion to
the night's work): an account drawn up again from a day reads the statements near the days it
draws up (and near its old unmatched entries' days, and its balances' anchor), not every statement
of its history; its sources digest is read again only for the months whose statements or journals
came or went since the last run. Counted at the store's boundary (store.bookreads.BookReader and
the statements store.books reads for the digests), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import jobs.books
import store.books
from jobs.app import App
from jobs.books import run_books
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile, settings
from reconcile.book.run import AccountBook, Resume, book_account
from reconcile.model import StoredStatement
from store.bookkept import month_key
from store.bookreads import BookReader
from store.db import session_scope
from store.ledger import stored_statements
from store.models import BookKeptRow, BookStatementRow
from tests.integration.nights import arrivals as arrivals_of
from tests.integration.nights import deliver, simulated

SLACK = timedelta(days=15)  # more than the last working day before any day is behind it (W(d), 2008)


def _recording(monkeypatch: pytest.MonkeyPatch) -> tuple[list[StoredStatement], list[StoredStatement]]:
    """The statements the book side reads for drawing up (`BookReader`'s reads) and for the
    sources digests (store.books' reads), recorded as they are returned."""
    drawn: list[StoredStatement] = []
    digested: list[StoredStatement] = []

    def wrap(name: str) -> None:
        f: Callable[..., Any] | None = getattr(BookReader, name, None)
        if f is None:  # a read this code does not have
            return

        def reading(self: BookReader, *args: Any, **kwargs: Any) -> Any:
            got = f(self, *args, **kwargs)
            drawn.extend(st for sts in (got.values() if isinstance(got, dict) else [got]) for st in sts)
            return got

        monkeypatch.setattr(BookReader, name, reading)

    for name in ("every_statement", "statements", "statements_near"):
        wrap(name)

    def digest_read(*args: Any, **kwargs: Any) -> list[StoredStatement]:
        got = stored_statements(*args, **kwargs)
        digested.extend(got)
        return got

    monkeypatch.setattr(store.books, "stored_statements", digest_read, raising=False)
    return drawn, digested


def _old_entries(app: App) -> dict[str, list[date]]:
    """The kept unmatched entries' days, by account."""
    out: dict[str, list[date]] = {}
    with session_scope(app.database()) as s:
        for account, payload in s.execute(select(BookKeptRow.account, BookKeptRow.unmatched)):
            out.setdefault(account, []).extend(date.fromisoformat(e[1]) for e in json.loads(payload)["entries"])
    return out


def _wanted(st: StoredStatement, loaded: date, anchor: date | None, old_days: list[date]) -> bool:
    """A reason to read the statement on a resume from `loaded` on: it ends near or after the
    first day loaded, or on or after the balances' anchor, or near an old unmatched entry's day."""
    if st.period_end >= loaded - SLACK or (anchor is not None and st.period_end >= anchor):
        return True
    return any(st.period_start <= d and st.period_end >= d - SLACK for d in old_days)


def _night(app: App, as_of: date, monkeypatch: pytest.MonkeyPatch) -> int:
    """run_books as of `as_of` with its statement reads recorded: each one has a reason; the
    number of statements drawn up."""
    with session_scope(app.database()) as s:
        every = stored_statements(s)
    old = _old_entries(app)
    cal = settings(app.config, app.registry).calendar
    resumes: list[tuple[str, Resume]] = []

    def drawing(*args: Any, **kwargs: Any) -> AccountBook:
        resumes.append((args[0].number, args[9] if len(args) > 9 else kwargs["resume"]))
        return book_account(*args, **kwargs)

    with monkeypatch.context() as m:
        drawn, digested = _recording(m)
        m.setattr(jobs.books, "book_account", drawing)
        book = run_books(app.config, app.registry, app.database(), as_of, cal)
    # The kept months' statements: those with a difference handed over whole, the others counted.
    with session_scope(app.database()) as s:
        for a, r in resumes:
            stored = s.scalar(select(func.count()).select_from(BookStatementRow).where(
                BookStatementRow.account == a, BookStatementRow.month < month_key(r.start)))
            assert sum(n for _, n in r.months.states) == stored, ("every kept month counted", a)
            assert all(st.difference_fen for st in r.months.differing), ("only those with a difference whole", a)
    starts = {r.account: r.start for r in book.results}
    assert starts and None not in starts.values(), "every account resumes"
    days = app.config.book.match_days
    unread = 0  # statements of an account's history that no reason reads
    for a, start in starts.items():
        assert start is not None
        loaded, upto = start - timedelta(days=days), min(start, as_of)
        mine = [x for x in every if x.statement.account == a]
        anchor = max((x.period_end for x in mine if not x.statement.intraday and x.statement.closing_fen is not None
                      and x.period_start <= as_of and x.period_end <= upto), default=None)

        old_days = [d for d in old.get(a, []) if d < loaded]
        for st in drawn:
            if st.statement.account == a:
                assert _wanted(st, loaded, anchor, old_days), (a, as_of, start, st.period_start, st.period_end)
        unread += sum(not _wanted(x, loaded, anchor, old_days) for x in mine)
    assert unread > len(every) / 2, "most of the history's statements have no reason to be read"
    # The digests: the statements of the months whose statements came (last month's and this one's).
    recent = month_key(date(as_of.year, as_of.month, 1) - timedelta(days=1))
    assert all(month_key(st.period_start) >= recent for st in digested), sorted({st.period_start for st in digested})
    return len(drawn)


@pytest.mark.parametrize("seed", [6])
def test_a_night_reads_the_statements_near_the_days_it_draws_up(tmp_path: Path, db_url: str, seed: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Five months of a city, night by night at the end of May: a night with the day's files and a
    night with nothing new read only the statements near the days drawn up again."""
    app = simulated(tmp_path, db_url, 5, seed, 300)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    arrivals = {d: fs for d, fs in arrivals_of(tmp_path / "staged", random.Random(seed)).items()}
    done: set[date] = set()
    for night in (date(2008, 5, 20), date(2008, 5, 21)):
        deliver(arrivals, night, done, inbox)
        Ingestor(app.config, app.registry, app.database()).run(progress=False)
        if night == date(2008, 5, 20):
            run_reconcile(app.config, app.registry, app.database(), night - timedelta(days=1))
            continue
        assert _night(app, night - timedelta(days=1), monkeypatch), "statements drawn up"
        run_reconcile(app.config, app.registry, app.database(), night - timedelta(days=1))
        assert _night(app, night, monkeypatch) is not None  # nothing new: every account quiet
