"""The book side's queries: storing a journal's new entries exactly once, loading one account's
entries, bank lines and journals for the matcher, and keeping the monthly statements of the last
reconciliation (from each account's restart on, store.bookkept).

Accounts are loaded one at a time, so the memory a province year needs is that of its largest
account, not of the whole ledger.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from reconcile.book.identity import entry_fingerprints
from reconcile.book.records import Item, Journal, JournalEntry, JournalSpan, MonthStatement
from reconcile.model import EntryStatus, Line, RefStrength, Statement, StoredStatement
from store.bookkept import AccountKept, last_day, month_start, sources_digest
from store.ledger import inserted_id, stored_statements
from store.models import BookItemRow, BookStatementRow, FileRow, JournalEntryRow, JournalRow, LineRow, StatementRow


@dataclass(frozen=True)
class StoredEntries:
    added: int
    skipped: int


_HELD_ENTRIES = select(JournalEntryRow.fingerprint).where(  # built once: a journal file is a day's few entries
    JournalEntryRow.account == bindparam("account"), JournalEntryRow.entry_date >= bindparam("lo"),
    JournalEntryRow.entry_date <= bindparam("hi"))


def store_journal(session: Session, file_row: FileRow, index: int, account: str, journal: Journal) -> StoredEntries:
    """Store one journal and those of its entries the ledger does not hold yet (by fingerprint)."""
    period = journal.covered_period()
    start, end = period if period else (file_row.received_at.date(), file_row.received_at.date())
    journal_id = inserted_id(session, insert(JournalRow).values(
        file_id=file_row.id, index_in_file=index, account=account, format=journal.format, subject=journal.subject,
        unit=journal.unit, period_start=start, period_end=end, opening_fen=journal.opening_fen,
        closing_fen=journal.closing_fen, entry_count=len(journal.entries)))
    if not journal.entries:
        return StoredEntries(0, 0)
    fps = entry_fingerprints(journal.entries)
    lo = min(e.entry_date for e in journal.entries)
    hi = max(e.entry_date for e in journal.entries)
    held = set(session.scalars(_HELD_ENTRIES, {"account": account, "lo": lo, "hi": hi}))
    values: list[dict[str, Any]] = []
    for e, fp in zip(journal.entries, fps, strict=True):
        if fp in held:
            continue
        held.add(fp)
        values.append({"account": account, "entry_date": e.entry_date, "amount_fen": e.amount_fen,
                       "voucher": e.voucher[:64], "text": e.text, "counterparty": e.counterparty,
                       "settlement_ref": e.settlement_ref[:128], "balance_fen": e.balance_fen, "fingerprint": fp,
                       "file_id": file_row.id, "journal_id": journal_id, "source": e.source[:256]})
    if values:
        session.execute(insert(JournalEntryRow), values)
    return StoredEntries(len(values), len(journal.entries) - len(values))


def book_accounts(session: Session) -> list[str]:
    """Accounts with at least one journal held."""
    q = (select(JournalRow.account).join(FileRow, FileRow.id == JournalRow.file_id)
         .where(FileRow.status == "ingested").distinct())
    return sorted(session.scalars(q))


def load_account(session: Session, account: str, as_of: date) -> tuple[list[JournalEntry], list[Line],
                                                                         list[JournalSpan]]:
    """One account's entries and booked bank lines dated on or before `as_of`, in the ledger's order
    (date, then the order received), and its journals' periods and openings."""
    entries, lines = load_records(session, account, as_of)
    return entries, lines, journal_spans(session, account)


def journal_spans(session: Session, account: str) -> list[JournalSpan]:
    """The periods and openings of the account's journals (in the order stored)."""
    return journal_spans_all(session, [account]).get(account, [])


