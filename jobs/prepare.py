"""The pure half of ingesting a file: read its bytes, hash them, and parse them (a statement file
a plan/schedule file, or a book journal). Nothing here touches the database or moves a file, so it can run in a
child process (jobs/isolate.py) under a memory and a time bound, while the main process writes the
previous file's rows: on a province year the parsers and the database each take about half the
time, and a 2-core machine can overlap them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from parsers import books, schedules
from parsers import registry as formats
from parsers.base import ReadContext
from parsers.tabular.grid import one_workbook
from reconcile.accounts import Registry
from reconcile.book.records import Journal
from reconcile.errors import ParseError
from reconcile.limits import Limits
from reconcile.model import Statement


@dataclass
class Prepared:
    """What one file holds, or why it cannot be read (`error`)."""

    path: Path
    sha256: str = ""
    empty: bool = False
    refused: str = ""  # refused before its bytes were read (above limits.max_file_bytes): the reason
    statements: list[Statement] = field(default_factory=list)
    schedule_kind: str = ""
    schedule_rows: list[object] = field(default_factory=list)
    journals: list[Journal] = field(default_factory=list)  # a book journal export (银行存款日记账)
    error: str = ""
    cut_short: bool = False  # unreadable, and its bytes stop before their format's end (still being written?)


def file_sha256(path: Path) -> str:
    """The file's sha256, read in blocks (for a file whose reader failed: its row still names it)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


def read_bounded(path: Path, limits: Limits) -> bytes:
    """The bytes of a file: the one place a file is read, and its size checked against
    `limits.max_file_bytes` (before reading, and again on what was read: a file may grow). Refuses
    what is not a regular file (a FIFO would block, /dev/zero never ends). Raises `ParseError`."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens at once, and is refused below
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ParseError(key="not_regular")
        if refusal := limits.too_large(st.st_size):
            raise refusal
        # read(n) reserves n bytes at once: ask for the size just seen (the reader's address space is
        # capped, jobs/isolate.py), then in blocks for what the file grew since, up to one byte past the limit
        parts = [fh.read(st.st_size)]
        total = len(parts[0])
        while total <= limits.max_file_bytes and (block := fh.read(min(1 << 20, limits.max_file_bytes + 1 - total))):
            parts.append(block)
            total += len(block)
    data = b"".join(parts)  # one part (the file did not grow): no copy
    if refusal := limits.too_large(len(data)):
        raise refusal
    return data


def prepare(path: Path, banks_dir: Path, limits: Limits, registry: Registry, lang: str = "zh") -> Prepared:
    """What the file at `path` holds, or why it cannot be read."""
    try:
        data = read_bounded(path, limits)
    except ParseError as exc:
        return Prepared(path, refused=exc.text(lang))
    out = Prepared(path, hashlib.sha256(data).hexdigest(), empty=not data)
    if not data:
        return out
    try:
        with one_workbook():  # the detectors and the reader open a workbook once between them
            kind = schedules.detect(data)
            if kind is not None:
                out.schedule_kind = kind
                out.schedule_rows = list(schedules.read(data, path.name, registry).rows)
            elif books.detect(data, banks_dir.parent / "books"):
                out.journals = books.read(data, path.name, banks_dir.parent / "books")
            else:
                out.statements = formats.read_bytes(data, ReadContext(file_name=path.name, banks_dir=banks_dir,
                                                                       limits=limits, lang=lang))
    except ParseError as exc:
        out.error = exc.located(path.name).render(lang)
        out.cut_short = formats.looks_cut_short(data)
    return out
