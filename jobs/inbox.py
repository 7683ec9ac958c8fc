"""The inbox on disk: which files are ready, and moving each to the archive or to rejected/.

A file is moved only after its database transaction committed; a move is an atomic rename (or a
copy, fsync and rename across file systems), so a crash leaves the file either in the inbox (the
next run repairs it) or in its final place, never half-copied and never lost.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

# Names that say "still being written" or "not a statement": browsers' and office suites'
# temporary files, editors' lock files, hidden files.
_TEMPORARY = re.compile(r"(^\.|^~\$|\.(tmp|part|partial|crdownload|download|swp|lock)$)", re.IGNORECASE)
REASON_SUFFIX = ".reason.txt"


FUTURE_SLACK_SECONDS = 60  # a modification time further ahead than this is a wrong clock, not a writer


@dataclass(frozen=True)
class InboxFile:
    path: Path
    size: int
    mtime: float
    future: bool = False  # its modification time lies in the future: ingested as of now, with a warning


def ready_files(inbox: Path, settle_seconds: float, now: float | None = None) -> tuple[list[InboxFile], list[Path]]:
    """Files ready to ingest, sorted by name, and the ones to wait for (still being written).

    Symbolic links are never followed: a link is left alone and reported as waiting (a link to a
    file in the inbox would ingest that file twice; a link out of it would read what is not ours).
    """
    now = time.time() if now is None else now
    ready, waiting = [], []
    for entry in sorted(inbox.iterdir(), key=lambda p: p.name):
        if _TEMPORARY.search(entry.name) or entry.name.endswith(REASON_SUFFIX):
            waiting.append(entry)
            continue
        if entry.is_symlink():
            waiting.append(entry)
            continue
        if not entry.is_file():
            continue
        st = entry.stat()
        future = st.st_mtime > now + FUTURE_SLACK_SECONDS
        if now - st.st_mtime < settle_seconds and not future:
            waiting.append(entry)
            continue
        ready.append(InboxFile(entry, st.st_size, st.st_mtime, future))
    return ready, waiting


def still_same(f: InboxFile) -> bool:
    """The file has not changed since it was listed (size and mtime)."""
    try:
        st = f.path.stat()
    except FileNotFoundError:
        return False
    return st.st_size == f.size and st.st_mtime == f.mtime


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_name(name: str, limit: int = 180) -> str:
    """A file name safe to use as an archive path: no path separators, control characters
    (newlines) or leading dots; at most `limit` bytes; never empty."""
    name = unicodedata.normalize("NFC", name)
    name = _UNSAFE.sub("_", name).strip(" .")
    name = name.replace("..", "_")
    if not name:
        name = "unnamed"
    while len(name.encode("utf-8")) > limit:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:-1] + dot + ext) if dot and len(ext) < 16 and stem else name[:-1]
    return name


def unique_target(folder: Path, name: str, taken: Container[Path] = ()) -> Path:
    """`folder/name`, or `name-1`, `name-2`, ... : the first that is neither a file (nor a rejected
    file's reason file) nor in `taken` (targets promised to files not moved yet)."""
    target = folder / name
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    n = 1
    while target in taken or target.exists() or target.with_name(target.name + REASON_SUFFIX).exists():
        target = folder / (f"{stem}-{n}{dot}{ext}" if dot else f"{name}-{n}")
        n += 1
    return target


def move(src: Path, folder: Path, name: str) -> Path:
    """Move `src` into `folder` under a safe, unused name; atomic within one file system."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o770)
    return move_to(src, unique_target(folder, safe_name(name)))


def move_to(src: Path, target: Path) -> Path:
    try:
        os.replace(src, target)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: another file system
            raise
        tmp = target.with_name(target.name + ".partial")
        try:
            shutil.copy2(src, tmp)  # keeps the modification time: later runs compare it (jobs/archive.py)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        except OSError:
            tmp.unlink(missing_ok=True)  # a full disk leaves nothing half-copied behind
            raise
        os.replace(tmp, target)
        os.unlink(src)
    return target


def write_reason_at(target: Path, text: str) -> None:
    """Write `<target>.reason.txt` atomically, beside where the rejected file goes."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o770)
    reason = target.with_name(target.name + REASON_SUFFIX)
    tmp = reason.with_name(reason.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, reason)
