"""Issue 12, nothing dropped in silence (ingest side): an archived file that changed after its ingest
(a writer still appending, defect 5) is read again by the next run, its new lines added and the
change reported; a file whose modification time lies in the future is ingested as of now, with a
warning (defect 12). Each test failed on main before the fix."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC
from pathlib import Path

from sqlalchemy import create_engine, func, select

from store.models import FileRow, LineRow
from tests.reliability.helpers import Seed, ok, recon, sqlite_url, write_config
from tests.reliability.test_hostile import GOOD


def _count(root: Path, what: type[LineRow] | type[FileRow]) -> int:
    engine = create_engine(sqlite_url(root))
    try:
        with engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(what)).scalar_one())
    finally:
        engine.dispose()


def test_an_archived_file_that_grew_after_its_ingest_is_read_again_and_the_change_reported(
        tmp_path: Path, seed: Seed) -> None:
    full = (seed.inbox / GOOD).read_bytes()
    lines = full.splitlines(keepends=True)
    first = b"".join(lines[:100])  # the writer paused at a line boundary
    whole = tmp_path / "whole"
    whole.mkdir()
    ref = write_config(whole, sqlite_url(whole))
    ok(recon(ref, "init"))
    (whole / "inbox" / GOOD).write_bytes(full)
    ok(recon(ref, "ingest", "--no-progress"))

    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    (tmp_path / "inbox" / GOOD).write_bytes(first)
    ok(recon(cfg, "ingest", "--no-progress"))
    part = _count(tmp_path, LineRow)
    assert 0 < part < _count(whole, LineRow)
    (archived,) = [p for p in (tmp_path / "archive").rglob(GOOD)]
    time.sleep(0.01)
    with archived.open("ab") as fh:  # the writer goes on, into the archived file
        fh.write(b"".join(lines[100:]))
    proc = ok(recon(cfg, "ingest", "--no-progress"))
    assert GOOD in proc.stdout and ("改动" in proc.stdout), proc.stdout
    assert _count(tmp_path, LineRow) == _count(whole, LineRow), "the new lines were added, none twice"
    status = json.loads(ok(recon(cfg, "status", "--json")).stdout)
    assert status["files"].get("changed") == 1
    again = ok(recon(cfg, "ingest", "--no-progress"))
    assert "改动" not in again.stdout, "reported once"
    assert _count(tmp_path, FileRow) == 2


def test_a_file_whose_modification_time_lies_in_the_future_is_ingested_now_with_a_warning(
        tmp_path: Path, seed: Seed) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    path = tmp_path / "inbox" / GOOD
    path.write_bytes((seed.inbox / GOOD).read_bytes())
    ahead = time.time() + 30 * 86400
    os.utime(path, (ahead, ahead))
    proc = ok(recon(cfg, "ingest", "--no-progress"))
    assert list((tmp_path / "inbox").iterdir()) == []
    assert "修改时间" in proc.stderr and GOOD in proc.stderr, proc.stderr
    engine = create_engine(sqlite_url(tmp_path))
    try:
        with engine.connect() as c:
            received = c.execute(select(FileRow.received_at)).scalar_one()
    finally:
        engine.dispose()
    stamp = (received if received.tzinfo else received.replace(tzinfo=UTC)).timestamp()
    assert stamp < time.time() + 60, "received as of now, not as of its future modification time"


CAMT = "camt053_520501621600000102_20080104-20080104.xml"


def test_a_file_cut_short_waits_for_its_writer_and_is_rejected_after_the_configured_time(
        tmp_path: Path, seed: Seed) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path), extra="")
    ok(recon(cfg, "init"))
    data = (seed.inbox / CAMT).read_bytes()
    cut = tmp_path / "inbox" / CAMT
    cut.write_bytes(data[: len(data) * 3 // 5])  # an unclosed element: the writer has not finished
    proc = ok(recon(cfg, "ingest", "--no-progress"))
    assert [p.name for p in (tmp_path / "inbox").iterdir()] == [CAMT], "it waits"
    assert "1 个等待中" in proc.stdout
    old = time.time() - 61 * 60  # past ingest.incomplete_wait_minutes (60)
    os.utime(cut, (old, old))
    ok(recon(cfg, "ingest", "--no-progress"), 1)
    why = (tmp_path / "rejected" / f"{CAMT}.reason.txt").read_text(encoding="utf-8")
    assert "ingest.incomplete_wait_minutes" in why, why
