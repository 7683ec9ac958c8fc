"""Reading the inbox's files: each in a child process under the reader limits (jobs/isolate.py),
in name order; with many files, `ingest.workers` more are read ahead while the database writes the
previous one's rows (results come back in order). When no child can be started, files are read in
this process (said once)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from loguru import logger

from jobs import inbox, isolate
from jobs.prepare import Prepared, file_sha256, prepare
from reconcile.accounts import Registry
from reconcile.limits import Limits
from reconcile.messages import t

PARALLEL_FROM = 16  # files: below this, reading ahead saves nothing worth a second child at once


class Reading:
    """One file being read: in a child process (`child`), or in this one when no child could be
    started; `result()` gives its `Prepared`, a reader that failed its limits as a refusal."""

    def __init__(self, f: inbox.InboxFile, limits: Limits, lang: str, child: isolate.Child[Prepared] | None,
                 args: tuple[Any, ...]) -> None:
        self.f, self.limits, self.lang, self.child, self.args = f, limits, lang, child, args

    def result(self) -> Prepared:
        logger.debug(t("ingest.reading", self.lang, name=self.f.path.name, size=self.f.size))
        if self.child is None:
            return prepare(*self.args)
        got = self.child.result()
        if not isinstance(got, isolate.Failure):
            return got
        lim = self.limits
        values = {"mb": lim.reader_memory_bytes // (1024 * 1024), "seconds": lim.reader_seconds,
                  "detail": got.detail}
        return Prepared(self.f.path, sha256=file_sha256(self.f.path), error=t(f"reject.reader_{got.kind}", self.lang,
                                                                              **values))

    def abandon(self) -> None:
        if self.child is not None:
            self.child.abandon()


class Reader:
    def __init__(self, banks: Path, limits: Limits, registry: Registry, lang: str, workers: int,
                 on_file: Callable[[str], None]) -> None:
        self.banks, self.limits, self.registry, self.lang, self.workers = banks, limits, registry, lang, workers
        self.on_file = on_file
        self._children = True  # False once a child process could not be started: read in-process

    def each(self, files: list[inbox.InboxFile],
             stop: Callable[[], bool]) -> Iterator[tuple[inbox.InboxFile, Prepared]]:
        """Each file with its parse, in name order."""
        ahead = 1 + (self.workers if len(files) >= PARALLEL_FROM else 0)
        pending: deque[tuple[inbox.InboxFile, Reading]] = deque()
        todo = iter(files)
        try:
            while True:
                while len(pending) < ahead and not stop() and (nxt := next(todo, None)) is not None:
                    pending.append((nxt, self.start(nxt)))
                if not pending:
                    return
                f, reading = pending.popleft()
                self.on_file(f.path.name)
                yield f, reading.result()
                if stop():
                    return
        finally:
            for _, left in pending:
                left.abandon()

    def one(self, f: inbox.InboxFile) -> Prepared:
        """One file's parse, in a child process under the reader limits (the archive check)."""
        return self.start(f).result()

    def start(self, f: inbox.InboxFile) -> Reading:
        args = (f.path, self.banks, self.limits, self.registry, self.lang)
        if not self._children:
            return Reading(f, self.limits, self.lang, None, args)
        try:
            return Reading(f, self.limits, self.lang, isolate.Child(prepare, args, self.limits.reader_memory_bytes,
                                                                    self.limits.reader_seconds), args)
        except OSError as exc:
            self._children = False
            logger.warning(t("ingest.no_child", self.lang, error=exc.strerror or exc))
            return Reading(f, self.limits, self.lang, None, args)
