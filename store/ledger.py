"""The ledger's queries: recording files, storing a statement's new lines exactly once, and the
facts `recon status` and the coverage checks need.

Inserts go through SQLAlchemy Core `insert()` with a list of rows (executemany), not ORM adds:
a statement can hold tens of thousands of lines. The ingest's statements of every file (its row, its
statements' rows, the lookups) are built once with bound parameters and run on the session's
connection (Core): an ORM `insert().values()` built anew per row, with its cache key and the ORM's
bulk path, cost the writer more than SQLite's own work on those rows (issue 18).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import repeat
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, CursorResult, Insert, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from reconcile.checks import lines_sum, running_break
from reconcile.fingerprint import statement_identities
from reconcile.model import Line, RefStrength, Statement, StoredStatement
from reconcile.money import check_stored
from store.departures import store_departures
from store.models import FileRow, LineRow, StatementRow
from store.partitions import ensure_years, grew

# The ingest's queries of every file and statement, built once with bound parameters: building a
# `select` and its cache key for each of 20,000 files cost more than the database's work on them.
_BY_SHA = select(FileRow).where(FileRow.sha256 == bindparam("sha256")).order_by(FileRow.id)
_FILES = cast(Table, FileRow.__table__)
_STATEMENTS = cast(Table, StatementRow.__table__)
_INSERT_FILE = insert(_FILES)
_INSERT_STATEMENT = insert(_STATEMENTS)
_SET_COUNTS = update(_FILES).where(_FILES.c.id == bindparam("file_id")).values(
    lines_added=bindparam("added"), lines_skipped=bindparam("skipped"))


def ledger_top(session: Session) -> tuple[int, int]:
    """The ledger's last line id and last file id (0 when it has none): how far a read of it went."""
    return (session.scalar(select(func.max(LineRow.id))) or 0, session.scalar(select(func.max(FileRow.id))) or 0)


def files_with_sha(session: Session, sha256: str) -> list[FileRow]:
    """Every arrival of these bytes (ingested, duplicate, rejected), first first."""
    return list(session.scalars(_BY_SHA, {"sha256": sha256}))


ARRIVAL_COLUMNS = (FileRow.sha256, FileRow.name, FileRow.size, FileRow.status, FileRow.received_at,
                   FileRow.processed_at, FileRow.format, FileRow.account, FileRow.reason, FileRow.archive_path,
                   FileRow.id)
_ARRIVALS_BY_SHA = select(*ARRIVAL_COLUMNS).where(FileRow.sha256 == bindparam("sha256")).order_by(FileRow.id)


def arrivals_with_sha(session: Session, sha256: str) -> list[tuple[Any, ...]]:
    """`files_with_sha` as plain rows of `ARRIVAL_COLUMNS`, read in Core (the ingest's lookup of every
    file: no ORM object a row)."""
    return [tuple(r) for r in session.connection().execute(_ARRIVALS_BY_SHA, {"sha256": sha256})]


def inserted_id(session: Session, statement: Insert) -> int:
    """Run an insert of one row; the id it was given."""
    key = cast(CursorResult[Any], session.execute(statement)).inserted_primary_key
    assert key is not None
    return int(key[0])


def _inserted(conn: Connection, statement: Insert, values: dict[str, Any]) -> int:
    """Run a Core insert built once (`_INSERT_FILE`, ...) of one row with its values; the id it was given."""
    key = conn.execute(statement, values).inserted_primary_key
    assert key is not None
    return int(key[0])


def record_file(
    session: Session, *, sha256: str, name: str, size: int, status: str, received_at: datetime,
    processed_at: datetime, fmt: str = "", reason: str = "", account: str = "", archive_path: str = "",
) -> FileRow:
    """The file's row, inserted now (a Core insert built once: the ORM's unit of work was a tenth of the
    writer's time a file); the `FileRow` returned is not in the session: its counts are stored by `set_counts`."""
    values = {"sha256": sha256, "name": name, "size": size, "format": fmt, "status": status, "reason": reason,
              "account": account, "archive_path": archive_path, "lines_added": 0, "lines_skipped": 0,
              "received_at": received_at, "processed_at": processed_at}
    return FileRow(id=_inserted(session.connection(), _INSERT_FILE, values), **values)


