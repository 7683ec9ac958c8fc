"""PostgreSQL: the ledger's lines partitioned by booking year (migration 0013, store/partitions.py,
docs/SCALE.md). Each test runs on a schema of its own; without a server they skip with the reason
(fail under CI=true), as every PostgreSQL test of the suite does.

Two simulated years (November 2008 to February 2009, a city at 200 lines a month) arrive through
the real ingest and reconcile.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from alembic import command
from sqlalchemy import Engine, event, exc, select, text

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from reconcile.errors import StoreError
from reconcile.messages import t
from simulate import simulate
from store import ledger, partitions
from store.db import _alembic_config, session_scope, upgrade
from store.models import FindingRow
from store.partitions import YearDetachedError, attached, ensure_years, forget, partition_name
from tests.integration.conftest import pg_schema, write_config

TZ = ZoneInfo("Asia/Shanghai")
# store/inputs.py's reads of the lines of the current month: the days after the part kept
# (booking_date > through AND <= as_of), or the month read whole (booking_date >= first AND <= as_of).
CURRENT = re.compile(r"JOIN files .*lines\.booking_date >=? %\(", re.S)
NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""
BOOK_KINDS = {"book_unreconciled", "stale_outstanding"}  # reconcile/book/run.py
# Every column of every line, in id order: a row changed, lost or added changes it.
LEDGER = ("SELECT count(*), coalesce(sum(amount_fen), 0), "
          "md5(coalesce(string_agg(l::text, '|' ORDER BY id), '')) FROM lines l")


@pytest.fixture
def pg_url(pg_available: str | None) -> Iterator[str]:
    if pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {pg_available}")
        pytest.skip(pg_available)
    forget()  # each test is a new process as far as the partitions are concerned
    with pg_schema() as url:
        yield url
    forget()


def _app(tmp_path: Path, url: str) -> App:
    write_config(tmp_path, url, NAME_RULE)
    app = App(str(tmp_path / "config.toml"))
    simulate("2008-11", 4, 3, "city", tmp_path / "staged", lines_per_month=200, config=app.config)
    (tmp_path / "inbox").mkdir(exist_ok=True)
    return app


def _deliver(tmp_path: Path, through: date | None = None, after: date | None = None) -> int:
    """Copy to the inbox the simulated files that arrived (their mtime, in Shanghai) in (after, through]."""
    n = 0
    for f in sorted((tmp_path / "staged").iterdir()):
        day = datetime.fromtimestamp(f.stat().st_mtime, TZ).date()
        if (through is None or day <= through) and (after is None or day > after):
            shutil.copy2(f, tmp_path / "inbox" / f.name)
            n += 1
    return n


def _ingest(app: App, checked: bool = True) -> None:
    Ingestor(app.config, app.registry, app.database(checked=checked)).run(progress=False)


def _by_partition(engine: Engine) -> dict[str, tuple[int, set[int]]]:
    """Each partition's rows: their count and the booking years they hold."""
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT tableoid::regclass::text, extract(year FROM booking_date)::int, count(*) "
                                 "FROM lines GROUP BY 1, 2")).all()
    out: dict[str, tuple[int, set[int]]] = {}
    for table, year, count in rows:
        n, years = out.get(table, (0, set()))
        out[table] = (n + count, years | {year})
    return out


def _findings(engine: Engine) -> list[tuple[Any, ...]]:
    with session_scope(engine) as s:
        return [(r.key, r.kind, r.amount_fen, r.days_late, r.state, r.detail, r.lines)
                for r in s.scalars(select(FindingRow).order_by(FindingRow.key))]


def test_two_years_of_statements_make_two_partitions_each_with_its_years_lines(tmp_path: Path, pg_url: str) -> None:
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    upgrade(engine)
    with engine.connect() as conn:
        assert attached(conn) == []  # an empty ledger: the migration made no year
    _deliver(tmp_path)
    _ingest(app)
    with engine.connect() as conn:
        parts = attached(conn)
        total, years = conn.execute(text(
            "SELECT count(*), array_agg(DISTINCT extract(year FROM booking_date)::int) FROM lines")).one()
        per_year = dict(conn.execute(text(
            "SELECT extract(year FROM booking_date)::int, count(*) FROM lines GROUP BY 1")).all())
    assert [p.name for p in parts] == ["lines_2008", "lines_2009"]
    assert [p.bounds for p in parts] == ["FOR VALUES FROM ('2008-01-01') TO ('2009-01-01')",
                                         "FOR VALUES FROM ('2009-01-01') TO ('2010-01-01')"]
    assert sorted(years) == [2008, 2009] and total > 0
    assert _by_partition(engine) == {"lines_2008": (per_year[2008], {2008}), "lines_2009": (per_year[2009], {2009})}
    with engine.connect() as conn:  # nothing sits in the parent itself
        assert conn.scalar(text("SELECT count(*) FROM ONLY lines")) == 0


