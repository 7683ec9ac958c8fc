"""`recon report`: the exception report of one as-of date, written to `reports/<as_of>/`:
exceptions.xlsx (异常报告), exceptions.html (one printable page), a CSV per table, and the bank
reconciliation statements (余额调节表_<yyyy-mm>.xlsx, jobs.report.book).

Every file is written under a temporary name and renamed into place; the folder is the owner's and
group's only. The report is recorded in the store (its open findings), so the next one can say
what is new and what was resolved since.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from jobs import crashpoints
from jobs.reconciling import settings
from jobs.report.book import accounts_of, write_book
from jobs.report.budget import budget_section_html
from jobs.report.cells import Labels
from jobs.report.classing import kept_classes
from jobs.report.csv import RowsCsv, rows_csv, write_table
from jobs.report.files import make_folder
from jobs.report.html import LINES_PER_FINDING, render, write_html
from jobs.report.xlsx import MAX_SHEET_LINES, write_xlsx
from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Settings
from reconcile.engine.run import classed_lines
from reconcile.engine.types import ClassedLine
from reconcile.reporting.records import FindingLine, ReportData
from reconcile.reporting.report import Report, build_report
from reconcile.reporting.scope import scoped, scoped_registry
from reconcile.reporting.tables import LINE_COLUMNS, line_row
from reconcile.reporting.window import report_window
from store.db import Database
from store.inputs import config_digest
from store.reporting import ReportReader, reading

XLSX_NAME = "exceptions.xlsx"
HTML_NAME = "exceptions.html"
LINES_CSV = "lines.csv"
COUNTIES = "counties"  # reports/<date>/counties/<entity>/: each county's own report, for the desk


@dataclass(frozen=True)
class ReportResult:
    folder: Path
    files: tuple[Path, ...]
    open_findings: int
    new: int
    resolved: int
    late_remittances: int
    disbursement: int
    lines: int
    lines_in_xlsx: bool


@dataclass(frozen=True)
class Shared:
    """What the city's report and every county's report of one as-of date share, read once: the
    report's data, the classed lines of its window, the settings (codes.toml)."""

    data: ReportData
    classed: list[ClassedLine]
    settings: Settings


def shared(cfg: Config, registry: Registry, store: ReportReader, as_of: date) -> Shared:
    s = settings(cfg, registry)
    return Shared(store.data(registry, as_of), _classed(cfg, registry, store, as_of, s), s)


def write_report(cfg: Config, registry: Registry, engine: Database, as_of: date, lang: str = "zh", *,
                 now: datetime | None = None, max_sheet_lines: int = MAX_SHEET_LINES,
                 scope: str | None = None) -> ReportResult:
    """Write the report of `as_of` (the findings and obligations of the last reconciliation) to
    `<reports>/<as_of>/` and record it. With a `scope` (an entity), write that entity's own report
    (its rows only) to `<reports>/<as_of>/counties/<scope>/`, unrecorded: the city report says
    what is new. `now` and `max_sheet_lines` exist for tests."""
    with reading(engine) as store:
        common = shared(cfg, registry, store, as_of)
        return _write(cfg, registry, store, common, lang, now or datetime.now(UTC), max_sheet_lines, scope)


def write_reports(cfg: Config, registry: Registry, engine: Database, as_of: date, lang: str = "zh", *,
                  now: datetime | None = None, entities: list[str] | None = None) -> tuple[ReportResult, list[str]]:
    """The nightly reports: the city's (recorded, committed first) and each county's own
    (`write_county_reports`), from one reading of what they share. Returns the city's result and
    the entities written."""
    generated_at = now or datetime.now(UTC)
    with reading(engine) as store:
        common = shared(cfg, registry, store, as_of)
        city = _write(cfg, registry, store, common, lang, generated_at, MAX_SHEET_LINES, None)
    return city, _counties(cfg, registry, engine, common, lang, generated_at, entities)


