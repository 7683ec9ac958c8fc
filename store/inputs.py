"""What the engine reads of the ledger, kept per account and month (table `engine_inputs`).

A night used to read every stored line of every year to rebuild the same snapshot. Every month up
to the as-of date is kept here in the form the engine reads it: the whole lines, and the plain
credits of income accounts summed per day (reconcile.engine.condense); a closed month whole, the
current month through the as-of date (`through`). The next night reads them from here and only
the lines booked after a kept part from the ledger (the part is then kept through the new as-of
date; a month closed is one kept through its last day), so the snapshot is the one a full read
gives, line for line.

A kept month, or the kept part of one, is rebuilt from the ledger when anything could change it:
- a line stored since the last night booked in it, on or before its last day kept (a late
  statement, a re-export, a late line for an earlier day of the current month);
- an end-of-day statement stored since that covers one of its days kept (it supersedes intraday
  lines; one without a declared period covers its lines' dates);
- a change of the parties the income accounts refunded (their credits are then kept whole);
- a change of the registry or of the codes (every month).
A line stored already but booked after the last day kept changes nothing kept: it is read with
the days after it. A reconcile for a day before the last day kept of its month reads that month
from the ledger again and keeps it through that day. `recon reconcile --full` drops everything kept and reads the whole
ledger again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import operator
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import and_, bindparam, case, delete, func, insert, not_, null, or_, select, text, update
from sqlalchemy.orm import Session

from reconcile.accounts import Registry
from reconcile.engine.classify import INTEREST
from reconcile.engine.codes import Codes
from reconcile.engine.condense import Condenser, DayCredits
from reconcile.engine.context import Settings, Snapshot, add_months, month_key
from reconcile.model import EntryStatus, Line, RefStrength
from reconcile.reporting.window import Window
from store.handed import Ledger
from store.ledger import ledger_top
from store.models import EngineInputMarkRow, EngineInputRow, FileRow, FindingRow, LineRow, ObligationRow, StatementRow

Month = tuple[int, int]
_COLS = (LineRow.id, LineRow.account, LineRow.booking_date, LineRow.amount_fen, LineRow.counterparty_account,
         LineRow.counterparty_name, LineRow.text, LineRow.remark, LineRow.reversal, LineRow.type_code,
         LineRow.fingerprint, FileRow.name, LineRow.source)


@dataclasses.dataclass
class Inputs:
    """The engine's reading of the ledger as of a day: whole lines and day credits."""

    lines: list[Line]
    condensed: list[DayCredits]
    kept_months: int = 0  # account-months read from engine_inputs (whole or in part)
    built_months: int = 0  # account-months (re)built from the ledger this time
    extended_months: int = 0  # of those kept, kept in part and read on with the ledger's later days
    ledger_lines: int = 0  # lines read from the ledger this time (into the months built or read on)
    bare_months: int = 0  # of those kept, read without the debits the carried state stands for


