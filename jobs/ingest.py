"""The inbox pipeline: every ready file ends ingested (archive/), duplicate (archive/) or
rejected (rejected/ with a reason file beside it). Never deleted, never half-done.

Per file: read and hash; parse; bind every statement to a registered account; one database
transaction records the file, its statements and their new lines; only after the commit does the
file move. The archive path is decided before the commit and stored with the file's row, so a
crash between commit and move is repaired by the next run (it finishes the move).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from loguru import logger
from sqlalchemy import Engine
from tqdm import tqdm

from jobs import archive, crashpoints, inbox, isolate
from jobs.prepare import Prepared, file_sha256, prepare
from reconcile.accounts import Registry
from reconcile.book.binding import SUBJECTS_FILE, Subjects, bind, load_subjects
from reconcile.book.records import Journal
from reconcile.config import Config
from reconcile.departures import describe, strict_refusal
from reconcile.limits import Limits
from reconcile.messages import t
from reconcile.model import Statement
from reconcile.money import format_yuan
from store.books import store_journal
from store.db import session_scope
from store.ledger import conflicts, files_with_sha, record_file, store_schedule, store_statement
from store.models import FileRow


@dataclass
class IngestReport:
    ingested: int = 0
    duplicate: int = 0
    rejected: int = 0
    waiting: int = 0
    added: int = 0
    skipped: int = 0
    entries: int = 0  # new journal entries (book journals), apart from statement lines
    entries_skipped: int = 0
    rejected_names: list[str] = field(default_factory=list)
    changed_names: list[str] = field(default_factory=list)  # archived files that changed after their ingest


PARALLEL_FROM = 16  # files: below this, reading ahead saves nothing worth a second child at once


class Rejection(Exception):
    """A file that cannot be a statement of a registered account; carries the user-facing reason."""


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


class Ingestor:
    def __init__(self, cfg: Config, registry: Registry, engine: Engine, *, lang: str = "zh",
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), workers: int | None = None,
                 on_file: Callable[[str], None] = lambda _name: None) -> None:
        self.cfg, self.registry, self.engine, self.lang, self.now = cfg, registry, engine, lang, now
        self.archive = cfg.path("archive")
        self.rejected = cfg.path("rejected")
        self.limits = cfg.limits
        self.rules = [(re.compile(r.pattern), r.account) for r in cfg.ingest.filename_rules]
        self.workers = cfg.ingest.workers if workers is None else workers
        self.on_file = on_file  # told each file's name before its parse is awaited (the run row keeps it)
        self._children = True  # False once a child process could not be started: read in-process
        self._subjects: Subjects | None = None

    def run(self, *, stop: Callable[[], bool] = lambda: False, progress: bool | None = None) -> IngestReport:
        report = IngestReport()
        box = self.cfg.path("inbox")
        box.mkdir(parents=True, exist_ok=True, mode=0o770)
        ready, waiting = inbox.ready_files(box, self.cfg.ingest.settle_seconds)
        report.waiting = len(waiting)
        archive.recheck(self, report, stop)
        bar = tqdm(total=len(ready), desc=t("ingest.progress", self.lang), unit="file",
                   disable=progress is False or None, leave=False)
        for f, prepared in self._prepared(ready, stop):
            bar.update()
            if stop():
                logger.info(t("log.stop_requested", self.lang))
                break
            if not inbox.still_same(f):
                report.waiting += 1
                continue
            self._one(f, prepared, report)
        bar.close()
        logger.info(t("ingest.done", self.lang, **{k: getattr(report, k) for k in
                    ("ingested", "duplicate", "rejected", "waiting", "added", "skipped")}))
        if report.entries or report.entries_skipped:
            logger.info(t("ingest.entries", self.lang, entries=report.entries, skipped=report.entries_skipped))
        return report

    def _prepared(self, files: list[inbox.InboxFile],
                  stop: Callable[[], bool]) -> Iterator[tuple[inbox.InboxFile, Prepared]]:
        """Each file with its parse, in name order. Every file is read in a child process under the
        reader limits (jobs/isolate.py); with many files, `ingest.workers` more are read ahead while
        the database writes the previous one's rows (results come back in order)."""
        ahead = 1 + (self.workers if len(files) >= PARALLEL_FROM else 0)
        pending: deque[tuple[inbox.InboxFile, Reading]] = deque()
        todo = iter(files)
        try:
            while True:
                while len(pending) < ahead and not stop() and (nxt := next(todo, None)) is not None:
                    pending.append((nxt, self._start(nxt)))
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

    def _start(self, f: inbox.InboxFile) -> Reading:
        args = (f.path, self.cfg.path("mappings") / "banks", self.limits, self.registry, self.lang)
        if not self._children:
            return Reading(f, self.limits, self.lang, None, args)
        try:
            return Reading(f, self.limits, self.lang, isolate.Child(prepare, args, self.limits.reader_memory_bytes,
                                                                    self.limits.reader_seconds), args)
        except OSError as exc:
            self._children = False
            logger.warning(t("ingest.no_child", self.lang, error=exc.strerror or exc))
            return Reading(f, self.limits, self.lang, None, args)

    def read_one(self, f: inbox.InboxFile) -> Prepared:
        """One file's parse, in a child process under the reader limits (the archive check)."""
        return self._start(f).result()

    def bind(self, statements: list[Statement], name: str) -> list[tuple[str, Statement]]:
        """Each statement with its registered account and its period (from the name where the file
        gives none); raises `Rejection` for an unknown account or a bank's correction of held lines."""
        named = [self._with_period(st, name) for st in statements]
        bound = [(self._account_of(st, name, i), st) for i, st in enumerate(named)]
        self._no_corrections(name, bound)
        return bound

    # -- one file -------------------------------------------------------------------------------
    def _one(self, f: inbox.InboxFile, prepared: Prepared, report: IngestReport) -> None:
        name = f.path.name
        received = datetime.fromtimestamp(f.mtime, UTC)
        if f.future:
            received = self.now()
            logger.warning(t("ingest.future_mtime", self.lang, name=name, mtime=datetime.fromtimestamp(
                f.mtime, UTC).isoformat(timespec="seconds"), now=received.isoformat(timespec="seconds")))
        if prepared.refused:
            self._reject(f, "", received, prepared.refused, report)
            return
        wait = self.cfg.ingest.incomplete_wait_minutes
        if prepared.error and prepared.cut_short:
            age = self.now().timestamp() - f.mtime
            if age < wait * 60:
                report.waiting += 1
                logger.info(t("ingest.incomplete_wait", self.lang, name=name, minutes=wait, error=prepared.error))
                return
            prepared.error = t("reject.incomplete", self.lang, minutes=wait, error=prepared.error)
        crashpoints.point("ingest.read")
        sha = prepared.sha256
        with session_scope(self.engine) as s:
            known = files_with_sha(s, sha) if sha else []
        for row in known:
            if row.name == name and row.archive_path and not Path(row.archive_path).exists():
                # An earlier run committed this file's row and stopped before the move: finish it.
                target = Path(row.archive_path)
                if row.status == "rejected":
                    inbox.write_reason_at(target, self._reason_text(name, row.reason, sha))
                    crashpoints.point("ingest.reason_written")
                inbox.move_to(f.path, _prepared(target))
                logger.info(t("log.finished_moving", self.lang, name=name))
                return
        same = [r for r in known if r.status == "ingested"]
        # The same bytes are a duplicate unless the file name says something they do not: an empty
        # export whose account and period are only in its name is a statement of its own.
        first = next((r for r in same if self._name_binding(r.name) == self._name_binding(name)), None)
        if first is not None:
            self._duplicate(f, first, sha, received, report)
            return
        if prepared.schedule_kind and not prepared.error:
            self._schedule(f, prepared, received, report)
            return
        if prepared.journals and not prepared.error:
            self._journal(f, prepared, received, report)
            return
        try:
            if prepared.empty:
                raise Rejection(t("reject.empty", self.lang))
            if prepared.error:
                raise Rejection(t("reject.unreadable", self.lang, error=prepared.error))
            statements = prepared.statements
            departures = list(dict.fromkeys(d for st in statements for d in st.warnings))
            refusal = strict_refusal(name, departures, self.lang) if self.cfg.ingest.strict else None
            if refusal:
                raise Rejection(refusal)
            bound = self.bind(statements, name)
            named = [st for _, st in bound]
        except Rejection as exc:
            self._reject(f, sha, received, str(exc), report)
            return
        crashpoints.point("ingest.parsed")
        if same and named == statements and all(st.account.strip() for st in statements):
            self._duplicate(f, same[0], sha, received, report)  # the name added nothing: same statement
            return
        account = bound[0][0] if bound else ""
        target = inbox.unique_target(self._archive_folder(account, [st for _, st in bound]), inbox.safe_name(name))
        fmt = ",".join(sorted({st.format for _, st in bound}))
        added, skipped = self._store_and_archive(f, sha, received, fmt, account, target, bound, store_statement,
                                                 item_point="ingest.statement")
        report.ingested += 1
        report.added += added
        report.skipped += skipped
        logger.debug(t("ingest.ingested", self.lang, name=name, account=account, added=added, skipped=skipped))
        for d in departures:  # read despite departing from the standard: said once per departure
            logger.warning(t("dialect.ingested", self.lang, name=name, text=describe(d, self.lang)))

    def _store_and_archive(self, f: inbox.InboxFile, sha: str, received: datetime, fmt: str, account: str,
                           target: Path, bound: Sequence[tuple[str, Any]], store_one: Callable[..., Any],
                           item_point: str | None = None) -> tuple[int, int]:
        """One file's row and its statements or journals in one transaction, then the move to the
        archive (the crash points name each step); the lines or entries added and skipped."""
        added = skipped = 0
        with session_scope(self.engine) as s:
            row = record_file(s, sha256=sha, name=f.path.name, size=f.size, status="ingested", received_at=received,
                              processed_at=self.now(), fmt=fmt, account=account, archive_path=str(target))
            crashpoints.point("ingest.file_row")
            for i, (acct, item) in enumerate(bound):
                stored = store_one(s, row, i, acct, item)
                if item_point:
                    crashpoints.point(item_point)
                added += stored.added
                skipped += stored.skipped
            row.lines_added, row.lines_skipped = added, skipped
            crashpoints.point("ingest.before_commit")
        crashpoints.point("ingest.committed")
        inbox.move_to(f.path, _prepared(target))
        crashpoints.point("ingest.moved")
        return added, skipped

    def _schedule(self, f: inbox.InboxFile, prepared: Prepared, received: datetime, report: IngestReport) -> None:
        """A payment plan, surplus schedule or collection-target file: its rows, in one transaction."""
        sha, kind, rows = prepared.sha256, prepared.schedule_kind, prepared.schedule_rows
        day = self.now().date()
        target = inbox.unique_target(self.archive / "_plans" / f"{day.year:04d}" / f"{day.month:02d}",
                                     inbox.safe_name(f.path.name))
        with session_scope(self.engine) as s:
            row = record_file(s, sha256=sha, name=f.path.name, size=f.size, status="ingested", received_at=received,
                              processed_at=self.now(), fmt=kind, archive_path=str(target))
            row.lines_added = store_schedule(s, row, kind, rows)
        inbox.move_to(f.path, _prepared(target))
        report.ingested += 1
        logger.debug(t("ingest.schedule", self.lang, name=f.path.name, kind=kind, rows=len(rows)))

    def _journal(self, f: inbox.InboxFile, prepared: Prepared, received: datetime, report: IngestReport) -> None:
        """A book journal export: bound to a registered account, its new entries in one transaction,
        archived beside the account's statements (archive/<account>/<yyyy>/<mm>/)."""
        name, sha = f.path.name, prepared.sha256
        try:
            bound = [(self._journal_account(j, name, i), j) for i, j in enumerate(prepared.journals)]
        except Rejection as exc:
            self._reject(f, sha, received, str(exc), report)
            return
        crashpoints.point("ingest.parsed")
        account = bound[0][0]
        days = [p[1] for _, j in bound if (p := j.covered_period()) is not None]
        day = max(days) if days else self.now().date()
        folder = self.archive / inbox.safe_name(account) / f"{day.year:04d}" / f"{day.month:02d}"
        target = inbox.unique_target(folder, inbox.safe_name(name))
        fmt = ",".join(sorted({j.format for _, j in bound}))
        added, skipped = self._store_and_archive(f, sha, received, fmt, account, target, bound, store_journal)
        report.ingested += 1
        report.entries += added
        report.entries_skipped += skipped
        logger.debug(t("ingest.journal", self.lang, name=name, account=account, added=added, skipped=skipped))

    def _journal_account(self, journal: Journal, file_name: str, index: int) -> str:
        if self._subjects is None:
            self._subjects = load_subjects(self.cfg.path("mappings") / SUBJECTS_FILE, self.registry)
        b = bind(journal, self.registry, self._subjects, self._from_file_name(file_name))
        if b.problem:
            where = f"{file_name} journal {index + 1}" + (f" ({journal.source})" if journal.source else "")
            raise Rejection(t(f"reject.book.{b.problem}", self.lang, where=where, account=b.value,
                              subject=journal.subject or "-"))
        return b.account

    def _duplicate(self, f: inbox.InboxFile, first: FileRow, sha: str, received: datetime,
                   report: IngestReport) -> None:
        folder = Path(first.archive_path).parent if first.archive_path else self.archive / "_duplicates"
        target = inbox.unique_target(folder, inbox.safe_name(f.path.name))
        with session_scope(self.engine) as s:
            record_file(s, sha256=sha, name=f.path.name, size=f.size, status="duplicate", received_at=received,
                        processed_at=self.now(), fmt=first.format, account=first.account,
                        reason=f"same bytes as file #{first.id} {first.name}", archive_path=str(target))
        crashpoints.point("ingest.duplicate_recorded")
        inbox.move_to(f.path, _prepared(target))
        report.duplicate += 1
        logger.debug(t("ingest.duplicate", self.lang, name=f.path.name, first=first.name))

    def _name_binding(self, file_name: str) -> tuple[tuple[str, str], ...]:
        """What the file-name rules read from a name (account, start, end), to tell apart files
        whose bytes are equal but whose names bind them to different accounts or periods."""
        out: list[tuple[str, str]] = []
        for pattern, template in self.rules:
            m = pattern.search(file_name)
            if m:
                out += sorted((k, v) for k, v in m.groupdict().items() if v)
                if template:
                    out.append(("account", template.format(**m.groupdict())))
        return tuple(out)

    def _reject(self, f: inbox.InboxFile, sha: str, received: datetime, reason: str, report: IngestReport) -> None:
        # The target is chosen before the commit and kept with the row, so that a run stopped
        # between the two finishes the move to the same place (see _one).
        target = inbox.unique_target(self.rejected, inbox.safe_name(f.path.name))
        with session_scope(self.engine) as s:
            record_file(s, sha256=sha, name=f.path.name, size=f.size, status="rejected", received_at=received,
                        processed_at=self.now(), reason=reason, archive_path=str(target))
        crashpoints.point("ingest.reject_recorded")
        inbox.write_reason_at(target, self._reason_text(f.path.name, reason, sha))
        crashpoints.point("ingest.reason_written")
        inbox.move_to(f.path, _prepared(target))
        report.rejected += 1
        report.rejected_names.append(f.path.name)
        logger.warning(t("ingest.rejected", self.lang, name=f.path.name, reason=reason))

    # -- helpers ---------------------------------------------------------------------------------
    def _reason_text(self, name: str, reason: str, sha: str) -> str:
        return "\n".join([
            t("reason.header", self.lang),
            f"{t('reason.file', self.lang)}: {name}",
            f"{t('reason.reason', self.lang)}: {reason}",
            f"{t('reason.time', self.lang)}: {self.now().isoformat(timespec='seconds')}",
            f"{t('reason.sha256', self.lang)}: {sha or '-'}",
            "",
        ])

    def _account_of(self, st: Statement, file_name: str, index: int) -> str:
        where = f"{file_name} statement {index + 1}" + (f" ({st.source})" if st.source else "")
        number = st.account.strip()
        if not number:
            number = self._from_file_name(file_name)
        if not number:
            raise Rejection(t("reject.no_account", self.lang, where=where))
        acct = self.registry.account(number)
        if acct is None:
            raise Rejection(t("reject.unknown_account", self.lang, where=where, account=number))
        if st.currency and st.currency.upper() not in ("CNY", "RMB"):
            raise Rejection(t("reject.currency", self.lang, where=where, currency=st.currency, account=acct.number))
        return acct.number

    def _no_corrections(self, name: str, bound: list[tuple[str, Statement]]) -> None:
        """Refuse a file that books a stored line again with another amount (a bank's correction):
        never a second line; the reason names both lines and the clerk asks the bank."""
        with session_scope(self.engine) as s:
            found = [c for acct, st in bound for c in conflicts(s, acct, st)]
        if not found:
            return
        lines = [t("reject.correction" if c.ref else "reject.restatement", self.lang, file=name,
                   source=c.source or "-", ref=c.ref, day=c.booking_date.isoformat(), amount=format_yuan(c.amount_fen),
                   held_file=c.held.file_name, held_source=c.held.source or "-",
                   held_amount=format_yuan(c.held.amount_fen)) for c in found[:3]]
        if len(found) > 3:
            lines.append(t("reject.correction_more", self.lang, n=len(found) - 3))
        raise Rejection("；".join(lines) if self.lang == "zh" else "; ".join(lines))

    def _from_file_name(self, file_name: str) -> str:
        for pattern, template in self.rules:
            m = pattern.search(file_name)
            if m and (template or "account" in m.groupdict()):
                return (template or "{account}").format(**m.groupdict())
        return ""

    def _with_period(self, st: Statement, file_name: str) -> Statement:
        """A statement without a declared period takes it from a file-name rule, where one gives
        `start` and `end` (YYYYMMDD): some banks put the period only in the download's name."""
        if st.period_start and st.period_end:
            return st
        for pattern, _ in self.rules:
            m = pattern.search(file_name)
            groups = m.groupdict() if m else {}
            if groups.get("start") and groups.get("end"):
                try:
                    start = datetime.strptime(groups["start"], "%Y%m%d").date()
                    end = datetime.strptime(groups["end"], "%Y%m%d").date()
                except ValueError:
                    continue
                if start <= end:
                    return replace(st, period_start=start, period_end=end)
        return st

    def _archive_folder(self, account: str, statements: list[Statement]) -> Path:
        days: list[date] = [p[1] for st in statements if (p := st.covered_period()) is not None]
        day = max(days) if days else self.now().date()
        return self.archive / inbox.safe_name(account or "_unknown") / f"{day.year:04d}" / f"{day.month:02d}"


def _prepared(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o770)
    return target