def set_counts(session: Session, file_row: FileRow, added: int, skipped: int) -> None:
    """The lines (or entries, rows) a recorded file added and skipped, on its row."""
    file_row.lines_added, file_row.lines_skipped = added, skipped
    if added or skipped:
        session.connection().execute(_SET_COUNTS, {"file_id": file_row.id, "added": added, "skipped": skipped})


# -- corrections: one booking with two amounts (issue 12, defect 6) ---------------------------------------
@dataclass(frozen=True)
class Conflict:
    """A new line that the bank booked with another amount (or direction) before: the clerk asks the
    bank which is right. The new line's `bank_ref` is its strong serial, or "" for a whole statement again."""

    new: Line  # the line of the file being ingested: its bank_ref, booking_date, amount_fen, source
    held: Line  # the stored line it contradicts: its bank_ref, booking_date, amount_fen, file_name, source


def serial_conflicts(new: Sequence[Line], held: Sequence[Line]) -> list[Conflict]:
    """Pure: the new lines of a strong bank serial and date that held lines have, where none of the
    new lines of that serial and date has a held amount (signed: the direction too): the bank booked
    it again with another amount. A serial that also carries a fee, or a later reversal of the same
    serial, keeps the held amount among the new lines and is no conflict."""
    if not held:
        return []
    by_key: dict[tuple[str, date], list[Line]] = {}
    for h in held:
        by_key.setdefault((h.bank_ref, h.booking_date), []).append(h)
    mine: dict[tuple[str, date], list[Line]] = {}
    for ln in new:
        if ln.ref_strength is RefStrength.STRONG and ln.bank_ref:
            mine.setdefault((ln.bank_ref, ln.booking_date), []).append(ln)
    out = []
    for key, lines in mine.items():
        same = by_key.get(key)
        if same and not {h.amount_fen for h in same} & {ln.amount_fen for ln in lines}:
            ln = lines[0]
            out.append(Conflict(ln, same[0]))
    return out


def restatement_conflicts(new: Sequence[Line], held: Sequence[Line]) -> list[Conflict]:
    """Pure: a full statement of a period already held whole (same account, format and period), with
    as many lines, whose amounts differ: the first line, in date order, whose amount differs from the
    held line in the same place. Lines in another number are not paired (nothing to name)."""
    if len(new) != len(held) or not new:
        return []
    mine = sorted(new, key=lambda ln: (ln.booking_date, ln.amount_fen))
    theirs = sorted(held, key=lambda h: (h.booking_date, h.amount_fen))
    if Counter((ln.booking_date, ln.amount_fen) for ln in mine) == Counter((h.booking_date, h.amount_fen)
                                                                          for h in theirs):
        return []
    by_day_new = [ln for ln in mine if (ln.booking_date, ln.amount_fen) not in
                  {(h.booking_date, h.amount_fen) for h in theirs}]
    by_day_held = [h for h in theirs if (h.booking_date, h.amount_fen) not in
                   {(ln.booking_date, ln.amount_fen) for ln in mine}]
    ln, h = by_day_new[0], by_day_held[0]
    return [Conflict(ln, h)]


def _held(booking_date: date, amount_fen: int, bank_ref: str, file_name: str, source: str) -> Line:
    """A stored line as the correction rule reads it: the columns it compares and names."""
    return Line(booking_date, amount_fen, bank_ref=bank_ref, source=source, file_name=file_name)


_HELD_COLUMNS = (LineRow.booking_date, LineRow.amount_fen, LineRow.bank_ref, FileRow.name, LineRow.source)
# `intraday` is NOT NULL: `=` a bound value is the `IS TRUE / IS FALSE` it was (PostgreSQL takes no
# bound parameter after IS).
_HELD_SERIALS = select(*_HELD_COLUMNS).join(FileRow, FileRow.id == LineRow.file_id).where(
    LineRow.account == bindparam("account"), LineRow.format == bindparam("format"),
    LineRow.intraday == bindparam("intraday"), LineRow.superseded_by.is_(None), FileRow.status == "ingested",
    LineRow.booking_date >= bindparam("lo"), LineRow.booking_date <= bindparam("hi"), LineRow.bank_ref != "")
