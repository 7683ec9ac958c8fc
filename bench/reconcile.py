"""The engine alone: a reconciliation of an ingested ledger timed (load + engine) with its peak
memory, and the same obligations checked the naive way (every obligation scanning every line)
for the ratio.

    .venv/bin/python bench/reconcile.py --config demo/config.toml --as-of 2008-01-31

Wall seconds and CPU seconds (`time.process_time`, this process only) are both printed: on a
shared machine the wall time grows with the others' load, the CPU time much less. `--repeat N`
runs the engine N times on the same snapshot and gives the median of each; `--no-naive` leaves
out the naive scan (and its second, whole load); `--whole` gives the engine every line whole (no
day totals: what `reconcile.engine.condense` saves, and the most lines to class and pair).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, peak_rss_mb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--as-of", required=True, type=date.fromisoformat)
    ap.add_argument("--repeat", type=int, default=1, help="engine runs on the same snapshot (median)")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive scan and its whole load")
    ap.add_argument("--whole", action="store_true", help="every line whole to the engine, no day totals")
    args = ap.parse_args()
    from jobs import logs
    from jobs.app import App
    from jobs.reconciling import settings
    from reconcile.engine.condense import Condenser
    from reconcile.engine.run import reconcile_all
    from store.db import session_scope
    from store.snapshot import load_snapshot

    logs.setup(None)
    app = App(args.config)
    s = settings(app.config, app.registry)
    t0, c0 = time.perf_counter(), time.process_time()
    with session_scope(app.database()) as session:
        snap = load_snapshot(session, args.as_of,
                             None if args.whole else Condenser(app.registry, s.codes))
    loaded, loaded_cpu = time.perf_counter() - t0, time.process_time() - c0
    walls, cpus = [], []
    for _ in range(max(args.repeat, 1)):
        t1, c1 = time.perf_counter(), time.process_time()
        result = reconcile_all(snap, s)
        walls.append(time.perf_counter() - t1)
        cpus.append(time.process_time() - c1)
    engine, engine_cpu = statistics.median(walls), statistics.median(cpus)
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"as of {args.as_of}: {len(snap.lines):,} lines whole + {len(snap.condensed):,} day totals, "
          f"{len(result.findings)} findings, {len(result.obligations)} obligations")
    print(f"load {loaded:.2f} s wall / {loaded_cpu:.2f} s CPU; engine (median of {len(cpus)}) {engine:.3f} s wall / "
          f"{engine_cpu:.3f} s CPU [{' '.join(f'{c:.3f}' for c in cpus)}]; peak RSS {peak_rss_mb():.0f} MB")
    if args.no_naive:
        return
    with session_scope(app.database()) as session:  # the naive way needs every line whole
        whole = load_snapshot(session, args.as_of, None)
    t2 = time.perf_counter()
    naive_sums = []
    remits = [v for v in result.obligations if v.rule in ("remit", "sweep")]
    for v in remits:  # every obligation scans every line: its lots, then the transfers that settle it
        lots = sum(ln.amount_fen for ln in whole.lines if ln.account == v.account and ln.amount_fen > 0
                   and ln.booking_date <= v.deadline)
        paid = sum(-ln.amount_fen for ln in whole.lines if ln.account == v.account and ln.amount_fen < 0
                   and ln.booking_date <= args.as_of)
        naive_sums.append((lots, paid))
    naive = time.perf_counter() - t2
    print(f"{len(whole.lines):,} lines whole; peak RSS with them {peak_rss_mb():.0f} MB")
    print(f"naive scan of the {len(remits)} remit and sweep obligations: {naive:.1f} s "
          f"({naive / max(engine, 1e-9):.0f}x the engine for all {len(result.obligations)} obligations)")


if __name__ == "__main__":
    main()
