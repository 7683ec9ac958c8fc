"""`recon report`: the exception report of one as-of date, written to `reports/<as_of>/`:
exceptions.xlsx (异常报告), exceptions.html (one printable page), a CSV per table, and the bank
reconciliation statements (余额调节表_<yyyy-mm>.xlsx, jobs.report.book).

Every file is written under a temporary name and renamed into place; the folder is the owner's and
group's only. The report is recorded in the store (its open findings), so the next one can say
what is new and what was resolved since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from jobs import crashpoints
from jobs.reconciling import settings
from jobs.report.book import accounts_of, write_book
from jobs.report.budget import budget_section_html
from jobs.report.cells import Labels
from jobs.report.csv import write_rows, write_table
from jobs.report.files import make_folder
from jobs.report.html import LINES_PER_FINDING, render, write_html
from jobs.report.xlsx import MAX_SHEET_LINES, write_xlsx
from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from reconcile.engine.condense import Condenser
from reconcile.engine.run import classed_lines
from reconcile.engine.types import ClassedLine
from reconcile.reporting.report import Report, build_report
from reconcile.reporting.scope import scoped, scoped_registry
from reconcile.reporting.tables import LINE_COLUMNS, line_row
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


def write_report(cfg: Config, registry: Registry, engine: Database, as_of: date, lang: str = "zh", *,
                 now: datetime | None = None, max_sheet_lines: int = MAX_SHEET_LINES,
                 scope: str | None = None) -> ReportResult:
    """Write the report of `as_of` (the findings and obligations of the last reconciliation) to
    `<reports>/<as_of>/` and record it. With a `scope` (an entity), write that entity's own report
    (its rows only) to `<reports>/<as_of>/counties/<scope>/`, unrecorded: the city report says
    what is new. `now` and `max_sheet_lines` exist for tests."""
    generated_at = now or datetime.now(UTC)
    cal = WorkCalendar(cfg.calendar.extra_holidays, cfg.calendar.extra_workdays)
    labels = Labels(lang, registry, cfg.general.timezone)
    day = cfg.path("reports") / as_of.isoformat()
    folder = make_folder(day if scope is None else day / COUNTIES / scope)
    city = registry.city.name if registry.city else ""
    with reading(engine) as store:
        data = store.data(registry, as_of)
        classed = _classed(cfg, registry, store, as_of, scope)
        if scope is None:
            report = build_report(data, registry, cal, classed)
        else:
            report = build_report(scoped(data, registry, scope), scoped_registry(registry, scope), cal, classed)
        files = [folder / f"{t.name}.csv" for t in report.tables()]
        for t, path in zip(report.tables(), files, strict=True):
            write_table(path, t, labels)
        line_count = write_rows(folder / LINES_CSV, LINE_COLUMNS, (line_row(ln, report.kinds)
                                for ln in store.lines(entity=scope)), labels)
        in_xlsx = line_count <= max_sheet_lines
        rows = (line_row(ln, report.kinds) for ln in store.lines(entity=scope)) if in_xlsx else iter(())
        write_xlsx(folder / XLSX_NAME, report, labels, rows, line_count, LINES_CSV, max_sheet_lines)
        crashpoints.point("report.xlsx")
        mine = accounts_of(registry, scope)
        cache = cfg.path("reports") / ".cache" / ("book" if scope is None else f"book-{scope}")
        book = write_book(folder, store.book_statements(mine), store.book_open_items(mine), registry, labels,
                          cfg.book, as_of, cache)
        page = render(report, labels, store.lines(LINES_PER_FINDING, entity=scope), generated_at,
                      city, LINES_CSV, "findings.csv", book.html, budget_section_html(report, labels))
        write_html(folder / HTML_NAME, page)
        crashpoints.point("report.html")
        if scope is None:
            store.record(as_of, generated_at, str(folder), report.open_keys)
            crashpoints.point("report.recorded")
    return _result(folder, [folder / XLSX_NAME, folder / HTML_NAME, *files, folder / LINES_CSV, *book.files],
                   report, line_count, in_xlsx)


def _classed(cfg: Config, registry: Registry, store: ReportReader, as_of: date, scope: str | None
             ) -> list[ClassedLine]:
    """The fees, interest, returns and refunds booked by `as_of`, classed by the engine itself (the
    same loader and rules as `recon reconcile`); with a scope, that entity's accounts only."""
    s = settings(cfg, registry)
    # The closed months as the reconcile kept them (store.inputs): the same snapshot as a whole read.
    snap = store.snapshot(as_of, Condenser(registry, s.codes),
                          kept=config_digest(registry, s.codes))
    mine = None if scope is None else {a.number for a in registry.accounts if a.entity == scope}
    return [x for x in classed_lines(snap, s) if mine is None or x.account in mine]


def _result(folder: Path, files: list[Path], report: Report, lines: int, in_xlsx: bool) -> ReportResult:
    s = report.summary
    return ReportResult(folder=folder, files=tuple(files), open_findings=s.open_count, new=s.new_count,
                        resolved=s.resolved_count, late_remittances=len(report.late.rows),
                        disbursement=len(report.disbursement.rows), lines=lines, lines_in_xlsx=in_xlsx)


def write_county_reports(cfg: Config, registry: Registry, engine: Database, as_of: date, lang: str = "zh", *,
                         now: datetime | None = None, entities: list[str] | None = None) -> list[str]:
    """Each county's own report (the desk serves it to that county only): for the given entities,
    by default those with an active desk user; returns the entities written."""
    from store.deskstore import DeskStore

    known = {x.code for x in registry.entities}
    entities = [e for e in (DeskStore(engine).county_entities() if entities is None else entities) if e in known]
    for entity in entities:
        write_report(cfg, registry, engine, as_of, lang, now=now, scope=entity)
    return entities


__all__ = ["ReportResult", "write_county_reports", "write_report"]