_SAME_PERIOD = select(StatementRow.id, StatementRow.line_count).where(
    StatementRow.account == bindparam("account"), StatementRow.format == bindparam("format"),
    StatementRow.intraday.is_(False), StatementRow.period_start == bindparam("start"),
    StatementRow.period_end == bindparam("end")).order_by(StatementRow.id)
_HELD_OF_STATEMENT = select(*_HELD_COLUMNS).join(FileRow, FileRow.id == LineRow.file_id).where(
    LineRow.statement_id == bindparam("statement_id"), FileRow.status == "ingested")


def conflicts(session: Session, account: str, st: Statement) -> list[Conflict]:
    """The corrections a statement would bring against the ledger (see the two rules above). Lines of
    the other namespace (intraday against end of day: a camt.052 superseded by its camt.053) are
    never compared; nor are superseded lines."""
    booked = st.booked
    if not booked:
        return []
    conn = session.connection()  # the lookups built once, run in Core: no ORM compilation per query
    found: list[Conflict] = []
    if any(ln.ref_strength is RefStrength.STRONG and ln.bank_ref for ln in booked):
        lo = min(ln.booking_date for ln in booked)
        hi = max(ln.booking_date for ln in booked)
        # The serials are matched here, not in SQL: an IN list of a statement's thousands of serials
        # cost a bound parameter (and SQLAlchemy's coercion) per line; the date range is indexed.
        # A range with no held serial (a new period: the usual case) needs neither the set nor the rule.
        rows = conn.execute(_HELD_SERIALS, {
            "account": account, "format": st.format, "intraday": st.intraday, "lo": lo, "hi": hi}).all()
        if rows:
            refs = {ln.bank_ref for ln in booked if ln.ref_strength is RefStrength.STRONG and ln.bank_ref}
            found += serial_conflicts(booked, [_held(*r) for r in rows if r[2] in refs])
    if not found and st.period_start and st.period_end and not st.intraday:
        same_period = conn.execute(_SAME_PERIOD, {"account": account, "format": st.format,
                                                     "start": st.period_start, "end": st.period_end}).all()
        for sid, statement_lines in same_period:
            held = [_held(*r) for r in conn.execute(_HELD_OF_STATEMENT, {"statement_id": sid})]
            if len(held) == statement_lines:  # held whole (no line of it skipped as held elsewhere)
                found += restatement_conflicts(booked, held)
            if found:
                break
    return found


@dataclass(frozen=True)
class Stored:
    added: int
    skipped: int


_HELD_IN_RANGE = select(LineRow.fingerprint, LineRow.match_key, LineRow.format, LineRow.intraday,
                        LineRow.booking_date, LineRow.superseded_by).where(
    LineRow.account == bindparam("account"), LineRow.booking_date >= bindparam("lo"),
    LineRow.booking_date <= bindparam("hi"))


