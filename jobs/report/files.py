"""Report files are written to a temporary name beside their final one and renamed into place,
so a reader never sees half a file; owner and group may read them, nobody else."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o640
DIR_MODE = 0o750


def make_folder(path: Path) -> Path:
    """Create `path` and any missing parents with owner-and-group-only modes (mkdir's `mode`
    applies to the last folder alone, and the umask would make the parents world-readable)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


@contextlib.contextmanager
def atomic(path: Path, *, text: bool = False, encoding: str = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` for writing; rename it over `path` on success, remove it
    on failure."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        with (os.fdopen(fd, "w", encoding=encoding, newline="") if text else os.fdopen(fd, "wb")) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    finally:  # a rename onto another name of the same file does nothing (POSIX): the report written again
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def link(source: Path, path: Path) -> None:
    """`path` as another name of the finished file `source` (a hard link; a copy where the file system
    has none), put in place as `atomic` puts a file. Safe because no report file is ever written in
    place: every file is written whole under a temporary name and renamed (`atomic`), so a name
    replaced or removed later leaves the other name's bytes as they were."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
            os.chmod(tmp, FILE_MODE)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:  # a rename onto another name of the same file does nothing (POSIX): the report written again
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
