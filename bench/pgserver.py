"""What the PostgreSQL server spends on one stage of a deployment (issue 18: the province year on
PostgreSQL). The tool's CPU seconds leave the server out (it is another process); this measures it:

- the CPU seconds of the server's backends that served the stage (utime + stime from /proc: the
  server runs on this machine), found by their `application_name` (`bench/e2e.py --server` sets it
  in the deployment's URL), and of the server's own processes (checkpointer, WAL writer, background
  writer; they serve every database of the server, so others' work is in them too);
- where those backends were, sampled every `SAMPLE_S` from `pg_stat_activity`: running (`active`
  without a wait), waiting (its `wait_event`), or idle in the transaction, waiting for the tool;
- the statements by server time, from `pg_stat_statements` (its counters before and after,
  subtracted: nothing is reset, so other helpers' figures stay whole; other work on database
  `test` during the stage lands in the difference too, which the load beside the figures tells);
- the WAL written (`pg_stat_wal`: bytes, full-page images, syncs) and the checkpoints (`pg_stat_bgwriter`).

The statements need the extension, which a stock server lacks: once, `ALTER SYSTEM SET
shared_preload_libraries = 'pg_stat_statements'`, a restart of the server, and `CREATE EXTENSION
pg_stat_statements` in database `postgres` (not in the deployments' database); undo with `DROP
EXTENSION` there and `ALTER SYSTEM RESET shared_preload_libraries` (at the next restart).

    with ServerProfile("i18pgyear") as prof:
        ...  # the stage, its connections named application_name=i18pgyear
    print(prof.text())
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

PLAIN = "postgresql://postgres@127.0.0.1:5432/postgres"  # where the extension pg_stat_statements lives
DATABASE = "test"  # the database whose statements are counted
TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_S = 0.2
AUX = ("checkpointer", "walwriter", "background writer", "autovacuum launcher")

_STATEMENTS = (
    "SELECT queryid, calls, total_exec_time, rows, shared_blks_hit, shared_blks_read, shared_blks_dirtied, "
    "wal_fpi, wal_bytes, query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
    f"WHERE datname = '{DATABASE}')")
_WAL = "SELECT wal_records, wal_fpi, wal_bytes, wal_write, wal_sync FROM pg_stat_wal"
_BGWRITER = ("SELECT checkpoints_timed, checkpoints_req, buffers_checkpoint, buffers_clean, buffers_backend "
             "FROM pg_stat_bgwriter")


def cpu_of(pid: int) -> float | None:
    """utime + stime of a process in seconds (fields 14 and 15 of /proc/PID/stat); None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


class ServerProfile:
    def __init__(self, tag: str, url: str = PLAIN) -> None:
        self.tag, self.url = tag, url
        self.backend_cpu: dict[int, float] = {}  # pid -> the last CPU seen (a backend's CPU from its start)
        self.backend_first: dict[int, float] = {}
        self.samples: Counter[str] = Counter()
        self.active_queries: Counter[str] = Counter()
        self._stop = threading.Event()
        self.result: dict[str, Any] = {}

    def _connect(self) -> Any:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, application_name="pgserver-probe")

    def _aux(self, conn: Any) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, kind in conn.execute("SELECT pid, backend_type FROM pg_stat_activity WHERE backend_type = ANY(%s)",
                                      [list(AUX)]):
            out[kind] = cpu_of(pid) or 0.0
        return out

    def __enter__(self) -> ServerProfile:
        with self._connect() as conn:
            self._stmts0 = {r[0]: r for r in conn.execute(_STATEMENTS)}
            self._wal0 = conn.execute(_WAL).fetchone()
            self._bg0 = conn.execute(_BGWRITER).fetchone()
            self._aux0 = self._aux(conn)
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        with self._connect() as conn:
            while not self._stop.is_set():
                for pid, state, wtype, wevent, query in conn.execute(
                        "SELECT pid, state, wait_event_type, wait_event, query FROM pg_stat_activity "
                        "WHERE application_name = %s", [self.tag]):
                    cpu = cpu_of(pid)
                    if cpu is not None:
                        self.backend_first.setdefault(pid, cpu)
                        self.backend_cpu[pid] = cpu
                    if state == "active":
                        where = f"waits {wtype}:{wevent}" if wtype else "runs"
                        self.active_queries[" ".join(str(query).split())[:90]] += 1
                    else:
                        where = str(state)
                    self.samples[where] += 1
                self._stop.wait(SAMPLE_S)

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        wall = time.perf_counter() - self._t0
        with self._connect() as conn:
            stmts1 = {r[0]: r for r in conn.execute(_STATEMENTS)}
            wal1 = conn.execute(_WAL).fetchone()
            bg1 = conn.execute(_BGWRITER).fetchone()
            aux1 = self._aux(conn)
        top = []
        for qid, r in stmts1.items():
            r0 = self._stmts0.get(qid)
            d = [r[i] - (r0[i] if r0 else 0) for i in range(1, 9)]
            if d[0] > 0:
                top.append((d[1], d[0], d[2], d[3], d[4], d[5], d[6], d[7], " ".join(str(r[9]).split())))
        top.sort(reverse=True)
        # A backend's CPU counts from the first sample: one that started before the profile (a pooled
        # connection) or between two samples loses its first 0.2 s at most.
        self.result = {
            "wall_s": round(wall, 1),
            "backends": len(self.backend_cpu),
            "backend_cpu_s": round(sum(self.backend_cpu.values()), 1),
            "aux_cpu_s": {k: round(aux1.get(k, 0) - self._aux0.get(k, 0), 1) for k in aux1},
            "samples": dict(self.samples.most_common()),
            "active_queries": dict(self.active_queries.most_common(8)),
            "wal": dict(zip(("records", "fpi", "bytes", "writes", "syncs"),
                            [int(a - b) for a, b in zip(wal1, self._wal0, strict=True)], strict=True)),
            "checkpoints": dict(zip(("timed", "requested", "buffers_checkpoint", "buffers_clean", "buffers_backend"),
                                    [int(a - b) for a, b in zip(bg1, self._bg0, strict=True)], strict=True)),
            "statements": [{"ms": round(t), "calls": c, "rows": n, "hit": h, "read": rd, "dirtied": dt, "fpi": fpi,
                            "wal_mb": round(float(wb) / 1e6, 1), "query": q[:160]}
                           for t, c, n, h, rd, dt, fpi, wb, q in top[:25]],
        }

    def text(self) -> str:
        r = self.result
        n = sum(r["samples"].values()) or 1
        out = [f"server: wall {r['wall_s']} s, {r['backends']} backends, backend CPU {r['backend_cpu_s']} s, "
               f"aux CPU {r['aux_cpu_s']}",
               "samples: " + ", ".join(f"{k} {v / n:.0%}" for k, v in r["samples"].items()),
               f"WAL: {r['wal']['bytes'] / 1e6:,.0f} MB, {r['wal']['records']:,} records, {r['wal']['fpi']:,} full "
               f"pages, {r['wal']['syncs']:,} syncs; checkpoints {r['checkpoints']}",
               "| ms | calls | rows | hit | read | dirtied | fpi | WAL MB | statement |",
               "|---|---|---|---|---|---|---|---|---|"]
        out += [f"| {s['ms']:,} | {s['calls']:,} | {s['rows']:,} | {s['hit']:,} | {s['read']:,} | {s['dirtied']:,} | "
                f"{s['fpi']:,} | {s['wal_mb']} | `{s['query']}` |" for s in r["statements"]]
        out.append("active: " + "; ".join(f"{v} x {k}" for k, v in r["active_queries"].items()))
        return "\n".join(out)
