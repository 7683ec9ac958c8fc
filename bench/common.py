"""Shared helpers for the benchmarks: random statements, timing and peak memory, a deployment's
config.toml (`write_config`, the demo's: jobs/deployment.py)."""

from __future__ import annotations

import contextlib
import os
import platform
import random
import resource
import subprocess
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from jobs.deployment import write_config as write_config  # the benchmarks' deployments: the demo's config
from reconcile.model import Line, RefStrength, Statement

NAMES = ["六盘水市某某建筑工程有限公司", "钟山区某某中学", "盘县某某煤矿", "水城县某某医院", "六枝特区某某水泥厂"]


def statement(n: int, seed: int = 1, account: str = "2409011100000100") -> Statement:
    rng = random.Random(seed)
    start = date(2008, 1, 1)
    lines = []
    balance = 0
    for i in range(n):
        amount = rng.randint(1_00, 5_000_000_00) * (1 if rng.random() < 0.8 else -1)
        balance += amount
        d = start + timedelta(days=i * 365 // max(n, 1))
        lines.append(Line(d, amount, value_date=d, counterparty_account=f"62220{rng.randint(10**13, 10**14 - 1)}",
                          counterparty_name=rng.choice(NAMES), text="汇入" if amount > 0 else "转账",
                          remark="养老保险费", bank_ref=f"SN{i:010d}", ref_strength=RefStrength.STRONG,
                          balance_fen=balance))
    return Statement(account=account, currency="CNY", period_start=start, period_end=lines[-1].booking_date,
                     opening_fen=0, closing_fen=balance, lines=tuple(lines),
                     account_name="钟山区社会保险事业局基本养老保险基金收入户")


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median wall time of `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError, StopIteration), open("/proc/cpuinfo") as fh:
        cpu = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {cores} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def database_url(db: str, folder: Any) -> str:
    """A fresh database for one benchmark run: SQLite under `folder`/data, or a new PostgreSQL
    schema on the machine's server (dropped again with `drop_schema`)."""
    if db == "sqlite":
        return f"sqlite:///{folder / 'data' / 'recon.db'}"
    import uuid

    import psycopg

    schema = f"{os.environ.get('BENCH_SCHEMA', 'bench')}_{uuid.uuid4().hex[:8]}"  # a branch's own name
    with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{PG}?options=-csearch_path%3D{schema}"


def drop_schema(url: str) -> None:
    """Drop the PostgreSQL schema `database_url` made (nothing for SQLite)."""
    if "%3D" not in url:
        return
    import psycopg

    with psycopg.connect(PG.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {url.rsplit('%3D', 1)[1]} CASCADE")
