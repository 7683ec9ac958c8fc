"""Reading the inbox's files in child processes under the reader limits (jobs/isolate.py), in name
order: a forked `Worker` reads one file after another (one fork for many files); a file that fails
its limits is refused naming the limit, its Worker ends and the files sent after it go to a new one.
With many files, `ingest.workers` more are read ahead (by as many Workers, a file to each in turn)
while the database writes the previous one's rows; results come back in order; unset, the work and
the machine decide how many (`readers`). When no child can be started, files are read in this
process (said once).

A Worker sends each statement's lines as columns (`STATEMENT_REDUCERS`), not as one pickled `Line`
each: pickling and unpickling 430k lines one object at a time cost the child 1.0 s and the writer
0.75 s of a province month."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import fields
from itertools import repeat
from pathlib import Path
from typing import Any

from loguru import logger

from jobs import inbox, isolate
from jobs.prepare import Prepared, file_sha256, prepare
from reconcile.accounts import Registry
from reconcile.fingerprint import identities
from reconcile.limits import Limits
from reconcile.messages import t
from reconcile.model import Identities, Line, Statement

PARALLEL_FROM = 16  # files: below this, reading ahead saves nothing worth a second child at once


def cores() -> int:
    """The cores this process may run on (its affinity, which a container or `taskset` narrows)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def readers(configured: int | None, machine_cores: int) -> int:
    """How many files a run reads ahead (with PARALLEL_FROM files or more), each by a reader child of
    its own: `ingest.workers` when it is set; unset, two on a machine of two cores or more, else one.
    One reader costs about what the one writer does on a province's statements (about 7 CPU s each
    a month), so a second makes the reading the shorter leg; a third would wait for the writer, and
    on one core a second reader only takes the writer's core. On a province night (48 files) two
    cost what one does (bench/RESULTS.md, i18readers)."""
    if configured is not None:
        return configured
    return 2 if machine_cores >= 2 else 1


_FIELDS = tuple(f.name for f in fields(Statement) if f.name not in ("lines", "identities"))


def statement_from_columns(values: tuple[Any, ...], columns: tuple[tuple[Any, ...], ...],
                           made: tuple[list[str], list[str]] | None = None) -> Statement:
    """A statement sent by a Worker: its fields but the lines, its lines' fields as columns, and the
    identities its child made of them (`made`: fingerprints and match keys, when all are booked)."""
    # `tuple.__new__` in C over the rows of the columns, as `Line(*fields)` would make each (every
    # field is given), without its Python `__new__` a line: this runs in the writer.
    lines = tuple(map(tuple.__new__, repeat(Line), zip(*columns, strict=True))) if columns else ()
    named = dict(zip(_FIELDS, values, strict=True))
    return Statement(**named, lines=lines,
                     identities=None if made is None else Identities(lines, named["intraday"], *made))


def _statement_as_columns(st: Statement) -> tuple[Any, ...]:
    """How a Worker's child pickles a statement (`statement_from_columns` gives it back, equal in
    every field): each of the lines' fields as one tuple, not a pickled `Line` a line; and, when all
    its lines are booked (the usual case), their identities, made here in the child: the one writer
    stores every file in turn, two children read them (reconcile/fingerprint.py, 3 µs a line)."""
    booked = st.booked
    made = identities(booked, intraday=st.intraday) if booked and booked is st.lines else None
    return statement_from_columns, (tuple(getattr(st, name) for name in _FIELDS),
                                    tuple(zip(*st.lines, strict=True)), made)


STATEMENT_REDUCERS: isolate.Reducers = {Statement: _statement_as_columns}


def _prepare_at(banks: Path, limits: Limits, registry: Registry, lang: str, path: Path) -> Prepared:
    """`prepare` with the run's fixed arguments first: a Worker holds those from its fork on."""
    return prepare(path, banks, limits, registry, lang)


def alone(args: tuple[Any, ...], limits: Limits) -> isolate.Worker[Prepared]:
    """A Worker of one call that reads one file (`prepare(*args)`); raises OSError when the fork fails."""
    return isolate.Worker.alone(prepare, args, limits.reader_memory_bytes, limits.reader_seconds)