def config_digest(registry: Registry, codes: Codes) -> str:
    """What the condensing depends on besides the ledger (a change rebuilds every month)."""
    def plain(o: object) -> Any:
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        if isinstance(o, date):
            return o.isoformat()
        raise TypeError(type(o).__name__)

    text = json.dumps([dataclasses.asdict(registry), dataclasses.asdict(codes)], default=plain, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def drop_all(session: Session) -> None:
    """Forget everything kept (`recon reconcile --full`)."""
    session.execute(delete(EngineInputRow))
    session.execute(delete(EngineInputMarkRow))


def load_inputs(session: Session, as_of: date, condenser: Condenser, digest: str,
                without: dict[str, tuple[date, frozenset[int]]] | None = None, ledger: Ledger | None = None
                ) -> Inputs:
    """The whole lines and day credits booked on or before `as_of` (superseded lines left out),
    from engine_inputs (refreshed first) and the ledger's lines booked after what it keeps. Call
    inside the transaction that may write engine_inputs.

    Every account-month from the ledger's first month to `as_of`'s is kept, through `as_of` at
    most: a kept part that ends before (last night's) is read with the ledger's lines booked after
    it and kept again through `as_of`; a month kept past `as_of` (a reconcile for an earlier day)
    is read from the ledger again and kept through `as_of`.

    `without`: per expense account, a restart day (a month's first) and the ids of its debits
    before it to keep; its other debits before the day are left out of the months kept (not even
    decoded: `_load`), as the engine leaves out the payments a carried state stands for
    (reconcile.engine.run `starting`). A month read from the ledger this time keeps them all.

    `ledger`: when every month is read from the ledger (nothing kept), each account's lines are
    also handed on in it to the book side (store.handed); otherwise it is left empty."""
    mark = session.get(EngineInputMarkRow, 1)
    if mark is not None and mark.config != digest:
        drop_all(session)
        session.flush()
        mark = None
    top_line, top_file = ledger_top(session)
    meta = {(a, m): (r, n, t) for a, m, r, n, t in session.execute(
        select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.refunded, EngineInputRow.line_count,
               EngineInputRow.through))}
    held = {k: _month_end(_month_of(k[1])) if t is None else t for k, (_, _, t) in meta.items()}  # last day kept
    first_days = _first_days(session, top_line) if mark is None or not meta else {}
    if mark is None:
        accounts = set(first_days)
        touched: dict[tuple[str, str], date] = {}
    else:
        accounts = set(json.loads(mark.accounts))
        touched = _touched(session, mark.last_line_id, mark.last_file_id, top_line)
        accounts |= {a for a, _ in touched}
    stale = {k for k, day in touched.items() if k in held and day <= held[k]}  # a day kept may have changed
    current = (as_of.year, as_of.month)
    # Every account-month from the ledger's first month to the current one is kept (an empty one
    # too, so that "not kept" means "not yet read").
    firsts = [_month_of(m) for _, m in (*meta, *touched)]
    if not meta:
        lowest = min(first_days.values(), default=None)
        if lowest is not None:
            firsts.append((lowest.year, lowest.month))
    first = min(firsts, default=None)
    wanted: set[tuple[str, str]] = set()
    if first is not None and first <= current:
        wanted = {(a, month_key(*m)) for a in accounts for m in _months(first, current)}
    missing = {k for k in wanted if k not in meta or held[k] > as_of} | (stale & wanted)  # kept past as_of too
    short = {k for k in wanted - missing if held[k] < _until(k[1], as_of)}  # the kept part, then the ledger
    _delete(session, (stale - wanted) & set(meta))  # changed, not read this time: read again when wanted
    income = set(condenser.income)
    without = without or {}
    cuts = {a: month_key(day.year, day.month) for a, (day, _) in without.items()}
    bare = {k for k in wanted - missing - short if k[0] in cuts and k[1] < cuts[k[0]]}  # before the restart
    decoded = {key: _load(key[0], payload, without[key[0]][1] if key in bare else None)
               for key, payload in _payloads(session, wanted - missing)}
    tails: dict[tuple[str, str], list[tuple[Any, ...]]] = {k: [] for k in short}
    days: dict[Any, date] = {}  # the tails' days
    if short:  # the days after the kept parts: one read (last night's as_of is the same for all)
        rows, days = _read_lines(session, sorted({a for a, _ in short}), min(held[k] for k in short), as_of)
        for r in rows:
            day = days[r[2]]
            key = (r[1], month_key(day.year, day.month))
            if key in tails and day > held[key]:
                tails[key].append(r)
    # The parties the income accounts refunded, from every debit on or before A (kept or read).
    parties = {p for _, _, refunds in decoded.values() for p in refunds}
    for rows in tails.values():
        parties |= _refunds(rows, days, condenser)
    for _, rows, on in _read_months(session, {k for k in missing if k[0] in income}, as_of, debits=True):
        parties |= _refunds(rows, on, condenser)
    condenser.refunded = parties
    refunded = hashlib.sha256(json.dumps(sorted(parties)).encode()).hexdigest()
    again = {k for k in decoded if k[0] in income and meta[k][0] != refunded}  # condensed with other parties
    for key in again:
        del decoded[key]
        tails.pop(key, None)
    missing |= again
    _delete(session, missing & set(meta))
    out = Inputs([], [])
    # every line read this time: handed on to the book side
    handed = ledger if ledger is not None and wanted and not wanted - missing else None
    if handed is not None:
        handed.whole(as_of, top_line, top_file)
    built = _read_months(session, missing, as_of, slim=income, balances=handed is not None)
    for _, group in itertools.groupby(built, key=lambda got: got[0][0]):  # one account at a time: memory
        months = [(key, rows, on, _condense(key[0], rows, condenser)) for key, rows, on in group]
        if handed is not None:  # the account's months in order: its lines in the ledger's order
            handed.add(months[0][0][0], [r for _, rows, _, _ in sorted(months, key=_key) for r in rows], months[0][2])
        lines = _lines_of(session, [r for *_, c in months for r in c.needed()], months[0][2])  # one read again
        for key, rows, on, condensed in months:
            whole, credits = condensed.made(lines, on)
            refunds = sorted(_refunds(condensed.whole, on, condenser))  # a debit is never condensed
            decoded[key] = (whole, credits, refunds)
            out.ledger_lines += len(rows)
            session.execute(insert(EngineInputRow), [{
                "account": key[0], "month": key[1], "refunded": refunded if key[0] in income else "",
                "line_count": len(rows), "payload": _dump(whole, credits, refunds),
                "through": _through(key[1], as_of)}])
            out.built_months += 1
    for key, rows in sorted(tails.items()):  # the kept part and the days after it, kept through as_of
        kept_row = update(EngineInputRow).where(EngineInputRow.account == key[0], EngineInputRow.month == key[1])
        if not rows:  # nothing booked since: the same payload, kept through as_of
            session.execute(kept_row.values(through=_through(key[1], as_of)))
            out.extended_months += 1
            continue
        condensed = _condense(key[0], rows, condenser)
        whole, credits = condensed.made(_lines_of(session, condensed.needed(), days), days)
        old_whole, old_credits, old_refunds = decoded[key]
        decoded[key] = (old_whole + whole, old_credits + credits,
                        sorted({*old_refunds, *_refunds(condensed.whole, days, condenser)}))
        session.execute(kept_row.values(line_count=meta[key][1] + len(rows), payload=_dump(*decoded[key]),
                                        through=_through(key[1], as_of)))
        out.ledger_lines += len(rows)
        out.extended_months += 1
    out.bare_months = len(bare - missing)
    for key in sorted(wanted):
        whole, credits, _ = decoded[key]
        out.lines += whole
        out.condensed += credits
    out.kept_months = len(wanted) - out.built_months
    out.condensed.sort(key=lambda dc: (dc.account, dc.first.booking_date))
    if mark is None:
        mark = EngineInputMarkRow(id=1, config=digest)
        session.add(mark)
    mark.last_line_id, mark.last_file_id, mark.accounts = top_line, top_file, json.dumps(sorted(accounts))
    return out


