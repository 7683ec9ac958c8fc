"""One night after a year or after three years of history (issue 18): is its cost flat?

    # once: a deployment with the history up to the night before (files by arrival day)
    python bench/night.py setup --staged SIMULATED_INBOX --root DIR --night 2010-12-16
    # the night: that day's files, then ingest, reconcile, report, each in a fresh process
    python bench/night.py night --staged SIMULATED_INBOX --root DIR --night 2010-12-16
    # reconcile alone again (medians of three), with this tree's code or another's (--code DIR)
    python bench/night.py reconcile --root DIR --night 2010-12-16 [--code DIR] [--full]
    # the whole night (ingest + reconcile + report) three times, each on a fresh copy of the
    # deployment's SQLite file (DIR/recon.db): CPU s and peak RSS, medians; --cli: each stage
    # as the `recon` command itself (its start-up and command line counted); --run: the night as
    # `recon run` (the nightly cycle, ingest to clean-up, in one process: one start-up, as the
    # scheduler's job runs it in its one long-lived process with none)
    python bench/night.py nights --staged SIMULATED_INBOX --root DIR --night 2010-12-16 [--code DIR] [--cli|--run]
    # the report stage of that night alone (medians of three), optionally with counties' own reports
    python bench/night.py report --staged SIMULATED_INBOX --root DIR --night 2010-12-16 [--code DIR]
        [--counties all|ZS,LZ]

`config` writes DIR/config.toml for a deployment whose database is DIR/recon.db:
    python bench/night.py config --root DIR --night 2010-12-16

The province: `--mappings PROV_MAPPINGS --big-files` on every command (its accounts.toml in a copy of
mappings/ without book_subjects.toml, as bench/e2e.py's `config` makes it).

A file arrives on the day of its mtime in Shanghai (the simulator's convention); the night of day
D ingests what arrived on D and reconciles as of D - 1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

from bench.common import write_config  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")


def arrived(f: Path) -> date:
    return datetime.fromtimestamp(f.stat().st_mtime, TZ).date()


def copy_arrivals(staged: Path, inbox: Path, first: date | None, last: date) -> int:
    inbox.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in sorted(staged.iterdir()):
        day = arrived(f)
        if day <= last and (first is None or day >= first):
            shutil.copy2(f, inbox / f.name)
            n += 1
    return n


def stage(code: Path, name: str, config: Path, as_of: date, *extra: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, str(HERE / "bench" / "stage.py"), name, str(config), as_of.isoformat(),
                          *extra], check=True, capture_output=True, text=True, cwd=config.parent,
                         env={**os.environ, "RECON_CODE": str(code)})
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def command(code: Path, name: str, config: Path, as_of: date) -> dict[str, object]:
    """The stage as the operator runs it, `recon --config CONFIG NAME` in a fresh interpreter with
    `code`'s tree: its CPU seconds from wait4, start-up and command line included, and its peak RSS."""
    args = [] if name == "ingest" else ["--as-of", as_of.isoformat()]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "jobs.cli", "--config", str(config), name, *args],
                            cwd=config.parent, env={**os.environ, "PYTHONPATH": str(code)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = round(time.perf_counter() - t0, 2)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"recon {name}: exit {os.waitstatus_to_exitcode(status)}\n{err}")
    cpu = round(usage.ru_utime + usage.ru_stime, 2)
    return {"stage": name, "cpu_seconds": cpu, "process_cpu_seconds": cpu, "peak_rss_mb": usage.ru_maxrss // 1024,
            "wall_seconds": wall}