class Reading:
    """One file being read: by a Worker (`worker`, its call `n`), or in this process when no child
    could be started; `result()` gives its `Prepared`, a reader that failed its limits as a refusal."""

    def __init__(self, f: inbox.InboxFile, limits: Limits, lang: str, args: tuple[Any, ...], *,
                 worker: isolate.Worker[Prepared] | None = None, n: int = 0, slot: int = 0) -> None:
        self.f, self.limits, self.lang, self.args = f, limits, lang, args
        self.worker, self.n, self.slot = worker, n, slot

    def result(self) -> Prepared:
        logger.debug(t("ingest.reading", self.lang, name=self.f.path.name, size=self.f.size))
        if self.worker is None:
            return prepare(*self.args)
        got: Prepared | isolate.Failure = self.worker.result(self.n)
        if isinstance(got, isolate.Failure) and got.kind == "gone":  # its Worker ended before it: the
            # Reader sends such a file to a new Worker first, so this is a safety net only
            self.worker, self.n = alone(self.args, self.limits), 1
            return self.result()
        if not isinstance(got, isolate.Failure):
            return got
        lim = self.limits
        values = {"mb": lim.reader_memory_bytes // (1024 * 1024), "seconds": lim.reader_seconds,
                  "detail": got.detail}
        return Prepared(self.f.path, sha256=file_sha256(self.f.path), error=t(f"reject.reader_{got.kind}", self.lang,
                                                                              **values))

    def abandon(self) -> None:
        if self.worker is not None:
            self.worker.abandon()


class Reader:
    def __init__(self, banks: Path, limits: Limits, registry: Registry, lang: str, workers: int | None,
                 on_file: Callable[[str], None]) -> None:
        self.banks, self.limits, self.registry, self.lang, self.workers = banks, limits, registry, lang, workers
        self.on_file = on_file
        self._children = True  # False once a child process could not be started: read in-process
        self._slots: list[isolate.Worker[Prepared] | None] = []

    def each(self, files: list[inbox.InboxFile],
             stop: Callable[[], bool]) -> Iterator[tuple[inbox.InboxFile, Prepared]]:
        """Each file with its parse, in name order."""
        many = len(files) >= PARALLEL_FROM
        workers = readers(self.workers, cores())
        ahead = 1 + (workers if many else 0)
        self._slots = [None] * (max(1, workers) if many else 1)
        pending: deque[Reading] = deque()
        todo = iter(files)
        sent = 0
        try:
            while True:
                while len(pending) < ahead and not stop() and (nxt := next(todo, None)) is not None:
                    pending.append(self._send(nxt, sent % len(self._slots)))
                    sent += 1
                if not pending:
                    return
                reading = pending.popleft()
                self.on_file(reading.f.path.name)
                prepared = reading.result()
                ended = reading.worker
                if ended is not None and ended.ended is not None:
                    # the files sent after it to the same Worker go again, in order, to a new one
                    for i, later in enumerate(pending):
                        if later.worker is ended:
                            pending[i] = self._send(later.f, later.slot)
                yield reading.f, prepared
                if stop():
                    return
        finally:
            for left in pending:
                left.abandon()
            for worker in self._slots:
                if worker is not None:
                    worker.abandon()
            self._slots = []

    def one(self, f: inbox.InboxFile) -> Prepared:
        """One file's parse, in a child process under the reader limits (the archive check)."""
        args = (f.path, self.banks, self.limits, self.registry, self.lang)
        if self._children:
            try:
                return Reading(f, self.limits, self.lang, args, worker=alone(args, self.limits), n=1).result()
            except OSError as exc:
                self._no_children(exc)
        return Reading(f, self.limits, self.lang, args).result()

    def _send(self, f: inbox.InboxFile, slot: int) -> Reading:
        """The file to the Worker of `slot` (a new one when it has ended or had its calls)."""
        args = (f.path, self.banks, self.limits, self.registry, self.lang)
        if self._children:
            try:
                worker = self._slots[slot]
                if worker is None or not worker.open:
                    worker = self._slots[slot] = isolate.Worker(
                        _prepare_at, (self.banks, self.limits, self.registry, self.lang),
                        self.limits.reader_memory_bytes, self.limits.reader_seconds, STATEMENT_REDUCERS)
                return Reading(f, self.limits, self.lang, args, worker=worker, n=worker.send((f.path,)), slot=slot)
            except OSError as exc:
                self._no_children(exc)
        return Reading(f, self.limits, self.lang, args, slot=slot)

    def _no_children(self, exc: OSError) -> None:
        self._children = False
        logger.warning(t("ingest.no_child", self.lang, error=exc.strerror or exc))