def _until(month: str, as_of: date) -> date:
    """The last day of `month` (as_of's month or before) a night as of `as_of` reads."""
    return min(_month_end(_month_of(month)), as_of)


def _through(month: str, as_of: date) -> date | None:
    """`engine_inputs.through` of an account's `month` kept as of `as_of`: None when it is whole."""
    until = _until(month, as_of)
    return None if until == _month_end(_month_of(month)) else until


def _delete(session: Session, keys: set[tuple[str, str]]) -> None:
    by_account: dict[str, list[str]] = {}
    for account, month in keys:
        by_account.setdefault(account, []).append(month)
    for account, months in by_account.items():
        session.execute(delete(EngineInputRow).where(EngineInputRow.account == account,
                                                     EngineInputRow.month.in_(months)))


def _payloads(session: Session, keys: set[tuple[str, str]]) -> Iterable[tuple[tuple[str, str], str]]:
    if not keys:
        return
    q = select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload)
    for account, month, payload in session.execute(q.execution_options(yield_per=2000)):
        if (account, month) in keys:
            yield (account, month), payload


def _refunds(rows: list[tuple[Any, ...]], days: dict[Any, date], condenser: Condenser) -> set[str]:
    out = set()
    for r in rows:
        if r[3] < 0 and r[1] in condenser.income:
            party = condenser.refund_party(_line(r, days))
            if party is not None:
                out.add(party)
    return out


def _closed_through(as_of: date) -> Month:
    """The last month whose last day is on or before as_of."""
    nxt = as_of + timedelta(days=1)
    return (as_of.year, as_of.month) if nxt.month != as_of.month else add_months(as_of.year, as_of.month, -1)


def _month_end(m: Month) -> date:
    y, mo = add_months(m[0], m[1], 1)
    return date(y, mo, 1) - timedelta(days=1)


def _months(first: Month, last: Month) -> list[Month]:
    out = []
    while first <= last:
        out.append(first)
        first = add_months(first[0], first[1], 1)
    return out


def _month_of(key: str) -> Month:
    y, m = key.split("-")
    return int(y), int(m)


_ACCOUNTS = text("""
WITH RECURSIVE a(account) AS (
  SELECT min(account) FROM lines
  UNION ALL
  SELECT (SELECT min(l.account) FROM lines l WHERE l.account > a.account) FROM a WHERE a.account IS NOT NULL)
SELECT account FROM a WHERE account IS NOT NULL""")
_FIRST_DAY = select(func.min(LineRow.booking_date)).where(LineRow.account == bindparam("account"),
                                                          LineRow.id <= bindparam("top"))


