"""What the book side decided, kept per account and month through the last run's as-of date (tables
`book_kept`, `book_kept_accounts`, `book_kept_marks`), so that a night draws an account up again
only from the first day that can change (docs/DOMAIN.md, *Book against bank*; issue 18).

Kept for each account and month (the as-of date's month too, as far as the as-of date): the matches
made on the turn of a record of the month (reconcile.book.run.decided_on), by the records' ids, and
the month's entries and lines left unmatched. The 银行存款余额调节表 of the months before the
restart stay in `book_statements`.

An account is drawn up again from the day R = C - 4 x match_days (reconcile.book.match.replay_window;
its records loaded from R - match_days), C being the earliest of:
- the day after the earlier of this as-of date and the last run's (records after it were not seen);
- the date of any entry or line stored since the last run (a late journal or statement, a re-export);
- the first day of a statement or journal that came or went since the last run, in a month whose
  statements or journals changed (a new, superseding or re-read file: balances, coverage and
  intraday lines change from its first day, since an end-of-day statement supersedes the intraday
  lines of its own days only; `sourced` finds them among the files stored since the last run and
  those read again; a month whose change none of them explains restarts at its first day);
- the day after the last one kept (the end of the month `through` of a store kept by an earlier
  version, which kept closed months only).
An account with nothing new (`quiet_day`: nothing stored since the last run, no statement or
journal changed, no record dated after the last run's as-of date M) is drawn up from M + 1 with
nothing loaded before it: its kept decisions are all final, and only its month ends after M and
its items at the as-of date are drawn up (the balances from the sums the database gives).
A change of the matching window or of the calendar forgets everything, and so does `recon
reconcile --full`; an account with nothing kept is drawn up from its beginning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text, union_all, update
from sqlalchemy.orm import Session

from reconcile.book.match import replay_window
from reconcile.book.records import JournalEntry, JournalSpan, KeptMatch, KeptMonths, MonthStatement
from reconcile.book.statement import Prior
from reconcile.model import Line, StoredStatement
from store.models import (
    BookKeptAccountRow,
    BookKeptMarkRow,
    BookKeptRow,
    BookStatementRow,
    FileRow,
    JournalEntryRow,
    JournalRow,
    LineRow,
    StatementRow,
)


@dataclass(frozen=True)
class Mark:
    last_entry_id: int
    last_line_id: int
    as_of: date
    config: str


@dataclass(frozen=True)
class Since:
    """The ledger's state when a run began: the top ids, and per account the earliest date of a
    record stored since the last run (None: nothing kept, everything is new)."""

    top_entry: int
    top_line: int
    mark: Mark | None
    earliest: dict[str, date] = field(default_factory=dict)
    # per account, the first days of the statements and journals that may have come or gone since
    # the last run (`sourced`)
    sourced: dict[str, list[date]] = field(default_factory=dict)


@dataclass(frozen=True)
class KeptAccount:
    first_month: str
    through: str
    sources: dict[str, str]


@dataclass
class AccountKept:
    """What one account's run leaves to keep: from `save_from` (a month, YYYY-MM) through the last
    as-of date's month (as far as the as-of date), each month's matches and unmatched records; the
    statements from `start` on."""

    account: str
    start: date | None  # the first day drawn up again (its month's statement on); None: all of them
    months: Sequence[MonthStatement]
    open_items: Sequence[Any]
    save_from: str
    through: str
    first_month: str
    sources: dict[str, str]
    matches: dict[str, list[KeptMatch]] = field(default_factory=dict)
    unmatched_entries: dict[str, list[JournalEntry]] = field(default_factory=dict)
    unmatched_lines: dict[str, list[Line]] = field(default_factory=dict)


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def month_start(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def last_day(key: str) -> date:
    """The last day of a month (YYYY-MM)."""
    return month_start(next_month(key)) - timedelta(days=1)


def next_month(key: str) -> str:
    d = month_start(key) + timedelta(days=31)
    return month_key(d)


def config_digest(match_days: int, holidays: Iterable[date], workdays: Iterable[date]) -> str:
    """What the kept decisions depend on besides the ledger."""
    data = [match_days, sorted(d.isoformat() for d in holidays), sorted(d.isoformat() for d in workdays)]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def drop_kept(session: Session) -> None:
    """Forget everything kept (`recon reconcile --full`, another configuration)."""
    session.execute(delete(BookKeptRow))
    session.execute(delete(BookKeptAccountRow))
    session.execute(delete(BookKeptMarkRow))


def since(session: Session, config: str) -> Since:
    """Read first, before any record: a record stored later has a higher id and is new next time."""
    top_entry = session.scalar(select(func.max(JournalEntryRow.id))) or 0
    top_line = session.scalar(select(func.max(LineRow.id))) or 0
    row = session.get(BookKeptMarkRow, 1)
    if row is not None and row.config != config:
        drop_kept(session)
        session.flush()
        row = None
    if row is None:
        return Since(top_entry, top_line, None)
    mark = Mark(row.last_entry_id, row.last_line_id, row.as_of, row.config)
    earliest: dict[str, date] = {}
    for q in (select(JournalEntryRow.account, func.min(JournalEntryRow.entry_date))
              .where(JournalEntryRow.id > mark.last_entry_id, JournalEntryRow.id <= top_entry)
              .group_by(JournalEntryRow.account),
              select(LineRow.account, func.min(LineRow.booking_date))
              .where(LineRow.id > mark.last_line_id, LineRow.id <= top_line).group_by(LineRow.account)):
        for account, day in session.execute(q):
            if day is not None:
                earliest[account] = min(day, earliest.get(account, day))
    return Since(top_entry, top_line, mark, earliest, sourced(session, mark))


def sourced(session: Session, mark: Mark) -> dict[str, list[date]]:
    """Per account, the first days of the statements and journals of the files that may have come or
    gone since the last run: those stored after the file of the last line or entry it saw (files,
    lines and entries get increasing ids, a file before its records: every file stored since has
    a higher id; some it saw may have too, which only moves a restart earlier), and those whose
    status became `changed` (an archived file read again, store.files.record_reread: the only way
    a stored file stops counting; any time). A statement or journal is never changed in place, so
    every one that came or went since is among these."""
    seen = [session.scalar(select(LineRow.file_id).where(LineRow.id == mark.last_line_id)),
            session.scalar(select(JournalEntryRow.file_id).where(JournalEntryRow.id == mark.last_entry_id))]
    top = max((f for f in seen if f is not None), default=0)
    # The files first, each side of the "or" by an index of its own (the key; the partial index of
    # the rare `changed`, migration 0021), then their statements and journals by their file: in
    # proportion to the files since, where a join filtered on the "or" read every statement.
    fresh = union_all(select(FileRow.id).where(FileRow.id > top), select(FileRow.id).where(FileRow.status == "changed"))
    out: dict[str, list[date]] = {}
    for row in (StatementRow, JournalRow):
        q = select(row.account, row.period_start).where(row.file_id.in_(fresh), row.period_start.is_not(None))
        for account, day in session.execute(q):
            if day is not None:
                out.setdefault(account, []).append(day)
    return out


def sources_digest(statements: Sequence[StoredStatement], spans: Sequence[JournalSpan]) -> dict[str, str]:
    """Per month, a digest of the statements and journals beginning in it."""
    by_month: dict[str, list[str]] = {}
    for st in statements:
        by_month.setdefault(month_key(st.period_start), []).append(json.dumps(
            ["s", st.file_sha256, st.index_in_file, st.period_start.isoformat(), st.period_end.isoformat(),
             st.statement.opening_fen, st.statement.closing_fen, st.statement.intraday]))
    for sp in spans:
        by_month.setdefault(month_key(sp.period_start), []).append(json.dumps(
            ["j", sp.order, sp.period_start.isoformat(), sp.period_end.isoformat(), sp.opening_fen]))
    return {m: hashlib.sha256("\n".join(sorted(v)).encode()).hexdigest()[:32] for m, v in by_month.items()}


def kept_account(session: Session, account: str) -> KeptAccount | None:
    row = session.get(BookKeptAccountRow, account)
    if row is None:
        return None
    return KeptAccount(row.first_month, row.through, json.loads(row.sources))


def kept_accounts(session: Session) -> dict[str, KeptAccount]:
    return {r.account: KeptAccount(r.first_month, r.through, json.loads(r.sources))
            for r in session.scalars(select(BookKeptAccountRow))}


def restart_day(kept: KeptAccount | None, run: Since, account: str, sources: dict[str, str], as_of: date,
                match_days: int) -> date | None:
    """The first day to draw up again (any day of a month); None: from the beginning."""
    if kept is None or run.mark is None:
        return None
    # The kept months run through the last run's as-of date; a store kept by a version that kept
    # closed months only holds them through the end of `through`.
    through = min(last_day(kept.through), run.mark.as_of)
    changes = [min(as_of, run.mark.as_of) + timedelta(days=1),  # records after it were not seen
               through + timedelta(days=1)]  # the day after the last one kept
    if account in run.earliest:  # a record stored since the last run
        changes.append(run.earliest[account])
    came_or_went = run.sourced.get(account, [])  # a statement or journal that came or went
    changes += [first_change(month, came_or_went) for month in changed_months(sources, kept.sources)]
    start = min(changes) - timedelta(days=replay_window(match_days))
    if start <= month_start(kept.first_month):
        return None
    return start


def changed_months(sources: dict[str, str], kept: dict[str, str]) -> list[str]:
    """The months whose statements and journals differ from those kept (`sources_digest`): one
    came, went or changed in them."""
    return sorted(m for m in {*sources, *kept} if sources.get(m) != kept.get(m))


def first_change(month: str, came_or_went: Sequence[date]) -> date:
    """The first day of a changed month that can change: the first day of a statement or journal
    of the month that came or went since the last run (`sourced`); the month's first day when none
    of them explains the change."""
    days = [d for d in came_or_went if month_key(d) == month]
    return min(days) if days else month_start(month)


def quiet_day(kept: KeptAccount | None, run: Since, account: str, sources: dict[str, str], as_of: date) -> date | None:
    """The day after the last run's as-of date M when nothing of the account can have changed since
    (nothing stored since, no statement or journal changed, the kept months through M itself, this
    as-of date not earlier): then, if the ledger holds none of its records dated after M either, the
    records the last run saw are all there is and every decision it kept is final. The account is
    drawn up from M + 1 with nothing loaded before it (its month ends after M, its items at the
    as-of date); None: not quiet."""
    if kept is None or run.mark is None or account in run.earliest or as_of < run.mark.as_of:
        return None
    if min(last_day(kept.through), run.mark.as_of) != run.mark.as_of:
        return None
    if changed_months(sources, kept.sources):
        return None
    day = run.mark.as_of + timedelta(days=1)
    return day if day > month_start(kept.first_month) else None


def loaded_from(start: date, match_days: int) -> date:
    """`start` - match_days: the first day of the records loaded on a resume."""
    return start - timedelta(days=match_days)


def load_kept_all(session: Session, restarts: dict[str, tuple[date, date]], match_days: int, as_of: date
                  ) -> dict[str, tuple[list[KeptMatch], list[JournalEntry], list[Line], KeptMonths]]:
    """For each account restarting at `start` with its records loaded from `first`: the kept
    matches decided before `start` and cleared from the first day of `first`'s month on (those with
    a record dated from `first` on, replayed, and those that count in the month's statement or are
    kept again with its month), the records never matched dated before `first`, and the statements
    of the month ends before `start` (and on or before `as_of`) as `KeptMonths`: those with a
    difference whole, the others counted by the database. A few queries for all the accounts.

    A match is kept in the month of the day it was decided on (the date of one of its sides) and
    clears on the later side's date, at most `match_days` after it (reconcile.book.match: every
    kind of match pairs records at most match_days apart): so one cleared from a day on was decided
    from match_days before that day on, and the months before are not read."""
    out: dict[str, tuple[list[KeptMatch], list[JournalEntry], list[Line], KeptMonths]] = {
        a: ([], [], [], KeptMonths()) for a in restarts}
    if not restarts:
        return out
    since = {a: date(f.year, f.month, 1) for a, (_, f) in restarts.items()}
    lo = {a: month_key(d - timedelta(days=match_days)) for a, d in since.items()}
    hi = {a: month_key(s) for a, (s, _) in restarts.items()}
    q = (select(BookKeptRow.account, BookKeptRow.month, BookKeptRow.matches)
         .where(BookKeptRow.month >= min(lo.values()), BookKeptRow.month <= max(hi.values()))
         .order_by(BookKeptRow.month))  # each account's months in order (months of an account are unique), no sort
    for account, month, payload in session.execute(q):
        if account not in restarts or not lo[account] <= month <= hi[account]:
            continue
        start, matches = restarts[account][0], out[account][0]
        for r in json.loads(payload):
            km = KeptMatch(tuple(r[0]), tuple(r[1]), r[2], r[3], r[4], date.fromisoformat(r[5]),
                           date.fromisoformat(r[6]))
            if km.cleared >= since[account] and km.decided < start:
                matches.append(km)
    last = max(month_key(f) for _, f in restarts.values())
    q2 = (select(BookKeptRow.account, BookKeptRow.month, BookKeptRow.unmatched)
          .where(BookKeptRow.month <= last, BookKeptRow.unmatched_count > 0)
          .order_by(BookKeptRow.month))  # as ix_book_kept_unmatched gives them: sorting the payloads cost more
    for account, month, payload in session.execute(q2):
        if account not in restarts:
            continue
        first = restarts[account][1]
        if month > month_key(first):
            continue
        data = json.loads(payload)
        out[account][1].extend(e for e in map(_book_entry, data["entries"]) if e.entry_date < first)
        out[account][2].extend(ln for ln in map(_bank_line, data["lines"]) if ln.booking_date < first)
    for _, entries, lines, _ in out.values():
        entries.sort(key=lambda e: (e.entry_date, e.id))
        lines.sort(key=lambda ln: (ln.booking_date, ln.id))
    for account, months in kept_months(session, {a: hi[a] for a in restarts}, as_of).items():
        out[account] = (*out[account][:3], months)
    return out


def kept_months(session: Session, before: dict[str, str], as_of: date) -> dict[str, KeptMonths]:
    """Each account's stored statements of the months before its own (YYYY-MM) and of month ends
    on or before `as_of`, as `KeptMonths`: the database counts them by state (one query for the
    accounts of each month) and hands over whole only those with a difference."""
    cols = (BookStatementRow.account, BookStatementRow.month, BookStatementRow.month_end, BookStatementRow.state,
            BookStatementRow.bank_balance_fen, BookStatementRow.book_balance_fen, BookStatementRow.book_in_fen,
            BookStatementRow.book_out_fen, BookStatementRow.bank_in_fen, BookStatementRow.bank_out_fen,
            BookStatementRow.matched)
    differing: dict[str, list[MonthStatement]] = {}
    states: dict[str, list[tuple[str, int]]] = {}
    matched: dict[str, int] = {}
    last: dict[str, date] = {}
    by_month: dict[str, list[str]] = {}
    for account, month in before.items():
        by_month.setdefault(month, []).append(account)
    for month, accounts in sorted(by_month.items()):
        kept = (BookStatementRow.account.in_(sorted(accounts)), BookStatementRow.month < month,
                BookStatementRow.month_end <= as_of)
        q = (select(*cols).where(*kept, BookStatementRow.difference_fen != 0)
             .order_by(BookStatementRow.account, BookStatementRow.month))
        for r in session.execute(q):
            differing.setdefault(r[0], []).append(MonthStatement(*r))
        cq = (select(BookStatementRow.account, BookStatementRow.state, func.count(), func.sum(BookStatementRow.matched),
                     func.max(BookStatementRow.month_end))
              .where(*kept).group_by(BookStatementRow.account, BookStatementRow.state)
              .order_by(BookStatementRow.account, BookStatementRow.state))
        for account, state, n, m, end in session.execute(cq):
            states.setdefault(account, []).append((state, int(n)))
            matched[account] = matched.get(account, 0) + int(m or 0)
            last[account] = max(end, last.get(account, end))
    return {a: KeptMonths(tuple(differing.get(a, ())), tuple(states[a]), matched[a], last[a]) for a in states}


_ENTRIES_FROM = ("SELECT COALESCE(SUM(amount_fen), 0) FROM journal_entries "
                 "WHERE account = :account AND entry_date >= :lo AND entry_date < :hi")
_LINES_AFTER = ("SELECT COALESCE(SUM(amount_fen), 0) FROM lines WHERE account = :account AND booking_date > :lo "
                "AND booking_date < :hi AND superseded_by IS NULL")
_LAST_BALANCE = ("SELECT booking_date, id, balance_fen FROM lines WHERE account = :account AND booking_date < :hi "
                 "AND superseded_by IS NULL AND balance_fen IS NOT NULL ORDER BY booking_date DESC, id DESC LIMIT 1")
_LINES_FROM = ("SELECT COALESCE(SUM(amount_fen), 0) FROM lines WHERE account = :account AND superseded_by IS NULL "
               "AND booking_date < :hi AND (booking_date > :day OR (booking_date = :day AND id > :id))")


def prior(session: Session, account: str, first: date, as_of: date) -> Prior:
    """The balances' sums before `first`, read when asked (the session must stay open). Records
    dated after `as_of` are never before `first`, which is on or before it."""
    sqlite = session.get_bind().dialect.name == "sqlite"

    def day(d: date) -> object:
        return d.isoformat() if sqlite else d

    def entries_from(d: date) -> int:
        return int(session.scalar(text(_ENTRIES_FROM), {"account": account, "lo": day(d), "hi": day(first)}) or 0)

    def lines_after(d: date) -> int:
        return int(session.scalar(text(_LINES_AFTER), {"account": account, "lo": day(d), "hi": day(first)}) or 0)

    def last_balance() -> tuple[int, int] | None:
        row = session.execute(text(_LAST_BALANCE), {"account": account, "hi": day(first)}).first()
        if row is None:
            return None
        d, lid, balance = row
        after = session.scalar(text(_LINES_FROM), {"account": account, "hi": day(first), "day": d, "id": lid})
        return int(balance), int(after or 0)

    return Prior(first, entries_from, lines_after, last_balance)


def save_kept(session: Session, runs: Sequence[AccountKept], as_of: date, run: Since, config: str) -> None:
    """Keep this run's decisions (in the transaction that stores its statements)."""
    present = {r.account for r in runs}
    gone = set(session.scalars(select(BookKeptAccountRow.account))) - present
    for account in sorted(gone):
        session.execute(delete(BookKeptRow).where(BookKeptRow.account == account))
        session.execute(delete(BookKeptAccountRow).where(BookKeptAccountRow.account == account))
    for r in runs:
        session.execute(delete(BookKeptRow).where(BookKeptRow.account == r.account, BookKeptRow.month >= r.save_from))
        rows = []
        m = r.save_from
        while m <= r.through:
            es, ls = r.unmatched_entries.get(m, []), r.unmatched_lines.get(m, [])
            rows.append({"account": r.account, "month": m, "unmatched_count": len(es) + len(ls),
                         "matches": json.dumps([[list(k.entry_ids), list(k.line_ids), k.how, k.days_apart, k.reason,
                                                 k.cleared.isoformat(), k.decided.isoformat()]
                                                for k in r.matches.get(m, [])], separators=(",", ":")),
                         "unmatched": json.dumps({"entries": [_entry_row(e) for e in es],
                                                  "lines": [_bank_row(ln) for ln in ls]},
                                                 ensure_ascii=False, separators=(",", ":"))})
            m = next_month(m)
        if rows:
            session.execute(insert(BookKeptRow), rows)
        row = session.get(BookKeptAccountRow, r.account)
        sources = json.dumps(r.sources, sort_keys=True)
        if row is None:
            session.add(BookKeptAccountRow(account=r.account, first_month=r.first_month, through=r.through,
                                           sources=sources))
        else:
            row.first_month, row.through, row.sources = r.first_month, r.through, sources
    mark = session.get(BookKeptMarkRow, 1)
    if mark is None:
        session.add(BookKeptMarkRow(id=1, last_entry_id=run.top_entry, last_line_id=run.top_line, as_of=as_of,
                                    config=config))
    else:
        mark.last_entry_id, mark.last_line_id, mark.as_of, mark.config = run.top_entry, run.top_line, as_of, config
    session.execute(update(BookStatementRow).values(as_of=as_of))


