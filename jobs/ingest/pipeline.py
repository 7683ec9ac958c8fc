"""The inbox pipeline: every ready file ends ingested (archive/), duplicate (archive/) or
rejected (rejected/ with a reason file beside it). Never deleted, never half-done.

`Ingestor._one` is the way of one file, top to bottom: read and hash it in a child process
(reading.py); refuse what its bytes already decide; finish an interrupted move or record a
duplicate; bind what it holds to registered accounts (binding.py). One database transaction
(store/files.py, `one_file`) holds all of it: the duplicate lookup, the correction check, the file's
row and its new lines. Only after the commit does the file move, to the place decided before the
commit and stored with the file's row (layout.py), so that a crash between commit and move is
repaired by the next run (it finishes the move).

The files move a group at a time (`Group`): each file's transaction commits without waiting for
the disk, and once `GROUP_FILES` files have committed (or the files run out, or the run stops or
fails) one wait makes them all durable (`files.on_disk`) and then they move. On PostgreSQL that is
one WAL flush a group instead of one a file; a crash before it leaves the group's files in the
inbox, committed (the next run finishes their moves) or, had the server itself crashed, not (the
next run ingests them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger
from tqdm import tqdm

from jobs import archive, crashpoints, inbox
from jobs.ingest.binding import Binder, Rejection, reason_text
from jobs.ingest.layout import ArchiveLayout, made_room
from jobs.ingest.reading import Reader
from jobs.prepare import Prepared
from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.departures import Departure, describe, strict_refusal
from reconcile.filenames import FilenameRules
from reconcile.messages import t
from reconcile.model import Statement
from store import files
from store.files import Arrival, Database, OneFile, Stored, Via


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


After = Callable[[IngestReport], None]
"""What is left to do with a file once its transaction has committed: the move, and the counts."""
Counts = Callable[[IngestReport, Stored], str]
"""Adds what a file stored to the report's counters; gives the key of its log line."""


def _line_counts(report: IngestReport, stored: Stored) -> str:
    report.added += stored.added
    report.skipped += stored.skipped
    return "ingest.ingested"


def _journal_counts(report: IngestReport, stored: Stored) -> str:
    report.entries += stored.added
    report.entries_skipped += stored.skipped
    return "ingest.journal"


GROUP_FILES = 64
"""Files committed before one wait for the disk and their moves: a province year of 20,697 files
waits 324 times instead of 20,697 (a wait is about 3 ms on PostgreSQL: the year's ingest 63 s
shorter, bench/RESULTS.md "The ingest's groups"); a group holds the inbox's files about a second."""


class Group:
    """What is left to do with the files of a group once it is on the disk (`After`s), done then."""

    def __init__(self, engine: Database, layout: ArchiveLayout, report: IngestReport) -> None:
        self.engine, self.layout, self.report = engine, layout, report
        self.waiting: list[After] = []

    def add(self, then: After) -> None:
        self.waiting.append(then)
        if len(self.waiting) >= GROUP_FILES:
            self.close()

    def close(self) -> None:
        """The group's commits on the disk, then each file's move and counts, in the files' order."""
        if self.waiting:
            files.on_disk(self.engine)
            crashpoints.point("ingest.on_disk")
        waiting, self.waiting = self.waiting, []
        for then in waiting:
            then(self.report)
        self.layout.moved()


def _step(name: str) -> None:
    """A step inside a store transaction, as a crash point (`ingest.file_row`, `ingest.statement`, ...)."""
    crashpoints.point(f"ingest.{name}")


