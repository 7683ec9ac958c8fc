"""Where ingest spends its time: the parse of each file by format (in this process, CPU seconds
per file and per line, and of them telling each file's kind), and one whole `recon ingest` of an
inbox on SQLite or PostgreSQL (CPU of the writing process and of its forked readers, peak memory),
optionally under cProfile.

    .venv/bin/python bench/ingest.py parse --inbox /tmp/prov/inbox [--profile out.prof]
    .venv/bin/python bench/ingest.py store --inbox /tmp/prov/inbox --registry /tmp/prov/accounts.toml \
        --db sqlite|postgres [--runs 3] [--workers 1] [--profile out.prof]

Simulate the inbox first: `recon simulate --scale province --months 1 --out /tmp/prov/inbox`.
CPU seconds (not wall) are the figures to compare on a shared machine; the load average is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if os.environ.get("RECON_CODE"):  # another tree's code (before and after), as bench/stage.py
    sys.path.insert(0, os.environ["RECON_CODE"])

from bench.common import database_url, drop_schema, machine

ROOT = Path(__file__).resolve().parents[1]


def _kind(name: str, fmt: str) -> str:
    if fmt.startswith("tabular:"):
        return "xlsx" if name.endswith((".xlsx", ".xls")) else "csv"
    return fmt or "other"


def _timed_detectors() -> list[float]:
    """Wrap the three detectors every file meets (schedules, journals, the statement formats'
    sniffers) with process-time timers; the list holds the seconds spent in them so far."""
    from parsers import books, schedules
    from parsers import registry as formats

    spent = [0.0]

    def timed(owner: Any, name: str) -> None:
        fn = getattr(owner, name)

        def wrapper(*args: Any) -> Any:
            t0 = time.process_time()
            try:
                return fn(*args)
            finally:
                spent[0] += time.process_time() - t0
        setattr(owner, name, wrapper)
    for owner in (schedules, books, formats):
        timed(owner, "detect")
    return spent


def parse(inbox: Path, profile: Path | None) -> None:
    """Every file through `jobs.prepare.prepare` in this process: CPU seconds per format, and of
    them the seconds spent telling the file's kind (the schedule, journal and format detectors)."""
    from jobs.prepare import prepare
    from parsers.base import Limits
    from reconcile.accounts import load_registry

    registry = load_registry(inbox.parent / "accounts.toml")
    banks = ROOT / "mappings" / "banks"
    limits = Limits()
    cpu: dict[str, float] = defaultdict(float)
    detect: dict[str, float] = defaultdict(float)
    files: dict[str, int] = defaultdict(int)
    lines: dict[str, int] = defaultdict(int)
    prof = cProfile.Profile() if profile else None
    detecting = _timed_detectors() if not prof else [0.0]
    for f in sorted(inbox.iterdir()):
        t0, d0 = time.process_time(), detecting[0]
        if prof:
            prof.enable()
        p = prepare(f, banks, limits, registry)
        if prof:
            prof.disable()
        spent = time.process_time() - t0
        fmt = _kind(f.name, p.statements[0].format if p.statements else p.schedule_kind or "")
        if p.journals:
            fmt = "journal"
        cpu[fmt] += spent
        detect[fmt] += detecting[0] - d0
        files[fmt] += 1
        lines[fmt] += sum(len(s.lines) for s in p.statements)
    if prof and profile:
        prof.dump_stats(profile)
    print(f"machine: {machine()}; load {os.getloadavg()}")
    print("| format | files | lines | CPU s | of which telling the kind | µs per line | ms per file |\n"
          "|---|---|---|---|---|---|---|")
    for k in sorted(cpu, key=lambda k: -cpu[k]):
        per_line = cpu[k] / lines[k] * 1e6 if lines[k] else 0
        print(f"| {k} | {files[k]} | {lines[k]:,} | {cpu[k]:.2f} | {detect[k]:.2f} | {per_line:.1f} | "
              f"{cpu[k] / files[k] * 1e3:.1f} |")
    print(f"| all | {sum(files.values())} | {sum(lines.values()):,} | {sum(cpu.values()):.2f} | "
          f"{sum(detect.values()):.2f} | | |")


def _setup(inbox: Path, registry: Path, db: str, work: Path, workers: int) -> Path:
    from bench import e2e

    if work.exists():
        shutil.rmtree(work)
    (work / "inbox").mkdir(parents=True)
    for f in inbox.iterdir():
        (work / "inbox" / f.name).hardlink_to(f)
    url = database_url(db, work)
    e2e.WORKERS = workers
    cfg = e2e.config(work, url, registry)
    subprocess.run([sys.executable, "-m", "jobs.cli", "--config", str(cfg), "init"], check=True,
                   capture_output=True, cwd=os.environ.get("RECON_CODE") or ROOT)  # the schema of the code run
    return cfg


def _drop(cfg: Path) -> None:
    text = cfg.read_text(encoding="utf-8")
    if "%3D" in text:
        drop_schema("%3D" + text.split("%3D", 1)[1].split('"', 1)[0])