def store_statement(session: Session, file_row: FileRow, index: int, account: str, st: Statement) -> Stored:
    """Store one statement and those of its booked lines the ledger does not hold yet.

    A line is already held when its fingerprint is (the same file again, an overlapping statement
    of the same layout), or when a line of another format of the same account has the same match
    key (date, amount, counterparty account, occurrence).
    """
    conn = session.connection()
    booked = st.booked
    file_id, fmt, intraday = file_row.id, st.format, st.intraday  # not an ORM read a line
    statement_id = _inserted(conn, _INSERT_STATEMENT, {
        "file_id": file_id, "index_in_file": index, "account": account, "format": fmt, "currency": st.currency,
        "intraday": intraday, "period_start": st.period_start, "period_end": st.period_end,
        "opening_fen": st.opening_fen, "closing_fen": st.closing_fen,
        "lines_sum_fen": check_stored(lines_sum(st), f"statement {st.source or index + 1} lines_sum_fen"),
        "line_count": len(booked), "running_break": running_break(st)})
    store_departures(session, file_id, statement_id, account, st)
    if not booked:
        if not intraday:  # a day the bank booked nothing on: the intraday lines it reported were not booked
            _supersede_intraday(session, account, file_id, st)
        return Stored(0, 0)
    fps, keys = statement_identities(st, booked)  # made by its reader, as a rule
    lo = min(ln.booking_date for ln in booked)
    hi = max(ln.booking_date for ln in booked)
    # One query for three things: the fingerprints held in the range, the match keys of the
    # end-of-day lines of other formats among them (an end-of-day statement's only), and whether an
    # intraday line of the days an end-of-day statement covers is still to be superseded (the range
    # widened to those days: a held line of another date matches no new line's fingerprint or key).
    period = None if intraday else st.covered_period()
    if period is not None:
        lo, hi = min(lo, period[0]), max(hi, period[1])
    held: set[str] = set()
    other_formats: Counter[str] = Counter()
    intraday_alive = False
    for fp_held, mk_held, fmt_held, intraday_held, day, superseded in conn.execute(
            _HELD_IN_RANGE, {"account": account, "lo": lo, "hi": hi}):
        held.add(fp_held)
        if not intraday and fmt_held != fmt and not intraday_held:
            other_formats[mk_held] += 1
        if intraday_held and superseded is None and period is not None and period[0] <= day <= period[1]:
            intraday_alive = True
    skipped = 0
    kept = _new_lines(fps, keys, held, other_formats)
    if kept is not None:  # some are held already: the rest, in order
        skipped = len(booked) - len(kept)
        booked = tuple(booked[i] for i in kept)
        fps, keys = [fps[i] for i in kept], [keys[i] for i in kept]
    as_text = conn.dialect.name != "postgresql"
    rows = _rows(booked, fps, keys, account, fmt, intraday, file_id, statement_id, as_text=as_text)
    years = set() if as_text else {day.year for day in set(map(attrgetter("booking_date"), booked))}
    if rows:
        if as_text:
            conn.exec_driver_sql(_INSERT_LINES_SQLITE, rows)
        else:
            ensure_years(session, years)  # PostgreSQL: the partition of each booking year
            _bulk_insert_lines(session, rows)
            # a statement's lines are nearly always of one year: counted per line only when not
            grew(conn, Counter(dict.fromkeys(years, len(rows))) if len(years) == 1
                 else Counter(r[1].year for r in rows))
    if intraday or intraday_alive:  # an end-of-day statement with no intraday line to supersede: no UPDATE
        _supersede_intraday(session, account, file_id, st)
    return Stored(len(rows), skipped)


def _new_lines(fps: list[str], keys: list[str], held: set[str], other_formats: Counter[str]) -> list[int] | None:
    """Which of a statement's lines (by their fingerprints and match keys) the ledger does not hold:
    their places, in order; None when none is held (nothing in the range: a new period, the usual
    case). A line is held when its fingerprint is, or an end-of-day line of another format has its
    match key (each such line holds one); a fingerprint twice in the statement is held the second time."""
    if not held and not other_formats and len(set(fps)) == len(fps):
        return None
    kept = []
    for i, (fp, mk) in enumerate(zip(fps, keys, strict=True)):
        if fp in held:
            continue
        if other_formats and other_formats[mk] > 0:
            other_formats[mk] -= 1
            continue
        held.add(fp)
        kept.append(i)
    return kept


_FIELD = {name: i for i, name in enumerate(Line._fields)}


def _rows(lines: Sequence[Line], fps: list[str], keys: list[str], account: str, fmt: str, intraday: bool,
          file_id: int, statement_id: int, *, as_text: bool) -> list[tuple[Any, ...]]:
    """Each line's row of `LINE_COLUMNS` as the database takes it, made a column at a time (in C, not
    a Python step a line): SQLite's with dates as ISO text (each date's text once) and booleans as
    0/1, as SQLAlchemy's own types store them; PostgreSQL's as they are. Texts longer than their
    column are cut to it."""
    if not lines:
        return []
    col = list(zip(*lines, strict=True))

    def field(name: str, width: int = 0) -> Sequence[Any]:
        values = col[_FIELD[name]]
        if width and max(map(len, values)) > width:
            return [v[:width] for v in values]
        return values

    day, value, reversal = field("booking_date"), field("value_date"), field("reversal")
    flag: bool | int = intraday
    if as_text:
        iso: dict[date | None, str | None] = {d: d.isoformat() for d in {*day, *value} if d is not None}
        iso[None] = None
        day, value, reversal, flag = (list(map(iso.__getitem__, day)), list(map(iso.__getitem__, value)),
                                      list(map(int, reversal)), int(intraday))
    return list(zip(
        repeat(account), day, value, field("amount_fen"), field("counterparty_account", 64),
        field("counterparty_name"), field("text"), field("remark"), field("bank_ref", 128), field("balance_fen"),
        reversal, field("type_code", 64), fps, keys, repeat(fmt), repeat(flag), repeat(file_id),
        repeat(statement_id), field("source", 256)))