class Ingestor:
    def __init__(self, cfg: Config, registry: Registry, engine: Database, *, lang: str = "zh",
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), workers: int | None = None,
                 on_file: Callable[[str], None] = lambda _name: None) -> None:
        self.cfg, self.registry, self.engine, self.lang, self.now = cfg, registry, engine, lang, now
        self.limits = cfg.limits
        self.rules = FilenameRules((r.pattern, r.account) for r in cfg.ingest.filename_rules)
        self.layout = ArchiveLayout(cfg.path("archive"), cfg.path("rejected"))
        self.binder = Binder(registry, self.rules, engine, cfg.path("mappings"), lang)
        # on_file: told each file's name before its parse is awaited (the run row keeps it)
        self.reader = Reader(cfg.path("mappings") / "banks", self.limits, registry, lang,
                             cfg.ingest.workers if workers is None else workers, on_file)
        self._via: Via | None = None  # during `run`: where the files' transactions go

    def run(self, *, stop: Callable[[], bool] = lambda: False, progress: bool | None = None) -> IngestReport:
        report = IngestReport()
        box = self.cfg.path("inbox")
        box.mkdir(parents=True, exist_ok=True, mode=0o770)
        ready, waiting = inbox.ready_files(box, self.cfg.ingest.settle_seconds)
        report.waiting = len(waiting)
        archive.recheck(self, report, stop)
        bar = tqdm(total=len(ready), desc=t("ingest.progress", self.lang), unit="file",
                   disable=progress is False or None, leave=False)
        group = Group(self.engine, self.layout, report)
        try:
            with files.unsynced(self.engine) as self._via:
                self._each(ready, stop, report, bar, group)
        except BaseException:
            self._close_failing(group)
            raise
        finally:
            self._via = None
            bar.close()
        group.close()
        logger.info(t("ingest.done", self.lang, **{k: getattr(report, k) for k in
                    ("ingested", "duplicate", "rejected", "waiting", "added", "skipped")}))
        if report.entries or report.entries_skipped:
            logger.info(t("ingest.entries", self.lang, entries=report.entries, skipped=report.entries_skipped))
        return report

    def _each(self, ready: list[inbox.InboxFile], stop: Callable[[], bool], report: IngestReport, bar: Any,
              group: Group) -> None:
        """Each ready file, read and then written in its own transaction (`_one`)."""
        for f, prepared in self.reader.each(ready, stop):
            bar.update()
            if stop():
                logger.info(t("log.stop_requested", self.lang))
                break
            if not inbox.still_same(f):
                report.waiting += 1
                continue
            if (then := self._one(f, prepared, report)) is not None:
                group.add(then)

    def read_one(self, f: inbox.InboxFile) -> Prepared:
        """One file's parse, in a child process under the reader limits (the archive check)."""
        return self.reader.one(f)

    def bind(self, statements: list[Statement], name: str) -> list[tuple[str, Statement]]:
        """Each statement with its registered account and its period; raises `Rejection`."""
        return self.binder.statements(statements, name)

    # -- the way of one file ----------------------------------------------------------------------
    def _one(self, f: inbox.InboxFile, prepared: Prepared, report: IngestReport) -> After | None:
        """The file's lookups and rows in one transaction, committed without waiting for the disk;
        what the decision left to do with the file once its group is on the disk (its move, its
        reason file, the counts)."""
        with files.one_file(self.engine, wait_for_disk=False, via=self._via) as tx:
            return self._decide(f, prepared, report, tx)

    def _close_failing(self, group: Group) -> None:
        """The run fails: the files committed so far still move, if the database lets them be made
        durable; if not, they stay in the inbox for the next run (committed or not), and the run's
        own error is the one reported."""
        left = len(group.waiting)
        try:
            group.close()
        except Exception as exc:  # the failure already on its way out is the one to report
            logger.warning(t("ingest.group_left", self.lang, files=left, error=str(exc)))

    def _decide(self, f: inbox.InboxFile, prepared: Prepared, report: IngestReport, tx: OneFile) -> After | None:
        name = f.path.name
        received = self._received(f)
        # 1. What the bytes decide before anything is looked up: too large; cut short (still being
        #    written: wait, or refuse once waited long enough).
        if prepared.refused:
            return self._reject(f, "", received, prepared.refused, tx)
        wait = self.cfg.ingest.incomplete_wait_minutes
        if prepared.error and prepared.cut_short:
            if self.now().timestamp() - f.mtime < wait * 60:
                report.waiting += 1
                logger.info(t("ingest.incomplete_wait", self.lang, name=name, minutes=wait, error=prepared.error))
                return None
            prepared.error = t("reject.incomplete", self.lang, minutes=wait, error=prepared.error)
        crashpoints.point("ingest.read")
        # 2. The same bytes seen before: an earlier run committed this file's row and stopped before
        #    the move (finish it), or a duplicate, unless the file name says something the bytes do
        #    not (an empty export whose account and period are only in its name is a statement of its own).
        sha = prepared.sha256
        known = tx.arrivals_of(sha) if sha else []
        if (unmoved := next((r for r in known if r.name == name and r.archive_path
                             and not Path(r.archive_path).exists()), None)) is not None:
            return lambda _report: self._finish_move(f, unmoved)
        same = [r for r in known if r.status == "ingested"]
        read_from_name = self.rules.bind(name).read
        if (first := next((r for r in same if self.rules.bind(r.name).read == read_from_name), None)) is not None:
            return self._duplicate(f, first, sha, received, tx)
        # 3. What the file holds: a plan or schedule, a book journal, or statements bound to accounts.
        if prepared.schedule_kind and not prepared.error:
            return self._store_schedule(f, prepared, received, tx)
        departures: list[Departure] = []
        try:
            if prepared.journals and not prepared.error:
                journals = self.binder.journals(prepared.journals, name)
                crashpoints.point("ingest.parsed")
                account = journals[0][0]
                target = self.layout.journal_file(name, account, [j for _, j in journals], self.now().date())
                return self._store(f, sha, received, tx, journals, target, tx.record_journals, _journal_counts)
            if prepared.empty:
                raise Rejection(t("reject.empty", self.lang))
            if prepared.error:
                raise Rejection(t("reject.unreadable", self.lang, error=prepared.error))
            statements = prepared.statements
            departures = list(dict.fromkeys(d for st in statements for d in st.warnings))
            if self.cfg.ingest.strict and (refusal := strict_refusal(name, departures, self.lang)):
                raise Rejection(refusal)
            bound = self.binder.statements(statements, name, tx.conflicts_with)
        except Rejection as exc:
            return self._reject(f, sha, received, str(exc), tx)
        crashpoints.point("ingest.parsed")
        if same and [st for _, st in bound] == statements and all(st.account.strip() for st in statements):
            return self._duplicate(f, same[0], sha, received, tx)  # the name added nothing: same statement
        # 4. The file's row and its new lines in this transaction; after the commit, the move to the archive.
        account = bound[0][0] if bound else ""
        target = self.layout.statement_file(name, account, [st for _, st in bound], self.now().date())
        stored = self._store(f, sha, received, tx, bound, target, tx.record_statements, _line_counts)

        def then(report: IngestReport) -> None:
            stored(report)
            for d in departures:  # read despite departing from the standard: said once per departure
                logger.warning(t("dialect.ingested", self.lang, name=name, text=describe(d, self.lang)))
        return then

    # -- each ending: its rows in the file's transaction, and what is left for after the commit -----
    def _received(self, f: inbox.InboxFile) -> datetime:
        """When the file arrived: its modification time, or now when that lies in the future."""
        if not f.future:
            return datetime.fromtimestamp(f.mtime, UTC)
        now = self.now()
        logger.warning(t("ingest.future_mtime", self.lang, name=f.path.name, mtime=datetime.fromtimestamp(
            f.mtime, UTC).isoformat(timespec="seconds"), now=now.isoformat(timespec="seconds")))
        return now

    def _arrival(self, f: inbox.InboxFile, sha: str, received: datetime, status: str, *, format: str = "",
                 account: str = "", reason: str = "", archive_path: str = "") -> Arrival:
        return Arrival(sha256=sha, name=f.path.name, size=f.size, status=status, received_at=received,
                       processed_at=self.now(), format=format, account=account, reason=reason,
                       archive_path=archive_path)

    def _finish_move(self, f: inbox.InboxFile, row: Arrival) -> None:
        target = Path(row.archive_path)
        if row.status == "rejected":
            inbox.write_reason_at(target, self._reason_text(f.path.name, row.reason, row.sha256))
            crashpoints.point("ingest.reason_written")
        inbox.move_to(f.path, made_room(target))
        logger.info(t("log.finished_moving", self.lang, name=f.path.name))

    def _store_schedule(self, f: inbox.InboxFile, prepared: Prepared, received: datetime, tx: OneFile) -> After:
        """A payment plan, surplus schedule or collection-target file: its rows."""
        kind, rows = prepared.schedule_kind, prepared.schedule_rows
        target = self.layout.schedule_file(f.path.name, self.now().date())
        tx.record_schedule(self._arrival(f, prepared.sha256, received, "ingested", format=kind,
                                         archive_path=str(target)), kind, rows)

        def then(report: IngestReport) -> None:
            inbox.move_to(f.path, made_room(target))
            report.ingested += 1
            logger.debug(t("ingest.schedule", self.lang, name=f.path.name, kind=kind, rows=len(rows)))
        return then

    def _store(self, f: inbox.InboxFile, sha: str, received: datetime, tx: OneFile, bound: Sequence[tuple[str, Any]],
               target: Path, record: Callable[..., Stored], counts: Counts) -> After:
        """Statements or book journals bound to their accounts: the file's row and their new lines or
        entries (`record`); after the commit the file moves beside the account's other files, and
        `counts` adds what was stored to the report and names its log line."""
        account = bound[0][0] if bound else ""
        fmt = ",".join(sorted({one.format for _, one in bound}))
        stored = record(self._arrival(f, sha, received, "ingested", format=fmt, account=account,
                                      archive_path=str(target)), bound, _step)

        def then(report: IngestReport) -> None:
            crashpoints.point("ingest.committed")
            inbox.move_to(f.path, made_room(target))
            crashpoints.point("ingest.moved")
            report.ingested += 1
            logger.debug(t(counts(report, stored), self.lang, name=f.path.name, account=account,
                           added=stored.added, skipped=stored.skipped))
        return then

    def _duplicate(self, f: inbox.InboxFile, first: Arrival, sha: str, received: datetime, tx: OneFile) -> After:
        target = self.layout.duplicate_file(f.path.name, first.archive_path)
        tx.record(self._arrival(f, sha, received, "duplicate", format=first.format, account=first.account,
                                archive_path=str(target), reason=f"same bytes as file #{first.id} {first.name}"))

        def then(report: IngestReport) -> None:
            crashpoints.point("ingest.duplicate_recorded")
            inbox.move_to(f.path, made_room(target))
            report.duplicate += 1
            logger.debug(t("ingest.duplicate", self.lang, name=f.path.name, first=first.name))
        return then

    def _reject(self, f: inbox.InboxFile, sha: str, received: datetime, reason: str, tx: OneFile) -> After:
        # The target is chosen before the commit and kept with the row, so that a run stopped
        # between the two finishes the move to the same place (see _finish_move).
        target = self.layout.rejected_file(f.path.name)
        tx.record(self._arrival(f, sha, received, "rejected", reason=reason, archive_path=str(target)))

        def then(report: IngestReport) -> None:
            crashpoints.point("ingest.reject_recorded")
            inbox.write_reason_at(target, self._reason_text(f.path.name, reason, sha))
            crashpoints.point("ingest.reason_written")
            inbox.move_to(f.path, made_room(target))
            report.rejected += 1
            report.rejected_names.append(f.path.name)
            logger.warning(t("ingest.rejected", self.lang, name=f.path.name, reason=reason))
        return then

    def _reason_text(self, name: str, reason: str, sha: str) -> str:
        return reason_text(name, reason, sha, self.now().isoformat(timespec="seconds"), self.lang)
