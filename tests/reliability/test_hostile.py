"""Hostile files and names through the whole `recon` command (extends tests/integration/test_hostile_inbox.py
and tests/parsers/test_camt_hostile.py, which call the ingestor and the parsers in-process): links out of
the inbox, names that try to become paths, file modes, bombs and external entities, and the poison files
the fuzzer found (one bad file must not stop the others)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench.fuzz import hostile_seeds
from jobs.inbox import safe_name
from tests.integration.conftest import ROOT
from tests.reliability.helpers import AS_OF, Seed, file_rows_match_files, ok, picture, recon, sqlite_url, write_config
from tests.reliability.test_fuzz_parsers import biff_bomb, biff_panic

GOOD = "boc_104861001000000101_20080101-20080131.csv"


def one_good(seed: Seed, inbox: Path, name: str = GOOD) -> bytes:
    data = (seed.inbox / GOOD).read_bytes()
    (inbox / name).write_bytes(data)
    return data


def deployment(root: Path) -> Path:
    cfg = write_config(root, sqlite_url(root))
    ok(recon(cfg, "init"))
    return cfg


# -- links and names ----------------------------------------------------------------------------------
def test_links_out_of_the_inbox_are_never_followed_by_a_whole_run(tmp_path: Path, seed: Seed) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.csv"
    one_good(seed, outside, "secret.csv")
    cfg = deployment(tmp_path)
    inbox = tmp_path / "inbox"
    (inbox / "relative.csv").symlink_to("../outside/secret.csv")
    (inbox / "absolute.csv").symlink_to(secret)
    (inbox / "folder").symlink_to(outside, target_is_directory=True)
    (inbox / "passwd").symlink_to("/etc/passwd")
    (inbox / "hop.csv").symlink_to("relative.csv")  # a link to a link that leaves
    (inbox / "dangling.csv").symlink_to("nowhere.csv")
    ok(recon(cfg, "run", "--as-of", AS_OF))
    assert secret.read_bytes() == (seed.inbox / GOOD).read_bytes() and (outside / "secret.csv").is_file()
    assert sorted(p.name for p in inbox.iterdir()) == ["absolute.csv", "dangling.csv", "folder", "hop.csv", "passwd",
                                                       "relative.csv"]
    assert all((inbox / n).is_symlink() for n in ("relative.csv", "absolute.csv", "passwd", "hop.csv"))
    assert sum(picture(tmp_path, sqlite_url(tmp_path)).file_status.values()) == 0
    assert not (tmp_path / "archive").exists() or not any(p.is_file() for p in (tmp_path / "archive").rglob("*"))


def test_a_link_to_a_file_inside_the_inbox_is_archived_as_bytes_not_as_a_link(tmp_path: Path, seed: Seed) -> None:
    cfg = deployment(tmp_path)
    data = one_good(seed, tmp_path / "inbox", "real.csv")
    (tmp_path / "inbox" / "alias.csv").symlink_to("real.csv")
    ok(recon(cfg, "run", "--as-of", AS_OF))
    archived = [p for p in (tmp_path / "archive").rglob("*") if not p.is_dir()]
    assert [p for p in archived if p.is_symlink()] == [], "the archive holds files, never links"
    assert [p.read_bytes() for p in archived if p.is_file()] == [data]
    assert file_rows_match_files(tmp_path, sqlite_url(tmp_path)) == []


NAMES = [
    "../../escape.csv",
    "..",
    "-rf.csv",
    "line\nbreak\r.csv",
    "tab\tand\x01control\x1b[31m.csv",
    "\u202eevil\u202dcsv.exe",  # right-to-left override
    "统计" * 40 + ".csv",  # 243 bytes: over the 180-byte limit
    "x" * 250 + ".csv",
    ".hidden_after_safe.csv",
    " spaces and dots . ",
]


def test_hostile_file_names_become_safe_archive_and_rejected_paths(tmp_path: Path, seed: Seed) -> None:
    cfg = deployment(tmp_path)
    inbox = tmp_path / "inbox"
    good = (seed.inbox / GOOD).read_bytes()
    for i, name in enumerate(n for n in NAMES if n not in ("..", "../../escape.csv")):
        # distinct bytes so each is its own file (a statement with a trailing blank line i times)
        (inbox / name).write_bytes(good + b"\r\n" * i)
    (inbox / "bad\nname.xml").write_bytes(b"<Document><broken")
    old = time.time() - 2 * 3600  # cut short, and older than ingest.incomplete_wait_minutes: rejected now
    os.utime(inbox / "bad\nname.xml", (old, old))
    ok(recon(cfg, "ingest", "--no-progress"), 0, 1)
    placed = [p for d in ("archive", "rejected") for p in (tmp_path / d).rglob("*") if p.is_file()]
    assert placed
    for p in placed:
        rel = p.relative_to(tmp_path)
        assert p.resolve().is_relative_to(tmp_path.resolve())
        assert not any(ord(c) < 32 or c == "\x7f" for c in str(rel)), rel
        assert len(p.name.encode()) <= 180 + len(".reason.txt"), p.name
        assert not p.name.startswith(".") and ".." not in p.name
    assert not (tmp_path / "escape.csv").exists() and not (tmp_path.parent / "escape.csv").exists()
    leftover = [p.name for p in inbox.iterdir()]
    assert leftover == [".hidden_after_safe.csv"], "hidden files wait (temporary by rule); all others left"
    assert file_rows_match_files(tmp_path, sqlite_url(tmp_path)) == []


def test_safe_name_rules_hold_for_every_hostile_name() -> None:
    for name in [*NAMES, "a/b", "a\\b", "con:x", "a" * 1000, "", ".", "\x00"]:
        s = safe_name(name)
        assert s and "/" not in s and "\\" not in s and ".." not in s and not s.startswith(".")
        assert len(s.encode()) <= 180 and not any(ord(c) < 32 for c in s), repr(s)


# -- modes ----------------------------------------------------------------------------------------------
def test_the_database_reports_and_logs_are_readable_by_owner_and_group_only(tmp_path: Path, seed: Seed) -> None:
    shutil.copytree(seed.inbox, tmp_path / "inbox", dirs_exist_ok=True)
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    env_umask = os.umask(0o022)  # a usual login's umask: the tool must not rely on a strict one
    try:
        ok(recon(cfg, "init"))
        ok(recon(cfg, "run", "--as-of", AS_OF))
    finally:
        os.umask(env_umask)
    checked = []
    for folder in ("data", "reports", "logs"):
        for p in [tmp_path / folder, *(tmp_path / folder).rglob("*")]:
            if p.exists():
                checked.append(p)
    assert any(p.name == "recon.db" for p in checked) and any(p.name == "exceptions.xlsx" for p in checked)
    open_to_others = [f"{oct(stat.S_IMODE(p.stat().st_mode))} {p.relative_to(tmp_path)}" for p in checked
                      if p.stat().st_mode & 0o007]
    assert open_to_others == []


# -- bombs and external entities through the whole command ---------------------------------------------
def measured(cfg: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run recon; its wall time and peak resident set (bytes), from wait4 on that one child."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECON_")} | {"PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "jobs.cli", "--config", str(cfg), *args], cwd=str(cfg.parent),
                             env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(p.args, p.returncode, out.read().decode(), err.read().decode())
    return proc, wall, usage.ru_maxrss * 1024


def test_bombs_and_external_entities_in_the_inbox_are_rejected_by_a_whole_ingest_within_bounds(
        tmp_path: Path, seed: Seed) -> None:
    cfg = deployment(tmp_path)
    one_good(seed, tmp_path / "inbox")
    base, base_wall, _ = measured(cfg, "ingest", "--no-progress")
    ok(base)
    hostile = hostile_seeds()
    for s in hostile:
        (tmp_path / "inbox" / s.name).write_bytes(s.data)
    one_good(seed, tmp_path / "inbox", "zz_" + GOOD)  # after the bombs: still ingested (a duplicate)
    proc, wall, _ = measured(cfg, "ingest", "--no-progress")
    ok(proc, 1)
    assert wall - base_wall < 1.0 * len(hostile), f"{len(hostile)} hostile files took {wall - base_wall:.1f} s more"
    rejected = sorted(p.name for p in (tmp_path / "rejected").iterdir() if not p.name.endswith(".reason.txt"))
    assert rejected == sorted(s.name for s in hostile)
    assert list((tmp_path / "inbox").iterdir()) == []
    reasons = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "rejected").glob("*.reason.txt"))
    assert "root:" not in reasons, "no external entity was read into a reason"
    assert file_rows_match_files(tmp_path, sqlite_url(tmp_path)) == []


def test_every_bomb_alone_costs_a_whole_ingest_under_100_mb_more_than_a_plain_file(
        tmp_path: Path, seed: Seed) -> None:
    root = tmp_path / "plain"
    root.mkdir()
    cfg = deployment(root)
    one_good(seed, root / "inbox")
    _, _, base_rss = measured(cfg, "ingest", "--no-progress")
    for s in hostile_seeds():
        one = tmp_path / s.name.replace(".", "_")
        one.mkdir()
        cfg = deployment(one)
        (one / "inbox" / s.name).write_bytes(s.data)
        proc, _, rss = measured(cfg, "ingest", "--no-progress")
        ok(proc, 1)
        assert rss - base_rss < 100 * 1024 * 1024, f"{s.name}: {(rss - base_rss) / 1e6:.0f} MB more"


# -- poison files: one bad file must not stop the others ------------------------------------------------
def poison(name: str, make: Callable[[], bytes], bug: str = "") -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=f"bug: {bug}")] if bug else []
    return pytest.param(name, make, marks=marks, id=name)


POISON = [
    poison("mac.csv", lambda: b"a,b\rc,d\r"),  # bare CR line ends
    poison("page.xls", lambda: b"<html><table><tr><td>\x80</td></tr></table></html>"),  # invalid GB18030
    poison("panic.xls", biff_panic),  # makes python-calamine panic (a BaseException)
    # python-calamine asks for 8 GB for this 12 KB .xls: it is read in a child process under
    # limits.reader_memory_bytes, which aborts; the file is rejected and the others go on.
    poison("bomb.xls", biff_bomb),
]


@pytest.mark.parametrize(("name", "make"), POISON)
def test_one_unreadable_file_is_rejected_and_does_not_stop_the_others(
        tmp_path: Path, seed: Seed, name: str, make: Callable[[], bytes]) -> None:
    cfg = deployment(tmp_path)
    (tmp_path / "inbox" / name).write_bytes(make())
    one_good(seed, tmp_path / "inbox", "zz_" + GOOD)
    limit = "ulimit -v 4000000; " if name == "bomb.xls" else ""  # keep the machine: 4 GB address space
    proc = subprocess.run(["bash", "-c", f'{limit}exec "$@"', "recon", sys.executable, "-m", "jobs.cli",
                           "--config", str(cfg), "ingest", "--no-progress"], cwd=str(tmp_path),
                          env={**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, f"exit {proc.returncode}: {proc.stderr[-500:]}"
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "rejected" / name).is_file()
    assert list((tmp_path / "inbox").iterdir()) == []