def nights(args: argparse.Namespace) -> None:
    """The night, `--repeat` times, each on a fresh copy of the deployment's database."""
    import sqlite3

    with sqlite3.connect(args.root / "recon.db") as conn:  # everything in the file that is copied
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    totals, peaks, parts_cpu, process, walls = [], [], [], [], []
    nothing = {"stage": "-", "cpu_seconds": 0, "process_cpu_seconds": 0, "peak_rss_mb": 0}
    for k in range(args.repeat):
        run = args.root / f"night-{k}"
        if run.exists():
            shutil.rmtree(run)
        run.mkdir()
        shutil.copy2(args.root / "recon.db", run / "recon.db")
        if (args.root / "reports" / ".cache").is_dir():  # what the previous night's report left
            shutil.copytree(args.root / "reports" / ".cache", run / "reports" / ".cache")
        config = write_config(run, f"sqlite:///{run / 'recon.db'}", args.mappings, big_files=args.big_files)
        n = copy_arrivals(args.staged, run / "inbox", args.night, args.night)
        with open(run / "recon.db", "rb") as fh:  # the copy on disk before the night starts: else the
            os.fsync(fh.fileno())                # night's first fsync of the database writes it (its wall)
        day = args.night - timedelta(days=1)
        if args.run:  # one process for the cycle: its CPU stands in the ingest's place, the others 0
            parts = [command(args.code, "run", config, day), dict(nothing), dict(nothing)]
        else:
            parts = [command(args.code, s, config, day) if args.cli
                     else stage(args.code, s, config, day, *_counties(args, s))
                     for s in ("ingest", "reconcile", "report")]
        for p in parts:
            print(p, flush=True)
        cpu = [float(str(p["cpu_seconds"])) for p in parts]
        whole = [float(str(p["process_cpu_seconds"])) for p in parts]
        totals.append(sum(cpu))
        walls.append(sum(float(str(p.get("wall_seconds", p.get("seconds", 0)))) for p in parts))
        parts_cpu.append(cpu)
        process.append(whole)
        peaks.append(max(int(str(p["peak_rss_mb"])) for p in parts))
        print(f"night {k}: {n} files, CPU {sum(cpu):.2f} s (ingest, reconcile, report {cpu}); "
              f"processes with their start-up {sum(whole):.2f} s ({whole}); "
              f"peak {peaks[-1]} MB; wall {walls[-1]:.2f} s; load {os.getloadavg()[0]:.1f}", flush=True)
        shutil.rmtree(run)
    per_stage = [statistics.median(p[i] for p in parts_cpu) for i in range(3)]
    print(f"whole night: median CPU {statistics.median(totals):.2f} s of {[round(t, 2) for t in totals]} "
          f"(ingest {per_stage[0]:.2f}, reconcile {per_stage[1]:.2f}, report {per_stage[2]:.2f}); "
          f"peak RSS median {statistics.median(peaks)} MB of {peaks}; "
          f"wall median {statistics.median(walls):.2f} s of {[round(w, 2) for w in walls]}", flush=True)
    starts = [statistics.median(p[i] for p in process) for i in range(3)]
    print(f"with each process's start-up: median {statistics.median(sum(p) for p in process):.2f} s of "
          f"{[round(sum(p), 2) for p in process]} (ingest {starts[0]:.2f}, reconcile {starts[1]:.2f}, "
          f"report {starts[2]:.2f})", flush=True)


def _counties(args: argparse.Namespace, name: str) -> list[str]:
    return ["--counties", args.counties] if args.counties and name == "report" else []