def test_a_nights_read_of_the_current_month_scans_the_current_year_only(tmp_path: Path, pg_url: str) -> None:
    """The engine's read of the current month's lines (store/inputs.py: the month read whole on the
    month's first night, the days after the part kept on the nights after) carries the booking
    dates: PostgreSQL prunes the other years' partitions, which EXPLAIN shows."""
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    upgrade(engine)
    _deliver(tmp_path)
    _ingest(app)
    run_reconcile(app.config, app.registry, app.database(), date(2009, 1, 31))  # keeps the closed months
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if not many and "FROM lines" in statement and CURRENT.search(statement) and min(
                (v for v in parameters.values() if isinstance(v, date)), default=date.min) >= date(2009, 2, 1):
            seen.append((statement, parameters))  # a read of February alone (not a late month's rebuild)

    night = app.database()
    event.listen(night, "before_cursor_execute", record)
    try:
        run_reconcile(app.config, app.registry, night, date(2009, 2, 27))
    finally:
        event.remove(night, "before_cursor_execute", record)
    assert seen, "the night read no lines by booking date"
    with night.connect() as conn:
        plans = ["\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}", params)) for sql, params in seen]
    for plan in plans:
        assert "lines_2009" in plan, plan
        assert "lines_2008" not in plan, plan


def test_a_detached_year_leaves_the_night_working_and_refuses_its_late_lines(tmp_path: Path, pg_url: str) -> None:
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    upgrade(engine)
    _deliver(tmp_path)
    _ingest(app)
    run_reconcile(app.config, app.registry, app.database(), date(2009, 1, 31))
    run_reconcile(app.config, app.registry, app.database(), date(2009, 2, 27))
    before = _findings(engine)
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("ALTER TABLE lines DETACH PARTITION lines_2008 CONCURRENTLY")
    forget()  # the next night is a new process
    with engine.connect() as conn:
        assert [p.name for p in attached(conn)] == ["lines_2009"]
        assert conn.scalar(text("SELECT count(*) FROM lines WHERE booking_date < '2009-01-01'")) == 0
    run_reconcile(app.config, app.registry, app.database(), date(2009, 2, 27))
    # The engine's closed months come from what the earlier nights kept: the same findings. The
    # book side (reconcile/book) is not incremental: it draws every account up from its first
    # bank line, so without 2008 its statements change (docs/SCALE.md says so).
    after = _findings(engine)
    assert [f for f in after if f[1] not in BOOK_KINDS] == [f for f in before if f[1] not in BOOK_KINDS]
    assert any(f[1] not in BOOK_KINDS for f in before)
    with session_scope(engine) as s, pytest.raises(YearDetachedError) as refused:
        ensure_years(s, [2009, 2008])
    assert refused.value.year == 2008 and "lines_2008" in str(refused.value)
    with engine.begin() as conn:  # attached again, whole
        conn.execute(text("ALTER TABLE lines ATTACH PARTITION lines_2008 "
                          "FOR VALUES FROM ('2008-01-01') TO ('2009-01-01')"))
    forget()
    with session_scope(engine) as s:
        assert ensure_years(s, [2008, 2009]) == []


