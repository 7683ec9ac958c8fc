"""Hostile files and names in the inbox: refused or made safe, within bounded time and memory."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

from jobs.app import App
from jobs.ingest import Ingestor
from store.db import upgrade
from tests.integration.files import MARCH_ROWS, icbc_csv


def run(project: Path):  # type: ignore[no-untyped-def]
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    return Ingestor(app.config, app.registry, app.database()).run(progress=False)


def test_a_2_gb_sparse_file_is_refused_without_being_read(project: Path) -> None:
    big = project / "inbox" / "huge.csv"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024**3)
    tracemalloc.start()
    t0 = time.perf_counter()
    report = run(project)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.rejected == 1
    assert elapsed < 10 and peak < 100 * 1024**2
    reason = (project / "rejected" / "huge.csv.reason.txt").read_text(encoding="utf-8")
    assert "2147483648" in reason and "limits.max_file_bytes" in reason


def test_names_with_newlines_and_path_tricks_become_safe_archive_names(project: Path) -> None:
    (project / "inbox" / "march\n..statement.csv").write_bytes(icbc_csv(MARCH_ROWS))
    report = run(project)
    assert report.ingested == 1
    archived = [p for p in (project / "archive").rglob("*") if p.is_file()]
    assert len(archived) == 1
    assert "\n" not in archived[0].name and ".." not in archived[0].name
    assert archived[0].resolve().is_relative_to((project / "archive").resolve())


def test_a_symlink_pointing_out_of_the_inbox_is_left_alone(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_bytes(icbc_csv(MARCH_ROWS))
    (project / "inbox" / "link.csv").symlink_to(secret)
    report = run(project)
    assert (report.ingested, report.rejected) == (0, 0)
    assert secret.exists() and (project / "inbox" / "link.csv").is_symlink()
