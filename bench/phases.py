"""Where a reconcile or a report spends its CPU, by plain timers (issue 18).

    python bench/phases.py reconcile|report CONFIG AS_OF [--full] [--deep]

Each named phase is wrapped with `time.process_time` in this process and the totals printed, one
line: no profiler. cProfile charges every Python call, so it inflates code made of many small
calls (the collections' ageing looked 12 times its cost, the report's HTML and CSV three times:
bench/RESULTS.md, i18ageing and i18report): rank what to cut with these figures, then profile
inside the phase that matters. A phase called inside another is counted in both. `RECON_CODE`
runs another tree's code (before and after), as bench/stage.py does; a phase that tree does not
have is left out. `--deep` (reconcile) also times the functions inside the phases (the engine's
fetch and condensing, the book side's reads, matching and statements, the writes) and prints
each one's calls.
"""

from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if os.environ.get("RECON_CODE"):
    sys.path.insert(0, os.environ["RECON_CODE"])

SPENT: defaultdict[str, float] = defaultdict(float)
CALLS: defaultdict[str, int] = defaultdict(int)


def timed(owner: Any, name: str, label: str) -> None:
    """Replace `owner.name` by the same function that adds its CPU seconds to SPENT[label]."""
    f: Callable[..., Any] | None = getattr(owner, name, None)
    if f is None:
        return

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t = time.process_time()
        try:
            return f(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - t
            CALLS[label] += 1

    setattr(owner, name, wrapper)


def main() -> None:
    stage, config, as_of = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
    from jobs import logs
    from jobs.app import App

    app = App(config)
    logs.setup(None)
    engine = app.database()
    if stage == "reconcile":
        import jobs.reconciling as reconciling
        import store.snapshot

        for name in ("read_carry_of", "read_snapshot", "reconcile_all", "run_books", "keep_carry_in"):
            timed(reconciling, name, name)
        timed(store.snapshot, "load_inputs", "read_snapshot/load_inputs")
        if "--deep" in sys.argv[4:]:
            deep()
        t = time.process_time()
        reconciling.run_reconcile(app.config, app.registry, engine, as_of, full="--full" in sys.argv[4:])
    elif stage == "report":
        import jobs.report as report
        import store.reporting

        for name in ("_classed", "build_report", "write_table", "write_xlsx", "write_book", "render", "write_html"):
            timed(report, name, name)
        for name in ("data", "lines", "record", "book_months", "book_statements", "book_open_items"):
            timed(store.reporting.ReportReader, name, f"store.{name}")
        t = time.process_time()
        report.write_report(app.config, app.registry, engine, as_of, "zh")
    else:
        raise SystemExit("usage: phases.py reconcile|report CONFIG AS_OF [--full] [--deep]")
    total = time.process_time() - t
    print(f"{stage}: {total:.3f} CPU s; " + ", ".join(
        f"{k} {v:.3f}" + (f" ({CALLS[k]}x)" if "--deep" in sys.argv[4:] else "")
        for k, v in sorted(SPENT.items(), key=lambda kv: -kv[1])), flush=True)


def deep() -> None:
    """Timers on the functions inside the reconcile's phases (by the names their callers look up)."""
    import importlib

    inside = {
        "store.inputs": ("_fetch", "_condense", "_lines_of", "_payloads", "_first_days", "_read_lines", "_refunds",
                         "_dump", "_touched", "_hand_on"),
        "store.snapshot": ("stored_statements", "rejected_files", "_plans"),
        "store.books": ("load_matched", "line_details", "_entries"),
        "store.bookreads:BookReader": ("drop_kept", "since", "accounts", "every_statement", "every_span", "every_kept",
                                       "every_kept_months", "records", "records_between", "prior", "lines_from",
                                       "statements_near", "spans_near", "month_sources", "statements", "spans"),
        "store.handed:Ledger": ("add", "take"),
        "jobs.books": ("book_account", "_kept", "_count", "sources_digest", "restart_day", "quiet_day"),
        "reconcile.book.run": ("match", "_candidates", "_detailed", "outstanding", "Balances", "month_statement",
                               "coverage", "coverage_near", "journal_coverage"),
        "store.findings:RunWriter": ("merge", "replace", "keep_book"),
        "reconcile.engine.run": ("classify", "check_collections", "check_plans", "pair_transfers", "check_lines",
                                 "check_transfers", "check_statements", "month_actuals", "coverage", "statements_at",
                                 "statement_window"),
        "store.findings": ("replace_book", "save_kept", "replace_obligations", "replace_contributions",
                           "replace_actuals"),
    }
    for where, names in inside.items():
        module, _, cls = where.partition(":")
        try:
            owner: Any = importlib.import_module(module)
        except ImportError:  # a module the code measured does not have
            continue
        if cls:
            owner = getattr(owner, cls)
        short = cls or module.rsplit(".", 1)[1]
        for name in names:
            timed(owner, name, f"{short}.{name}")


if __name__ == "__main__":
    main()
