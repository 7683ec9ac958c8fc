"""The review desk's server time with a province's years in the database: the findings queue and a
finding's page (and the dashboard), through the whole Flask application (session lookup, store
queries, templates) with Flask's test client, so the figure is server time without the network.

The database is filled in bulk with synthetic data shaped like a province: 5M statement lines in
16k files of 362 accounts, 100k findings over 17 years of which about 600 are open (one night's),
each linked to its lines (a few with thousands), two or three history events each, the last
night's obligation standings and a report row. Lines go in through the store's own bulk writer
(COPY on PostgreSQL, executemany on SQLite).

    .venv/bin/python bench/desk.py --url sqlite:////tmp/desk.db --build
    .venv/bin/python bench/desk.py --url postgresql+psycopg://postgres@127.0.0.1/test --build
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine

KINDS = ["late", "partial", "missing", "over", "awaiting_statement", "unconfirmed", "misdirected", "unexpected",
         "duplicate_payment", "balance_break", "coverage_gap", "unidentified", "late_plan", "short_disbursement"]
RULES = ["remit", "sweep", "fund", "allocate", "disburse", "plan"]
FUNDS = ["pension", "unemployment"]


def build(url: str, lines: int, findings: int, seed: int = 7) -> None:
    from sqlalchemy import insert

    from reconcile.kinds import SEVERITY
    from store.db import open_database, session_scope, upgrade
    from store.ledger import _bulk_insert_lines
    from store.models import (
        FileRow,
        FindingEventRow,
        FindingLineRow,
        FindingRow,
        ObligationRow,
        ReportRow,
        StatementRow,
    )

    rng = random.Random(seed)
    engine = open_database(url)
    upgrade(engine)
    now = datetime(2024, 12, 31, 18, tzinfo=UTC)
    counties = [f"C{i:02d}" for i in range(1, 91)]
    accounts = [f"24090{i:011d}" for i in range(362)]
    n_files = 16_000
    t0 = time.perf_counter()
    with session_scope(engine) as s:
        s.execute(insert(FileRow), [{"id": i, "sha256": f"{i:064x}", "name": f"stmt_{i}.xml", "size": 1000,
                                     "format": "camt053", "status": "ingested", "reason": "",
                                     "account": accounts[i % 362],
                                     "archive_path": "", "lines_added": lines // n_files, "lines_skipped": 0,
                                     "received_at": now, "processed_at": now} for i in range(1, n_files + 1)])
        s.execute(insert(StatementRow), [{"id": i, "file_id": i, "index_in_file": 0, "account": accounts[i % 362],
                                          "format": "camt053", "currency": "CNY", "intraday": False,
                                          "period_start": date(2008, 1, 1), "period_end": date(2008, 1, 1),
                                          "opening_fen": 0, "closing_fen": 0, "lines_sum_fen": 0, "line_count": 1,
                                          "running_break": ""} for i in range(1, n_files + 1)])
    batch = 200_000
    start = date(2008, 1, 1)
    for b in range(0, lines, batch):
        rows = []
        for i in range(b, min(lines, b + batch)):
            f = i * n_files // lines + 1
            d = start + timedelta(days=i * 366 // lines)
            rows.append((accounts[f % 362], d, d, rng.randint(-5_000_000, 5_000_000) or 1, "6222000000000001",
                         "某某公司", "汇入", "养老保险费", f"SN{i}", None, False, "", f"{i:040x}", f"{i:040x}",
                         "camt053", False, f, f, f"Stmt[1]/Ntry[{i % 400 + 1}]"))
        with session_scope(engine) as s:
            _bulk_insert_lines(s, rows)
    t_lines = time.perf_counter() - t0
    frows, links, events, obligations = [], [], [], []
    open_ids = set(rng.sample(range(1, findings + 1), 600))
    for fid in range(1, findings + 1):
        kind = rng.choice(KINDS)
        year = 2008 + fid * 17 // (findings + 1)
        period = f"{year}-{rng.randint(1, 12):02d}"
        entity, fund, rule = rng.choice(counties), rng.choice(FUNDS), rng.choice(RULES)
        seen = datetime(year, int(period[5:]), 28, 2, tzinfo=UTC)
        is_open = fid in open_ids
        amount = rng.randint(1, 10_000_000)
        frows.append({"id": fid, "key": f"obligation|{rule}|{entity}|{fund}|{period}|{fid}|settlement", "kind": kind,
                      "rule": rule, "entity": entity, "fund": fund, "account": accounts[fid % 362], "period": period,
                      "amount_fen": amount, "days_late": rng.randint(0, 60), "severity": SEVERITY[kind],
                      "detail": "{}", "lines": "[]", "state": "open" if is_open else "closed",
                      "as_of": date(2024, 12, 30), "first_seen_at": seen, "last_seen_at": now,
                      "closed_at": None if is_open else seen + timedelta(days=30), "review_state": "none",
                      "review_note": "", "review_by": "", "review_at": None, "reviewed_amount_fen": None,
                      "assignee": rng.choice(["", "", "wang", "li"]), "explanation": ""})
        many = 2_000 if fid % 5_000 == 0 else rng.randint(1, 8)
        first = rng.randint(0, lines - many - 1)
        links += [{"finding_id": fid, "line_id": first + 1 + k} for k in range(many)]
        events.append({"finding_id": fid, "at": seen, "as_of": seen.date(), "event": "opened", "kind": kind,
                       "amount_fen": amount})
        if not is_open:
            events.append({"finding_id": fid, "at": seen + timedelta(days=30), "as_of": seen.date(),
                           "event": "closed", "kind": kind, "amount_fen": amount})
        if is_open or rng.random() < 0.15:
            obligations.append({"as_of": date(2024, 12, 30), "rule": rule, "entity": entity, "fund": fund,
                                "period": period, "account": accounts[fid % 362], "deadline": seen.date(),
                                "due_fen": amount * 2, "on_time_fen": amount, "late_fen": 0, "late_payments": "[]",
                                "outstanding_fen": amount, "excess_fen": 0, "days_overdue": 10,
                                "fen_days": amount * 10, "status": "partial", "plan_version": None})
    with session_scope(engine) as s:
        for chunk in range(0, len(frows), 20_000):
            s.execute(insert(FindingRow), frows[chunk:chunk + 20_000])
        for chunk in range(0, len(links), 100_000):
            s.execute(insert(FindingLineRow), links[chunk:chunk + 100_000])
        for chunk in range(0, len(events), 50_000):
            s.execute(insert(FindingEventRow), events[chunk:chunk + 50_000])
        s.execute(insert(ObligationRow), obligations)
        keys = [r["key"] for r in frows if r["id"] in open_ids][:550]
        s.add(ReportRow(as_of=date(2024, 12, 29), generated_at=now - timedelta(days=1), path="",
                        open_keys=json.dumps(keys)))
    print(f"built: {lines:,} lines in {t_lines:.0f} s; {findings:,} findings ({len(open_ids)} open), "
          f"{len(links):,} finding-line links, {len(events):,} events, {len(obligations):,} obligations; "
          f"total {time.perf_counter() - t0:.0f} s", flush=True)


def measure(url: str, repeat: int) -> list[tuple[str, float, float, float, float]]:
    from reconcile.accounts import load_registry
    from reconcile.config import load
    from reconcile.desk import Actor, QueueFilter
    from store.db import open_database
    from store.deskstore import DeskStore
    from web import create_app

    root = Path(__file__).resolve().parents[1]
    cfg = load(root / "config.toml")
    registry = load_registry(root / "mappings" / "accounts.toml")
    store = DeskStore(open_database(url))
    total = store.queue(QueueFilter(state="all", per_page=1), None).total
    if store.user("bench") is None:
        setup = Actor("bench", "admin", None, "bench")
        store.add_user(setup, "bench", "city", None, "bench password 1", datetime.now(UTC))
        store.add_user(setup, "county", "county", "C07", "bench password 1", datetime.now(UTC))
        for fid in range(1, 2_001):  # some review history through the real mechanism
            store.act(setup, fid * 37 % total + 1, "acknowledge", datetime.now(UTC), note="bench")
    app = create_app(cfg, registry, store)
    out = []
    for who in ("bench", "county"):
        c = app.test_client()
        page = c.get("/login").text
        token = page.split('name="csrf" value="')[1].split('"')[0]
        c.post("/login", data={"username": who, "password": "bench password 1", "csrf": token})
        open_ids = [f.id for f in store.queue(QueueFilter(per_page=50), None if who == "bench" else "C07").findings]
        heavy = [i for i in (5_000, 10_000, 50_000) if i <= total]  # findings with 2,000 lines each
        paths = [("queue: open, by severity", "/findings"),
                 ("queue: open, kind + entity + period", "/findings?kind=late&entity=C07&period=2024"),
                 ("queue: new since the last report", "/findings?new=1"),
                 ("queue: all 100k, by amount, page 40", "/findings?state=all&sort=amount&page=40"),
                 ("queue: all, closed in a year, assignee", "/findings?state=closed&period=2015&assignee=wang"),
                 ("dashboard", "/")]
        paths += [(f"finding page ({i})", f"/findings/{fid}") for i, fid in enumerate(open_ids[:5])]
        if who == "bench":
            paths += [(f"finding page with 2,000 lines ({fid})", f"/findings/{fid}") for fid in heavy]
        for name, path in paths:
            times, cpu = [], []
            for _ in range(repeat):
                t, p = time.perf_counter(), time.process_time()
                r = c.get(path)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - p) * 1000)
                assert r.status_code == 200, (path, r.status_code)
            times.sort()
            out.append((f"{who}: {name}", statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)],
                        times[-1], statistics.median(cpu)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--lines", type=int, default=5_000_000)
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(machine(), flush=True)
    if args.build:
        build(args.url, args.lines, args.findings)
    rows = measure(args.url, args.repeat)
    print("| request | median ms | p95 ms | max ms | median CPU ms (this process) |\n|---|---|---|---|---|")
    for name, med, p95, top, cpu in rows:
        print(f"| {name} | {med:.1f} | {p95:.1f} | {top:.1f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
