"""The province year end to end: inbox -> ingest -> reconcile -> report, on SQLite and PostgreSQL,
each stage in its own process (wall time and peak memory), beside each stage's floor on the same
data, and one more night (the last day's statements arriving after the rest).

    .venv/bin/python bench/e2e.py --inbox /tmp/prov/inbox --registry /tmp/prov/accounts.toml [--runs 3] \
        [--db sqlite|postgres|both] [--no-floors] [--code OTHER_TREE]

`--code` runs each stage with another tree's code (bench/stage.py's RECON_CODE: before and after on
the same data); the schema is made by this tree's `recon init`, so the two trees' migrations must agree.

Simulate the inbox first: `recon simulate --scale province --out /tmp/prov/inbox` (it writes the
registry beside it). Floors: reading every file's bytes; the parsing libraries alone on every file
(bench/parse.py's floors); a bulk load of the same lines (COPY / executemany in one transaction);
the engine on the snapshot already in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import PG, database_url, drop_schema, machine, write_config
from bench.pgserver import ServerProfile

ROOT = Path(__file__).resolve().parents[1]
LAST_DAY = "20081231-20081231"


def config(folder: Path, url: str, registry: Path) -> Path:
    mappings = folder / "mappings"
    if mappings.exists():
        shutil.rmtree(mappings)
    shutil.copytree(ROOT / "mappings", mappings)
    # The city's journal subjects name Liupanshui's accounts, which the province registry lacks: with
    # them the first bank journal of the province stops the ingest (the journals bind without them).
    (mappings / "book_subjects.toml").unlink(missing_ok=True)
    shutil.copy(registry, mappings / "accounts.toml")
    return write_config(folder, url, mappings, workers=WORKERS, big_files=True)


CODE = ""  # --code: another tree's code for the stages


SERVER = ""  # --server: the application_name the stages' connections carry, and their server profiled
NIGHT = True  # --no-night: the year only


def stage(name: str, cfg: Path, as_of: str) -> dict[str, object]:
    env = {**os.environ, "RECON_CODE": CODE} if CODE else None
    profile = ServerProfile(SERVER) if SERVER and "postgresql" in cfg.read_text() else contextlib.nullcontext()
    with profile:
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "stage.py"), name, str(cfg), as_of],
                             capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"{name} failed: {out.stderr[-2000:]}")
    res: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    if isinstance(profile, ServerProfile):
        res["server"] = {k: v for k, v in profile.result.items() if k != "statements"}
        print(f"#### {name} as of {as_of}: {res}\n\n{profile.text()}\n", flush=True)
    return res


def one_run(inbox: Path, registry: Path, db: str, work: Path) -> dict[str, dict[str, object]]:
    if work.exists():
        shutil.rmtree(work)
    (work / "inbox").mkdir(parents=True)
    held = work / "held"
    held.mkdir()
    for f in inbox.iterdir():  # hard links: no copying 1.3 GB
        (held if LAST_DAY in f.name else work / "inbox").joinpath(f.name).hardlink_to(f)
    url = database_url(db, work)
    if SERVER and db == "postgres":  # the stages' backends, found by their name
        url += f"&application_name={SERVER}"
    cfg = config(work, url, registry)
    subprocess.run([sys.executable, "-m", "jobs.cli", "--config", str(cfg), "init"], check=True, capture_output=True,
                   cwd=ROOT)
    res = {"ingest": stage("ingest", cfg, "2008-12-30"), "reconcile": stage("reconcile", cfg, "2008-12-30"),
           "report": stage("report", cfg, "2008-12-30")}
    res["night"] = night(work, held, cfg) if NIGHT else {"seconds": 0.0, "peak_rss_mb": 0}
    if KEEP:
        print(f"kept: {url}", flush=True)
    else:
        drop_schema(url)
    return res


def night(work: Path, held: Path, cfg: Path) -> dict[str, object]:
    """The last day's files, arriving after the year: one more night."""
    for f in held.iterdir():
        f.rename(work / "inbox" / f.name)
    t0 = time.perf_counter()
    stages = [stage(s, cfg, "2008-12-31") for s in ("ingest", "reconcile", "report")]
    return {"seconds": round(time.perf_counter() - t0, 2), "files": stages[0].get("files"),
            "cpu_seconds": round(sum(float(str(n.get("cpu_seconds", 0))) for n in stages), 2),
            "peak_rss_mb": max(int(str(n["peak_rss_mb"])) for n in stages), "stages": [n["seconds"] for n in stages]}


def floors(inbox: Path, registry: Path, work: Path) -> dict[str, float]:
    """Each stage's floor on the same data, in this process."""
    from bench.parse import _floor
    from parsers import registry as formats

    out: dict[str, float] = {}
    files = sorted(inbox.iterdir())
    t0 = time.perf_counter()
    blobs = [(f, f.read_bytes()) for f in files]
    out["read bytes"] = time.perf_counter() - t0
    kinds = {"camt": "camt", "ofx": "ofx", "mt940": "mt940", "tabular": "csv"}
    t0 = time.perf_counter()
    for f, data in blobs:
        fmt = formats.detect(data[:65536])
        kind = kinds.get(fmt.name if fmt else "", "")
        if kind == "csv" and data[:2] == b"PK":
            kind = "xlsx"
        if kind and not f.name.startswith("plan"):
            with contextlib.suppress(Exception):  # a floor reads what its library can; a stray layout is skipped
                _floor(kind, data)
    out["parse libraries"] = time.perf_counter() - t0
    del blobs
    out.update(_bulk_floor(work))
    out.update(_engine_floor(work))
    return out


