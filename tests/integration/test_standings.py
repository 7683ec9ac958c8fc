"""The standings a reconcile replaces (obligations, contributions, month actuals; store.standings)
on SQLite and PostgreSQL: a night writes only what changed, and the tables end as a rewrite would
leave them, every row at the run's date, so the last reconcile's date is what it was."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Engine, event, select

from reconcile.engine.actuals import MonthActual
from reconcile.engine.types import Obligation
from store.budgets import replace_actuals
from store.db import Database, session_scope
from store.desk import reconciled_as_of
from store.findings import replace_contributions, replace_obligations
from store.models import ActualRow, ContributionRow, ObligationRow
from store.reporting import obligation_records

TABLES = ("obligations", "contributions", "actuals")
DAY = [date(2008, 6, d) for d in (1, 2, 3, 4)]


def _ob(entity: str, period: str, outstanding: int = 0, rule: str = "remit", account: str = "1") -> Obligation:
    return Obligation(rule=rule, entity=entity, fund="pension", period=period, account=account,
                      deadline=date.fromisoformat(f"{period}-15"), due_fen=1000, on_time_fen=1000 - outstanding,
                      late_fen=0, late_payments=((date(2008, 5, 20), 7),) if outstanding else (),
                      outstanding_fen=outstanding, excess_fen=0, days_overdue=3 if outstanding else None,
                      fen_days=3 * outstanding, status="partial" if outstanding else "ok",
                      plan_version=2 if rule == "disburse" else None)


# Handed over in the engine's order (by identity), as reconcile.engine.run sorts them; the
# entities' order ("ZS" before "city") is one a database's collation may not keep.
OBS = sorted([_ob(e, p, outstanding=o) for e, o in (("ZS", 0), ("city", 5), ("LZ", 0))
              for p in ("2008-03", "2008-04", "2008-05")] + [_ob("ZS", "2008-05", rule="disburse")],
             key=lambda v: (v.rule, v.entity, v.fund, v.period, v.account))
PAID = {("1", 2007): 500, ("1", 2008): 700, ("2", 2008): 300}
ACTUALS = [MonthActual("ZS", "pension", m, 100, 1, 50) for m in ("2008-03", "2008-04", "2008-05")]


def _night(engine: Engine, day: date, obs: list[Obligation], paid: dict[tuple[str, int], int],
           actuals: list[MonthActual]) -> list[tuple[str, str, int]]:
    """One reconcile's writes of the standings: (verb, table, rows written) of each statement."""
    writes: list[tuple[str, str, int]] = []

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        words = statement.split()
        verb = words[0].upper()
        table = words[2] if verb in ("INSERT", "DELETE") else words[1]
        if verb in ("INSERT", "UPDATE", "DELETE") and table in TABLES:
            writes.append((verb, table, cursor.rowcount))

    event.listen(engine, "after_cursor_execute", count)
    try:
        with session_scope(engine) as s:
            replace_obligations(s, obs, day)
            replace_contributions(s, paid, day)
            replace_actuals(s, actuals, day)
    finally:
        event.remove(engine, "after_cursor_execute", count)
    return writes


def _stored(engine: Engine) -> tuple[dict[Any, Any], list[Any], list[Any]]:
    with session_scope(engine) as s:
        ob = ObligationRow.__table__.c
        ids = {(r.rule, r.entity, r.fund, r.period, r.account): (r.id, r.as_of) for r in s.execute(
            select(ob.id, ob.as_of, ob.rule, ob.entity, ob.fund, ob.period, ob.account))}
        paid = sorted(tuple(r) for r in s.execute(select(ContributionRow.account, ContributionRow.year,
                                                         ContributionRow.as_of, ContributionRow.amount_fen)))
        actuals = sorted(tuple(r) for r in s.execute(select(ActualRow.entity, ActualRow.fund, ActualRow.month,
                                                            ActualRow.as_of, ActualRow.contributions_fen,
                                                            ActualRow.interest_fen, ActualRow.disbursed_fen)))
        return ids, paid, actuals


def _records(engine: Engine) -> list[Obligation]:
    with session_scope(engine) as s:
        table = ObligationRow.__table__
        return obligation_records(s.execute(select(table).order_by(table.c.id)))


def _as_of(engine: Engine) -> date | None:
    with session_scope(engine) as s:
        return reconciled_as_of(s)


