"""Run one stage of the nightly cycle in this process and print its wall time and peak memory
as JSON (bench/e2e.py runs each stage in a fresh process so each peak is the stage's own).

    python bench/stage.py ingest|reconcile|report CONFIG AS_OF [--full]
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
    engine = app.engine()
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
        from jobs.report import write_report

        rep = write_report(app.config, app.registry, engine, as_of, "zh")
        counts = {"open": rep.open_findings}
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"stage": stage, "seconds": round(time.perf_counter() - t0, 2),
                      "cpu_seconds": round(cpu.ru_utime + cpu.ru_stime - cpu0, 2),
                      "peak_rss_mb": round(peak_rss_mb()), **counts}))


if __name__ == "__main__":
    main()
