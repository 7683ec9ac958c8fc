"""The book side of a reconciliation (银行存款余额调节表): every account with a journal, loaded and
matched one at a time (memory follows the largest account, not the ledger), its monthly statements
and the items outstanding at the as-of date; their findings join the engine's in one merge."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from reconcile.accounts import Registry
from reconcile.book.records import Item, MonthStatement
from reconcile.book.run import AccountBook, book_account
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from reconcile.engine.types import Finding
from store.books import book_accounts, load_account
from store.db import session_scope
from store.ledger import statement_infos


@dataclass
class BookRun:
    results: list[tuple[str, Sequence[MonthStatement], Sequence[Item]]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    matched: int = 0  # matches made, all months
    seconds: float = 0.0

    def counts(self) -> dict[str, int | float]:
        """The figures the log, the run history and the demo give."""
        months = [st for _, ms, _ in self.results for st in ms]
        return {"accounts": len(self.results), "months": len(months),
                "balanced": sum(st.state == "balanced" for st in months),
                "different": sum(st.state == "difference" for st in months),
                "other": sum(st.state not in ("balanced", "difference") for st in months),
                "matched": self.matched, "items": sum(len(items) for _, _, items in self.results),
                "seconds": round(self.seconds, 2)}


def load_book(cfg: Config, registry: Registry, engine: Engine, account: str, as_of: date,
              cal: WorkCalendar) -> AccountBook | None:
    """One account's book against its bank as of a day (None: the account is not registered)."""
    acct = registry.account(account)
    if acct is None:
        return None
    with session_scope(engine) as s:
        entries, lines, spans = load_account(s, acct.number, as_of)
        statements = statement_infos(s, [acct.number])
    return book_account(acct, entries, lines, spans, statements, as_of, cal, cfg.book.match_days,
                        cfg.book.stale_days)


def run_books(cfg: Config, registry: Registry, engine: Engine, as_of: date, cal: WorkCalendar) -> BookRun:
    started = time.perf_counter()
    with session_scope(engine) as s:
        accounts = book_accounts(s)
    out = BookRun()
    for number in accounts:
        book = load_book(cfg, registry, engine, number, as_of, cal)
        if book is None:
            continue  # a journal of an account since removed from the registry
        out.results.append((book.account.number, book.months, book.open_items))
        out.findings += book.findings
        out.matched += len(book.matching.matches)
    out.seconds = time.perf_counter() - started
    return out