def _first_days(session: Session, top_line: int) -> dict[str, date]:
    """Each account's first booking day among the lines up to `top_line` (an account with none left
    out). The accounts are found by a seek each in the index by account (the recursive query steps
    from one account to the next), each first day by a seek into its account's days: at a
    province's 5.1M lines, a DISTINCT over the index and a min over every line were 1.5 CPU s of a
    full reconcile (bench/RESULTS.md, i18fullread)."""
    out: dict[str, date] = {}
    for account in session.scalars(_ACCOUNTS):
        day = session.scalar(_FIRST_DAY, {"account": account, "top": top_line})
        if day is not None:
            out[account] = day
    return out


def _touched(session: Session, last_line: int, last_file: int, top_line: int) -> dict[tuple[str, str], date]:
    """Account-months a line stored since (above `last_line`) is booked in, or an end-of-day
    statement of a file stored since covers (it may have superseded intraday lines), each with its
    first day so touched: a month kept through an earlier day is not changed by it."""
    out: dict[tuple[str, str], date] = {}

    def touch(account: str, day: date) -> None:
        key = (account, month_key(day.year, day.month))
        if key not in out or day < out[key]:
            out[key] = day

    for account, day in session.execute(
            select(LineRow.account, LineRow.booking_date).where(LineRow.id > last_line, LineRow.id <= top_line)
            .group_by(LineRow.account, LineRow.booking_date)):
        touch(account, day)
    for account, start, end, file_id in session.execute(
            select(StatementRow.account, StatementRow.period_start, StatementRow.period_end, StatementRow.file_id)
            .where(StatementRow.file_id > last_file, StatementRow.intraday.is_(False))):
        if start is None or end is None:  # it supersedes over its lines' dates (Statement.covered_period)
            start, end = session.execute(select(func.min(LineRow.booking_date), func.max(LineRow.booking_date))
                                         .where(LineRow.file_id == file_id, LineRow.account == account)).one()
        if start is None or end is None:
            continue
        touch(account, start)
        for m in _months((start.year, start.month), (end.year, end.month))[1:]:
            touch(account, date(m[0], m[1], 1))
    return out


def _base(slim: bool = False, balances: bool = False) -> Any:
    """The select of `_COLS`, and with `balances` the running balance last (store.handed). `slim`: a
    credit's account, file name and place, and its counterparty's name when it names the
    counterparty's account, come as NULL (None): `Condenser.plain_class` does not ask for them,
    and most such credits end up in a day's sum; the whole lines and the days' first lines among
    them are read again whole (`_lines_of`). Of a province year's 5.1M lines, 5.0M are such
    credits: these four texts were a third of reading them (bench/RESULTS.md, i18fullread)."""
    extra = (LineRow.balance_fen,) if balances else ()
    if not slim:
        return _ordered(select(*_COLS, *extra))
    credit = LineRow.amount_fen > 0

    def unless(when: Any, column: Any) -> Any:
        return case((when, null()), else_=column)

    cols = (LineRow.id, unless(credit, LineRow.account), LineRow.booking_date, LineRow.amount_fen,
            LineRow.counterparty_account, unless(and_(credit, LineRow.counterparty_account != ""),
                                                 LineRow.counterparty_name),
            LineRow.text, LineRow.remark, LineRow.reversal, LineRow.type_code, LineRow.fingerprint,
            unless(credit, FileRow.name), unless(credit, LineRow.source), *extra)
    return _ordered(select(*cols))


def _ordered(q: Any) -> Any:
    """The lines not superseded, in the ledger's order (by day, then as stored): a day's lines come
    in the same order on every run and on both databases, so the same ledger keeps the same
    payloads (the report's cache of classes is keyed by their digests: reconcile/reporting). On
    PostgreSQL a read without an order gives the rows as the plan finds them (a row stored again
    last). SQLite's index by account and date holds each day's lines in that order already: one
    account's read needs no sort (bench/RESULTS.md, i18full2)."""
    return (q.join(FileRow, FileRow.id == LineRow.file_id).where(LineRow.superseded_by.is_(None))
            .order_by(LineRow.booking_date, LineRow.id))


def _lines_of(session: Session, rows: list[tuple[Any, ...]], on: dict[Any, date]) -> dict[int, Line]:
    """The lines of these rows (as `_fetch` gives them, `on` their days) by id; a slim row (`_base`,
    its account None) is read again whole, by id."""
    out = {r[0]: _line(r, on) for r in rows if r[1] is not None}
    slim = sorted(r[0] for r in rows if r[1] is None)
    for k in range(0, len(slim), 500):
        again, days = _fetch(session, _base().where(LineRow.id.in_(slim[k:k + 500])).order_by(None))  # by id
        out |= {r[0]: _line(r, days) for r in again}
    return out