def _file_kind(prepared: Any) -> str:
    """What a file held, for the writer's CPU by kind: a statement format, a journal, a schedule."""
    if prepared.schedule_kind:
        return prepared.schedule_kind
    if prepared.journals:
        return "journal"
    if prepared.statements:
        return _kind(prepared.path.name, prepared.statements[0].format)
    return "other"


def _month(name: str) -> str:
    """The first month a file's name gives (YYYYMM of its first date), or "-"."""
    m = re.search(r"(?<!\d)(20\d\d)(0[1-9]|1[0-2])(?:\d\d)?(?!\d)", name)
    return f"{m[1]}-{m[2]}" if m else "-"


def _per_kind(ingestor: Any) -> dict[str, dict[str, list[float]]]:
    """Wrap the ingestor's writer (`_one`: the file's transaction and move, after its parse) to count
    its CPU seconds, files and lines by what each file held and by the month its name gives."""
    spent: dict[str, dict[str, list[float]]] = {"kinds": defaultdict(lambda: [0.0, 0, 0]),
                                                "months": defaultdict(lambda: [0.0, 0, 0])}
    one = ingestor._one

    def counted(f: Any, prepared: Any, report: Any) -> None:
        t0, added0 = time.process_time(), report.added + report.entries
        one(f, prepared, report)
        cpu, added = time.process_time() - t0, report.added + report.entries - added0
        for k in (spent["kinds"][_file_kind(prepared)], spent["months"][_month(f.path.name)]):
            k[0] += cpu
            k[1] += 1
            k[2] += added
    ingestor._one = counted
    return spent


def ingest_here(cfg: Path, profile: Path | None, kinds: bool = False) -> dict[str, object]:
    """One ingest in this process: wall, CPU of this process and of its (reaped) children; with
    `kinds`, the writer's CPU by what each file held."""
    from jobs import logs
    from jobs.app import App
    from jobs.ingest import Ingestor

    app = App(str(cfg))
    logs.setup(None)
    from loguru import logger

    logger.remove()  # the per-file lines are not the benchmark
    engine = app.database()
    ingestor = Ingestor(app.config, app.registry, engine)
    spent = _per_kind(ingestor) if kinds else {}
    s0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    prof = cProfile.Profile() if profile else None
    if prof:
        prof.enable()
    r = ingestor.run(progress=False)
    if prof and profile:
        prof.disable()
        prof.dump_stats(profile)
    wall = time.perf_counter() - t0
    s1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_s": round(wall, 2),
            "cpu_main_s": round(s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime, 2),
            "cpu_readers_s": round(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime, 2),
            "sys_main_s": round(s1.ru_stime - s0.ru_stime, 2),
            "peak_rss_mb": round(s1.ru_maxrss / 1024), "files": r.ingested + r.duplicate + r.rejected,
            "rejected": r.rejected, "lines": r.added, "skipped": r.skipped, "entries": r.entries,
            "load": os.getloadavg()[0],
            **{name: {k: [round(v[0], 2), v[1], v[2]] for k, v in sorted(by.items())} for name, by in spent.items()}}


def store(args: argparse.Namespace) -> None:
    runs = []
    for i in range(args.runs):
        cfg = _setup(args.inbox, args.registry, args.db, args.work / args.db, args.workers)
        cmd = [sys.executable, __file__, "one", str(cfg)]
        if args.profile and i == 0:
            cmd += ["--profile", str(args.profile)]
        if args.kinds:
            cmd += ["--kinds"]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        _drop(cfg)
        if out.returncode:
            raise SystemExit(out.stderr[-3000:])
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), flush=True)
    med = {k: statistics.median(float(r[k]) for r in runs) for k in ("wall_s", "cpu_main_s", "cpu_readers_s",
                                                                      "peak_rss_mb", "load")}
    print(f"machine: {machine()}; {args.db}; workers {args.workers}; medians of {len(runs)}: {json.dumps(med)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse")
    p.add_argument("--inbox", type=Path, required=True)
    p.add_argument("--profile", type=Path)
    s = sub.add_parser("store")
    s.add_argument("--inbox", type=Path, required=True)
    s.add_argument("--registry", type=Path, required=True)
    s.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    s.add_argument("--runs", type=int, default=3)
    s.add_argument("--workers", type=int, default=1)
    s.add_argument("--work", type=Path, default=Path("/tmp/recon-bench-ingest"))
    s.add_argument("--profile", type=Path)
    s.add_argument("--kinds", action="store_true", help="the writer's CPU by file kind")
    o = sub.add_parser("one")
    o.add_argument("config", type=Path)
    o.add_argument("--profile", type=Path)
    o.add_argument("--kinds", action="store_true", help="the writer's CPU by file kind (CPU s, files, lines)")
    args = ap.parse_args()
    if args.cmd == "parse":
        parse(args.inbox, args.profile)
    elif args.cmd == "store":
        store(args)
    else:
        print(json.dumps(ingest_here(args.config, args.profile, args.kinds)))


if __name__ == "__main__":
    main()
