"""Merging a night's findings into the stored ones (store.findings.merge) on SQLite and PostgreSQL:
a quiet night (the same findings as last night) writes no finding row but the one statement that
moves the open findings' `as_of` and `last_seen_at`, and loads none; a night of changes leaves each
finding's history (events, audit, first and last seen, closing) as it always was."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, event, select, text, update

from reconcile.engine.types import Finding
from store.audit import check
from store.db import Database, session_scope
from store.findings import merge
from store.models import AuditRow, FindingEventRow, FindingLineRow, FindingRow

AT = [datetime(2008, 6, d, 2, tzinfo=UTC) for d in (1, 2, 3, 4)]
AS_OF = [date(2008, 5, d) for d in (28, 29, 30, 31)]


def _f(n: int, amount: int = 100, days: int = 3, note: str = "", lines: tuple[int, ...] = ()) -> Finding:
    return Finding(kind="late", rule="remit", entity="ZS", fund="pension", account="1", period="2008-05",
                   amount_fen=amount, days_late=days, key=f"late|{n}", severity="medium",
                   detail={"note": note} if note else {}, lines=(f"f.csv:{n}",), line_ids=lines)


def _night(engine: Engine, found: list[Finding], i: int) -> Any:
    with session_scope(engine) as s:
        return merge(s, found, AS_OF[i], AT[i])


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def test_a_quiet_night_writes_no_finding_and_loads_none(database: Database) -> None:
    _night(database, [_f(n, lines=(n,)) for n in range(60)], 0)  # 60 findings, each with a line
    found = [_f(n, lines=(n,)) for n in range(40)]
    _night(database, found, 1)  # 20 of them closed: history
    writes: list[tuple[str, int]] = []
    loads: list[object] = []

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and "audit_head" not in statement:
            writes.append((statement.split("(")[0].split(" SET")[0].strip(), len(parameters) if executemany else 1))

    def load(target: object, context: object) -> None:
        loads.append(target)

    event.listen(database, "before_cursor_execute", count)
    event.listen(FindingRow, "load", load)
    try:
        counts = _night(database, found, 2)  # the same 40 findings: a quiet night
    finally:
        event.remove(database, "before_cursor_execute", count)
        event.remove(FindingRow, "load", load)
    assert (counts.opened, counts.changed, counts.closed, counts.reopened, counts.unchanged) == (0, 0, 0, 0, 40)
    assert loads == []  # no finding made an ORM object
    assert writes == [("UPDATE findings", 1)]  # the one statement that moves as_of and last_seen_at
    with session_scope(database) as s:
        rows = {r.key: r for r in s.scalars(select(FindingRow))}
        assert len(rows) == 60 and s.scalar(select(FindingEventRow.id).where(FindingEventRow.at == AT[2])) is None
        for n in range(60):
            r = rows[f"late|{n}"]
            assert _aware(r.first_seen_at) == AT[0]
            if n < 40:
                assert (r.state, r.as_of, _aware(r.last_seen_at), r.closed_at) == ("open", AS_OF[2], AT[2], None)
            else:
                assert (r.state, r.as_of, _aware(r.last_seen_at)) == ("closed", AS_OF[0], AT[0])
                assert r.closed_at is not None and _aware(r.closed_at) == AT[1]
        assert len(s.execute(select(FindingLineRow)).all()) == 60


def test_a_night_of_changes_reads_the_rows_it_writes_in_a_few_statements(database: Database) -> None:
    """The findings that change or close (a growing days-late of every open unsettled month) are
    read in one statement per 500, not one each."""
    _night(database, [_f(n) for n in range(60)], 0)
    selects: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM findings" in statement:
            selects.append(statement)

    event.listen(database, "before_cursor_execute", count)
    try:
        counts = _night(database, [_f(n, days=4) for n in range(50)], 1)  # 50 a day later, 10 closed
    finally:
        event.remove(database, "before_cursor_execute", count)
    assert (counts.opened, counts.changed, counts.closed, counts.reopened, counts.unchanged) == (0, 50, 10, 0, 0)
    assert len(selects) <= 3, len(selects)  # the open findings, then the 60 rows written
    with session_scope(database) as s:
        rows = {r.key: r for r in s.scalars(select(FindingRow))}
        assert {rows[f"late|{n}"].days_late for n in range(50)} == {4}
        assert {rows[f"late|{n}"].state for n in range(50, 60)} == {"closed"}


def test_a_night_of_changes_keeps_each_findings_history_as_it_was(database: Database) -> None:
    _night(database, [_f(0), _f(1), _f(2), _f(3), _f(4), _f(5, lines=(5,))], 0)
    with session_scope(database) as s:  # the desk acknowledged finding 4 at 100 fen
        s.execute(update(FindingRow).where(FindingRow.key == "late|4")
                  .values(review_state="acknowledged", reviewed_amount_fen=100, review_by="王科长"))
    # 0 as it was, 1 a new amount, 2 a new detail only, 3 closed, 4 grown past its review, 5 other lines
    counts = _night(database, [_f(0), _f(1, amount=150), _f(2, note="x"), _f(4, amount=120),
                             _f(5, lines=(6, 7)), _f(6)], 1)
    assert (counts.opened, counts.changed, counts.closed, counts.reopened, counts.unchanged) == (1, 2, 1, 0, 3)
    counts = _night(database, [_f(0), _f(1, amount=150), _f(2, note="x"), _f(3, days=5), _f(4, amount=120),
                             _f(5, lines=(6, 7)), _f(6, days=4)], 2)  # 3 reopens, 6 a day later
    assert (counts.opened, counts.changed, counts.closed, counts.reopened, counts.unchanged) == (0, 1, 0, 1, 5)
    with session_scope(database) as s:
        events = [(r.finding_id, r.event, r.amount_fen, _aware(r.at))
                  for r in s.scalars(select(FindingEventRow).order_by(FindingEventRow.id))]
        ids = {r.key: r.id for r in s.scalars(select(FindingRow))}
        i = [ids[f"late|{n}"] for n in range(7)]
        assert events == [*((i[n], "opened", 100, AT[0]) for n in range(6)),
                          (i[1], "amount", 150, AT[1]), (i[4], "amount", 120, AT[1]), (i[6], "opened", 100, AT[1]),
                          (i[3], "closed", 100, AT[1]), (i[3], "reopened", 100, AT[2])]
        rows = {r.key: r for r in s.scalars(select(FindingRow))}
        assert {(k, r.state, r.as_of, _aware(r.last_seen_at), r.days_late) for k, r in rows.items()} == {
            (f"late|{n}", "open", AS_OF[2], AT[2], {3: 5, 6: 4}.get(n, 3)) for n in range(7)}
        assert rows["late|2"].detail == '{"note": "x"}' and rows["late|3"].closed_at is None
        four = rows["late|4"]
        assert (four.review_state, four.review_by, four.reviewed_amount_fen) == ("none", "recon", None)
        assert four.review_note == "amount grew from 100 to 120 fen: new again"
        audit = [(r.action, r.finding_id) for r in s.scalars(select(AuditRow).order_by(AuditRow.id))]
        assert audit == [("finding.renewed", i[4])] and check(s) == (1, None)
        lines = sorted(tuple(r) for r in s.execute(text("SELECT finding_id, line_id FROM finding_lines")))
        assert lines == [(i[5], 6), (i[5], 7)]