def _read_lines(session: Session, accounts: list[str], after: date | None, as_of: date
                ) -> tuple[list[tuple[Any, ...]], dict[Any, date]]:
    """The lines of `accounts` booked in (after, as_of] (through the account/date index).

    The month not yet closed is a province's 400,000 lines: the values that repeat from line to
    line (the account, the day, the parties, the texts, the type, the file's name, the place in it)
    are held once each rather than once per line: the same values, half the memory. The days as
    `_fetch` gives them, with the dates they stand for."""
    q = (_base().where(LineRow.account.in_(accounts), LineRow.booking_date <= as_of)
         .order_by(None).order_by(LineRow.account, LineRow.booking_date, LineRow.id))  # each account's in its order
    if after is not None:
        q = q.where(LineRow.booking_date > after)
    seen: dict[Any, Any] = {}
    one = seen.setdefault
    rows, days = _fetch(session, q)
    return [(lid, one(a, a), one(d, d), amount, one(cpa, cpa), one(cpn, cpn), one(t, t), one(rm, rm), rev, one(tc, tc),
             fp, one(fn, fn), one(src, src))
            for lid, a, d, amount, cpa, cpn, t, rm, rev, tc, fp, fn, src in rows], days


def _fetch(session: Session, q: Any) -> tuple[list[tuple[Any, ...]], dict[Any, date]]:
    """The rows of `q` (a `_base()` select) as the database's driver gives them, and each of their
    days (the third column) as the date it stands for. SQLAlchemy builds, binds and runs the
    statement on the session's connection (its events fire: tests/integration/test_partitions reads
    the statements), but the rows are fetched from the result's own DBAPI cursor, without a `Row`
    and per-column processing each (bench/RESULTS.md, i18fullread). SQLite gives a day as ISO text
    (converted once per day: the rows keep the text, `_line` converts) and `reversal` as 0 or 1
    (`stored_line` makes it a bool)."""
    result = session.connection().execute(q)
    try:
        rows = cast(list[tuple[Any, ...]], result.cursor.fetchall())
    finally:
        result.close()
    return rows, {d: d if isinstance(d, date) else date.fromisoformat(d) for d in set(map(_third, rows))}


_third = operator.itemgetter(2)
_key = operator.itemgetter(0)


def _read_months(session: Session, keys: Iterable[tuple[str, str]], as_of: date,
                 debits: bool = False, slim: Collection[str] = (), balances: bool = False
                 ) -> Iterable[tuple[tuple[str, str], list[tuple[Any, ...]], dict[Any, date]]]:
    """The lines (or the debits only) booked on or before `as_of` of each account-month in `keys`,
    as `_fetch` gives them (with their days): one query per account over its span of months, one
    account in memory at a time; the accounts in `slim` with their credits slim (`_base`); with
    `balances`, each row's running balance as a 14th column."""
    by_account: dict[str, set[str]] = {}
    for account, month in keys:
        by_account.setdefault(account, set()).add(month)
    for account, months in sorted(by_account.items()):
        first, last = _month_of(min(months)), _month_of(max(months))
        q = _base(account in slim, balances).where(and_(LineRow.account == account,
                                              LineRow.booking_date >= date(first[0], first[1], 1),
                                              LineRow.booking_date <= min(_month_end(last), as_of)))
        if debits:
            q = q.where(LineRow.amount_fen < 0)
        rows: dict[str, list[tuple[Any, ...]]] = {m: [] for m in months}
        got, days = _fetch(session, q)
        month_of = {raw: month_key(d.year, d.month) for raw, d in days.items()}  # a day's month, once per day
        # A day's rows at a time, by C loops (the index gives a day's rows together; were they not,
        # a day would come as more than one group, each put in its month all the same).
        for day, group in itertools.groupby(got, key=_third):
            these = rows.get(month_of[day])
            if these is not None:
                these.extend(group)
        for m, these in rows.items():
            yield (account, m), these, days


def stored_line(lid: int, account: str, day: date, amount: int, cpa: str, cpn: str, txt: str, remark: str,
                reversal: bool, type_code: str, fp: str, file_name: str, source: str) -> Line:
    """A stored line from the columns of `_COLS`, in that order. Every field of `Line` is given in
    its order, positionally: a call with keywords costs twice as much, at a million lines a night."""
    return _make((day, amount, None, cpa, cpn, txt, remark, "", _NONE, None, source, _BOOK, bool(reversal), type_code,
                  0, "", lid, account, fp, file_name))


# `Line._make` is the tuple's own constructor: no argument parsing, a third cheaper per line.
_make, _NONE, _BOOK = Line._make, RefStrength.NONE, EntryStatus.BOOK


def _line(r: tuple[Any, ...], days: dict[Any, date]) -> Line:
    """The stored line of a row as `_fetch` gives it (its day as `days` has it; a 14th column left out)."""
    return stored_line(r[0], r[1], days[r[2]], *r[3:13])


