"""The engine alone: a reconciliation of an ingested ledger timed (load + engine) with its peak
memory, and the same obligations checked the naive way (every obligation scanning every line)
for the ratio.

    .venv/bin/python bench/reconcile.py --config demo/config.toml --as-of 2008-01-31
"""

from __future__ import annotations

import argparse
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
    t0 = time.perf_counter()
    with session_scope(app.engine()) as session:
        snap = load_snapshot(session, args.as_of, "Asia/Shanghai", Condenser(app.registry, s.codes))
    loaded = time.perf_counter() - t0
    t1 = time.perf_counter()
    result = reconcile_all(snap, s)
    engine = time.perf_counter() - t1
    with session_scope(app.engine()) as session:  # the naive way needs every line whole
        whole = load_snapshot(session, args.as_of, "Asia/Shanghai", None)
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
    print(f"machine: {machine()}")
    print(f"as of {args.as_of}: {len(whole.lines):,} lines, {len(result.findings)} findings, "
          f"{len(result.obligations)} obligations")
    print(f"load {loaded:.1f} s + engine {engine:.1f} s = {loaded + engine:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
    print(f"naive scan of the {len(remits)} remit and sweep obligations: {naive:.1f} s "
          f"({naive / max(engine, 1e-9):.0f}x the engine for all {len(result.obligations)} obligations)")


if __name__ == "__main__":
    main()
