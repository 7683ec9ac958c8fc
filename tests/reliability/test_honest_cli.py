"""The `recon` command says what happened and nothing else (issue 12, defects 9, 12 and 13): review
commands print success only after the commit, refuse an empty reviewer and ids out of range; an
`--as-of` outside the calendar's years is a usage error at once on every command that takes one; a
file name holding ESC, OSC or CR reaches neither the terminal nor the log raw."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from store.models import AuditRow, FindingRow
from tests.reliability.helpers import ok, recon, sqlite_url, write_config

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def deployment(root: Path) -> Path:
    cfg = write_config(root, sqlite_url(root))
    ok(recon(cfg, "init"))
    return cfg


def with_finding(root: Path) -> int:
    engine = create_engine(sqlite_url(root))
    now = datetime(2008, 3, 1, tzinfo=UTC)
    with Session(engine) as s, s.begin():
        row = FindingRow(key="remit:ZS:pension:2008-02", kind="late", rule="remit", entity="ZS", fund="pension",
                         period="2008-02", amount_fen=100, days_late=3, severity="medium", state="open",
                         as_of=date(2008, 2, 29), first_seen_at=now, last_seen_at=now)
        s.add(row)
        s.flush()
        ident = row.id
    engine.dispose()
    return ident


def review_state(root: Path, ident: int) -> tuple[str, str, int]:
    engine = create_engine(sqlite_url(root))
    with Session(engine) as s:
        row = s.get(FindingRow, ident)
        assert row is not None
        audits = len(s.scalars(select(AuditRow)).all())
        out = (row.review_state, row.review_by, audits)
    engine.dispose()
    return out


def test_ack_on_a_database_locked_past_the_busy_timeout_fails_without_saying_done(tmp_path: Path) -> None:
    cfg = deployment(tmp_path)
    ident = with_finding(tmp_path)
    holder = sqlite3.connect(tmp_path / "data" / "recon.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer keeps the database past the 10 s busy timeout
    try:
        started = time.monotonic()
        proc = recon(cfg, "findings", "ack", str(ident), "--by", "张三", "--note", "已核实")
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert "已记录" not in proc.stdout + proc.stderr and "数据库错误" in proc.stderr
    assert took < 60
    assert review_state(tmp_path, ident) == ("none", "", 0), "nothing stored"
    done = ok(recon(cfg, "findings", "ack", str(ident), "--by", "张三"))
    assert "张三" in done.stdout and review_state(tmp_path, ident)[:2] == ("acknowledged", "张三")


@pytest.mark.parametrize("args", [
    ("findings", "ack", "1", "--by", ""),
    ("findings", "resolve", "1", "--by", "   "),
    ("findings", "reopen", "1", "--by", "\t"),
    ("findings", "ack", str(10**23), "--by", "张三"),
    ("findings", "resolve", "-1", "--by", "张三"),
    ("audit", "list", "--finding", str(10**23)),
])
def test_blank_reviewers_and_ids_out_of_range_are_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    cfg = deployment(tmp_path)
    with_finding(tmp_path)
    proc = recon(cfg, *args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "OverflowError" not in proc.stderr
    assert review_state(tmp_path, 1) == ("none", "", 0)


@pytest.mark.parametrize("args", [
    ("reconcile", "--as-of", "0001-01-01"),
    ("reconcile", "--as-of", "9999-12-31"),
    ("report", "--as-of", "9999-12-31"),
    ("report", "--as-of", "1999-12-31"),
    ("run", "--as-of", "0001-01-01"),
    ("book", "520501621600000102", "--month", "2008-01", "--as-of", "9999-12-31"),
    ("book", "520501621600000102", "--month", "9999-12"),
])
def test_an_as_of_outside_the_calendars_years_is_a_usage_error_at_once(tmp_path: Path, args: tuple[str, ...]) -> None:
    cfg = deployment(tmp_path)
    started = time.monotonic()
    proc = recon(cfg, *args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert time.monotonic() - started < 30
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


NAME = "a\x1b]0;owned\x07\x1b[2J\rINFO    all good.csv"


def test_file_names_with_escape_sequences_reach_neither_the_console_nor_the_log(tmp_path: Path) -> None:
    cfg = deployment(tmp_path)
    (tmp_path / "inbox" / NAME).write_bytes(b"not a statement\n")
    proc = ok(recon(cfg, "ingest", "--no-progress"), 1)
    log = (tmp_path / "logs" / "recon.log").read_text(encoding="utf-8")
    for where, text in (("stdout", proc.stdout), ("stderr", proc.stderr), ("log", log)):
        assert not RAW.search(text), f"{where}: {text!r}"
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x0dINFO" in proc.stderr and "\\x1b]0;owned" in log
    assert not any(line.startswith("INFO    all good") for line in log.splitlines() + proc.stderr.splitlines())