def _bank_row(ln: Line) -> list[object]:
    """A bank line never matched, as a kept month holds it."""
    return [ln.id, ln.booking_date.isoformat(), ln.amount_fen, ln.counterparty_account, ln.counterparty_name,
            ln.text, ln.bank_ref, ln.fingerprint, ln.balance_fen, ln.file_name, ln.source, ln.remark]


def _bank_line(r: list[Any]) -> Line:
    """The line of `_bank_row`, or of a month kept before lines were one record (ten fields: the text
    and remark already joined, the file name and place joined as `where`: read as they were shown)."""
    if len(r) == 10:
        r = [*r, "", ""]
    i, day, amount, cpa, cpn, text, ref, fp, bal, file_name, source, remark = r
    return Line(date.fromisoformat(day), amount, counterparty_account=cpa, counterparty_name=cpn, text=text,
                remark=remark, bank_ref=ref, balance_fen=bal, source=source, id=i, fingerprint=fp,
                file_name=file_name)


def _entry_row(e: JournalEntry) -> list[object]:
    """A journal entry never matched, as a kept month holds it."""
    return [e.id, e.entry_date.isoformat(), e.amount_fen, e.voucher, e.text, e.counterparty, e.fingerprint,
            e.file_name, e.source]


def _book_entry(r: list[Any]) -> JournalEntry:
    """The entry of `_entry_row`, or of a month kept before entries were one record (eight fields, the
    file name and place joined as `where`: read as it was shown)."""
    if len(r) == 8:
        r = [*r, ""]
    i, day, amount, voucher, text, counterparty, fp, file_name, source = r
    return JournalEntry(date.fromisoformat(day), amount, voucher, text, counterparty, source=source, id=i,
                        fingerprint=fp, file_name=file_name)
