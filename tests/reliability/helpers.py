"""Shared by the reliability tests: a deployment folder, the `recon` command in a subprocess, and a
comparable picture of what a run leaves behind (database rows and files on disk)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from store.models import FileRow, FindingRow, LineRow, ObligationRow, PaymentPlanRow, StatementRow
from tests.integration.conftest import PG_URL, ROOT, pg_schema  # noqa: F401  (pg_schema: used by the tests)
from tests.reliability.unprivileged import Runtime, as_user

SIM_START, SIM_MONTHS, SIM_SEED, SIM_LINES = "2008-01", 2, 11, 800
AS_OF = "2008-02-29"
REASON = ".reason.txt"
FILENAME_RULE = '"(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"'


def write_config(root: Path, url: str, *, extra: str = "", mappings: Path = ROOT / "mappings", **paths: str) -> Path:
    """`root/config.toml` for a deployment in `root` on database `url`; `paths` override folders;
    `mappings` is the checkout's unless another user needs a copy it can read."""
    folders = {"inbox": "inbox", "archive": "archive", "rejected": "rejected", "reports": "reports",
               "logs": "logs"} | paths
    lines = "\n".join(f'{k} = "{v}"' for k, v in folders.items())
    cfg = root / "config.toml"
    cfg.write_text(f"""
[paths]
{lines}
mappings = "{mappings}"
[database]
url = "{url}"
[ingest]
settle_seconds = 0
[[ingest.filename_rules]]
pattern = {FILENAME_RULE}
[schedule]
lock_wait_seconds = 120
{extra}
""", encoding="utf-8")
    (root / "inbox").mkdir(exist_ok=True)
    return cfg


def sqlite_url(root: Path) -> str:
    return f"sqlite:///{root / 'data' / 'recon.db'}"


def recon(cfg: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300,
          user: str | None = None, runtime: Runtime | None = None) -> subprocess.CompletedProcess[str]:
    """`recon --config cfg ARGS` in a fresh interpreter; `env` adds variables (RECON_CRASH_AT);
    `user` runs it as that user, with the interpreter and packages of `runtime` (tests.reliability.unprivileged)."""
    full = {k: v for k, v in os.environ.items() if k not in ("RECON_CRASH_AT", "RECON_DATABASE_URL", "RECON_CONFIG")}
    full |= {"PYTHONPATH": runtime.path if runtime else str(ROOT), "NO_COLOR": "1"} | (env or {})
    cmd = [runtime.python if runtime else sys.executable, "-m", "jobs.cli", "--config", str(cfg), *args]
    if user:
        cmd = as_user(user, *cmd)
    return subprocess.run(cmd, cwd=str(cfg.parent), env=full, capture_output=True, text=True, timeout=timeout)


def ok(proc: subprocess.CompletedProcess[str], *codes: int) -> subprocess.CompletedProcess[str]:
    assert proc.returncode in (codes or (0,)), (
        f"exit {proc.returncode}\nstdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-3000:]}")
    return proc


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inbox_hashes(inbox: Path) -> Counter[str]:
    return Counter(sha(p.read_bytes()) for p in inbox.iterdir() if p.is_file())


@dataclass(frozen=True)
class Picture:
    """What a run leaves behind, in terms that do not depend on row ids, clocks or the root folder."""

    lines: Counter[tuple[Any, ...]]
    statements: Counter[tuple[Any, ...]]
    files: Counter[tuple[Any, ...]]
    file_status: Counter[str]
    plans: Counter[tuple[Any, ...]]
    findings: list[tuple[Any, ...]]
    obligations: Counter[tuple[Any, ...]]
    placed: Counter[tuple[str, str]]  # (archive or rejected relative path, sha256 of the bytes)
    inbox_left: list[str]
    reports: list[str]

    def differences(self, other: Picture) -> list[str]:
        out = []
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine != theirs:
                if isinstance(mine, Counter):
                    here, there = dict(mine - theirs), dict(theirs - mine)
                    out.append(f"{name}: only here {here!r:.600}; only there {there!r:.600}")
                else:
                    out.append(f"{name}: {mine!r:.600} != {theirs!r:.600}")
        return out