def reports(args: argparse.Namespace) -> None:
    """The report stage of the night alone: the night's files ingested and reconciled once (on a
    copy), then the report `--repeat` times, each on a fresh copy of that database and of the
    report cache (a report records itself; the next one would say less is new). With `--warm`,
    one report is written first (untimed) so the cache holds what the previous night's reports
    would leave, the counties' workbooks too (the lead's deployments were set up without them)."""
    import sqlite3

    with sqlite3.connect(args.root / "recon.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    prep = args.root / "report-prep"
    if prep.exists():
        shutil.rmtree(prep)
    prep.mkdir()
    shutil.copy2(args.root / "recon.db", prep / "recon.db")
    config = write_config(prep, f"sqlite:///{prep / 'recon.db'}", args.mappings, big_files=args.big_files)
    n = copy_arrivals(args.staged, prep / "inbox", args.night, args.night)
    for s in ("ingest", "reconcile"):
        print(f"{n} files: {stage(args.code, s, config, args.night - timedelta(days=1))}", flush=True)
    with sqlite3.connect(prep / "recon.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy2(prep / "recon.db", prep / "night.db")
    cache = args.root / "reports" / ".cache"
    if args.warm:
        if cache.is_dir():
            shutil.copytree(cache, prep / "reports" / ".cache")
        warm = stage(args.code, "report", config, args.night - timedelta(days=1), *_counties(args, "report"))
        print(f"warm-up: {warm}", flush=True)
        cache = prep / "reports" / ".cache"
    runs = []
    for k in range(args.repeat):
        run = args.root / f"report-{k}"
        if run.exists():
            shutil.rmtree(run)
        run.mkdir()
        shutil.copy2(prep / "night.db", run / "recon.db")
        if cache.is_dir():
            shutil.copytree(cache, run / "reports" / ".cache")
        config = write_config(run, f"sqlite:///{run / 'recon.db'}", args.mappings, big_files=args.big_files)
        r = stage(args.code, "report", config, args.night - timedelta(days=1), *_counties(args, "report"))
        print(f"{r}; load {os.getloadavg()[0]:.1f}", flush=True)
        runs.append(r)
        shutil.rmtree(run)
    shutil.rmtree(prep)
    cpu = [float(str(r["cpu_seconds"])) for r in runs]
    print(f"report: median CPU {statistics.median(cpu):.2f} s of {cpu}; "
          f"peak RSS median {statistics.median(int(str(r['peak_rss_mb'])) for r in runs)} MB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["setup", "night", "reconcile", "nights", "report", "config"])
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--night", type=date.fromisoformat, required=True)
    ap.add_argument("--staged", type=Path)
    ap.add_argument("--code", type=Path, default=HERE)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mappings", type=Path, default=HERE / "mappings",
                    help="the deployment's mappings (the province's: a copy of mappings/ with its accounts.toml "
                         "and without book_subjects.toml, as bench/e2e.py makes it)")
    ap.add_argument("--big-files", action="store_true", help="limits of 2 GB a file (the province's, as bench/e2e.py)")
    ap.add_argument("--counties", help="report: also these counties' own reports (all, or ZS,LZ,...)")
    ap.add_argument("--warm", action="store_true", help="report: one untimed report first (its cache)")
    ap.add_argument("--run", action="store_true",
                    help="nights: the night as one `recon run` (the whole cycle in one process; CPU from wait4)")
    ap.add_argument("--cli", action="store_true",
                    help="nights: run each stage as the `recon` command (CPU of the whole process, from wait4)")
    args = ap.parse_args()
    config = args.root / "config.toml"
    from bench.common import machine

    print(f"machine: {machine()}; date {date.today()}; load {os.getloadavg()}", flush=True)
    if args.what == "config":
        print(write_config(args.root, f"sqlite:///{args.root / 'recon.db'}", args.mappings, big_files=args.big_files))
        return
    if args.what == "nights":
        nights(args)
        return
    if args.what == "report":
        reports(args)
        return
    if args.what == "setup":
        from jobs.app import App
        from store.db import upgrade

        n = copy_arrivals(args.staged, args.root / "inbox", None, args.night - timedelta(days=1))
        upgrade(App(str(config)).database(checked=False))
        print(f"{n} files up to {args.night - timedelta(days=1)}", flush=True)
        print(stage(args.code, "ingest", config, args.night), flush=True)
        print(stage(args.code, "reconcile", config, args.night - timedelta(days=2)), flush=True)
        print(stage(args.code, "report", config, args.night - timedelta(days=2)), flush=True)
        return
    if args.what == "night":
        n = copy_arrivals(args.staged, args.root / "inbox", args.night, args.night)
        print(f"{n} files arrived on {args.night}", flush=True)
        parts = [stage(args.code, s, config, args.night - timedelta(days=1)) for s in ("ingest", "reconcile", "report")]
        for p in parts:
            print(p, flush=True)
        total = sum(float(str(p["seconds"])) for p in parts)
        print(f"night: {total:.1f} s; peak {max(int(str(p['peak_rss_mb'])) for p in parts)} MB", flush=True)
        return
    runs = [stage(args.code, "reconcile", config, args.night - timedelta(days=1), *(["--full"] if args.full else []))
            for _ in range(args.repeat)]
    for r in runs:
        print(r, flush=True)
    secs = [float(str(r["seconds"])) for r in runs]
    cpu = [float(str(r["cpu_seconds"])) for r in runs]
    book = [float(str(r.get("book_seconds", 0))) for r in runs]
    print(f"of which the book side (jobs.books, wall): median {statistics.median(book):.1f} s", flush=True)
    print(f"reconcile: median {statistics.median(secs):.1f} s wall of {secs}, "
          f"{statistics.median(cpu):.1f} s CPU of {cpu}; "
          f"peak {max(int(str(r['peak_rss_mb'])) for r in runs)} MB", flush=True)


if __name__ == "__main__":
    main()