def journal_spans_all(session: Session, accounts: Sequence[str] | None = None,
                      where: ColumnElement[bool] | None = None) -> dict[str, list[JournalSpan]]:
    """The periods and openings of the journals of `accounts` (or all; those `where` holds for), by
    account, each account's in the order stored."""
    sq = (select(JournalRow.account, JournalRow.period_start, JournalRow.period_end, JournalRow.opening_fen,
                 FileRow.sha256, JournalRow.index_in_file)
          .join(FileRow, FileRow.id == JournalRow.file_id)
          .where(FileRow.status == "ingested").order_by(JournalRow.id))
    if accounts is not None:
        sq = sq.where(JournalRow.account.in_(accounts))
    if where is not None:
        sq = sq.where(where)
    out: dict[str, list[JournalSpan]] = {}
    for a, st, e, o, sha, i in session.execute(sq):
        out.setdefault(a, []).append(JournalSpan(st, e, o, f"{sha}:{i}"))
    return out


_NEAR = """
SELECT s.account, f.sha256, f.name, s.index_in_file, s.period_start, s.period_end, s.opening_fen, s.closing_fen,
       s.lines_sum_fen, s.running_break
FROM statements s JOIN files f ON f.id = s.file_id
WHERE s.account = {m} AND f.status = 'ingested' AND NOT s.intraday AND s.period_start IS NOT NULL
AND s.period_end IS NOT NULL AND s.period_start <= {m}
AND (s.period_end >= (SELECT MAX(a.period_end) FROM statements a JOIN files af ON af.id = a.file_id
                      WHERE a.account = {m} AND af.status = 'ingested' AND NOT a.intraday
                      AND a.closing_fen IS NOT NULL AND a.period_start <= {m} AND a.period_end <= {m})
     OR s.period_end >= {m}{windows})
ORDER BY s.id
"""


def statements_near(session: Session, account: str, as_of: date, windows: Sequence[tuple[date, date]],
                    upto: date) -> list[StoredStatement]:
    """The account's statements a resumed night reads (reconcile.book.run `statement_days`), as
    `stored_statements` gives them: not intraday, beginning on or before `as_of`, and either
    overlapping one of `windows` (the last one open: date.max) or ending on or after the last
    closing balance that ends on or before `upto` (the balances' anchor). So a night reads the
    statements near the days it draws up, not every statement of the account's history. One
    query on the driver's cursor (an account a night: the ORM's building of a statement cost
    more than the query)."""
    rows, days = _near(session, _NEAR, "s", (4, 5), windows,
                       lambda day: [account, day(as_of), account, day(as_of), day(upto)])
    return [StoredStatement(Statement(a, period_start=days[st], period_end=days[end], opening_fen=opening,
                                      closing_fen=closing), sha, name, index, lines_sum, broke)
            for a, sha, name, index, st, end, opening, closing, lines_sum, broke in rows]


def _near(session: Session, template: str, alias: str, at: tuple[int, int], windows: Sequence[tuple[date, date]],
          head: Callable[[Callable[[date], object]], list[object]]) -> tuple[list[Any], dict[object, date]]:
    """The rows of a query of what is near a resumed night's days (`_NEAR`, `_SPANS_NEAR`: `{m}` a
    parameter, `{windows}` the clauses of the windows but the last), on the driver's cursor, and
    their days (the columns at `at`, period start and end, as dates). `head` gives
    the parameters before the last window's first day, given how the dialect binds a day."""
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    m = "?" if sqlite else "%s"

    def day(d: date) -> object:
        return d.isoformat() if sqlite else d

    *old, (lo, _) = windows
    clauses = "".join(f" OR ({alias}.period_start <= {m} AND {alias}.period_end >= {m})" for _ in old)
    params = [*head(day), day(lo)]
    for w, d in old:
        params += [day(d), day(w)]
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    try:
        cur.execute(template.format(m=m, windows=clauses), params)
        rows = cur.fetchall()
    finally:
        cur.close()
    first, last = at
    return rows, {d: d if isinstance(d, date) else date.fromisoformat(str(d))
                  for r in rows for d in (r[first], r[last])}


_SPANS_NEAR = """
SELECT j.period_start, j.period_end, j.opening_fen, f.sha256, j.index_in_file
FROM journals j JOIN files f ON f.id = j.file_id
WHERE j.account = {m} AND f.status = 'ingested' AND j.period_start <= {m}
AND (j.period_start >= COALESCE((SELECT MAX(a.period_start) FROM journals a JOIN files af ON af.id = a.file_id
                                 WHERE a.account = {m} AND af.status = 'ingested' AND a.opening_fen IS NOT NULL
                                 AND a.period_start <= {m}), {m})
     OR j.period_start = (SELECT MIN(b.period_start) FROM journals b JOIN files bf ON bf.id = b.file_id
                          WHERE b.account = {m} AND bf.status = 'ingested' AND b.period_start <= b.period_end
                          AND b.period_start <= {m})
     OR j.period_end >= {m}{windows})
ORDER BY j.id
"""


