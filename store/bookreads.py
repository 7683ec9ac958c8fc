"""The book side's reads (jobs/books.py), over one transaction each (`book_reading`): which accounts
have journals, what earlier runs kept (store.bookkept) and one account's records, handed back as the
core's records. A `BookReader` stays open while an account is matched: the balances of its prior
months (`prior`) ask the database for a sum only when the statement needs it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from sqlalchemy.orm import Session

from reconcile.book.records import JournalEntry, JournalSpan, KeptMatch, KeptMonths
from reconcile.book.statement import Prior
from reconcile.model import Line, StoredStatement
from store import bookkept, books
from store.bookkept import KeptAccount, Since
from store.db import Database, session_scope
from store.handed import Ledger
from store.ledger import ledger_top, stored_statements


class BookReader:
    """The reads of `book_reading`'s transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def drop_kept(self) -> None:
        """Forget what earlier runs kept (`recon reconcile --full`)."""
        bookkept.drop_kept(self._session)
        self._session.flush()

    def since(self, config: str) -> Since:
        return bookkept.since(self._session, config)

    def accounts(self) -> list[str]:
        return books.book_accounts(self._session)

    def statements(self, account: str) -> list[StoredStatement]:
        return stored_statements(self._session, [account])

    def spans(self, account: str) -> list[JournalSpan]:
        return books.journal_spans(self._session, account)

    def every_statement(self) -> dict[str, list[StoredStatement]]:
        """Every account's statements (one query), each account's as `statements` gives them."""
        out: dict[str, list[StoredStatement]] = {}
        for st in stored_statements(self._session):
            out.setdefault(st.statement.account, []).append(st)
        return out

    def statements_near(self, account: str, as_of: date, days: tuple[Sequence[tuple[date, date]], date]
                        ) -> list[StoredStatement]:
        """The account's statements a resume reads (reconcile.book.run.statement_days gives `days`)."""
        windows, upto = days
        return books.statements_near(self._session, account, as_of, windows, upto)

    def spans_near(self, account: str, as_of: date, days: tuple[Sequence[tuple[date, date]], date]
                   ) -> list[JournalSpan]:
        """The account's journals a resume reads (reconcile.book.run.journal_days gives `days`)."""
        windows, upto = days
        return books.spans_near(self._session, account, as_of, windows, upto)

    def month_sources(self, months: dict[str, list[str]]) -> dict[str, dict[str, str]]:
        return books.month_sources(self._session, months)

    def every_span(self) -> dict[str, list[JournalSpan]]:
        return books.journal_spans_all(self._session)

    def every_kept(self) -> dict[str, KeptAccount]:
        return bookkept.kept_accounts(self._session)

    def every_kept_months(self, restarts: dict[str, tuple[date, date]], match_days: int, as_of: date) -> dict[
            str, tuple[list[KeptMatch], list[JournalEntry], list[Line], KeptMonths]]:
        return bookkept.load_kept_all(self._session, restarts, match_days, as_of)

    def kept(self, account: str) -> KeptAccount | None:
        return bookkept.kept_account(self._session, account)

    def records(self, account: str, as_of: date, first: date | None = None, ledger: Ledger | None = None
                ) -> tuple[list[JournalEntry], list[Line]]:
        """The account's entries, and its lines with what the balances read (store.books.load_matched);
        the rest of those that need it from `details`. Drawn up from its beginning (no `first`),
        its lines are taken from `ledger` when the engine's read handed them on (store.handed)."""
        if ledger is not None and first is None:
            lines = ledger.take(account, as_of)
            if lines is not None:
                return books.load_entries(self._session, account, as_of), lines
        return books.load_matched(self._session, account, as_of, first)

    def same_ledger(self, ledger: Ledger) -> bool:
        """Are the ledger's lines those `ledger` was read from (nothing stored since)?"""
        return ledger.as_of is not None and ledger.same_as(*ledger_top(self._session))

    def details(self, account: str, line_ids: Sequence[int]) -> dict[int, Line]:
        return books.line_details(self._session, account, line_ids)

    def records_between(self, accounts: list[str], lo: date, hi: date) -> set[str]:
        return books.records_between(self._session, accounts, lo, hi)

    def whole(self, account: str, as_of: date) -> tuple[list[JournalEntry], list[Line], list[JournalSpan]]:
        return books.load_account(self._session, account, as_of)

    def prior(self, account: str, first: date, as_of: date) -> Prior:
        return bookkept.prior(self._session, account, first, as_of)


@contextmanager
def book_reading(db: Database) -> Iterator[BookReader]:
    """A `BookReader` over one transaction."""
    with session_scope(db) as session:
        yield BookReader(session)


