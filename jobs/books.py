"""The book side of a reconciliation (银行存款余额调节表): every account with a journal, loaded and
matched one at a time (memory follows the largest account, not the ledger), its monthly statements
and the items outstanding at the as-of date; their findings join the engine's in one merge.

A night draws each account up again only from the first day that can change: what earlier runs
decided before it is kept in the store (store.bookkept) and the result is the one a run over the
whole history gives (`full`, `recon reconcile --full`, does that run)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from reconcile.accounts import Registry
from reconcile.book.records import JournalEntry, JournalSpan, KeptMatch
from reconcile.book.run import AccountBook, Resume, book_account, journal_days, kept_match, statement_days
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from reconcile.engine.types import Finding
from reconcile.model import Line, StoredStatement
from store.bookkept import (
    AccountKept,
    Since,
    config_digest,
    loaded_from,
    month_key,
    quiet_day,
    restart_day,
    sources_digest,
)
from store.bookreads import book_reading
from store.db import Database
from store.handed import Ledger


@dataclass
class BookRun:
    results: list[AccountKept] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    since: Since | None = None
    config: str = ""
    matched: int = 0  # matches, all months
    states: Counter[str] = field(default_factory=Counter)  # every month end's state, how many of each
    items: int = 0
    drawn: int = 0  # account-months drawn up this time (the others kept)
    quiet: int = 0  # accounts with nothing new, drawn up from the day after the last run's as-of date
    seconds: float = 0.0

    def counts(self) -> dict[str, int | float]:
        """The figures the log, the run history and the demo give."""
        months, balanced, different = self.states.total(), self.states["balanced"], self.states["difference"]
        return {"accounts": len(self.results), "months": months, "balanced": balanced, "different": different,
                "other": months - balanced - different,
                "matched": self.matched, "items": self.items, "drawn": self.drawn,
                "seconds": round(self.seconds, 2)}


def _config(cfg: Config, cal: WorkCalendar) -> str:
    return config_digest(cfg.book.match_days, cal.extra_holidays, cal.extra_workdays)


def load_book(cfg: Config, registry: Registry, db: Database, account: str, as_of: date,
              cal: WorkCalendar) -> AccountBook | None:
    """One account's book against its bank as of a day, from its beginning (None: the account is
    not registered)."""
    acct = registry.account(account)
    if acct is None:
        return None
    with book_reading(db) as r:
        entries, lines, spans = r.whole(acct.number, as_of)
        statements = r.statements(acct.number)
    return book_account(acct, entries, lines, spans, statements, as_of, cal, cfg.book.match_days,
                        cfg.book.stale_days)


def run_books(cfg: Config, registry: Registry, db: Database, as_of: date, cal: WorkCalendar,
              full: bool = False, ledger: Ledger | None = None) -> BookRun:
    """Every account with a journal, in one read-only transaction (open while the balances may ask
    for a sum): the accounts' statements, journals and what was kept read once for all of them, then
    each account's records from its restart on. `ledger`: the lines of the engine's read when it
    read the whole ledger (store.handed), taken by the accounts drawn up from their beginning
    instead of reading them again, unless a line or file was stored since."""
    started = time.perf_counter()
    out = BookRun(config=_config(cfg, cal))
    days = cfg.book.match_days
    with book_reading(db) as r:
        if full:
            r.drop_kept()
        if ledger is not None and not r.same_ledger(ledger):
            ledger = None
        out.since = r.since(out.config)
        accounts = [(n, a) for n in r.accounts() if (a := registry.account(n)) is not None]  # else: removed
        every_kept = r.every_kept()
        mark, sourced = out.since.mark, out.since.sourced
        # The statements and journals of the accounts drawn up from their beginning, all of them:
        # every account's when nothing is kept. A kept account's sources digest is the one kept but
        # for the months of the statements and journals that came or went since the last run
        # (`sourced`: no other month's can differ), which are read again; its statements and
        # journals, those near the days it draws up (`statement_days`, `journal_days`).
        whole: dict[str, tuple[list[StoredStatement], list[JournalSpan]]] = {}
        if mark is None:
            every_statement, every_span = r.every_statement(), r.every_span()
            whole = {n: (every_statement.get(n, []), every_span.get(n, [])) for n, _ in accounts}
        came = {n: sorted({month_key(d) for d in sourced.get(n, [])}) for n, _ in accounts if n in every_kept}
        redone = r.month_sources(came) if mark is not None else {}
        restarts: dict[str, tuple[date, date]] = {}
        quiet: dict[str, date] = {}
        sources: dict[str, dict[str, str]] = {}
        for number, _ in accounts:
            kept = every_kept.get(number)
            if kept is None or mark is None:
                if number not in whole:
                    whole[number] = (r.statements(number), r.spans(number))
                sources[number] = sources_digest(*whole[number])
            else:
                sources[number] = ({m: v for m, v in kept.sources.items() if m not in came[number]}
                                   | redone.get(number, {}))
            start = restart_day(kept, out.since, number, sources[number], as_of, days)
            day = quiet_day(kept, out.since, number, sources[number], as_of)
            if day is not None:
                quiet[number] = day
            if start is not None:
                restarts[number] = (start, loaded_from(start, days))
            elif number not in whole:
                whole[number] = (r.statements(number), r.spans(number))
        if out.since.mark is not None and quiet:  # records after the last run's day: not quiet
            for number in r.records_between(sorted(quiet), out.since.mark.as_of, as_of):
                del quiet[number]
        restarts |= {number: (day, day) for number, day in quiet.items()}
        out.quiet = len(quiet)
        kept_months = r.every_kept_months(restarts, days, as_of)
        for number, acct in accounts:
            resume = None
            if number not in restarts:
                statements, spans = whole[number]
                entries, lines = r.records(number, as_of, ledger=ledger)
            else:
                start, first = restarts[number]
                # a quiet account has no records from `first` on (records_between)
                entries, lines = ([], []) if number in quiet else r.records(number, as_of, first)
                matches, old_e, old_l, months = kept_months.pop(number)
                resume = Resume(start, first, matches, old_e, old_l, r.prior(number, first, as_of), months)
                statements = r.statements_near(number, as_of, statement_days(resume, as_of, cal))
                spans = r.spans_near(number, as_of, journal_days(resume, as_of, cal))
            book = book_account(acct, entries, lines, spans, statements, as_of, cal, days, cfg.book.stale_days,
                                resume, partial(r.details, number))
            kept = every_kept.get(number)
            out.results.append(_kept(book, resume, sources[number], kept.first_month if kept and resume else None))
            out.findings += book.findings
            _count(out, book, resume)
    out.seconds = time.perf_counter() - started
    return out


def _count(out: BookRun, book: AccountBook, resume: Resume | None) -> None:
    kept = book.kept_months
    out.states.update(st.state for st in book.months)
    out.states.update(dict(kept.states))
    out.drawn += len(book.months)
    out.items += len(book.open_items)
    last = book.months[-1].month_end if book.months else kept.last_end
    out.matched += kept.matched + sum(st.matched for st in book.months)
    out.matched += sum(1 for mt in book.matching.matches if last is None or mt.cleared > last)


def _kept(book: AccountBook, resume: Resume | None, sources: dict[str, str], kept_first: str | None) -> AccountKept:
    """What to keep of one account's run: the months from the one holding the first record loaded
    through the as-of date's (as far as the as-of date), each with the matches made on its records'
    turns and its records left unmatched (those of the first month dated before the records loaded
    are the resume's)."""
    es, ls, m = book.entries, book.lines, book.matching
    through = month_key(book.as_of)
    if resume is None or kept_first is None:
        firsts = [d for d in (es[0].entry_date if es else None, ls[0].booking_date if ls else None) if d]
        first_month = month_key(min(firsts)) if firsts else through
        save_from = first_month
    else:
        first_month, save_from = kept_first, month_key(resume.loaded_from)
    out = AccountKept(book.account.number, resume.start if resume else None, book.months, book.open_items,
                      save_from, through, first_month, sources)
    if save_from > through:
        return out
    matches: dict[str, list[KeptMatch]] = {}
    ue: dict[str, list[JournalEntry]] = {}
    ul: dict[str, list[Line]] = {}
    if resume is not None:
        for km in resume.matches:
            if month_key(km.decided) >= save_from:
                matches.setdefault(month_key(km.decided), []).append(km)
        for e in resume.unmatched_entries:
            if month_key(e.entry_date) >= save_from:
                ue.setdefault(month_key(e.entry_date), []).append(e)
        for ln in resume.unmatched_lines:
            if month_key(ln.booking_date) >= save_from:
                ul.setdefault(month_key(ln.booking_date), []).append(ln)
    for k in m.decided:
        km = kept_match(m.matches[k], es, ls)
        matches.setdefault(month_key(km.decided), []).append(km)
    out.matches = matches
    for i, e in enumerate(es):
        if m.entry_match[i] < 0:
            ue.setdefault(month_key(e.entry_date), []).append(e)
    for j, ln in enumerate(ls):
        if m.line_match[j] < 0:
            ul.setdefault(month_key(ln.booking_date), []).append(ln)
    out.unmatched_entries, out.unmatched_lines = ue, ul
    return out
