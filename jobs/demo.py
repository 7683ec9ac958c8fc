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
from jobs.nightly import nightly
from jobs.report import write_county_reports
from jobs.report.budget import summary_lines as budget_summary
from reconcile.messages import t
from reconcile.money import format_yuan
from simulate import simulate
from store.db import session_scope, upgrade
from store.findings import listing

DEMO = PROJECT_ROOT / "demo"
CONFIG = """# The demo deployment: everything under demo/.
[paths]
inbox = "inbox"
archive = "archive"
rejected = "rejected"
reports = "reports"
logs = "logs"
mappings = "{mappings}"

[database]
url = "sqlite:///data/recon.db"

[ingest]
settle_seconds = 0
[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{{9,30}})_(?P<start>\\\\d{{8}})-(?P<end>\\\\d{{8}})"
"""


def main(seed: int = 7, months: int = 12) -> int:
    if DEMO.exists():
        shutil.rmtree(DEMO)
    DEMO.mkdir()
    (DEMO / "config.toml").write_text(CONFIG.format(mappings=PROJECT_ROOT / "mappings"), encoding="utf-8")
    logs.setup(DEMO / "logs")
    print(f"1/3 模拟 2008 年全年的银行对账单、用款计划（种子 {seed}）……", flush=True)
    summary = simulate("2008-01", months, seed, "city", DEMO / "inbox")
    print(t("simulate.done", "zh", files=summary.files, lines=summary.lines, out=summary.out,
            findings=summary.findings, answer=summary.answer_key), flush=True)
    app = App(str(DEMO / "config.toml"))
    upgrade(app.engine(checked=False))
    as_of = date.fromisoformat(json.loads(Path(summary.answer_key).read_text(encoding="utf-8"))["as_of"])
    print(f"2/3 夜间任务：入库、对账（截至 {as_of}）、生成报告……", flush=True)
    rec = nightly(app.config, app.registry, app.engine(), as_of, progress=None)
    for step in rec.steps:
        print(f"    {step.name:<10} {step.status:<8} {json.dumps(step.counts, ensure_ascii=False)}")
    if rec.status != "done":
        print(t("run.failed", "zh", id=rec.id, as_of=as_of.isoformat(), error=rec.error), file=sys.stderr)
        return 3
    print("3/3 问题汇总：", flush=True)
    with session_scope(app.engine()) as s:
        rows = listing(s, status="open")
        by_kind = Counter(r.kind for r in rows)
        money: Counter[str] = Counter()
        for r in rows:
            money[r.kind] += r.amount_fen or 0
    for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print(f"    {kind:<20} {n:>4} 项  {format_yuan(money[kind]):>18} 元")
    book = next(s for s in rec.steps if s.name == "reconcile").counts.get("book")
    if book:
        print("\n" + t("book.demo", "zh", per=book["months"] // max(book["accounts"], 1), **book), flush=True)
    print("\n" + "\n".join(budget_summary(app, as_of)), flush=True)
    report = next(s for s in rec.steps if s.name == "report").counts.get("folder")
    # The nightly job writes a county's own report once the county has a desk user; the demo has
    # none yet, so it writes every county's now, for the review desk to show.
    counties = [e.code for e in app.registry.counties]
    write_county_reports(app.config, app.registry, app.engine(), as_of, entities=counties)
    print(f"\n报告已生成：{report}/exceptions.html（以及 exceptions.xlsx、各表 CSV 和各月 余额调节表_<年-月>.xlsx）")
    print(f"演示数据库：{app.config.database_url}；再次查看：.venv/bin/recon --config {DEMO / 'config.toml'} status")
    cli = f".venv/bin/recon --config {DEMO / 'config.toml'}"
    print(f"审核台：{cli} users add admin --role admin\n"
          f"        {cli} users add zs01 --role county --entity ZS\n"
          f"        {cli} users add li --role supervisor\n"
          f"        {cli} web    # 然后打开 http://127.0.0.1:8080")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
