"""Faults of the surroundings: the database unreachable or locked, the disk full, the inbox
unreadable, the report folder not writable. Each gives one clear line on stderr (no traceback), exit
code 3, nothing half-written (file rows match the files, no half-copied or half-written file), and
the next run, once the fault is gone, completes with the result of a run that never met it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT
from tests.reliability.helpers import (
    AS_OF,
    Seed,
    assert_same_as_uninterrupted,
    file_rows_match_files,
    ok,
    picture,
    recon,
    sqlite_url,
    write_config,
)
from tests.reliability.unprivileged import Runtime


def clear_failure(proc: subprocess.CompletedProcess[str], code: int = 3) -> str:
    """The command failed with `code` and said why in words, without a traceback."""
    assert proc.returncode == code, f"exit {proc.returncode}, expected {code}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]
    said = proc.stderr.strip() or proc.stdout.strip()
    assert said, "the failure is explained"
    return said


def deployment(root: Path, seed: Seed, url: str | None = None, *, mappings: Path = ROOT / "mappings",
               **paths: str) -> Path:
    shutil.copytree(seed.inbox, root / "inbox", dirs_exist_ok=True)
    return write_config(root, url or sqlite_url(root), mappings=mappings, **paths)


@contextmanager
def tmpfs(folder: Path, size: str, *options: str) -> Iterator[None]:
    """A tmpfs of `size` on `folder` (skips the test where mounting is not allowed)."""
    folder.mkdir(parents=True, exist_ok=True)
    opts = ",".join([f"size={size}", *options])
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(folder)], capture_output=True, text=True)
    if res.returncode:
        pytest.skip(f"cannot mount a tmpfs (needs root): {res.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def mount() -> Iterator[Callable[..., None]]:
    """mount(folder, size, *options) puts a tmpfs on folder for the test."""
    with ExitStack() as stack:
        yield lambda folder, size, *options: stack.enter_context(tmpfs(folder, size, *options))


def remount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", "-o", ",".join(["remount", *options]), str(folder)], check=True)


# -- the database -----------------------------------------------------------------------------------
def test_an_unreachable_postgresql_server_is_one_clear_line_and_exit_3_and_nothing_moves(
        tmp_path: Path, seed: Seed) -> None:
    cfg = deployment(tmp_path, seed, "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=3")
    for args in (["init"], ["ingest", "--no-progress"], ["run", "--as-of", AS_OF], ["status"]):
        said = clear_failure(recon(cfg, *args))
        assert "127.0.0.1" in said and "port 9" in said, said
        assert len(said.splitlines()) == 1, said
    assert sorted(p.name for p in (tmp_path / "inbox").iterdir()) == sorted(p.name for p in seed.inbox.iterdir())
    assert not (tmp_path / "archive").exists() and not (tmp_path / "rejected").exists()
    cfg = write_config(tmp_path, sqlite_url(tmp_path))  # the server is back (here: another database)
    ok(recon(cfg, "init"))
    ok(recon(cfg, "run", "--as-of", AS_OF))
    assert_same_as_uninterrupted(picture(tmp_path, sqlite_url(tmp_path)), seed, tmp_path)


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory, seed: Seed) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`recon ingest` while another program holds SQLite's write lock past the 10 s busy timeout
    (store/db.py SQLITE_BUSY_MS, not configurable): the deployment and what the command did."""
    root = tmp_path_factory.mktemp("locked")
    cfg = deployment(root, seed)
    ok(recon(cfg, "init"))
    holder = sqlite3.connect(root / "data" / "recon.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(40, holder.interrupt)
    release.start()
    try:
        proc = recon(cfg, "ingest", "--no-progress")
    finally:
        release.cancel()
        holder.rollback()
        holder.close()
    return root, proc


def test_a_sqlite_database_locked_past_the_busy_timeout_is_exit_3_and_the_next_run_completes(
        locked: tuple[Path, subprocess.CompletedProcess[str]], seed: Seed) -> None:
    root, proc = locked
    said = clear_failure(proc)
    assert "database is locked" in said, said
    assert file_rows_match_files(root, sqlite_url(root)) == []
    ok(recon(root / "config.toml", "run", "--as-of", AS_OF))
    assert_same_as_uninterrupted(picture(root, sqlite_url(root)), seed, root)


def test_a_locked_database_is_said_in_one_line_without_the_sql_statement(
        locked: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    said = clear_failure(locked[1])
    assert len(said.splitlines()) == 1 and "[SQL:" not in said, said


# -- the disk ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def archive_full(tmp_path_factory: pytest.TempPathFactory, seed: Seed) -> Iterator[tuple[Path, list[str]]]:
    """`recon ingest` with the archive on a 400 KB tmpfs (the inbox is about 1 MB): the deployment
    and what `file_rows_match_files` found right after the failure; then the archive grows to 50 MB."""
    root = tmp_path_factory.mktemp("archive-full")
    cfg = deployment(root, seed)
    with tmpfs(root / "archive", "400k"):
        ok(recon(cfg, "init"))
        said = clear_failure(recon(cfg, "ingest", "--no-progress"))
        assert "No space left on device" in said, said
        assert list((root / "inbox").iterdir()), "the files not archived wait in the inbox"
        problems = file_rows_match_files(root, sqlite_url(root))
        remount(root / "archive", "size=50m")
        yield root, problems


def test_a_full_archive_disk_is_exit_3_file_rows_match_files_and_the_next_run_completes(
        archive_full: tuple[Path, list[str]], seed: Seed) -> None:
    root, problems = archive_full
    assert [p for p in problems if not p.startswith("half-copied")] == []
    ok(recon(root / "config.toml", "run", "--as-of", AS_OF))
    assert file_rows_match_files(root, sqlite_url(root)) == []
    assert_same_as_uninterrupted(picture(root, sqlite_url(root)), seed, root)


def test_a_full_archive_disk_leaves_no_half_copied_file(archive_full: tuple[Path, list[str]]) -> None:
    assert archive_full[1] == []


def ingested_and_reconciled(root: Path, seed: Seed) -> Path:
    cfg = deployment(root, seed)
    ok(recon(cfg, "init"))
    ok(recon(cfg, "ingest", "--no-progress"), 1)
    ok(recon(cfg, "reconcile", "--as-of", AS_OF), 1)
    return cfg


def test_a_full_reports_disk_is_exit_3_no_half_report_file_and_the_next_run_completes(
        tmp_path: Path, seed: Seed, mount: Callable[..., None]) -> None:
    mount(tmp_path / "reports", "64k")
    cfg = ingested_and_reconciled(tmp_path, seed)
    said = clear_failure(recon(cfg, "report", "--as-of", AS_OF))
    assert "No space left on device" in said, said
    folder = tmp_path / "reports" / AS_OF
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")], "no half-written report file"
    remount(tmp_path / "reports", "size=50m")
    ok(recon(cfg, "run", "--as-of", AS_OF))
    assert_same_as_uninterrupted(picture(tmp_path, sqlite_url(tmp_path)), seed, tmp_path)


def test_a_read_only_reports_folder_is_exit_3_with_a_clear_message_and_the_next_run_completes(
        tmp_path: Path, seed: Seed, mount: Callable[..., None]) -> None:
    mount(tmp_path / "reports", "1m", "ro")  # not writable even by root
    cfg = ingested_and_reconciled(tmp_path, seed)
    said = clear_failure(recon(cfg, "report", "--as-of", AS_OF))
    assert "Read-only file system" in said, said
    remount(tmp_path / "reports", "rw")
    ok(recon(cfg, "run", "--as-of", AS_OF))
    assert_same_as_uninterrupted(picture(tmp_path, sqlite_url(tmp_path)), seed, tmp_path)


def test_a_failed_nightly_step_is_exit_3_and_names_the_step(
        tmp_path: Path, seed: Seed, mount: Callable[..., None]) -> None:
    mount(tmp_path / "reports", "1m", "ro")
    cfg = deployment(tmp_path, seed)
    ok(recon(cfg, "init"))
    proc = recon(cfg, "run", "--as-of", AS_OF)
    assert proc.returncode == 3
    assert "report" in proc.stdout and "Read-only file system" in proc.stdout, proc.stdout


def test_a_failed_nightly_step_prints_no_traceback_on_stderr(
        tmp_path: Path, seed: Seed, mount: Callable[..., None]) -> None:
    mount(tmp_path / "reports", "1m", "ro")
    cfg = deployment(tmp_path, seed)
    ok(recon(cfg, "init"))
    clear_failure(recon(cfg, "run", "--as-of", AS_OF))


# -- permissions ------------------------------------------------------------------------------------
@pytest.fixture
def unprivileged_root(nobody: Runtime) -> Iterator[Path]:
    """A deployment folder owned by `nobody`, outside pytest's root-only temporary folder."""
    root = Path(tempfile.mkdtemp(prefix="recon-nobody-", dir="/tmp"))
    os.chmod(root, 0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_an_unreadable_inbox_is_a_clear_failure_for_an_unprivileged_user_and_the_next_run_completes(
        unprivileged_root: Path, seed: Seed, nobody: Runtime) -> None:
    root = unprivileged_root
    cfg = deployment(root, seed, mappings=nobody.mappings)
    ok(recon(cfg, "init"))
    subprocess.run(["chown", "-R", "nobody:nogroup", str(root)], check=True)
    os.chmod(root / "inbox", 0o000)
    said = clear_failure(recon(cfg, "ingest", "--no-progress", user="nobody", runtime=nobody))
    assert "Permission denied" in said and "inbox" in said, said
    assert file_rows_match_files(root, sqlite_url(root)) == []
    proc = recon(cfg, "run", "--as-of", AS_OF, user="nobody", runtime=nobody)
    assert proc.returncode == 3 and "Permission denied" in proc.stdout, proc.stdout
    os.chmod(root / "inbox", 0o770)
    ok(recon(cfg, "run", "--as-of", AS_OF, user="nobody", runtime=nobody))
    assert_same_as_uninterrupted(picture(root, sqlite_url(root)), seed, root)


def test_a_configuration_error_is_exit_2_with_the_key_named(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path), extra="[limits]\nmax_file_bytes = \"big\"\n")
    said = clear_failure(recon(cfg, "run", "--as-of", AS_OF), code=2)
    assert "max_file_bytes" in said, said
