"""The pure row builders: integer arithmetic for rates and yuan-days, the arrears trend rebuilt
from dated payments, and an empty database that still gives a complete report."""

from __future__ import annotations

import csv
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import load_workbook

from jobs.ingest import Ingestor
from jobs.report.cells import Labels
from reconcile.accounts import load_registry
from reconcile.engine.types import Obligation
from reconcile.messages import t
from reconcile.reporting.heatmap import arrears_at, months_back
from reconcile.reporting.table import basis_points, col, format_percent
from reconcile.sinks import for_html
from tests.report.conftest import END_OF_JUNE, ROOT, World


def _remit(status: str, due: int, on_time: int, late: tuple[tuple[date, int], ...]) -> Obligation:
    paid = sum(f for _, f in late)
    return Obligation("remit", "PX", "pension", "2008-04", "1", date(2008, 4, 25), due, on_time, paid, late,
                            due - on_time - paid, 0, 27, 0, status)


def test_rates_are_rounded_half_up_in_integers() -> None:
    assert basis_points(2, 3) == 6667 and format_percent(6667) == "66.67%"
    assert basis_points(1, 8) == 1250 and basis_points(0, 5) == 0 and basis_points(5, 0) is None
    assert basis_points(10**15 + 1, 10**15) == 10_000


def test_yuan_days_are_fen_days_shown_with_two_decimals_without_floats() -> None:
    labels = Labels("zh", load_registry(ROOT / "mappings" / "accounts.toml"))
    yuan_days = col("yuan_days", "fen_days")
    assert labels.text(yuan_days, 222_750_000) == "2,227,500.00"
    assert labels.plain(yuan_days, 1) == "0.01"
    value, fmt = labels.xlsx(col("due", "money"), 10**17 + 1)
    assert str(value) == "1000000000000000.01" and fmt == "¥#,##0.00"


def test_the_arrears_trend_counts_what_was_overdue_and_unpaid_at_each_month_end() -> None:
    o = _remit("late", 16_500_000, 8_250_000, ((date(2008, 5, 22), 8_250_000),))
    assert arrears_at(o, date(2008, 4, 24)) == 0  # not yet due
    assert arrears_at(o, date(2008, 4, 30)) == 8_250_000
    assert arrears_at(o, date(2008, 5, 31)) == 0
    assert arrears_at(_remit("awaiting_statement", 100, 0, ()), date(2008, 5, 31)) == 0
    assert months_back(date(2009, 2, 10), 3) == ("2008-12", "2009-01", "2009-02")


def test_an_empty_database_still_gives_a_complete_report(half_year: World, tmp_path: Path) -> None:
    result = half_year.report(date(2008, 1, 31))
    assert result.open_findings == result.new == result.lines == 0
    wb = load_workbook(result.folder / "exceptions.xlsx")
    assert wb["全部未结问题"]["A2"].value == "无"
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "</html>" in page and "待遇未按时足额发放" in page


def test_findings_of_no_entity_are_counted_under_a_label_not_a_blank_in_every_format(reconciled: World) -> None:
    """A file that cannot be read is a finding of no entity: the summary by entity counts it under
    the catalogue's label, in the CSV, the workbook and the page alike."""
    bad = reconciled.root / "inbox" / "坏文件.txt"
    bad.write_text("这也不是对账单\n", encoding="utf-8")
    arrived = datetime(2008, 6, 10, 9, tzinfo=UTC).timestamp()  # within the half year
    os.utime(bad, (arrived, arrived))
    app = reconciled.app
    assert Ingestor(app.config, app.registry, app.database()).run(progress=False).rejected == 1
    reconciled.reconcile(END_OF_JUNE)
    for lang in ("zh", "en"):
        result = reconciled.report(END_OF_JUNE, lang)
        label = t("report.entity.none", lang)
        with (result.folder / "summary_entity.csv").open(encoding="utf-8-sig", newline="") as f:
            units = [r[t("report.col.entity", lang)] for r in csv.DictReader(f)]
        assert label in units and "" not in units, units
        sheet = load_workbook(result.folder / "exceptions.xlsx")[t("report.sheet.summary", lang)]
        assert label in {c.value for row in sheet.iter_rows() for c in row}
        page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
        table = page.split(f"<h3>{for_html(t('report.summary.by_entity', lang))}</h3>", 1)[1].split("</table>", 1)[0]
        cells = re.findall(r"<tr><td[^>]*>([^<]*)</td>", table)  # each row's entity
        assert for_html(label) in cells and "" not in cells, cells
