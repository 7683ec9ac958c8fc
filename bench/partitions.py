"""What partitioning `lines` by booking year costs at insert (issue 18 item 4, docs/SCALE.md).

    .venv/bin/python bench/partitions.py [--files 1868] [--lines-per-file 228] [--runs 3]

Two fresh schemas of the test database: one at migration 0011 (the plain `lines`), one at head
(partitioned by year). Into each, a province month's worth of lines (by default 1,868 files of 228
lines: the simulated province month of docs/SCALE.md, 425,904 lines, booked in 2009 over 362
accounts) is stored as the ingest stores it: one transaction per file, `store.partitions.ensure_years`
then `store.ledger._bulk_insert_lines` (COPY). Measured per run: the PostgreSQL backend's CPU
seconds (utime + stime of its process, from /proc: the server runs on this machine), this process's
CPU seconds, wall seconds; then the bytes of `lines`. Prints one JSON line per run and the medians
of each variant. Keys, indexes and foreign keys are in place, as in a deployment.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import StaticPool

from store.db import _alembic_config, open_database, session_scope
from store.ledger import _bulk_insert_lines
from store.partitions import ensure_years, forget

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TICK = os.sysconf("SC_CLK_TCK")
LEDGER = "SELECT count(*), sum(amount_fen), md5(string_agg(l::text, '|' ORDER BY id)) FROM lines l"


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of stat)


def rows_of(file_no: int, n: int, file_id: int, statement_id: int) -> list[tuple[Any, ...]]:
    out = []
    for i in range(n):
        k = file_no * n + i
        fp = hashlib.sha1(str(k).encode()).hexdigest()
        day = date(2009, 1, 1) + timedelta(days=k % 31)
        out.append((f"52{file_no % 362:016d}", day, day, 10_000 + k % 99_991, f"62{k % 997:016d}", "某县社保局",
                    "养老保险费", "2009年1月", f"REF{k:012d}", None, False, "NTRF", fp, fp[:40], "camt.053", False,
                    file_id, statement_id, f"stmt 1 entry {i + 1}"))
    return out


def _bench_parents(engine: Engine) -> None:
    """The one file and statement every bench line belongs to (the foreign keys)."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO files (id, sha256, name, size, format, status, reason, account, archive_path, "
            "lines_added, lines_skipped, received_at, processed_at) "
            "VALUES (1, '', 'bench', 0, '', 'ingested', '', '', '', 0, 0, :t, :t)"), {"t": now})
        conn.execute(text(
            "INSERT INTO statements (id, file_id, index_in_file, account, format, currency, intraday, "
            "lines_sum_fen, line_count, running_break) VALUES (1, 1, 0, '', 'camt.053', 'CNY', false, 0, 0, '')"))


def run(variant: str, files: int, per_file: int) -> dict[str, Any]:
    schema = f"bench_{variant}_{uuid.uuid4().hex[:8]}"
    engine = open_database(PG)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG}?options=-csearch_path%3D{schema}"
    engine = open_database(url)
    try:
        command.upgrade(_alembic_config(engine), "0011" if variant == "plain" else "head")
        _bench_parents(engine)
        batches = [rows_of(f, per_file, 1, 1) for f in range(files)]
        forget()
        engine.dispose()
        with engine.connect() as conn:  # one pooled connection: the same backend for every file
            pid = int(conn.scalar(text("SELECT pg_backend_pid()")) or 0)
        server0, client0, wall0 = backend_cpu(pid), time.process_time(), time.perf_counter()
        for rows in batches:
            with session_scope(engine) as s:
                assert s.connection().scalar(text("SELECT pg_backend_pid()")) == pid
                ensure_years(s, {r[1].year for r in rows})
                _bulk_insert_lines(s, rows)
        server, client, wall = (backend_cpu(pid) - server0, time.process_time() - client0,
                                time.perf_counter() - wall0)
        with engine.connect() as conn:
            count = conn.scalar(text("SELECT count(*) FROM lines"))
            size = conn.scalar(text("SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) "
                                    "FROM pg_partition_tree('lines')), pg_total_relation_size('lines'))"))
        return {"variant": variant, "lines": count, "server_cpu_s": round(server, 2), "client_cpu_s": round(client, 2),
                "wall_s": round(wall, 2), "bytes": int(size or 0), "load": os.getloadavg()[0]}
    finally:
        engine.dispose()
        with open_database(PG).begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def migrate(files: int, per_file: int) -> dict[str, Any]:
    """Migration 0013 on a plain ledger of `files` x `per_file` lines: its wall and server seconds."""
    schema = f"bench_migrate_{uuid.uuid4().hex[:8]}"
    with open_database(PG).begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(f"{PG}?options=-csearch_path%3D{schema}", poolclass=StaticPool)  # one backend
    try:
        command.upgrade(_alembic_config(engine), "0011")
        _bench_parents(engine)
        for f in range(files):
            with session_scope(engine) as s:
                _bulk_insert_lines(s, rows_of(f, per_file, 1, 1))
        with engine.connect() as conn:
            pid = int(conn.scalar(text("SELECT pg_backend_pid()")) or 0)
            before = conn.scalar(text(LEDGER))
        server0, wall0 = backend_cpu(pid), time.perf_counter()
        command.upgrade(_alembic_config(engine), "0013")
        server, wall = backend_cpu(pid) - server0, time.perf_counter() - wall0
        with engine.connect() as conn:
            assert int(conn.scalar(text("SELECT pg_backend_pid()")) or 0) == pid
            assert conn.scalar(text(LEDGER)) == before
            size = conn.scalar(text("SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('lines')"))
        return {"migrate_0013_lines": files * per_file, "server_cpu_s": round(server, 2), "wall_s": round(wall, 2),
                "bytes_after": int(size or 0), "load": os.getloadavg()[0]}
    finally:
        engine.dispose()
        with open_database(PG).begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1868)
    ap.add_argument("--lines-per-file", type=int, default=228)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--migrate", action="store_true", help="time migration 0013 instead (one run)")
    args = ap.parse_args()
    if args.migrate:
        print(json.dumps({**migrate(args.files, args.lines_per_file),
                          "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
        return
    results: dict[str, list[dict[str, Any]]] = {"plain": [], "partitioned": []}
    for _ in range(args.runs):
        for variant in results:  # alternated, so that the machine's load falls on both alike
            r = run(variant, args.files, args.lines_per_file)
            results[variant].append(r)
            print(json.dumps(r), flush=True)
    for variant, rs in results.items():
        print(json.dumps({"median": variant, **{k: statistics.median(r[k] for r in rs)
                                                for k in ("server_cpu_s", "client_cpu_s", "wall_s", "bytes", "load")},
                          "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
