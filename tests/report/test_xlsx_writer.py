"""exceptions.xlsx's sheets are written as text (jobs.report.xlsx._Part, jobs.report.sheetxml):
the file is the one openpyxl's own write-only workbook writes for the same report, member by
member (docProps/core.xml holds the time it was written)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from jobs.report import shared
from jobs.report import xlsx as xlsx_module
from jobs.report.cells import Labels
from reconcile.reporting.report import build_report
from reconcile.reporting.tables import line_row
from store.reporting import reading
from tests.report.conftest import END_OF_JUNE, World

HOSTILE = ["a & b <c> \"d\" 'e'", " 前后有空格 ", "tab\there", "line\nbreak", "cr\rhere", "nul\x00bell\x07",
           "😀 表情 \U0002A6A5", "&amp; &#13; _x000D_", "=1+1", "-5", "@sum", "x" * 40_000, "#N/A", "\u00a0nbsp"]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("limit", [1_000_000, 3])
def test_the_workbook_is_the_one_openpyxls_write_only_workbook_writes(reconciled: World, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      limit: int) -> None:
    w = reconciled
    with reading(w.app.database()) as store:
        common = shared(w.app.config, w.registry, store, END_OF_JUNE)
        report = build_report(common.data, w.registry, common.settings.calendar, common.classed)
        lines = [line_row(fl, report.kinds) for fl in store.lines()]
    assert lines and report.findings.rows
    some = next(iter(report.kinds))
    lines += [(some, report.kinds[some], "f.csv:line 9", date(2008, 6, k % 28 + 1), None, text, -k - 1, text,
               text or None) for k, text in enumerate(HOSTILE)]
    lines += [(True, None, None, datetime(2008, 6, 1, 12, 30), date(2008, 6, 2), "", 0, None, "")]
    # A cell is made once per value a workbook (`_Part.values`): the same values again, and values
    # equal to others but of another type (1 and True, a day and its midnight) each as openpyxl says them
    lines += [(1, None, None, datetime(2008, 6, 2), datetime(2008, 6, 1, 12, 30), "", False, None, ""), *lines]
    labels = Labels("zh", w.registry)
    made: list[int] = []
    real = xlsx_module._cell_rest
    monkeypatch.setattr(xlsx_module, "_cell_rest", lambda *a: (made.append(1), real(*a))[1])
    xlsx_module.write_xlsx(tmp_path / "fast.xlsx", report, labels, iter(lines), len(lines), "lines.csv", limit)
    if limit > len(lines):  # each value's cell made once: fewer than the table cells written
        assert 0 < len(made) < len(lines) * len(lines[0]) / 2
    monkeypatch.setattr(xlsx_module, "_workbook", lambda: Workbook(write_only=True))
    xlsx_module.write_xlsx(tmp_path / "plain.xlsx", report, labels, iter(lines), len(lines), "lines.csv", limit)
    fast, plain = _members(tmp_path / "fast.xlsx"), _members(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys()
    assert [n for n in fast if fast[n] != plain[n]] == []
    assert len([n for n in fast if n.startswith("xl/worksheets/sheet")]) >= 7