def spans_near(session: Session, account: str, as_of: date, windows: Sequence[tuple[date, date]],
               upto: date) -> list[JournalSpan]:
    """The account's journals a resumed night reads (reconcile.book.run `journal_days`), as
    `journal_spans` gives them: beginning on or before `as_of`, and overlapping one of `windows`
    (the last one open), or beginning on or after the last one with an opening balance that begins
    on or before `upto` (or after `upto`, when none does: the book balance's anchor), or the first
    one (the first month end drawn up follows it)."""
    rows, days = _near(session, _SPANS_NEAR, "j", (0, 1), windows,
                       lambda day: [account, day(as_of), account, day(upto), day(upto), account, day(as_of)])
    return [JournalSpan(days[st], days[end], opening, f"{sha}:{i}") for st, end, opening, sha, i in rows]


def month_sources(session: Session, months: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """`sources_digest` of these months only (YYYY-MM, by account): the statements and journals
    beginning in them read, one query of each a month."""
    by_month: dict[str, list[str]] = {}
    for account, ms in months.items():
        for m in ms:
            by_month.setdefault(m, []).append(account)
    statements: dict[str, list[StoredStatement]] = {}
    spans: dict[str, list[JournalSpan]] = {}
    for m, accounts in sorted(by_month.items()):
        lo, hi = month_start(m), last_day(m)
        for st in stored_statements(session, sorted(accounts), where=StatementRow.period_start.between(lo, hi)):
            statements.setdefault(st.statement.account, []).append(st)
        for a, sps in journal_spans_all(session, sorted(accounts), JournalRow.period_start.between(lo, hi)).items():
            spans.setdefault(a, []).extend(sps)
    return {a: sources_digest(statements.get(a, []), spans.get(a, [])) for a in {*statements, *spans}}


_LINES_MATCHED = """
SELECT id, booking_date, amount_fen, balance_fen
FROM lines WHERE account = {account} AND booking_date <= {as_of} AND booking_date >= {first}
AND superseded_by IS NULL
ORDER BY booking_date, id
"""


def load_matched(session: Session, account: str, as_of: date, first: date | None = None
                 ) -> tuple[list[JournalEntry], list[Line]]:
    """`load_records`' entries, and its lines with only their id, date, amount and running balance:
    the counterparties, texts, references, fingerprints and places are read for the few lines that
    can tie as an entry's candidate, that a statement lists or that a run keeps unmatched
    (`line_details`; reconcile.book.run `Details`). Two thirds of a line's columns, the long ones,
    are not decoded (bench/RESULTS.md, i18books2)."""
    entries = _entries(session, account, as_of, first)
    conn = session.connection()
    dialect = conn.dialect.name
    lo = first or date(1, 1, 1)
    params = {"account": account, "as_of": as_of.isoformat(), "first": lo.isoformat()} if dialect == "sqlite" else {
        "account": account, "as_of": as_of, "first": lo}
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    try:
        cur.execute(_LINES_MATCHED.format(**_MARKS[dialect]), params)
        rows = cur.fetchall()
    finally:
        cur.close()
    # SQLite hands dates back as ISO text: converted once per day. The lines are built by the
    # tuple's own constructor with every field in its order (no Python frame per line).
    days = {d: d if isinstance(d, date) else date.fromisoformat(str(d)) for d in {r[1] for r in rows}}
    return entries, [_new(Line, (days[d], a, None, "", "", "", "", "", _NONE, bal, "", _BOOK, False, "", 0, "", i,
                                 account, "", "")) for i, d, a, bal in rows]


_new, _NONE, _BOOK = tuple.__new__, RefStrength.NONE, EntryStatus.BOOK


def load_entries(session: Session, account: str, as_of: date) -> list[JournalEntry]:
    """`load_matched`'s entries alone (its lines handed on from the engine's read: store.handed)."""
    return _entries(session, account, as_of, None)


def line_details(session: Session, account: str, line_ids: Sequence[int]) -> dict[int, Line]:
    """The lines of these ids whole, as `load_records` reads them, by id."""
    lines: dict[int, Line] = {}
    names: dict[int, str] = {}
    for k in range(0, len(line_ids), 1000):
        lq = (select(LineRow.id, LineRow.booking_date, LineRow.amount_fen, LineRow.counterparty_account,
                     LineRow.counterparty_name, LineRow.text, LineRow.remark, LineRow.bank_ref, LineRow.fingerprint,
                     LineRow.balance_fen, LineRow.file_id, LineRow.source)
              .where(LineRow.id.in_(line_ids[k:k + 1000])))
        rows = session.execute(lq).all()
        _names(session, {r[10] for r in rows}, names)
        lines |= {i: Line(d, a, None, cpa, cpn, t, rm, ref, RefStrength.NONE, bal, src, EntryStatus.BOOK, False, "",
                          0, "", i, account, fp, names[fid])
                  for i, d, a, cpa, cpn, t, rm, ref, fp, bal, fid, src in rows}
    return lines


def _names(session: Session, file_ids: set[int], names: dict[int, str]) -> None:
    """The names of these files not in `names` yet, added to it (one query per thousand)."""
    missing = sorted(file_ids - names.keys())
    names |= dict.fromkeys(missing, "")
    for k in range(0, len(missing), 1000):
        q = select(FileRow.id, FileRow.name).where(FileRow.id.in_(missing[k:k + 1000]))
        names |= {fid: name for fid, name in session.execute(q)}


def load_records(session: Session, account: str, as_of: date, first: date | None = None,
                 names: dict[int, str] | None = None) -> tuple[list[JournalEntry], list[Line]]:
    """One account's entries and booked bank lines dated on or before `as_of` (and from `first` on),
    in the ledger's order (date, then the order received); `names` holds the files' names read
    (shared by the accounts of one run)."""
    return _entries(session, account, as_of, first), _bank_lines(session, account, as_of, first,
                                                                {} if names is None else names)


def _entries(session: Session, account: str, as_of: date, first: date | None) -> list[JournalEntry]:
    eq = (select(JournalEntryRow.id, JournalEntryRow.entry_date, JournalEntryRow.amount_fen, JournalEntryRow.voucher,
                 JournalEntryRow.text, JournalEntryRow.counterparty, JournalEntryRow.fingerprint, FileRow.name,
                 JournalEntryRow.source)
          .join(FileRow, FileRow.id == JournalEntryRow.file_id)
          .where(JournalEntryRow.account == account, JournalEntryRow.entry_date <= as_of)
          .order_by(JournalEntryRow.entry_date, JournalEntryRow.id))
    if first is not None:
        eq = eq.where(JournalEntryRow.entry_date >= first)
    return [JournalEntry(d, a, v, t, cp, "", None, src, i, fp, name)
            for i, d, a, v, t, cp, fp, name, src in session.execute(eq)]


_LINES = """
SELECT id, booking_date, amount_fen, counterparty_account, counterparty_name, text, remark, bank_ref, fingerprint,
       balance_fen, file_id, source
FROM lines WHERE account = {account} AND booking_date <= {as_of} AND booking_date >= {first}
AND superseded_by IS NULL
ORDER BY booking_date, id
"""
# The driver's own parameter marks: the query goes to the DBAPI cursor of the session's connection.
_MARKS = {"sqlite": {"account": ":account", "as_of": ":as_of", "first": ":first"},
          "postgresql": {"account": "%(account)s", "as_of": "%(as_of)s", "first": "%(first)s"}}


def _bank_lines(session: Session, account: str, as_of: date, first: date | None, names: dict[int, str]) -> list[Line]:
    """The account's lines, read on the driver's cursor of the session's connection (its transaction):
    plain tuples in one fetchall, without SQLAlchemy's rows fetched one by one (SQLite hands dates
    back as ISO text, converted here once per day). Most of what is left is SQLite's own stepping
    through the account's index and rows (bench/RESULTS.md, i18provbook)."""
    conn = session.connection()
    dialect = conn.dialect.name
    sqlite = dialect == "sqlite"
    days: dict[object, date] = {}
    out = []
    lo = first or date(1, 1, 1)
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    try:
        cur.execute(_LINES.format(**_MARKS[dialect]), {
            "account": account, "as_of": as_of.isoformat() if sqlite else as_of,
            "first": lo.isoformat() if sqlite else lo})
        rows = cur.fetchall()
    finally:
        cur.close()
    _names(session, {r[10] for r in rows}, names)  # the files' names not read yet
    for i, d, a, cpa, cpn, t, rm, ref, fp, bal, fid, src in rows:
        day = days.get(d)
        if day is None:
            day = days[d] = d if isinstance(d, date) else date.fromisoformat(str(d))
        name = names[fid]
        # Every field in its order, positionally (as store.inputs.stored_line: half the cost of keywords).
        out.append(Line(day, a, None, cpa, cpn, t, rm, ref, RefStrength.NONE, bal, src, EntryStatus.BOOK, False, "", 0,
                        "", i, account, fp, name))
    return out


_AFTER = {"lines": "SELECT 1 FROM lines WHERE account = {account} AND booking_date > {lo} AND booking_date <= {hi} "
                    "AND superseded_by IS NULL LIMIT 1",
          "entries": "SELECT 1 FROM journal_entries WHERE account = {account} AND entry_date > {lo} "
                     "AND entry_date <= {hi} LIMIT 1"}


def records_between(session: Session, accounts: Sequence[str], lo: date, hi: date) -> set[str]:
    """Those of `accounts` with an entry or a booked bank line dated after `lo` and on or before `hi`
    (what `load_records` would read from the day after `lo`): one look into each account's index by
    date, on the driver's cursor."""
    conn = session.connection()
    dialect = conn.dialect.name
    marks = {"sqlite": {"account": "?", "lo": "?", "hi": "?"},
             "postgresql": {"account": "%s", "lo": "%s", "hi": "%s"}}[dialect]
    days = (lo.isoformat(), hi.isoformat()) if dialect == "sqlite" else (lo, hi)
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    out: set[str] = set()
    try:
        for q in (_AFTER["entries"].format(**marks), _AFTER["lines"].format(**marks)):
            for account in accounts:
                if account not in out:
                    cur.execute(q, (account, *days))
                    if cur.fetchone() is not None:
                        out.add(account)
    finally:
        cur.close()
    return out


def replace_book(session: Session, results: Sequence[AccountKept], as_of: date) -> None:
    """This run's monthly statements and outstanding items replace the previous run's: for each
    account those of the months from its restart (all of them when it is None; store.bookkept), and
    every outstanding item at the as-of date; an account left out loses its statements."""
    present = sorted({r.account for r in results})
    session.execute(delete(BookItemRow).where(BookItemRow.month == ""))
    session.execute(delete(BookItemRow).where(BookItemRow.account.not_in(present)))
    session.execute(delete(BookStatementRow).where(BookStatementRow.account.not_in(present)))
    for r in results:
        account, month = r.account, "" if r.start is None else r.start.strftime("%Y-%m")
        session.execute(delete(BookItemRow).where(BookItemRow.account == account, BookItemRow.month >= month))
        session.execute(delete(BookStatementRow).where(BookStatementRow.account == account,
                                                       BookStatementRow.month >= month))
    statements: list[dict[str, Any]] = []
    items: list[dict[str, Any]] = []
    for r in results:
        account, months, open_items = r.account, r.months, r.open_items
        for st in months:
            row = {
                "as_of": as_of, "account": account, "month": st.month, "month_end": st.month_end, "state": st.state,
                "bank_balance_fen": st.bank_balance_fen, "book_balance_fen": st.book_balance_fen,
                "book_in_fen": st.book_in_fen, "book_out_fen": st.book_out_fen, "bank_in_fen": st.bank_in_fen,
                "bank_out_fen": st.bank_out_fen, "difference_fen": st.difference_fen, "matched": st.matched}
            its = [_item(account, st.month, it) for it in st.items]
            row["digest"] = statement_digest(row, its)
            statements.append(row)
            items += its
        items += [_item(account, "", it) for it in open_items]
    if statements:
        session.execute(insert(BookStatementRow), statements)
    for k in range(0, len(items), 10_000):
        session.execute(insert(BookItemRow), items[k : k + 10_000])


def _item(account: str, month: str, it: Item) -> dict[str, Any]:
    return {"account": account, "month": month, "side": it.side, "day": it.day, "amount_fen": it.amount_fen,
            "ref": it.ref[:128], "text": it.text, "counterparty": it.counterparty, "age_days": it.age_days,
            "fingerprint": it.fingerprint, "record_id": it.record_id, "source": it.where}


def load_statements(session: Session, accounts: Sequence[str] | None = None,
                    months: Sequence[str] | None = None) -> list[MonthStatement]:
    """The stored monthly statements with their items, by account and month (of `months` only when given)."""
    q = select(BookStatementRow).order_by(BookStatementRow.account, BookStatementRow.month)
    iq = select(BookItemRow).where(BookItemRow.month != "").order_by(BookItemRow.id)
    if accounts is not None:
        q = q.where(BookStatementRow.account.in_(accounts))
        iq = iq.where(BookItemRow.account.in_(accounts))
    if months is not None:
        q = q.where(BookStatementRow.month.in_(months))
        iq = iq.where(BookItemRow.month.in_(months))
    by_key: dict[tuple[str, str], list[Item]] = {}
    for r in session.scalars(iq):
        by_key.setdefault((r.account, r.month), []).append(_record(r))
    return [MonthStatement(r.account, r.month, r.month_end, r.state, r.bank_balance_fen, r.book_balance_fen,
                           r.book_in_fen, r.book_out_fen, r.bank_in_fen, r.bank_out_fen, r.matched,
                           tuple(by_key.get((r.account, r.month), ())))
            for r in session.scalars(q)]


def load_open_items(session: Session, accounts: Sequence[str] | None = None) -> dict[str, list[Item]]:
    """The items outstanding at the last reconciliation's as-of date, by account."""
    out: dict[str, list[Item]] = {}
    q = select(BookItemRow).where(BookItemRow.month == "").order_by(BookItemRow.id)
    if accounts is not None:
        q = q.where(BookItemRow.account.in_(accounts))
    for r in session.scalars(q):
        out.setdefault(r.account, []).append(_record(r))
    return out


def book_as_of(session: Session) -> date | None:
    return session.scalar(select(BookStatementRow.as_of).limit(1))


def _record(r: BookItemRow) -> Item:
    return Item(r.side, r.day, r.amount_fen, r.ref, r.text, r.counterparty, r.age_days, r.fingerprint, r.record_id,
                r.source)


_DIGESTED = ("account", "month", "month_end", "state", "bank_balance_fen", "book_balance_fen", "book_in_fen",
             "book_out_fen", "bank_in_fen", "bank_out_fen", "difference_fen", "matched")
_DIGESTED_ITEM = ("side", "day", "amount_fen", "ref", "text", "counterparty", "age_days", "fingerprint", "record_id",
                  "source")


def statement_digest(statement: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> str:
    """A digest of what is stored of a month's statement and its items (in their order), the fields
    `load_statements` reads: two statements with the same digest load as the same `MonthStatement`
    (the report's cache of a month's workbook is keyed by it: jobs.report.book)."""
    text = repr(([statement[k] for k in _DIGESTED], [[it[k] for k in _DIGESTED_ITEM] for it in items]))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class BookMonth:
    """What the report needs to know of a stored statement before reading it (`book_months`)."""

    account: str
    month: str
    month_end: date
    state: str
    difference_fen: int | None
    digest: str | None  # None: stored before migration 0018 wrote digests


def book_months(session: Session, accounts: Sequence[str] | None = None) -> list[BookMonth]:
    """The stored monthly statements without their items, by account and month (a few columns a row)."""
    q = (select(BookStatementRow.account, BookStatementRow.month, BookStatementRow.month_end, BookStatementRow.state,
                BookStatementRow.difference_fen, BookStatementRow.digest)
         .order_by(BookStatementRow.account, BookStatementRow.month))
    if accounts is not None:
        q = q.where(BookStatementRow.account.in_(accounts))
    return [BookMonth(*r) for r in session.execute(q)]