def test_the_upgrade_keeps_every_row_and_the_downgrade_restores_a_plain_table(tmp_path: Path, pg_url: str) -> None:
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    cfg = _alembic_config(engine)
    command.upgrade(cfg, "0011")  # the plain table, and a ledger of two years in it
    _deliver(tmp_path, through=date(2009, 1, 31))
    _ingest(app, checked=False)  # at 0011

    def ledger() -> tuple[Any, ...]:
        with engine.connect() as conn:
            return tuple(conn.execute(text(LEDGER)).one())

    def kind() -> str:
        with engine.connect() as conn:
            return str(conn.scalar(text("SELECT relkind FROM pg_class WHERE oid = to_regclass('lines')")))

    def keys() -> dict[str, str]:
        with engine.connect() as conn:
            return dict(conn.execute(text(  # type: ignore[arg-type]
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = to_regclass('lines') AND contype IN ('p', 'u')")).all())

    held = ledger()
    assert kind() == "r" and held[0] > 0
    plain_keys = keys()
    command.upgrade(cfg, "head")  # 0013 partitions; 0019 keys them by date first
    assert kind() == "p"
    assert ledger() == held
    assert keys() == {"lines_pkey": "PRIMARY KEY (id, booking_date)",
                      "uq_lines_account_date_fingerprint": "UNIQUE (account, booking_date, fingerprint)"}
    with engine.connect() as conn:
        assert [p.name for p in attached(conn)] == ["lines_2008", "lines_2009"]
        top = conn.scalar(text("SELECT max(id) FROM lines"))
    # The ids go on from the same sequence, and a new year's statements are stored.
    assert _deliver(tmp_path, after=date(2009, 1, 31))
    _ingest(app)
    with engine.connect() as conn:
        new_ids = conn.execute(text("SELECT min(id), count(*) FROM lines WHERE id > :t"), {"t": top}).one()
        assert conn.scalar(text("SELECT count(*) FROM lines WHERE id <= :t"), {"t": top}) == held[0]
    assert new_ids[1] > 0
    held = ledger()
    command.downgrade(cfg, "0011")
    assert kind() == "r"
    assert ledger() == held
    assert keys() == plain_keys
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass('lines')")) == 0
        assert conn.scalar(text("SELECT to_regclass('lines_2008')")) is None
    command.upgrade(cfg, "head")  # and up again: the same rows
    assert kind() == "p" and ledger() == held


def _keys(engine: Engine) -> dict[str, str]:
    """The keys, foreign keys and indexes of lines, as PostgreSQL says them."""
    with engine.connect() as conn:
        keys = dict(conn.execute(text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = to_regclass('lines')")).all())
        indexes = dict(conn.execute(text(
            "SELECT c.relname, pg_get_indexdef(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = to_regclass('lines') AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
            "WHERE k.conindid = c.oid AND k.conrelid = i.indrelid)")).all())
    return {**keys, **{name: sql.split(" USING ", 1)[1] for name, sql in indexes.items()}}


def test_the_keys_by_date_keep_the_ledger_refuse_what_the_old_ones_did_and_a_line_of_another_file(
        tmp_path: Path, pg_url: str) -> None:
    """Migration 0019: the dedup key by date first, and one foreign key (statement, file) for the
    two. The ledger ingested across the upgrade is the one a ledger kept at 0018 holds; the key
    refuses a line again; a line naming a file that is not its statement's is refused, which the two
    keys of 0018 let through (at head by 0020's triggers, under the key's name); the downgrade
    restores them."""
    with pg_schema() as old_url:
        ledgers = []
        for root, url in ((tmp_path / "old", old_url), (tmp_path / "new", pg_url)):
            root.mkdir()
            app = _app(root, url)
            engine = app.database(checked=False)
            command.upgrade(_alembic_config(engine), "0018")
            _deliver(root, through=date(2008, 12, 31))
            _ingest(app, checked=False)
            if url == pg_url:
                before = _keys(engine)
                assert before["uq_lines_account_fingerprint_date"] == "UNIQUE (account, fingerprint, booking_date)"
                assert "ix_lines_account_date" in before and "lines_file_id_fkey" in before
                held = _ledger_of(engine)
                command.upgrade(_alembic_config(engine), "0019")
                assert _ledger_of(engine) == held
                after = _keys(engine)
                assert after["uq_lines_account_date_fingerprint"] == "UNIQUE (account, booking_date, fingerprint)"
                assert after["fk_lines_statement_file"] == (
                    "FOREIGN KEY (statement_id, file_id) REFERENCES statements(id, file_id)")
                assert {"uq_lines_account_fingerprint_date", "lines_file_id_fkey",
                        "lines_statement_id_fkey"}.isdisjoint(after)
                for same in ("ix_lines_file_id", "ix_lines_account_date", "lines_superseded_by_fkey"):
                    assert after[same] == before[same]
                command.upgrade(_alembic_config(engine), "head")  # 0020: the key as triggers
                _ingest(app)  # at head: the rest of the ledger
            _deliver(root, after=date(2008, 12, 31))
            _ingest(app, checked=url == pg_url)
            ledgers.append(_ledger_of(engine))
            engine.dispose()
    assert ledgers[0] == ledgers[1] and ledgers[0][0] > 0
    engine = app.database(checked=False)
    with engine.connect() as conn:
        some = conn.execute(text("SELECT * FROM lines ORDER BY id LIMIT 1")).mappings().one()
        other_file = conn.scalar(text("SELECT min(file_id) FROM statements WHERE file_id <> :f"),
                                 {"f": some["file_id"]})
    columns = [c for c in some if c != "id"]
    insert = text(f"INSERT INTO lines ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    for changed, refused in (({}, r"Key \(account, booking_date, fingerprint\)"),
                             ({"fingerprint": "0" * 40, "file_id": other_file}, "fk_lines_statement_file")):
        with pytest.raises(exc.IntegrityError, match=refused), engine.begin() as conn:
            conn.execute(insert, {**{c: some[c] for c in columns}, **changed})
    held = _ledger_of(engine)
    command.downgrade(_alembic_config(engine), "0018")
    assert _keys(engine) == before and _ledger_of(engine) == held


def _ledger_of(engine: Engine) -> tuple[Any, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(LEDGER)).one())


_LINE_COPIES = ("SELECT * FROM lines WHERE statement_id = (SELECT statement_id FROM lines GROUP BY 1 "
                "ORDER BY count(*) DESC, 1 LIMIT 1) ORDER BY id LIMIT 3")


def test_a_lines_statement_is_checked_once_a_copy_and_both_ways_as_the_key_did(tmp_path: Path, pg_url: str) -> None:
    """Migration 0020: no foreign key a line checks; triggers check that each line of an INSERT or a
    COPY names a statement of its own file (the whole COPY refused for one line that does not), that
    a line's statement is not changed to none, and that a statement lines name is neither deleted,
    re-keyed nor truncated away; what names a statement is stored; the downgrade gives the key back."""
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    upgrade(engine)
    _deliver(tmp_path, through=date(2008, 12, 31))
    _ingest(app)
    with engine.connect() as conn:
        assert conn.scalars(text("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass('lines') "
                                 "AND confrelid = to_regclass('statements')")).all() == []
        rows = [dict(r) for r in conn.execute(text(_LINE_COPIES)).mappings()]
        other = conn.execute(text("SELECT id, file_id FROM statements WHERE file_id <> :f ORDER BY id LIMIT 1"),
                             {"f": rows[0]["file_id"]}).one()
    assert len(rows) == 3
    columns = [c for c in rows[0] if c != "id"]
    held = _ledger_of(engine)
    fresh = [{**r, "fingerprint": f"{i:040d}"} for i, r in enumerate(rows)]  # not held: the dedup key lets them in
    orphan = {**fresh[1], "file_id": other.file_id}  # a statement of another file: no statement of its own

    def copy(lines: list[dict[str, Any]]) -> None:
        with session_scope(engine) as s:
            ledger._bulk_insert_lines(s, [tuple(r[c] for c in ledger.LINE_COLUMNS) for r in lines])

    refused = (fr"fk_lines_statement_file.*\n.*Key \(statement_id, file_id\)=\({orphan['statement_id']}, "
               fr"{other.file_id}\) is not present in table \"statements\"")
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=refused):  # the COPY is psycopg's own
        copy([fresh[0], orphan, fresh[2]])
    assert _ledger_of(engine) == held  # the whole COPY refused, its good lines too
    insert = text(f"INSERT INTO lines ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    with pytest.raises(exc.IntegrityError, match="fk_lines_statement_file"), engine.begin() as conn:
        conn.execute(insert, {c: orphan[c] for c in columns})
    copy(fresh)  # lines that name their statements are stored
    assert _ledger_of(engine)[0] == held[0] + 3
    line, statement = rows[0], (rows[0]["statement_id"], rows[0]["file_id"])
    for sql, values in (
            ("UPDATE lines SET file_id = :f WHERE id = :id", {"f": other.file_id, "id": line["id"]}),
            ("UPDATE lines SET statement_id = :s WHERE id = :id", {"s": other.id, "id": line["id"]}),
            ("DELETE FROM statements WHERE id = :s", {"s": statement[0]}),
            ("UPDATE statements SET file_id = :f WHERE id = :s", {"f": other.file_id, "s": statement[0]}),
            ("UPDATE statements SET id = -1 WHERE id = :s", {"s": statement[0]}),
            ("TRUNCATE statements CASCADE", {})):
        with pytest.raises((exc.IntegrityError, exc.NotSupportedError), match="fk_lines_statement_file"), \
                engine.begin() as conn:
            conn.execute(text(sql), values)
    with engine.begin() as conn:  # what the ingest does: a line superseded; a statement's own columns
        conn.execute(text("UPDATE lines SET superseded_by = file_id WHERE id = :id"), {"id": line["id"]})
        conn.execute(text("UPDATE statements SET line_count = line_count WHERE id = :s"), {"s": statement[0]})
        conn.execute(text("UPDATE lines SET statement_id = :s, file_id = :f WHERE id = :id"),
                     {"s": statement[0], "f": statement[1], "id": line["id"]})  # to a statement that exists
        kept = conn.execute(text("INSERT INTO statements (file_id, index_in_file, account, format, currency, "
                                 "intraday, opening_fen, closing_fen, lines_sum_fen, line_count, running_break) "
                                 "SELECT file_id, 99, account, format, currency, intraday, opening_fen, closing_fen, "
                                 "0, 0, running_break FROM statements WHERE id = :s RETURNING id"),
                            {"s": statement[0]}).scalar_one()
        conn.execute(text("DELETE FROM statements WHERE id = :s"), {"s": kept})  # names no line: deleted
    held = _ledger_of(engine)
    command.downgrade(_alembic_config(engine), "0019")
    assert _keys(engine)["fk_lines_statement_file"] == (
        "FOREIGN KEY (statement_id, file_id) REFERENCES statements(id, file_id)")
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                "WHERE c.relnamespace = current_schema()::regnamespace "
                                "AND t.tgname LIKE '%their%'")) == 0  # this schema's
    command.upgrade(_alembic_config(engine), "head")
    assert _ledger_of(engine) == held


def test_the_years_the_ingest_fills_are_analysed_and_a_nights_few_lines_leave_them(
        tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without statistics PostgreSQL guessed a filled year's rows and read it whole for a few lines by
    id (the book side's `line_details`). The ingest analyses a year's partition once it stored
    ANALYZE_MIN_LINES in it (here 50) and as many as it held then; a night's lines, fewer, leave
    the statistics as they were."""
    monkeypatch.setattr(partitions, "ANALYZE_MIN_LINES", 50)
    app = _app(tmp_path, pg_url)
    engine = app.database(checked=False)
    upgrade(engine)

    def estimates() -> dict[str, float]:
        with engine.connect() as conn:
            return dict(conn.execute(text(  # type: ignore[arg-type]
                "SELECT relname, reltuples FROM pg_class "
                "WHERE oid IN (to_regclass('lines_2008'), to_regclass('lines_2009'))")).all())

    _deliver(tmp_path, through=date(2009, 2, 16))
    _ingest(app)
    analysed = estimates()
    with engine.connect() as conn:
        counts = dict(conn.execute(text(  # type: ignore[arg-type]
            "SELECT tableoid::regclass::text, count(*) FROM lines GROUP BY 1")).all())
    assert set(analysed) == {"lines_2008", "lines_2009"}
    for name, rows in analysed.items():  # -1: never analysed (as before this change)
        assert counts[name] / 2 <= rows <= counts[name], (name, rows, counts)
    assert _deliver(tmp_path, after=date(2009, 2, 16), through=date(2009, 2, 17))
    forget()  # the night: a new process
    _ingest(app)
    with engine.connect() as conn:
        assert 0 < conn.scalar(text("SELECT count(*) FROM lines")) - sum(counts.values()) < 50
    assert estimates() == analysed


def test_two_processes_storing_a_new_year_at_once_make_one_partition(pg_url: str) -> None:
    from store.db import open_database

    engine = open_database(pg_url)
    upgrade(engine)
    made: list[list[int]] = []
    errors: list[BaseException] = []
    ready = threading.Barrier(2)

    def store() -> None:
        try:
            with session_scope(engine) as s:
                ready.wait()
                made.append(ensure_years(s, [2010, 2011]))
                s.execute(text("SELECT pg_sleep(0.3)"))  # hold the transaction open a while
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=store) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(made) == [[], [2010, 2011]]
    with engine.connect() as conn:
        assert [p.name for p in attached(conn)] == ["lines_2010", "lines_2011"]


@pytest.mark.parametrize("year", [1899, 9999])
def test_a_year_outside_the_partitions_range_is_refused_in_the_users_language(year: int) -> None:
    for lang in ("zh", "en"):
        with pytest.raises(StoreError) as refused:
            partition_name(year, lang)
        assert str(refused.value) == t("error.year_range", lang, year=year, first=1900, last=9998)
    assert partition_name(1900) == "lines_1900" and partition_name(9998) == "lines_9998"