def _write(cfg: Config, registry: Registry, store: ReportReader, common: Shared, lang: str, generated_at: datetime,
           max_sheet_lines: int, scope: str | None) -> ReportResult:
    data, as_of = common.data, common.data.as_of
    cal = common.settings.calendar
    labels = Labels(lang, registry, cfg.general.timezone)
    day = cfg.path("reports") / as_of.isoformat()
    folder = make_folder(day if scope is None else day / COUNTIES / scope)
    city = registry.city.name if registry.city else ""
    if scope is None:
        report = build_report(data, registry, cal, common.classed)
    else:
        mine = {a.number for a in registry.accounts if a.entity == scope}
        report = build_report(scoped(data, registry, scope), scoped_registry(registry, scope), cal,
                              [x for x in common.classed if x.account in mine])
    files = [folder / f"{t.name}.csv" for t in report.tables()]
    for t, path in zip(report.tables(), files, strict=True):
        write_table(path, t, labels)
    # The lines behind the open findings, read once: each row to lines.csv and to the workbook's
    # sheet as it comes (or to the CSV alone beyond the sheet's limit), the page's first few kept.
    line_count = sum(report.data.line_counts.values())
    in_xlsx = line_count <= max_sheet_lines
    shown: list[FindingLine] = []
    with rows_csv(folder / LINES_CSV, LINE_COLUMNS, labels) as out:
        rows = _line_rows(store.lines(entity=scope), report.kinds, out, shown)
        write_xlsx(folder / XLSX_NAME, report, labels, rows if in_xlsx else iter(()), line_count, LINES_CSV,
                   max_sheet_lines)
        deque(rows, maxlen=0)  # what the sheet did not take still goes to the CSV
    crashpoints.point("report.xlsx")
    accounts = accounts_of(registry, scope)
    cache = cfg.path("reports") / ".cache" / ("book" if scope is None else f"book-{scope}")
    book = write_book(folder, store.book_months(accounts), lambda months: store.book_statements(accounts, months),
                      store.book_open_items(accounts), registry, labels, cfg.book, as_of, cache)
    page = render(report, labels, shown, generated_at,
                  city, LINES_CSV, "findings.csv", book.html, budget_section_html(report, labels))
    write_html(folder / HTML_NAME, page)
    crashpoints.point("report.html")
    if scope is None:
        store.record(as_of, generated_at, str(folder), report.open_keys)
        crashpoints.point("report.recorded")
    return _result(folder, [folder / XLSX_NAME, folder / HTML_NAME, *files, folder / LINES_CSV, *book.files],
                   report, out.count, in_xlsx)


def _line_rows(lines: Iterable[FindingLine], kinds: dict[int, str], out: RowsCsv,
               shown: list[FindingLine]) -> Iterator[tuple[object, ...]]:
    """The report's rows of `lines`, each written to `out` (lines.csv) as it passes; the first
    `LINES_PER_FINDING` of each finding kept in `shown` for the page."""
    taken: Counter[int] = Counter()
    for fl in lines:
        row = line_row(fl, kinds)
        out.write(row)
        taken[fl.finding_id] += 1
        if taken[fl.finding_id] <= LINES_PER_FINDING:
            shown.append(fl)
        yield row


def _classed(cfg: Config, registry: Registry, store: ReportReader, as_of: date, s: Settings) -> list[ClassedLine]:
    """The fees, interest, returns and refunds booked in the report's window (reconcile.reporting.window),
    classed by the engine itself (the same rules as `recon reconcile`), every account's."""
    window = report_window(as_of)
    condenser = Condenser(registry, s.codes)
    kept = config_digest(registry, s.codes)
    # The window and what its classes look back at, from the months the reconcile kept, each
    # account classed again only when its months changed (jobs.report.classing); else the whole
    # snapshot as the reconcile reads it (store.inputs): the same classes either way.
    months = store.classing(window, kept)
    if months is not None:
        return kept_classes(months, window, s, condenser, kept, cfg.path("reports") / ".cache")
    snap = store.snapshot(as_of, condenser, kept=kept)
    return [x for x in classed_lines(snap, s) if x.booking_date >= window.start]


def _result(folder: Path, files: list[Path], report: Report, lines: int, in_xlsx: bool) -> ReportResult:
    s = report.summary
    return ReportResult(folder=folder, files=tuple(files), open_findings=s.open_count, new=s.new_count,
                        resolved=s.resolved_count, late_remittances=len(report.late.rows),
                        disbursement=len(report.disbursement.rows), lines=lines, lines_in_xlsx=in_xlsx)


def write_county_reports(cfg: Config, registry: Registry, engine: Database, as_of: date, lang: str = "zh", *,
                         now: datetime | None = None, entities: list[str] | None = None) -> list[str]:
    """Each county's own report (the desk serves it to that county only): for the given entities,
    by default those with an active desk user; returns the entities written. What they share is
    read once (`Shared`)."""
    with reading(engine) as store:
        common = shared(cfg, registry, store, as_of)
    return _counties(cfg, registry, engine, common, lang, now or datetime.now(UTC), entities)


def _counties(cfg: Config, registry: Registry, engine: Database, common: Shared, lang: str, now: datetime,
              entities: list[str] | None) -> list[str]:
    from store.deskstore import DeskStore

    known = {x.code for x in registry.entities}
    entities = [e for e in (DeskStore(engine).county_entities() if entities is None else entities) if e in known]
    with reading(engine) as store:
        for entity in entities:
            _write(cfg, registry, store, common, lang, now, MAX_SHEET_LINES, entity)
    return entities


__all__ = ["ReportResult", "Shared", "write_county_reports", "write_report", "write_reports"]