def picture(root: Path, url: str) -> Picture:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            lines = Counter(tuple(r) for r in c.execute(select(
                LineRow.account, LineRow.booking_date, LineRow.amount_fen, LineRow.fingerprint, LineRow.format,
                LineRow.intraday, LineRow.superseded_by.is_(None))))
            statements = Counter(tuple(r) for r in c.execute(select(
                StatementRow.account, StatementRow.format, StatementRow.period_start, StatementRow.period_end,
                StatementRow.opening_fen, StatementRow.closing_fen, StatementRow.line_count, StatementRow.intraday)))
            files = Counter(
                (r.name, r.status, r.sha256, r.account, r.format, r.lines_added, r.lines_skipped,
                 _relative(r.archive_path, root))
                for r in c.execute(select(FileRow)))
            plans = Counter(tuple(r) for r in c.execute(select(
                PaymentPlanRow.month, PaymentPlanRow.entity, PaymentPlanRow.fund, PaymentPlanRow.amount_fen,
                PaymentPlanRow.version)))
            findings = sorted(tuple(r) for r in c.execute(select(
                FindingRow.key, FindingRow.kind, FindingRow.amount_fen, FindingRow.days_late, FindingRow.state,
                FindingRow.severity, FindingRow.lines)))
            obligations = Counter(tuple(r) for r in c.execute(select(
                ObligationRow.rule, ObligationRow.entity, ObligationRow.fund, ObligationRow.period,
                ObligationRow.due_fen, ObligationRow.late_fen, ObligationRow.outstanding_fen,
                ObligationRow.status)))
    finally:
        engine.dispose()
    placed: Counter[tuple[str, str]] = Counter()
    for folder in ("archive", "rejected"):
        base = root / folder
        if base.exists():
            for p in base.rglob("*"):
                if p.is_file():  # a reason file holds the time it was written: its name is what counts
                    digest = "reason" if p.name.endswith(".reason.txt") else sha(p.read_bytes())
                    placed[(str(p.relative_to(root)), digest)] += 1
    reports = sorted(str(p.relative_to(root)) for p in (root / "reports").rglob("*")) if (root / "reports").exists() \
        else []
    inbox = root / "inbox"
    return Picture(lines, statements, files, Counter(f[1] for f in files.elements()), plans, findings, obligations,
                   placed, sorted(p.name for p in inbox.iterdir()) if inbox.exists() else [], reports)


def _relative(path: str, root: Path) -> str:
    return str(Path(path).relative_to(root)) if path and Path(path).is_relative_to(root) else path


@dataclass(frozen=True)
class Seed:
    """The simulated inbox every whole-run test starts from, and what an uninterrupted run makes of it."""

    inbox: Path
    reference: Picture
    hashes: Counter[str]


def make_seed(base: Path) -> Seed:
    from simulate import simulate

    simulate(SIM_START, SIM_MONTHS, SIM_SEED, "city", base / "inbox", lines_per_month=SIM_LINES)
    ref = base / "reference"
    ref.mkdir()
    shutil.copytree(base / "inbox", ref / "inbox", dirs_exist_ok=True)
    cfg = write_config(ref, sqlite_url(ref))
    ok(recon(cfg, "init"))
    ok(recon(cfg, "run", "--as-of", AS_OF))
    reference = picture(ref, sqlite_url(ref))
    assert reference.file_status["rejected"] >= 1 and reference.file_status["duplicate"] >= 1
    assert reference.findings and sum(reference.lines.values()) > 1000
    return Seed(base / "inbox", reference, inbox_hashes(base / "inbox"))


def assert_same_as_uninterrupted(got: Picture, seed: Seed, root: Path) -> None:
    assert got.inbox_left == [], "every inbox file left the inbox"
    placed = Counter(h for (path, h), n in got.placed.items() for _ in range(n) if not path.endswith(REASON))
    assert placed == seed.hashes, "every inbox file is in the archive or in rejected/ exactly once"
    assert not [r for r in got.reports if r.endswith(".tmp")], "no half-written report file"
    diffs = got.differences(seed.reference)
    assert diffs == [], "\n".join(diffs)


def file_rows_match_files(root: Path, url: str) -> list[str]:
    """Every file row's archive path holds the file's bytes, or (a commit the next run finishes) the
    file still waits in the inbox under its name; no half-copied `.partial` file anywhere."""
    engine = create_engine(url)
    problems = []
    try:
        with engine.connect() as c:
            for r in c.execute(select(FileRow.name, FileRow.sha256, FileRow.status, FileRow.archive_path)):
                where = Path(r.archive_path)
                no_hash = r.status == "rejected" and not r.sha256  # refused unread (too large)
                if where.is_file() and (no_hash or sha(where.read_bytes()) == r.sha256):
                    continue
                if (root / "inbox" / r.name).is_file():
                    continue
                problems.append(f"{r.status} {r.name}: {r.archive_path} does not hold its bytes")
    finally:
        engine.dispose()
    problems += [f"half-copied: {p}" for p in root.rglob("*.partial")]
    return problems