@dataclasses.dataclass
class _Condensed:
    """One account-month's rows condensed (`_condense`): the rows kept whole, and per day the sum,
    count, interest and first row of its plain credits."""

    account: str
    whole: list[tuple[Any, ...]]
    days: dict[Any, list[Any]]

    def needed(self) -> list[tuple[Any, ...]]:
        """The rows made into lines: the whole ones and each day's first."""
        return [*self.whole, *(got[3] for got in self.days.values())]

    def made(self, lines: dict[int, Line], on: dict[Any, date]) -> tuple[list[Line], list[DayCredits]]:
        """The lines kept whole and the day credits, given the lines of `needed` by id (`_lines_of`)."""
        credits = [DayCredits(self.account, on[day], amount, count, lines[first[0]], interest)
                   for day, (amount, count, interest, first) in self.days.items()]
        return [lines[r[0]] for r in self.whole], sorted(credits, key=lambda dc: dc.first.booking_date)


def _condense(account: str, rows: list[tuple[Any, ...]], condenser: Condenser) -> _Condensed:
    """As store.snapshot does for the whole ledger: plain credits of income accounts summed per
    day (the representative is the day's smallest fingerprint), every other line whole. The rows
    of one account and month as `_fetch` gives them (slim ones too: `_base`).

    `Condenser.plain_class` decided line by line, inlined: another account's rows are all whole
    (no line of it is a plain credit); an income account's credit is classed by its texts, looked
    up once per distinct texts in this call (`credit_class`), and by its party: a counterparty
    account of digits alone (a contributor's, almost every credit) by the two sets `plain_party`
    looks in, any other party by `plain_party` once per distinct value (the parties refunded do
    not change during a call). A call a line was a third of condensing a province year
    (bench/RESULTS.md, i18full4)."""
    if account not in condenser.income:
        return _Condensed(account, list(rows), {})
    whole: list[tuple[Any, ...]] = []
    days: dict[Any, list[Any]] = {}  # a day's sum, count, interest and first row
    classes: dict[tuple[str, str, str], str | None] = {}  # by (text, remark, type)
    numbers: dict[str, bool] = {}  # plain_party by a counterparty account not of digits alone
    names: dict[str, bool] = {}  # by its name, when no account is given
    credit_class, plain_party, keep = condenser.credit_class, condenser.plain_party, whole.append
    refunded, pooled = condenser.refunded, condenser.pooled_numbers()
    for r in rows:
        amount = r[3]
        if amount <= 0 or r[8]:  # a debit or a reversal
            keep(r)
            continue
        key = (r[6], r[7], r[9])
        cls = classes.get(key, _UNSEEN)
        if cls is _UNSEEN:
            cls = classes[key] = credit_class(*key)
        if cls is None:
            keep(r)
            continue
        cpa = r[4]
        plain: bool | None
        if cpa:
            if cpa.isdigit():  # plain_party's test for such a number
                plain = cpa not in refunded and cpa not in pooled
            else:
                plain = numbers.get(cpa)
                if plain is None:
                    plain = numbers[cpa] = plain_party(cpa, r[5])
        else:
            cpn = r[5]
            plain = names.get(cpn)
            if plain is None:
                plain = names[cpn] = plain_party(cpa, cpn)
        if not plain:
            keep(r)
            continue
        day = r[2]
        got = days.get(day)
        if got is None:
            got = days[day] = [0, 0, 0, r]
        elif r[10] < got[3][10]:
            got[3] = r
        got[0] += amount
        got[1] += 1
        if cls == INTEREST:
            got[2] += amount
    return _Condensed(account, whole, days)


_UNSEEN: Any = object()


def _dump(whole: list[Line], credits: list[DayCredits], refunds: list[str]) -> str:
    """A kept month as JSON (`_FORMAT`): the parties refunded first (`load_classing` leaves out a
    month that refunded no one by that beginning), then the lines by column (`_columns`): the
    credits and other lines that are not debits with the first line of each day's credits, and
    last, under "debits", the debits: a night that starts an expense account from its carried
    state (reconcile.engine.carry) reads a month before the restart day without them."""
    debits = [ln for ln in whole if ln.amount_fen < 0]
    rest = [ln for ln in whole if ln.amount_fen >= 0]
    return json.dumps({
        "refunded": refunds, "format": _FORMAT, "whole": len(rest), **_columns([*rest, *(dc.first for dc in credits)]),
        "credits": [[dc.amount_fen, dc.count, dc.interest_fen] for dc in credits], "debits": _columns(debits),
    }, ensure_ascii=False, separators=(",", ":"))


