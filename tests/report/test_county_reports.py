"""The night's reports: the city's and each county's own, from one reading of what they share
(the report's data, the classed lines, the settings)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

import jobs.report as report
from jobs.report import write_report, write_reports
from store.reporting import ReportReader
from tests.report.conftest import END_OF_JUNE, World

COUNTIES = ["ZS", "LZ", "PX", "SC"]


def test_the_nights_reports_read_what_they_share_once_and_give_each_county_its_own(
        reconciled: World, monkeypatch: pytest.MonkeyPatch) -> None:
    w = reconciled
    now = datetime(2008, 7, 1, 1, tzinfo=UTC)
    calls: Counter[str] = Counter()
    for name in ("data", "snapshot", "classing"):
        real = getattr(ReportReader, name)
        monkeypatch.setattr(ReportReader, name, lambda self, *a, _r=real, _n=name, **k: (
            calls.update([_n]), _r(self, *a, **k))[1])
    real_settings = report.settings
    monkeypatch.setattr(report, "settings", lambda *a: (calls.update(["settings"]), real_settings(*a))[1])

    city, wrote = write_reports(w.app.config, w.registry, w.app.database(), END_OF_JUNE, now=now, entities=COUNTIES)
    assert wrote == COUNTIES and city.open_findings > 0
    assert calls["data"] == 1 and calls["settings"] == 1 and calls["classing"] + calls["snapshot"] == 1

    # Each county's files are those of its own report written alone.
    day = w.app.config.path("reports") / END_OF_JUNE.isoformat()
    for entity in COUNTIES:
        folder = day / "counties" / entity
        together = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
        assert together["findings.csv"].count(b"\n") > 1
        write_report(w.app.config, w.registry, w.app.database(), END_OF_JUNE, now=now, scope=entity)
        assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == together
