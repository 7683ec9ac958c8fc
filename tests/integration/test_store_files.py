"""store/files.py: the inbox's files recorded and looked up as records, one transaction each."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import ORMExecuteState, Session

from reconcile.departures import Departure
from reconcile.model import Line, RefStrength, Statement
from store import files
from store.db import Database, open_database
from store.files import Arrival
from store.models import LineRow, StatementWarningRow

NOW = datetime(2008, 4, 1, 2, 0, tzinfo=UTC)
ACCOUNT = "2406070109000012345"


def arrival(name: str, sha: str = "ab" * 32, status: str = "ingested") -> Arrival:
    return Arrival(sha256=sha, name=name, size=10, status=status, received_at=NOW, processed_at=NOW,
                   archive_path=f"/archive/{name}")


def statement(*amounts: int) -> Statement:
    lines = tuple(Line(date(2008, 3, 3 + i), a, bank_ref=f"R{i}") for i, a in enumerate(amounts))
    return Statement(account=ACCOUNT, lines=lines, period_start=date(2008, 3, 1), period_end=date(2008, 3, 31))


def test_a_file_and_its_statements_are_one_transaction_told_step_by_step(database: Database) -> None:
    steps: list[str] = []
    stored = files.record_statements(database, arrival("a.csv"), [(ACCOUNT, statement(100, 200)),
                                                                 (ACCOUNT, statement(100, 200, 300))], steps.append)
    assert (stored.added, stored.skipped) == (3, 2)
    assert steps == ["file_row", "statement", "statement", "before_commit"]
    (rec,) = files.arrivals_of(database, "ab" * 32)
    assert (rec.name, rec.status, rec.archive_path) == ("a.csv", "ingested", "/archive/a.csv")

    def crash(name: str) -> None:
        if name == "before_commit":
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        files.record_statements(database, arrival("b.csv", sha="cd" * 32), [(ACCOUNT, statement(400))], crash)
    assert files.arrivals_of(database, "cd" * 32) == []  # nothing of b.csv stayed


def test_a_reread_file_marks_the_first_arrival_changed_and_adds_only_new_lines(database: Database) -> None:
    files.record_statements(database, arrival("a.csv"), [(ACCOUNT, statement(100))])
    (first,) = files.archived(database)
    stored = files.record_reread(database, first.id, arrival("a.csv", sha="ef" * 32), [(ACCOUNT, statement(100, 200))],
                                 lambda new_id: f"now #{new_id}")
    assert (stored.added, stored.skipped) == (1, 1)
    (old,) = files.arrivals_of(database, "ab" * 32)
    (new,) = files.arrivals_of(database, "ef" * 32)
    assert (old.status, old.reason) == ("changed", f"now #{new.id}")
    assert [files.archived_file(database, f.id).sha256 for f in files.archived(database)] == ["ef" * 32]


def test_a_database_let_go_of_is_freed_with_its_connections(db_url: str) -> None:
    """A transaction must not keep its database alive: a test suite (and the desk, which opens a
    database per configuration) lets go of many, and each kept pool held its connections open until
    PostgreSQL refused new clients ('too many clients already')."""
    import gc
    import weakref

    from sqlalchemy import text

    from store.db import session_scope

    db = open_database(db_url)
    with session_scope(db) as s:
        assert s.execute(text("SELECT 1")).scalar() == 1
    gone = weakref.ref(db)
    del db, s
    gc.collect()
    assert gone() is None


def _day(day: int, *amounts: int, intraday: bool = False, fmt: str = "camt") -> Statement:
    d = date(2008, 3, day)
    lines = tuple(Line(d, a, bank_ref=f"{'I' if intraday else 'B'}{day}-{i}", ref_strength=RefStrength.STRONG)
                  for i, a in enumerate(amounts))
    return Statement(account=ACCOUNT, lines=lines, period_start=d, period_end=d, intraday=intraday, format=fmt)


def _alive(engine: Database) -> list[tuple[str, bool]]:
    with engine.connect() as conn:
        return sorted((r, bool(i)) for r, i in conn.execute(text(
            "SELECT bank_ref, intraday FROM lines WHERE superseded_by IS NULL")))


def test_the_end_of_day_statement_supersedes_the_intraday_lines_of_its_days_and_only_then_updates(
        database: Database) -> None:
    updates: list[str] = []

    @event.listens_for(database, "before_cursor_execute")
    def seen(_conn: object, _cur: object, sql: str, *_args: object) -> None:
        if sql.lstrip().upper().startswith("UPDATE LINES"):
            updates.append(sql)

    files.record_statements(database, arrival("d3.xml", sha="01" * 32), [(ACCOUNT, _day(3, 100))])
    assert updates == []  # no intraday line held: nothing to supersede, no UPDATE
    # intraday lines of the 4th and 5th, the 4th's end-of-day statement in the same file after them
    files.record_statements(database, arrival("i4.xml", sha="02" * 32), [
        (ACCOUNT, _day(4, 7, intraday=True, fmt="camt052")), (ACCOUNT, _day(5, 8, intraday=True, fmt="camt052")),
        (ACCOUNT, _day(4, 70))])
    assert _alive(database) == [("B3-0", False), ("B4-0", False), ("I5-0", True)]
    n = len(updates)
    files.record_statements(database, arrival("d5.xml", sha="03" * 32), [(ACCOUNT, _day(5, 80))])
    assert _alive(database) == [("B3-0", False), ("B4-0", False), ("B5-0", False)]
    assert len(updates) == n + 1
    files.record_statements(database, arrival("d6.xml", sha="04" * 32), [(ACCOUNT, _day(6, 90))])
    assert len(updates) == n + 1  # the intraday lines of the 4th and 5th are superseded already


@pytest.mark.parametrize("final_first", [False, True])
def test_an_end_of_day_statement_without_lines_supersedes_the_intraday_lines_of_its_days(
        database: Database, final_first: bool) -> None:
    """The bank's end-of-day statement of the 7th books nothing: the intraday line it reported that
    day was never booked and is not counted, whichever of the two files arrived first."""
    intraday = (arrival("i7.xml", sha="11" * 32), [(ACCOUNT, _day(7, 55, intraday=True, fmt="camt052"))])
    final = (arrival("d7.xml", sha="12" * 32), [(ACCOUNT, _day(7))])
    for file, statements in ([final, intraday] if final_first else [intraday, final]):
        files.record_statements(database, file, statements)
    assert _alive(database) == []


def test_a_files_way_runs_in_core_and_stores_what_the_orm_reads_back(database: Database) -> None:
    """The ingest's statements of every file are built once and run on the connection (store/ledger.py):
    no ORM execution in a file's transaction (its lookups, the correction check, its rows, a departure,
    an intraday line superseded), and the rows written as SQLite's own text read back as SQLAlchemy's
    types (dates, booleans, no value date). Fails on the code that built `insert(...).values()` per row."""
    orm: list[str] = []

    def seen(state: ORMExecuteState) -> None:
        orm.append(type(state.statement).__name__)

    event.listen(Session, "do_orm_execute", seen)
    try:
        for name, sha, bound in [
            ("i9.xml", "21" * 32, [(ACCOUNT, _day(9, 5, intraday=True, fmt="camt052"))]),
            ("d9.xml", "22" * 32, [(ACCOUNT, replace(
                _day(9, 70, -3), warnings=(Departure("mt940.decimal_point", "line 12", 2, "."),),
                lines=(Line(date(2008, 3, 9), 70, value_date=date(2008, 3, 10), bank_ref="B9-0",
                            ref_strength=RefStrength.STRONG, reversal=True, text="退票", source="line 3"),
                       Line(date(2008, 3, 9), -3, counterparty_account="6222 0000-1", source="line 4"))))]),
        ]:
            with files.one_file(database) as tx:
                assert tx.arrivals_of(sha) == []
                assert tx.conflicts_with(bound) == []
                tx.record_statements(arrival(name, sha=sha), bound)
    finally:
        event.remove(Session, "do_orm_execute", seen)
    assert orm == []
    with Session(database) as s:
        got = [(r.booking_date, r.value_date, r.reversal, r.intraday, r.superseded_by is not None, r.text, r.source)
               for r in s.scalars(select(LineRow).order_by(LineRow.id))]
        assert [(w.code, w.place, w.count, w.detail) for w in s.scalars(select(StatementWarningRow))] == [
            ("mt940.decimal_point", "line 12", 2, ".")]
    assert got == [(date(2008, 3, 9), None, False, True, True, "", ""),
                   (date(2008, 3, 9), date(2008, 3, 10), True, False, False, "退票", "line 3"),
                   (date(2008, 3, 9), None, False, False, False, "", "line 4")]
    (first,) = files.arrivals_of(database, "22" * 32)
    assert (first.name, first.status, first.received_at.replace(tzinfo=UTC), first.archive_path) == (
        "d9.xml", "ingested", NOW, "/archive/d9.xml")
