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

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reconcile.engine.carry import AccountCarry, CarriedObligation, Carry
from reconcile.engine.context import Settings
from reconcile.engine.types import Finding
from reconcile.model import Line
from store.inputs import config_digest, stored_line
from store.models import EngineCarryRow, FileRow, LineRow, StatementRow


def carry_digest(s: Settings) -> str:
    """What the carried state depends on besides the ledger and the plans."""
    text = json.dumps([config_digest(s.registry, s.codes), dataclasses.asdict(s.rules),
                       sorted(d.isoformat() for d in s.calendar.extra_holidays),
                       sorted(d.isoformat() for d in s.calendar.extra_workdays)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Marks:
    """How far the ledger went when a night read it: kept with its carried state."""

    last_line_id: int
    last_file_id: int


def marks(session: Session) -> Marks:
    return Marks(session.scalar(select(func.max(LineRow.id))) or 0, session.scalar(select(func.max(FileRow.id))) or 0)


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
    return _load(row.cut, row.payload), min(days), now, digest


def keep_carry(session: Session, carry: Carry, as_of: date, at: Marks, digest: str) -> None:
    """Replace the kept state (the ledger as `at` says it was read)."""
    drop_carry(session)
    session.add(EngineCarryRow(id=1, config=digest, cut=carry.cut, as_of=as_of, last_line_id=at.last_line_id,
                               last_file_id=at.last_file_id, payload=_dump(carry)))


def drop_carry(session: Session) -> None:
    session.execute(delete(EngineCarryRow))


def _line(ln: Line) -> list[Any]:
    return [ln.id, ln.account, ln.booking_date.isoformat(), ln.amount_fen, ln.fingerprint, ln.file_name, ln.source]


def _unline(r: list[Any]) -> Line:
    return stored_line(r[0], r[1], date.fromisoformat(r[2]), r[3], "", "", "", "", False, "", r[4], r[5], r[6])


def _moves(xs: tuple[tuple[date, int, Line], ...]) -> list[Any]:
    return [[d.isoformat(), a, _line(ln)] for d, a, ln in xs]


def _unmoves(xs: list[Any]) -> tuple[tuple[date, int, Line], ...]:
    return tuple((date.fromisoformat(d), a, _unline(ln)) for d, a, ln in xs)


def _finding(f: Finding) -> dict[str, Any]:
    return {"kind": f.kind, "rule": f.rule, "entity": f.entity, "fund": f.fund, "account": f.account,
            "period": f.period, "amount_fen": f.amount_fen, "days_late": f.days_late, "key": f.key,
            "severity": f.severity, "detail": f.detail, "lines": list(f.lines), "line_ids": list(f.line_ids)}


def _unfinding(d: dict[str, Any]) -> Finding:
    return Finding(**{**d, "lines": tuple(d["lines"]), "line_ids": tuple(d["line_ids"])})


def _dump(carry: Carry) -> str:
    return json.dumps({number: {
        "plans": [list(p) for p in ac.plans],
        "obligations": [[o.month, _moves(o.settlements), _moves(o.excess),
                         None if o.made is None else [o.made[0], o.made[1].isoformat()]] for o in ac.obligations],
        "duplicates": [_finding(f) for f in ac.duplicates],
        "latest": [[list(pair), amount, day.isoformat()] for pair, amount, day in ac.latest],
        "disbursed": [list(x) for x in ac.disbursed],
        "kept": sorted(ac.kept),
    } for number, ac in sorted(carry.accounts.items())}, ensure_ascii=False, separators=(",", ":"))


def _load(cut: date, payload: str) -> Carry:
    accounts = {}
    for number, d in json.loads(payload).items():
        accounts[number] = AccountCarry(
            number,
            tuple((m, amount, approved, version) for m, amount, approved, version in d["plans"]),
            tuple(CarriedObligation(m, _unmoves(st), _unmoves(ex),
                                    None if made is None else (made[0], date.fromisoformat(made[1])))
                  for m, st, ex, made in d["obligations"]),
            tuple(_unfinding(f) for f in d["duplicates"]),
            tuple(((pair[0], pair[1]), amount, date.fromisoformat(day)) for pair, amount, day in d["latest"]),
            tuple((m, fen) for m, fen in d["disbursed"]),
            frozenset(d["kept"]))
    return Carry(cut, accounts)
