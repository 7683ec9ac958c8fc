"""Run one stage of the nightly cycle in this process and print its wall time and peak memory
as JSON (bench/e2e.py runs each stage in a fresh process so each peak is the stage's own).
`cpu_seconds` is the stage's work from the opened database on (what earlier results compare);
`process_cpu_seconds` the whole process, its start-up too (the interpreter, the imports of
jobs.app and the store, the schema check), and its children (the ingest's forked readers, which
`cpu_seconds` leaves out): what a night that runs each stage as its own `recon` command pays, less
the command line's own modules (click, the commands; `bench/night.py nights --cli` counts those).

    python bench/stage.py ingest|reconcile|report CONFIG AS_OF [--full] [--counties all|ZS,LZ,...]

`report --counties` also writes those counties' own reports, as the nightly cycle does for the
counties with desk users (`jobs.report.write_reports`; with older code, `write_report` and then
`write_county_reports`).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if os.environ.get("RECON_CODE"):  # another tree's code (bench/night.py --code: before and after)
    sys.path.insert(0, os.environ["RECON_CODE"])

from bench.common import peak_rss_mb


def main() -> None:
    stage, config, as_of = sys.argv[1], sys.argv[2], date.fromisoformat(sys.argv[3])
    from jobs import logs
    from jobs.app import App

    app = App(config)
    logs.setup(None)
    engine = app.database()
    t0 = time.perf_counter()
    start = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = start.ru_utime + start.ru_stime
    counts: dict[str, object] = {}
    if stage == "ingest":
        from jobs.ingest import Ingestor

        r = Ingestor(app.config, app.registry, engine).run(progress=False)
        counts = {"files": r.ingested + r.duplicate + r.rejected, "lines": r.added}
    elif stage == "reconcile":
        from jobs.reconciling import run_reconcile

        full = {"full": True} if "--full" in sys.argv[4:] else {}
        res = run_reconcile(app.config, app.registry, engine, as_of, **full)
        counts = {"findings": res.found, "book_seconds": res.book.get("seconds", 0)}
    elif stage == "report":
        from jobs import report

        wanted = _option("--counties")
        if wanted is None:
            rep = report.write_report(app.config, app.registry, engine, as_of, "zh")
            counts = {"open": rep.open_findings}
        else:
            codes = [e.code for e in app.registry.counties] if wanted == "all" else wanted.split(",")
            if hasattr(report, "write_reports"):
                rep, wrote = report.write_reports(app.config, app.registry, engine, as_of, "zh", entities=codes)
            else:
                rep = report.write_report(app.config, app.registry, engine, as_of, "zh")
                wrote = report.write_county_reports(app.config, app.registry, engine, as_of, "zh", entities=codes)
            counts = {"open": rep.open_findings, "counties": len(wrote)}
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # the ingest's forked readers (jobs/isolate.py)
    print(json.dumps({"stage": stage, "seconds": round(time.perf_counter() - t0, 2),
                      "cpu_seconds": round(cpu.ru_utime + cpu.ru_stime - cpu0, 2),
                      "process_cpu_seconds": round(cpu.ru_utime + cpu.ru_stime + kids.ru_utime + kids.ru_stime, 2),
                      "peak_rss_mb": round(peak_rss_mb()), **counts}))


def _option(name: str) -> str | None:
    args = sys.argv[4:]
    return args[args.index(name) + 1] if name in args[:-1] else None


if __name__ == "__main__":
    main()
