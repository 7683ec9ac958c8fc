"""One night after a year or after three years of history (issue 18): is its cost flat?

    # once: a deployment with the history up to the night before (files by arrival day)
    python bench/night.py setup --staged SIMULATED_INBOX --root DIR --night 2010-12-16
    # the night: that day's files, then ingest, reconcile, report, each in a fresh process
    python bench/night.py night --staged SIMULATED_INBOX --root DIR --night 2010-12-16
    # reconcile alone again (medians of three), with this tree's code or another's (--code DIR)
    python bench/night.py reconcile --root DIR --night 2010-12-16 [--code DIR] [--full]

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
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["setup", "night", "reconcile"])
    ap.add_argument("--root", type=Path, required=True)
    ap.add_argument("--night", type=date.fromisoformat, required=True)
    ap.add_argument("--staged", type=Path)
    ap.add_argument("--code", type=Path, default=HERE)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    config = args.root / "config.toml"
    from bench.common import machine

    print(f"machine: {machine()}; date {date.today()}", flush=True)
    if args.what == "setup":
        from jobs.app import App
        from store.db import upgrade

        n = copy_arrivals(args.staged, args.root / "inbox", None, args.night - timedelta(days=1))
        upgrade(App(str(config)).engine(checked=False))
        print(f"{n} files up to {args.night - timedelta(days=1)}", flush=True)
        print(stage(args.code, "ingest", config, args.night), flush=True)
        print(stage(args.code, "reconcile", config, args.night - timedelta(days=2)), flush=True)
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