LINE_COLUMNS = (
    "account", "booking_date", "value_date", "amount_fen", "counterparty_account", "counterparty_name", "text",
    "remark", "bank_ref", "balance_fen", "reversal", "type_code", "fingerprint", "match_key", "format", "intraday",
    "file_id", "statement_id", "source",
)
_INSERT_LINES_SQLITE = (f"INSERT INTO lines ({', '.join(LINE_COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(LINE_COLUMNS))})")


# The columns of LINE_COLUMNS as PostgreSQL has them (store/models.py), for a binary COPY.
_LINE_TYPES = ("varchar", "date", "date", "int8", "varchar", "text", "text", "text", "varchar", "int8", "bool",
               "varchar", "varchar", "varchar", "varchar", "bool", "int4", "int4", "varchar")


def _bulk_insert_lines(session: Session, rows: list[tuple[Any, ...]]) -> None:
    """Insert lines in bulk inside the session's transaction: PostgreSQL COPY, SQLite executemany.

    What it buys: the ORM's insert builds a parameter dict and runs its bookkeeping per row
    (measured about 12k rows/s); COPY and a plain executemany of tuples are 10-20 times faster.
    PostgreSQL's COPY is binary: the values go as the server stores them, none formatted as text here
    (the writer's CPU for the COPY of a province slice 2.0 -> 0.95 s; bench/RESULTS.md, i18pgyear).
    """
    conn = session.connection()
    cols = ", ".join(LINE_COLUMNS)
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.dbapi_connection  # a psycopg 3 connection
        with raw.cursor() as cur, cur.copy(f"COPY lines ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_LINE_TYPES)
            for r in rows:
                copy.write_row(r)
        return
    # SQLite stores dates as ISO text and booleans as 0/1, as SQLAlchemy's own types do.
    conn.exec_driver_sql(
        _INSERT_LINES_SQLITE,
        [(a, d.isoformat(), v.isoformat() if v else None, amt, cpa, cpn, t, rm, ref, bal, int(rev), tc, fp, mk, fmt,
          int(intra), fid, sid, src)
         for (a, d, v, amt, cpa, cpn, t, rm, ref, bal, rev, tc, fp, mk, fmt, intra, fid, sid, src) in rows],
    )


_LINES = cast(Table, LineRow.__table__)
_SUPERSEDE_BY_FINAL = update(_LINES).where(
    _LINES.c.account == bindparam("account_"), _LINES.c.intraday.is_(True), _LINES.c.superseded_by.is_(None),
    _LINES.c.booking_date >= bindparam("lo"), _LINES.c.booking_date <= bindparam("hi"),
).values(superseded_by=bindparam("by"))
_FINALS_OVER = select(StatementRow.file_id, StatementRow.period_start, StatementRow.period_end).where(
    StatementRow.account == bindparam("account"), StatementRow.intraday.is_(False),
    StatementRow.period_start <= bindparam("hi"), StatementRow.period_end >= bindparam("lo")
).order_by(StatementRow.id)  # the first final stored supersedes, whichever index serves the period
_SUPERSEDE_OF_FILE = update(_LINES).where(
    _LINES.c.account == bindparam("account_"), _LINES.c.file_id == bindparam("of_file"),
    _LINES.c.superseded_by.is_(None), _LINES.c.booking_date >= bindparam("lo"),
    _LINES.c.booking_date <= bindparam("hi"),
).values(superseded_by=bindparam("by"))


def _supersede_intraday(session: Session, account: str, file_id: int, st: Statement) -> None:
    """Intraday lines of days an end-of-day statement covers are superseded by it (never counted
    twice), whichever of the two files arrived first."""
    period = st.covered_period()
    if period is None:
        return
    conn = session.connection()
    if not st.intraday:
        conn.execute(_SUPERSEDE_BY_FINAL, {"account_": account, "lo": period[0], "hi": period[1], "by": file_id})
        return
    finals = conn.execute(_FINALS_OVER, {"account": account, "lo": period[0], "hi": period[1]}).all()
    for final_file, start, end in finals:
        conn.execute(_SUPERSEDE_OF_FILE, {"account_": account, "of_file": file_id, "lo": start, "hi": end,
                                          "by": final_file})


def stored_statements(session: Session, accounts: Sequence[str] | None = None, since: date | None = None,
                      where: ColumnElement[bool] | None = None) -> list[StoredStatement]:
    """The statements of ingested files with a period (of `accounts`, or all; ending on or after
    `since`; those `where` holds for), read as plain columns: an ORM object per statement was most
    of the cost, and the statements grow with history."""
    q = (
        select(StatementRow.account, FileRow.sha256, FileRow.name, StatementRow.index_in_file,
               StatementRow.period_start, StatementRow.period_end, StatementRow.opening_fen,
               StatementRow.closing_fen, StatementRow.lines_sum_fen, StatementRow.running_break,
               StatementRow.intraday)
        .join(FileRow, FileRow.id == StatementRow.file_id)
        .where(FileRow.status == "ingested", StatementRow.period_start.is_not(None),
               StatementRow.period_end.is_not(None))
        .order_by(StatementRow.id)
    )
    if accounts is not None:
        q = q.where(StatementRow.account.in_(accounts))
    if since is not None:
        q = q.where(StatementRow.period_end >= since)
    if where is not None:
        q = q.where(where)
    return [StoredStatement(Statement(account, period_start=start, period_end=end, opening_fen=opening,
                                      closing_fen=closing, intraday=intraday), sha, name, index, lines_sum, broke)
            for account, sha, name, index, start, end, opening, closing, lines_sum, broke, intraday
            in session.execute(q)]


@dataclass(frozen=True)
class AccountCounts:
    statements: int
    lines: int
    last_balance_fen: int | None
    last_balance_date: date | None


def account_counts(session: Session) -> dict[str, AccountCounts]:
    stmts = dict(session.execute(select(StatementRow.account, func.count()).group_by(StatementRow.account)).all())
    lines = dict(session.execute(
        select(LineRow.account, func.count()).where(LineRow.superseded_by.is_(None)).group_by(LineRow.account)
    ).all())
    last: dict[str, tuple[int | None, date | None]] = {}
    ranked = (
        select(StatementRow.account, StatementRow.closing_fen, StatementRow.period_end)
        .where(StatementRow.closing_fen.is_not(None), StatementRow.intraday.is_(False))
        .order_by(StatementRow.account, StatementRow.period_end, StatementRow.id)
    )
    for account, closing, end in session.execute(ranked):
        last[account] = (closing, end)
    return {
        a: AccountCounts(stmts.get(a, 0), lines.get(a, 0), *last.get(a, (None, None)))
        for a in set(stmts) | set(lines)
    }


def file_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(FileRow.status, func.count()).group_by(FileRow.status)).all())