def _columns(rows: list[Line]) -> dict[str, Any]:
    """The lines' stored fields by column; each day and each repeated text (parties, texts, type,
    file) written once, in `days` and `texts`, and pointed at by its place there. The columns are
    taken by C loops (zip, map, dict.fromkeys): a month-end night writes every account's month."""
    if not rows:
        return {k: [] for k in ("id", "days", "texts", *_COLUMNS)}
    f = list(zip(*rows, strict=True))  # Line's fields, each a column
    days = list(dict.fromkeys(f[0]))
    texts = list(dict.fromkeys(itertools.chain(f[3], f[4], f[5], f[6], f[13], f[19])))
    day = {d: i for i, d in enumerate(days)}.__getitem__
    text = {v: i for i, v in enumerate(texts)}.__getitem__
    return {"id": list(f[16]), "days": [d.isoformat() for d in days], "texts": texts,
            "day": list(map(day, f[0])), "amount": list(f[1]), "cpa": list(map(text, f[3])),
            "cpn": list(map(text, f[4])), "text": list(map(text, f[5])), "remark": list(map(text, f[6])),
            "reversal": list(map(int, f[12])), "type": list(map(text, f[13])), "fp": list(f[18]),
            "file": list(map(text, f[19])), "source": list(f[10])}


_COLUMNS = ("day", "amount", "cpa", "cpn", "text", "remark", "reversal", "type", "fp", "file", "source")
_FORMAT = 2  # of `_dump`'s payload; 1, a list per line (`_load_rows`), is read too (migration 0016)
_DEBITS = ',"debits":'  # where the debits begin: a quote inside a JSON string is escaped, so only there
_DECODER = json.JSONDecoder()
_new: Any = tuple.__new__  # _new(Line, fields): a Line made in C, as `Line._make` makes it
_repeat = itertools.repeat


def _load(account: str, payload: str, debits: frozenset[int] | None = None
          ) -> tuple[list[Line], list[DayCredits], list[str]]:
    """A kept month's lines, day credits and parties refunded: the same records `_condense` gave
    when it was kept (the lines not in the same order). With `debits`, only the debits whose ids
    it holds: the text after the debits' ids is then parsed only when one of them is there."""
    at = -1 if debits is None else payload.find(_DEBITS)
    data = json.loads(payload if at < 0 else payload[:at] + "}")
    if data.get("format") != _FORMAT:
        whole, credits, refunded = _load_rows(account, data)
        if debits is not None:
            whole = [ln for ln in whole if ln.amount_fen >= 0 or ln.id in debits]
        return whole, credits, refunded
    rows = _lines(account, data)
    n = data["whole"]
    credits = [DayCredits(account, ln.booking_date, amount, count, ln, interest)
               for ln, (amount, count, interest) in zip(rows[n:], data["credits"], strict=True)]
    del rows[n:]
    if debits is None:
        rows += _lines(account, data["debits"])
    elif debits:
        ids, _ = _DECODER.raw_decode(payload, at + len(_DEBITS) + len('{"id":'))
        if not debits.isdisjoint(ids):
            rows += [ln for ln in _lines(account, json.loads(payload[at + len(_DEBITS):-1])) if ln.id in debits]
    return rows, credits, data["refunded"]


def _lines(account: str, data: dict[str, Any]) -> list[Line]:
    """The lines of `_columns`, made by C loops (map and zip over the columns), no Python call per
    line: a kept month's lines are most of what a night reads."""
    days = [date.fromisoformat(d) for d in data["days"]]
    at, n = data["texts"].__getitem__, len(data["id"])

    def put(value: Any) -> Iterable[Any]:
        return _repeat(value, n)

    return list(map(_new, put(Line), zip(
        map(days.__getitem__, data["day"]), data["amount"], put(None), map(at, data["cpa"]), map(at, data["cpn"]),
        map(at, data["text"]), map(at, data["remark"]), put(""), put(_NONE), put(None), data["source"], put(_BOOK),
        map(bool, data["reversal"]), map(at, data["type"]), put(0), put(""), data["id"], put(account), data["fp"],
        map(at, data["file"]), strict=True)))


def _load_rows(account: str, data: dict[str, Any]) -> tuple[list[Line], list[DayCredits], list[str]]:
    """A kept month in the first format, a list per line (before migration 0016)."""
    days: dict[str, date] = {}

    def line(r: list[Any]) -> Line:  # stored_line, inlined
        d = days.get(r[1])
        if d is None:
            d = days[r[1]] = date.fromisoformat(r[1])
        return _make((d, r[2], None, r[3], r[4], r[5], r[6], "", _NONE, None, r[11], _BOOK, bool(r[7]), r[8], 0, "",
                      r[0], account, r[9], r[10]))

    whole = [line(r) for r in data["lines"]]
    credits = []
    for amount, count, interest, first in data["credits"]:
        ln = line(first)
        credits.append(DayCredits(account, ln.booking_date, amount, count, ln, interest))
    return whole, credits, data["refunded"]

