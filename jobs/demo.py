"""`make demo`: simulate a year of the pooled funds into a fresh inbox, run the nightly job on an
embedded SQLite database, print a summary of the findings and say where the report is.

Everything goes under demo/ (its own config.toml, inbox, archive, database, reports), so the demo
never touches a real deployment.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from jobs import logs
from jobs.app import PROJECT_ROOT, App
from jobs.deployment import write_config
from jobs.nightly import nightly
from jobs.report import write_county_reports
from jobs.report.budget import summary_lines as budget_summary
from jobs.tables import _width, steps_table
from reconcile.messages import t
from reconcile.money import format_yuan
from simulate import simulate
from store.db import upgrade
from store.queries import findings

DEMO = PROJECT_ROOT / "demo"


def main(seed: int = 7, months: int = 12, root: Path = DEMO, lines_per_month: int | None = None) -> int:
    """The demo under `root` (tests use a smaller one: fewer months and lines)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    write_config(root, "sqlite:///data/recon.db", PROJECT_ROOT / "mappings",
                 title="The demo deployment: everything under demo/.")
    logs.setup(root / "logs")
    print(t("demo.simulating", "zh", months=months, seed=seed), flush=True)
    summary = simulate("2008-01", months, seed, "city", root / "inbox", lines_per_month=lines_per_month)
    print(t("simulate.done", "zh", files=summary.files, lines=summary.lines, out=summary.out,
            findings=summary.findings, answer=summary.answer_key), flush=True)
    app = App(str(root / "config.toml"))
    upgrade(app.database(checked=False))
    as_of = date.fromisoformat(json.loads(Path(summary.answer_key).read_text(encoding="utf-8"))["as_of"])
    print(t("demo.nightly", "zh", as_of=as_of), flush=True)
    rec = nightly(app.config, app.registry, app.database(), as_of, progress=None)
    print(steps_table(rec.steps, "zh"))
    if rec.status != "done":
        print(t("run.failed", "zh", id=rec.id, as_of=as_of.isoformat(), error=rec.error), file=sys.stderr)
        return 3
    print(t("demo.summary", "zh"), flush=True)
    rows = findings(app.database(), status="open")
    by_kind = Counter(r.finding.kind for r in rows)
    money: Counter[str] = Counter()
    for r in rows:
        money[r.finding.kind] += r.finding.amount_fen or 0
    width = max((_width(t(f"report.kind.{k}", "zh")) for k in by_kind), default=0)
    for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        label = t(f"report.kind.{kind}", "zh")
        print(t("demo.kind_line", "zh", kind=label + " " * (width - _width(label)), n=n,
                amount=format_yuan(money[kind])))
    book = next(s for s in rec.steps if s.name == "reconcile").counts.get("book")
    if book:
        print("\n" + t("book.demo", "zh", per=book["months"] // max(book["accounts"], 1), **book), flush=True)
    print("\n" + "\n".join(budget_summary(app, as_of)), flush=True)
    report = next(s for s in rec.steps if s.name == "report").counts.get("folder")
    # The nightly job writes a county's own report once the county has a desk user; the demo has
    # none yet, so it writes every county's now, for the review desk to show.
    counties = [e.code for e in app.registry.counties]
    write_county_reports(app.config, app.registry, app.database(), as_of, entities=counties)
    print("\n" + t("demo.report", "zh", folder=report))
    print(t("demo.database", "zh", url=app.config.database_url, config=root / "config.toml"))
    print(t("demo.desk", "zh", cli=f".venv/bin/recon --config {root / 'config.toml'}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
