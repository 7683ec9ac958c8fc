"""What the night-by-night equality tests share (issue 18: tests/integration/test_incremental.py
for the engine, test_incremental_books.py for the book side): a simulated city deployment on
SQLite or PostgreSQL, its files by arrival day, and one seed only on PostgreSQL."""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobs.app import App
from simulate import simulate
from store.db import upgrade
from tests.integration.conftest import write_config

TZ = ZoneInfo("Asia/Shanghai")
NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""


def one_seed_on_postgres(db_url: str, seed: int, kept: int) -> None:
    """Skip every seed but `kept` on PostgreSQL: one seed there keeps the suite short."""
    if "postgresql" in db_url and seed != kept:
        pytest.skip("one seed on PostgreSQL keeps the suite short")


def simulated(tmp_path: Path, db_url: str, months: int, seed: int, lines_per_month: int,
              into: str = "staged") -> App:
    """A city deployment in `tmp_path` (the simulator's file-name rule, its database at `db_url`,
    migrated) and the simulator's files of `months` months from 2008-01 in `tmp_path`/`into`."""
    write_config(tmp_path, db_url, NAME_RULE)
    app = App(str(tmp_path / "config.toml"))
    simulate("2008-01", months, seed, "city", tmp_path / into, lines_per_month=lines_per_month, config=app.config)
    upgrade(app.database(checked=False))
    return app


def arrivals(staged: Path, rng: random.Random) -> dict[date, list[Path]]:
    """Each file on the day it arrived (its mtime in Shanghai); one in twelve held back 1 to 40 days."""
    out: dict[date, list[Path]] = {}
    for f in sorted(staged.iterdir()):
        day = datetime.fromtimestamp(f.stat().st_mtime, TZ).date()
        if rng.random() < 1 / 12:
            day += timedelta(days=rng.randint(1, 40))
        out.setdefault(day, []).append(f)
    return out


def deliver(arrivals: dict[date, list[Path]], night: date, done: set[date], inbox: Path) -> None:
    """Into `inbox`, the files of every day up to `night` not delivered yet (`done` remembers the days)."""
    for day in sorted(arrivals):
        if day <= night and day not in done:
            done.add(day)
            for f in arrivals[day]:
                shutil.copy2(f, inbox / f.name)