def store_schedule(session: Session, file_row: FileRow, kind: str, rows: Sequence[object]) -> int:
    """Store the rows of a plan, surplus schedule, collection-target or budget file."""
    from reconcile.engine.types import CollectionTarget, PaymentPlan, SurplusItem
    from store.budgets import budget_values
    from store.models import BudgetLineRow, PaymentPlanRow, SurplusItemRow, TargetRow

    values: list[dict[str, object]] = []
    for r in rows:
        if isinstance(r, PaymentPlan):
            values.append({"file_id": file_row.id, "month": r.month, "entity": r.entity, "fund": r.fund,
                           "amount_fen": r.amount_fen, "submitted": r.submitted, "approved": r.approved,
                           "version": r.version, "source": r.source})
        elif isinstance(r, SurplusItem):
            values.append({"file_id": file_row.id, "entity": r.entity, "fund": r.fund, "amount_fen": r.amount_fen,
                           "due": r.due, "account": r.account, "source": r.source})
        elif isinstance(r, CollectionTarget):
            values.append({"file_id": file_row.id, "year": r.year, "entity": r.entity, "fund": r.fund,
                           "amount_fen": r.amount_fen, "source": r.source})
    values += budget_values(file_row.id, rows)
    table = {"payment_plan": PaymentPlanRow, "surplus_schedule": SurplusItemRow, "collection_targets": TargetRow,
             "budget": BudgetLineRow}[kind]
    if values:
        session.execute(insert(table), values)
    return len(values)