def kept_as_of(session: Session, as_of: date, kept: str) -> bool:
    """Is what is kept the reading of the last reconcile, as of `as_of` (with the registry and codes
    of `kept`: config_digest), and nothing stored since? Then every month up to `as_of`'s is kept,
    the current month through `as_of` (`load_classing`, store.classing)."""
    mark = session.get(EngineInputMarkRow, 1)
    reconciled = session.scalar(select(func.max(ObligationRow.as_of))) or session.scalar(
        select(func.max(FindingRow.as_of)))
    if (mark is None or mark.config != kept or reconciled != as_of
            or (session.scalar(select(func.max(LineRow.id))) or 0) != mark.last_line_id
            or (session.scalar(select(func.max(FileRow.id))) or 0) != mark.last_file_id):
        return False
    last = month_key(as_of.year, as_of.month)
    through = _through(last, as_of)  # the current month's: as_of, or None on its last day
    part = EngineInputRow.through.is_not(None)
    otherwise = (and_(EngineInputRow.month <= last, part) if through is None else
                 or_(and_(EngineInputRow.month < last, part),
                     and_(EngineInputRow.month == last, or_(not_(part), EngineInputRow.through != through))))
    # a month kept otherwise than through as_of: not the last reconcile's reading as of as_of
    return not session.scalar(select(func.count()).select_from(EngineInputRow).where(otherwise))


def load_classing(session: Session, window: Window, s: Settings, condenser: Condenser, kept: str
                  ) -> Snapshot | None:
    """What the classes of the lines booked in the window depend on (docs/DOMAIN.md, Classes of
    lines), from the months the last reconcile kept (store.inputs; the current month through the
    window's end, so nothing is read from the ledger): from
    the month `return_window` working days before the window (a return's debit), and for an income
    account that refunds in the window from `refund_lookback_days` before it (what the party
    paid); the parties refunded ever (which credits are kept whole) from every kept month that
    refunded one. The classes of the window's lines are then those of the whole snapshot: a return
    takes the latest earlier debit still free, so one whose debit was not read is booked within
    `return_window` working days of the first month read, before the window. None when what is
    kept is not the reading of the last reconcile as of the window's end (the caller reads it all)."""
    as_of = window.end
    if not kept_as_of(session, as_of, kept):
        return None
    last = month_key(as_of.year, as_of.month)
    read: dict[tuple[str, str], tuple[list[Line], list[DayCredits], list[str]]] = {}

    def take(first: str, until: str, account: str | None = None) -> None:
        q = select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload).where(
            EngineInputRow.month >= first, EngineInputRow.month <= until)
        if account is not None:
            q = q.where(EngineInputRow.account == account)
        for a, m, payload in session.execute(q):
            if (a, m) not in read:
                read[(a, m)] = _load(a, payload)

    before = s.calendar.add_workdays(window.start, -s.rules.return_window)
    base = (before.year, before.month)  # the window's first month or the one before
    take(month_key(*base), last)
    # A refund in the window looks back a year at what its party paid.
    back = window.start - timedelta(days=s.rules.refund_lookback_days)
    refunding = {ln.account for whole, _, _ in read.values() for ln in whole
                 if ln.booking_date >= window.start and condenser.refund_party(ln) is not None}
    for a in sorted(refunding):
        take(month_key(back.year, back.month), month_key(*base), a)
    # The parties the income accounts refunded on or before A decide which credits are kept whole.
    parties = {p for _, _, refunds in read.values() for p in refunds}
    for a, m, payload in session.execute(
            select(EngineInputRow.account, EngineInputRow.month, EngineInputRow.payload).where(
                EngineInputRow.account.in_(sorted(condenser.income)), EngineInputRow.month <= last,
                # a month that refunded no one (its payload as `_dump` writes it) is not read
                not_(EngineInputRow.payload.startswith('{"refunded":[]', autoescape=True)))):
        if (a, m) not in read:
            parties |= set(_load(a, payload)[2])
    condenser.refunded = parties
    whole: list[Line] = []
    credits: list[DayCredits] = []
    for key in sorted(read):
        whole += read[key][0]
        credits += read[key][1]
    return Snapshot(as_of, whole, [], condensed=sorted(credits, key=lambda dc: (dc.account, dc.first.booking_date)))
