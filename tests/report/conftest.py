"""Fixtures for the report tests: a project on a real database (SQLite, and PostgreSQL where one is
reachable), filled through the project's own ingest and reconcile with the half year of
`tests/report/world.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from jobs.report import ReportResult, write_report
from jobs.report.xlsx import MAX_SHEET_LINES
from reconcile.accounts import Registry
from store.db import upgrade
from tests.integration.conftest import ROOT, db_url, pg_available, project
from tests.report import world

__all__ = ["db_url", "pg_available", "project"]
END_OF_MAY = date(2008, 5, 31)
END_OF_JUNE = date(2008, 6, 30)


@dataclass
class World:
    root: Path
    app: App
    registry: Registry
    book: world.Book

    def ingest(self, batch: int) -> None:
        world.write_batch(self.book, self.root / "inbox", batch)
        Ingestor(self.app.config, self.app.registry, self.app.database()).run(progress=False)

    def reconcile(self, as_of: date) -> None:
        run_reconcile(self.app.config, self.registry, self.app.database(), as_of)

    def report(self, as_of: date, lang: str = "zh", max_sheet_lines: int = MAX_SHEET_LINES) -> ReportResult:
        now = datetime.combine(as_of, datetime.min.time(), UTC).replace(hour=23)
        return write_report(self.app.config, self.registry, self.app.database(), as_of, lang, now=now,
                            max_sheet_lines=max_sheet_lines)


def _world(root: Path) -> World:
    app = App(str(root / "config.toml"))
    upgrade(app.database(checked=False))
    return World(root, app, world.cut(app.registry), world.build(app.registry))


@pytest.fixture
def half_year(project: Path) -> World:
    """Empty project with the world ready to ingest, on SQLite and PostgreSQL."""
    return _world(project)


@pytest.fixture
def reconciled(tmp_path: Path) -> World:
    """SQLite only: both batches ingested and reconciled as of 30 June 2008."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"""
[paths]
inbox = "inbox"
archive = "archive"
rejected = "rejected"
reports = "reports"
logs = "logs"
mappings = "{ROOT / 'mappings'}"

[database]
url = "sqlite:///{tmp_path / 'data' / 'recon.db'}"

[ingest]
settle_seconds = 0
""", encoding="utf-8")
    (tmp_path / "inbox").mkdir()
    w = _world(tmp_path)
    w.ingest(1)
    w.ingest(2)
    w.reconcile(END_OF_JUNE)
    return w