def test_a_night_with_nothing_new_writes_no_standing(database: Database) -> None:
    assert _night(database, DAY[0], OBS, PAID, ACTUALS) == [
        ("INSERT", "obligations", len(OBS)), ("UPDATE", "obligations", 0), ("INSERT", "contributions", 3),
        ("UPDATE", "contributions", 0), ("INSERT", "actuals", 3), ("UPDATE", "actuals", 0)]
    ids, paid, actuals = _stored(database)
    # the same standings for the same day: not a row written
    assert _night(database, DAY[0], OBS, PAID, ACTUALS) == [("UPDATE", t, 0) for t in TABLES]
    # the same standings the next day: each row's date moved, by one statement a table, and nothing else
    assert _night(database, DAY[1], OBS, PAID, ACTUALS) == [
        ("UPDATE", "obligations", len(OBS)), ("UPDATE", "contributions", 3), ("UPDATE", "actuals", 3)]
    ids1, paid1, actuals1 = _stored(database)
    assert {k: i for k, (i, _) in ids1.items()} == {k: i for k, (i, _) in ids.items()}  # the rows kept
    assert {d for _, d in ids1.values()} == {DAY[1]} and _as_of(database) == DAY[1]
    assert [r[:2] + r[3:] for r in paid1] == [r[:2] + r[3:] for r in paid] and {r[2] for r in paid1} == {DAY[1]}
    assert [r[:3] + r[4:] for r in actuals1] == [r[:3] + r[4:] for r in actuals]
    assert {r[3] for r in actuals1} == {DAY[1]}
    assert _records(database) == OBS


def test_a_changed_a_new_and_a_vanished_standing_are_written_as_a_rewrite_would(database: Database) -> None:
    _night(database, DAY[0], OBS, PAID, ACTUALS)
    ids, _, _ = _stored(database)
    gone, grown = OBS[1], OBS[4]
    new = _ob("AB", "2008-05", outstanding=9)  # sorts first: inserted last, read back first
    obs = sorted([o for o in OBS if o is not gone and o is not grown]
                 + [replace(grown, outstanding_fen=grown.outstanding_fen + 1, late_payments=((date(2008, 6, 1), 1),),
                            days_overdue=9, status="late"), new],
                 key=lambda v: (v.rule, v.entity, v.fund, v.period, v.account))
    paid = {("1", 2008): 701, ("2", 2008): 300, ("3", 2008): 1}
    actuals = [ACTUALS[0], replace(ACTUALS[1], disbursed_fen=51), MonthActual("LZ", "pension", "2008-05", 0, 0, 9)]
    writes = _night(database, DAY[2], obs, paid, actuals)
    assert writes == [
        ("DELETE", "obligations", 1), ("UPDATE", "obligations", 1), ("INSERT", "obligations", 1),
        ("UPDATE", "obligations", len(obs) - 2),  # the date of the others
        ("DELETE", "contributions", 1), ("UPDATE", "contributions", 1), ("INSERT", "contributions", 1),
        ("UPDATE", "contributions", 1),
        ("DELETE", "actuals", 1), ("UPDATE", "actuals", 1), ("INSERT", "actuals", 1), ("UPDATE", "actuals", 1),
    ]
    got, paid_rows, actual_rows = _stored(database)
    key = (grown.rule, grown.entity, grown.fund, grown.period, grown.account)
    assert got[key][0] == ids[key][0]  # updated in place
    assert set(got) == {(o.rule, o.entity, o.fund, o.period, o.account) for o in obs}
    assert {d for _, d in got.values()} == {DAY[2]}
    assert _records(database) == obs  # every column as handed over, in the engine's order
    assert paid_rows == [("1", 2008, DAY[2], 701), ("2", 2008, DAY[2], 300), ("3", 2008, DAY[2], 1)]
    assert actual_rows == sorted((a.entity, a.fund, a.month, DAY[2], a.contributions_fen, a.interest_fen,
                                  a.disbursed_fen) for a in actuals)
    # a reconcile for an earlier day: every row at that day, the last reconcile's date with them
    _night(database, DAY[1], obs, paid, actuals)
    assert {d for _, d in _stored(database)[0].values()} == {DAY[1]} and _as_of(database) == DAY[1]
    # nothing left: the tables emptied
    _night(database, DAY[3], [], {}, [])
    assert _stored(database) == ({}, [], [])
