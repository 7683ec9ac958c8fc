"""Running unattended: the runner lock between real processes, the scheduler firing the nightly
job, a missed run caught up once, and SIGTERM during an ingest (on SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from jobs.app import App
from store.db import session_scope, upgrade
from store.models import FileRow, LineRow, RunRow
from tests.examples.harness import HERE as EXAMPLES
from tests.examples.harness import build_inbox

RECON = [sys.executable, "-m", "jobs.cli"]


def recon(project: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RECON, "--config", str(project / "config.toml"), *args], capture_output=True, text=True,
                          timeout=120, **kw)  # type: ignore[call-overload]


def spawn(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*RECON, "--config", str(project / "config.toml"), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def fill_inbox(project: Path) -> App:
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    case = tomllib.loads((EXAMPLES / "instalments_before_deadline" / "case.toml").read_text(encoding="utf-8"))
    build_inbox(case, app.registry, project / "inbox")
    return app


def set_schedule(project: Path, at: datetime) -> None:
    cfg = project / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f'\n[schedule]\nnightly_at = "{at:%H:%M:%S}"\n'
                   "poll_minutes = 600\nmisfire_grace_seconds = 3600\nlock_wait_seconds = 0\n", encoding="utf-8")


def nightly_runs(app: App) -> list[RunRow]:
    with session_scope(app.database()) as s:
        return list(s.scalars(select(RunRow).where(RunRow.kind == "nightly")))


def scheduled(app: App) -> bool:
    """The scheduler has stored its nightly job (it is up and the first run is planned)."""
    from sqlalchemy import inspect, text

    engine = app.database(checked=False)
    if "apscheduler_jobs" not in inspect(engine).get_table_names():
        return False
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM apscheduler_jobs WHERE id = 'nightly'")).scalar())


def wait_for(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_a_second_runner_exits_with_a_clear_message_while_the_first_holds_the_lock(project: Path) -> None:
    app = fill_inbox(project)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        "from jobs.app import App\n"
        "from jobs.lock import runner_lock\n"
        f"app = App({str(project / 'config.toml')!r})\n"
        "with runner_lock(app.database(), 0):\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        done = recon(project, "--lang", "en", "run", "--as-of", "2008-03-31", "--wait", "0")
        assert done.returncode == 3
        assert "another recon run holds the lock" in done.stderr
        assert nightly_runs(app) == []
    finally:
        holder.kill()
        holder.wait()
    # The kernel released the dead holder's lock: the next run goes ahead.
    done = recon(project, "run", "--as-of", "2008-03-31", "--wait", "5")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [r.status for r in nightly_runs(app)] == ["done"]


def test_serve_runs_the_nightly_job_on_schedule_and_stops_cleanly_on_sigterm(project: Path) -> None:
    app = fill_inbox(project)
    at = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=20)
    set_schedule(project, at)
    proc = spawn(project, "serve")
    try:
        assert wait_for(lambda: scheduled(app), 20), "the scheduler did not start in time"
        assert wait_for(lambda: any(r.status != "running" for r in nightly_runs(app)), 90), "nightly did not run"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    runs = nightly_runs(app)
    assert [r.status for r in runs] == ["done"], [r.error for r in runs]
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.count()).select_from(LineRow)) == 8


def test_a_run_missed_while_the_machine_was_off_runs_once_when_it_is_back(project: Path) -> None:
    app = fill_inbox(project)
    at = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=20)
    set_schedule(project, at)
    first = spawn(project, "serve")
    assert wait_for(lambda: scheduled(app), 20), "the scheduler did not start in time"
    first.send_signal(signal.SIGTERM)  # the machine goes off before the nightly time
    first.communicate(timeout=60)
    assert nightly_runs(app) == []
    # The nightly time passes while nothing runs.
    time.sleep(max(0.0, (at - datetime.now(ZoneInfo("Asia/Shanghai"))).total_seconds()) + 2)
    second = spawn(project, "serve")
    try:
        assert wait_for(lambda: any(r.status != "running" for r in nightly_runs(app)), 90), "missed run not caught up"
        time.sleep(2)
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=60)
    assert len(nightly_runs(app)) == 1


def test_sigterm_during_an_ingest_leaves_the_ledger_and_the_inbox_consistent(project: Path) -> None:
    app = fill_inbox(project)
    for f in list((project / "inbox").iterdir()):
        # many distinct files (the same statement under a changed period): enough that the ingest,
        # faster since the writer ran in Core (i18write), is still at work when the stop comes
        for i in range(200):
            data = f.read_bytes().replace(b"2008-03-31", f"2008-03-{i % 9 + 21:02d}".encode())
            (project / "inbox" / f"{i:03d}_{f.name}").write_bytes(data + f"<!-- {i} -->".encode())
    total = len(list((project / "inbox").iterdir()))
    proc = spawn(project, "ingest", "--no-progress")
    assert wait_for(lambda: len(list((project / "archive").rglob("*.xml"))) >= 5, 60)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    archived = [p for p in (project / "archive").rglob("*") if p.is_file()]
    left = [p for p in (project / "inbox").iterdir() if p.is_file()]
    rejected = [p for p in (project / "rejected").rglob("*") if p.is_file() and not p.name.endswith(".reason.txt")] \
        if (project / "rejected").exists() else []
    assert len(archived) + len(left) + len(rejected) == total  # none lost, none twice
    assert left, "the stop came after the last file: nothing was left to stop"
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.count()).select_from(FileRow)) == len(archived) + len(rejected)
    done = recon(project, "ingest", "--no-progress")
    assert done.returncode in (0, 1), done.stderr
    assert not [p for p in (project / "inbox").iterdir() if p.is_file()]


@pytest.fixture(autouse=True)
def _cwd(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    os.environ.pop("RECON_CONFIG", None)