def _bulk_floor(work: Path) -> dict[str, float]:
    """Copy the stored lines into an empty table in one transaction: the floor of ingest's writes."""
    import sqlite3

    src = sqlite3.connect(work / "data" / "recon.db")
    rows = src.execute("SELECT account, booking_date, value_date, amount_fen, counterparty_account, counterparty_name,"
                       " text, remark, bank_ref, balance_fen, fingerprint FROM lines").fetchall()
    dst = sqlite3.connect(":memory:")
    dst.execute("CREATE TABLE l (a, d, v, amt INTEGER, cpa, cpn, t, r, ref, bal INTEGER, fp, UNIQUE (a, fp))")
    t0 = time.perf_counter()
    with dst:
        dst.executemany("INSERT INTO l VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    sqlite_s = time.perf_counter() - t0
    out = {"bulk load (SQLite executemany)": sqlite_s}
    try:
        import psycopg

        with psycopg.connect(PG.replace("+psycopg", "")) as conn, conn.cursor() as cur:
            cur.execute("CREATE TEMP TABLE l (a text, d date, v date, amt bigint, cpa text, cpn text, t text, r text,"
                        " ref text, bal bigint, fp text, UNIQUE (a, fp))")
            t0 = time.perf_counter()
            with cur.copy("COPY l FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            conn.commit()
            out["bulk load (PostgreSQL COPY)"] = time.perf_counter() - t0
    except Exception as exc:  # no server: the floor is reported as missing
        out["bulk load (PostgreSQL COPY)"] = float("nan")
        print(f"PostgreSQL floor skipped: {exc}", file=sys.stderr)
    return out


def _engine_floor(work: Path) -> dict[str, float]:
    from datetime import date

    from jobs.app import App
    from jobs.reconciling import settings
    from reconcile.engine.condense import Condenser
    from reconcile.engine.run import reconcile_all
    from store.db import session_scope
    from store.snapshot import load_snapshot

    app = App(str(work / "config.toml"))
    s = settings(app.config, app.registry)
    with session_scope(app.database()) as session:
        snap = load_snapshot(session, date(2008, 12, 31), Condenser(app.registry, s.codes))
    t0 = time.perf_counter()
    reconcile_all(snap, s)
    return {"reconcile in memory": time.perf_counter() - t0}


WORKERS: int | None = None  # ingest.workers; None: unset, as the tool decides (two readers on two cores)
KEEP = False  # --keep: the PostgreSQL schema is left for a look at it (drop it afterwards)


def main() -> None:
    global WORKERS, CODE, SERVER, NIGHT, KEEP
    ap = argparse.ArgumentParser()
    ap.add_argument("--inbox", type=Path, required=True)
    ap.add_argument("--registry", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/recon-e2e"))
    ap.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--workers", type=int, default=None,
                    help="ingest.workers written into the config (default: unset, the tool decides)")
    ap.add_argument("--no-floors", action="store_true", help="skip the floors (a minute or two)")
    ap.add_argument("--code", default="", help="another tree whose code runs the stages (before and after)")
    ap.add_argument("--server", default="", metavar="NAME", help=(
        "PostgreSQL: profile the server under each stage (bench/pgserver.py); NAME tags its connections"))
    ap.add_argument("--no-night", action="store_true", help="the year only, not the last night after it")
    ap.add_argument("--keep", action="store_true", help="leave the PostgreSQL schema (printed) instead of dropping it")
    args = ap.parse_args()
    WORKERS, CODE, SERVER, NIGHT, KEEP = args.workers, args.code, args.server, not args.no_night, args.keep
    n_files = sum(1 for _ in args.inbox.iterdir())
    print(f"machine: {machine()}; {n_files} files; "
          f"ingest workers {'unset' if WORKERS is None else WORKERS}; code {CODE or ROOT}; "
          f"load {os.getloadavg()}\n", flush=True)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in dbs:
        runs = [one_run(args.inbox, args.registry, db, args.work / db) for _ in range(args.runs)]
        print(f"### {db} ({args.runs} runs, medians)\n")
        print("| stage | seconds | CPU s (the stage's process) | peak RSS MB | detail |\n|---|---|---|---|---|")
        total = 0.0
        for name in ("ingest", "reconcile", "report"):
            secs = statistics.median(float(str(r[name]["seconds"])) for r in runs)
            total += secs
            rss = statistics.median(int(str(r[name]["peak_rss_mb"])) for r in runs)
            cpu = statistics.median(float(str(r[name].get("cpu_seconds", "nan"))) for r in runs)
            detail = {k: v for k, v in runs[0][name].items()
                      if k not in ("stage", "seconds", "cpu_seconds", "peak_rss_mb")}
            print(f"| {name} | {secs:.1f} | {cpu:.1f} | {rss} | {json.dumps(detail, ensure_ascii=False)} |")
        lines = int(str(runs[0]["ingest"].get("lines", 0)))
        print(f"| **inbox to report** | **{total:.1f}** | | | {lines:,} lines, {lines / total:,.0f} lines/s |")
        night = statistics.median(float(str(r["night"]["seconds"])) for r in runs)
        print(f"| one more night (last day's files) | {night:.1f} | | {runs[0]['night']['peak_rss_mb']} | "
              f"{runs[0]['night']} |\n", flush=True)
        print(f"load after {db}: {os.getloadavg()}\n", flush=True)
    if args.no_floors:
        return
    print("### floors (same data, one process)\n\n| floor | seconds |\n|---|---|")
    for name, secs in floors(args.inbox, args.registry, args.work / dbs[0]).items():
        print(f"| {name} | {secs:.1f} |")


if __name__ == "__main__":
    main()
