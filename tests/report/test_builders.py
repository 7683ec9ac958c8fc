"""The pure row builders: integer arithmetic for rates and yuan-days, the arrears trend rebuilt
from dated payments, and an empty database that still gives a complete report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from jobs.report.cells import Labels
from reconcile.accounts import load_registry
from reconcile.engine.types import Obligation
from reconcile.reporting.heatmap import arrears_at, months_back
from reconcile.reporting.table import basis_points, col, format_percent
from tests.report.conftest import ROOT, World


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
