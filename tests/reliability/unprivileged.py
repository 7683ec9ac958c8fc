"""Running `recon` as an unprivileged user (`nobody`) from any checkout.

A checkout may lie where that user cannot enter (a clone under /root), and so may the interpreter
and its packages (pyenv under /root, the checkout's .venv). The unprivileged run then gets its own
readable copy: the project's packages and mappings, the virtual environment's site-packages and,
when the interpreter's own files are out of reach, the interpreter with its standard library, all
hard-linked where the file system allows (no bytes copied) and placed under /tmp. Where even that
cannot run, the test is skipped with the reason, except under CI=true, where it must run.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.integration.conftest import ROOT

PACKAGES = ("reconcile", "parsers", "store", "simulate", "jobs", "web", "bench", "mappings")
PROBE = ("import jobs.cli, jobs.nightly, jobs.ingest, jobs.report, store.db, parsers.registry, openpyxl, sqlalchemy; "
         "import pathlib, sys; pathlib.Path(sys.argv[1]).read_text(encoding='utf-8')")


@dataclass(frozen=True)
class Runtime:
    """An interpreter, a PYTHONPATH and a mappings folder that the user can read."""

    python: str
    path: str
    mappings: Path
    copy: Path | None = None  # the folder holding the copies (removed after the session)


def as_user(user: str, *cmd: str) -> list[str]:
    return ["setpriv", f"--reuid={user}", "--regid=nogroup", "--clear-groups", *cmd]


def probe(user: str, rt: Runtime) -> str:
    """'' when `user` can import the tool with this runtime and read its mappings, else why not."""
    env = {"PYTHONPATH": rt.path, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run(as_user(user, rt.python, "-c", PROBE, str(rt.mappings / "accounts.toml")), env=env,
                              cwd="/", capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return "" if proc.returncode == 0 else (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]


def _place(src: str, dst: str) -> None:
    """A hard link when the file is world-readable and on the same file system, else a readable copy."""
    if os.stat(src).st_mode & stat.S_IROTH:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copy2(src, dst)
    os.chmod(dst, os.stat(dst).st_mode | stat.S_IROTH | (stat.S_IXOTH if os.stat(dst).st_mode & stat.S_IXUSR else 0))


def _tree(src: Path, dst: Path, *skip: str) -> None:
    shutil.copytree(src, dst, symlinks=True, copy_function=_place,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", *skip))


def _readable_dirs(top: Path) -> None:
    for folder, _, _ in os.walk(top):
        os.chmod(folder, 0o755)


def interpreter(copy: Path) -> str:
    """The base interpreter and its standard library under `copy` (it finds its library beside it)."""
    base, version = Path(sys.base_prefix), f"python{sys.version_info.major}.{sys.version_info.minor}"
    (copy / "python" / "bin").mkdir(parents=True)
    _place(os.path.realpath(getattr(sys, "_base_executable", sys.executable)), str(copy / "python" / "bin" / version))
    _tree(base / "lib", copy / "python" / "lib", "site-packages", "test", "idlelib", "tkinter", "ensurepip")
    _readable_dirs(copy)
    return str(copy / "python" / "bin" / version)


def build(user: str) -> tuple[Runtime | None, str]:
    """The runtime `user` can run the tool with, and, when there is none, why."""
    here = Runtime(sys.executable, str(ROOT), ROOT / "mappings")
    if not probe(user, here):
        return here, ""
    copy = Path(tempfile.mkdtemp(prefix="recon-runtime-", dir="/tmp"))
    src, site = copy / "src", copy / "site"
    for name in PACKAGES:
        _tree(ROOT / name, src / name)
    paths = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    for i, p in enumerate(sorted(paths)):
        _tree(Path(p), site / str(i), "*.pth", "__editable__*")
    path = os.pathsep.join([str(src), *(str(site / str(i)) for i in range(len(paths)))])
    _readable_dirs(copy)
    rt = Runtime(sys.executable, path, src / "mappings", copy)
    why = probe(user, rt)
    if why:  # the interpreter itself (or its standard library) is out of reach: take it along
        rt = Runtime(interpreter(copy), path, src / "mappings", copy)
        why = probe(user, rt)
    if why:
        shutil.rmtree(copy, ignore_errors=True)
        return None, why
    return rt, ""


def unavailable() -> str:
    """Why an unprivileged run is impossible here at all, or ''."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return "needs root and setpriv to run the command as an unprivileged user (root reads anything)"
    return ""
