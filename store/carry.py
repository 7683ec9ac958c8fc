"""What the engine decided before a restart day, kept for the next night (table engine_carry, one
row; reconcile.engine.carry says what it holds and when it is exact).

`read_carry` gives the kept state with `changed_from`, the first booking day of what changed in
the ledger since the run that kept it: a line stored since (a late statement, a re-export), an
end-of-day statement stored since (it supersedes intraday lines of the days it covers), or the
day after that run's as-of date. The engine uses the state only where nothing booked before the
restart day's return window changed, and where the plans in force are those it was kept with.
A change of the rules, calendar, registry or codes drops it; `recon reconcile --full` too.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from reconcile.coverage import Coverage, Days
from reconcile.engine.carry import AccountCarry, CarriedObligation, Carry, Decided, StatementsCarry
from reconcile.engine.context import Settings
from reconcile.engine.types import Finding, Obligation
from reconcile.kinds import SEVERITY
from reconcile.model import Line
from store.db import session_scope
from store.inputs import config_digest, stored_line
from store.models import EngineCarryRow, FileRow, LineRow, StatementRow

_FORMAT = 3  # of the payload: a new one drops what an older version kept (2: the months decided, 3: the statements)


def carry_digest(s: Settings) -> str:
    """What the carried state depends on besides the ledger and the plans."""
    text = json.dumps([_FORMAT, config_digest(s.registry, s.codes), dataclasses.asdict(s.rules),
                       sorted(d.isoformat() for d in s.calendar.extra_holidays),
                       sorted(d.isoformat() for d in s.calendar.extra_workdays), s.calendar.official,
                       sorted(SEVERITY.items())],  # the kept findings hold their kinds' severities
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Marks:
    """How far the ledger went when a night read it: kept with its carried state."""

    last_line_id: int
    last_file_id: int
    changed_files: int = 0  # files whose bytes changed after their ingest (their statements gone)


def marks(session: Session) -> Marks:
    return Marks(session.scalar(select(func.max(LineRow.id))) or 0, session.scalar(select(func.max(FileRow.id))) or 0,
                 session.scalar(select(func.count()).select_from(FileRow).where(FileRow.status == "changed")) or 0)


def read_carry(session: Session, s: Settings, as_of: date) -> tuple[Carry | None, date | None, Marks, str]:
    """The kept state, the first booking day changed since it was kept, the ledger's marks now
    and the digest of the settings (for `keep_carry`)."""
    now = marks(session)
    digest = carry_digest(s)
    row = session.get(EngineCarryRow, 1)
    if row is None or row.config != digest:
        return None, None, now, digest
    days = [row.as_of + timedelta(days=1), as_of + timedelta(days=1)]
    first = session.scalar(select(func.min(LineRow.booking_date)).where(LineRow.id > row.last_line_id,
                                                                         LineRow.id <= now.last_line_id))
    if first is not None:
        days.append(first)
    first = session.scalar(select(func.min(StatementRow.period_start)).where(
        StatementRow.file_id > row.last_file_id, StatementRow.intraday.is_(False)))
    if first is not None:
        days.append(first)
    carry, changed_files = _load(row.cut, row.payload)
    return _statements_unchanged(session, carry, row.last_file_id, changed_files == now.changed_files), min(days), \
        now, digest


def _statements_unchanged(session: Session, carry: Carry, last_file: int, same_files: bool) -> Carry:
    """The carry with the statements' state of the accounts with a statement beginning before its
    restart day stored since it was kept marked stale (the run makes it again), and without any
    when a file's bytes changed since (its old row's statements are no longer read)."""
    if not same_files:
        return dataclasses.replace(carry, statements={})
    late = frozenset(session.scalars(select(StatementRow.account).distinct().where(
        StatementRow.file_id > last_file, StatementRow.intraday.is_(False), StatementRow.period_start < carry.cut)))
    return dataclasses.replace(carry, stale=late & carry.statements.keys()) if late else carry


def read_carry_of(engine: Engine, s: Settings, as_of: date, full: bool = False
                  ) -> tuple[Carry | None, date | None, Marks, str]:
    """`read_carry` in a transaction of its own, for the shell; `full` first drops the kept state
    (`recon reconcile --full`)."""
    with session_scope(engine) as session:
        if full:
            drop_carry(session)
        return read_carry(session, s, as_of)


def keep_carry_in(engine: Engine, carry: Carry, as_of: date, at: Marks, digest: str, same: bool = False) -> None:
    """`keep_carry` in a transaction of its own, for the shell."""
    with session_scope(engine) as session:
        keep_carry(session, carry, as_of, at, digest, same)


def keep_carry(session: Session, carry: Carry, as_of: date, at: Marks, digest: str, same: bool = False) -> None:
    """Replace the kept state (the ledger as `at` says it was read). `same`: the state is the one
    read (the engine started every account from it at the same day, so nothing it holds
    changed): only the marks move on."""
    row = session.get(EngineCarryRow, 1)
    if same and row is not None and row.config == digest and row.cut == carry.cut:
        row.as_of, row.last_line_id, row.last_file_id = as_of, at.last_line_id, at.last_file_id
        return
    drop_carry(session)
    session.add(EngineCarryRow(id=1, config=digest, cut=carry.cut, as_of=as_of, last_line_id=at.last_line_id,
                               last_file_id=at.last_file_id, payload=_dump(carry, at.changed_files)))


def drop_carry(session: Session) -> None:
    session.execute(delete(EngineCarryRow))


def _moves(xs: tuple[tuple[date, int, Line], ...]) -> list[Any]:
    """A settlement or excess entry as (day's ordinal, amount, line id, file, source): what the
    findings list of its line (`Line.where`, `Line.id`) and the standing of its day and amount."""
    return [[d.toordinal(), a, ln.id, ln.file_name, ln.source] for d, a, ln in xs]


def _unmoves(account: str, xs: list[Any], days: dict[int, date]) -> tuple[tuple[date, int, Line], ...]:
    out = []
    for ordinal, amount, lid, file_name, source in xs:
        d = days.get(ordinal)
        if d is None:
            d = days[ordinal] = date.fromordinal(ordinal)
        out.append((d, amount, stored_line(lid, account, d, -amount, "", "", "", "", False, "", "", file_name, source)))
    return tuple(out)


def _unfinding(d: dict[str, Any]) -> Finding:
    return Finding(**{**d, "lines": tuple(d["lines"]), "line_ids": tuple(d["line_ids"])})


def _dump(carry: Carry, changed_files: int) -> str:
    return json.dumps({"changed_files": changed_files, "accounts": _accounts(carry),
                       "statements": {n: _statements(sc) for n, sc in sorted(carry.statements.items())}},
                      ensure_ascii=False, separators=(",", ":"))


def _accounts(carry: Carry) -> dict[str, Any]:
    return {number: {
        "plans": [list(p) for p in ac.plans],
        "obligations": [[o.month, _moves(o.settlements), _moves(o.excess),
                         None if o.made is None else [o.made[0], o.made[1].isoformat()]] for o in ac.obligations],
        "duplicates": [dataclasses.asdict(f) for f in ac.duplicates],
        "latest": [[list(pair), amount, day.isoformat()] for pair, amount, day in ac.latest],
        "disbursed": [list(x) for x in ac.disbursed],
        "kept": sorted(ac.kept),
        "decided": [[d.month, [dataclasses.asdict(f) for f in d.findings], _standing(d.standing),
                     d.judged.isoformat()] for d in ac.decided],
    } for number, ac in sorted(carry.accounts.items())}


def _statements(sc: StatementsCarry) -> list[Any]:
    cov = sc.coverage
    assert isinstance(cov.covered, Days)
    return [_ordinal(cov.first_day), _ordinal(cov.last_day), [[a.toordinal(), b.toordinal()] for a, b in cov.gaps],
            [[a.toordinal(), b.toordinal()] for a, b in cov.covered.runs],
            None if sc.link is None else [sc.link[0].toordinal(), sc.link[1]],
            [dataclasses.asdict(f) for f in sc.findings]]


def _unstatements(account: str, x: list[Any]) -> StatementsCarry:
    first, last, gaps, runs, link, findings = x
    day = date.fromordinal
    return StatementsCarry(
        Coverage(account, None if first is None else day(first), None if last is None else day(last),
                 tuple((day(a), day(b)) for a, b in gaps), Days(tuple((day(a), day(b)) for a, b in runs))),
        None if link is None else (day(link[0]), link[1]), tuple(_unfinding(f) for f in findings))


def _ordinal(d: date | None) -> int | None:
    return None if d is None else d.toordinal()


def _standing(o: Obligation) -> list[Any]:
    return [o.rule, o.entity, o.fund, o.period, o.account, o.deadline.isoformat(), o.due_fen, o.on_time_fen,
            o.late_fen, [[d.isoformat(), a] for d, a in o.late_payments], o.outstanding_fen, o.excess_fen,
            o.days_overdue, o.fen_days, o.status, o.plan_version]


def _unstanding(x: list[Any]) -> Obligation:
    (rule, entity, fund, period, account, deadline, due, on_time, late, late_payments, out, excess, days, fen_days,
     status, version) = x
    return Obligation(rule, entity, fund, period, account, date.fromisoformat(deadline), due, on_time, late,
                      tuple((date.fromisoformat(d), a) for d, a in late_payments), out, excess, days, fen_days,
                      status, version)


def _load(cut: date, payload: str) -> tuple[Carry, int]:
    """The carry kept, and the count of changed files when it was kept."""
    accounts = {}
    days: dict[int, date] = {}
    kept = json.loads(payload)
    for number, d in kept["accounts"].items():
        accounts[number] = AccountCarry(
            number,
            tuple((m, amount, approved, version) for m, amount, approved, version in d["plans"]),
            tuple(CarriedObligation(m, _unmoves(number, st, days), _unmoves(number, ex, days),
                                    None if made is None else (made[0], date.fromisoformat(made[1])))
                  for m, st, ex, made in d["obligations"]),
            tuple(_unfinding(f) for f in d["duplicates"]),
            tuple(((pair[0], pair[1]), amount, date.fromisoformat(day)) for pair, amount, day in d["latest"]),
            tuple((m, fen) for m, fen in d["disbursed"]),
            frozenset(d["kept"]),
            tuple(Decided(m, tuple(_unfinding(f) for f in fs), _unstanding(st), date.fromisoformat(j))
                  for m, fs, st, j in d["decided"]))
    statements = {n: _unstatements(n, x) for n, x in kept["statements"].items()}
    return Carry(cut, accounts, statements), kept["changed_files"]
