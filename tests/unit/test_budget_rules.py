"""The budget in force, the share of the year elapsed, the monthly curve and who covers a gap
(docs/RULES.md, *Budget and the gap rule*): pure functions, integers only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reconcile.accounts import load_registry
from reconcile.engine.types import CollectionTarget
from reconcile.reporting.budget import BudgetLine, MonthActual, curves, in_force, year_elapsed_bp
from reconcile.reporting.gap import gap_rows

REGISTRY = load_registry(Path(__file__).resolve().parents[2] / "mappings" / "accounts.toml")


def row(version: int | None, approved: date | None, income: int, *, month: int | None = None, file_id: int = 1,
        ) -> BudgetLine:
    return BudgetLine(2008, "ZS", "pension", month, income, income * 2, version, approved, file_id=file_id)


def test_the_highest_version_approved_by_the_date_is_in_force() -> None:
    rows = [row(1, date(2008, 1, 10), 100), row(3, date(2008, 9, 1), 300), row(2, date(2008, 6, 1), 200)]
    assert in_force(rows, date(2008, 5, 31))[(2008, "ZS", "pension")].income_fen == 100
    assert in_force(rows, date(2008, 6, 1))[(2008, "ZS", "pension")].income_fen == 200
    assert in_force(rows, date(2008, 12, 31))[(2008, "ZS", "pension")].income_fen == 300
    assert in_force(rows, date(2008, 1, 9)) == {}


def test_without_versions_the_latest_approval_then_the_later_file_wins() -> None:
    rows = [row(None, date(2008, 3, 1), 100, file_id=2), row(None, date(2008, 2, 1), 200, file_id=3)]
    assert in_force(rows, date(2008, 12, 31))[(2008, "ZS", "pension")].income_fen == 100
    rows = [row(None, None, 100, file_id=2), row(None, None, 200, file_id=3)]
    assert in_force(rows, date(2008, 12, 31))[(2008, "ZS", "pension")].income_fen == 200


def test_months_add_up_to_the_year_and_drive_the_curve() -> None:
    rows = [row(1, None, 1200 * m, month=m) for m in range(1, 13)]
    b = in_force(rows, date(2008, 3, 31))[(2008, "ZS", "pension")]
    assert b.income_fen == 1200 * 78 and b.monthly is not None and b.monthly[2] == (3600, 7200)
    acts = [MonthActual("ZS", "pension", "2008-01", 1000, 5, 300), MonthActual("ZS", "pension", "2008-03", 2000, 0, 0)]
    pension = next(c for c in curves(rows, acts, REGISTRY, date(2008, 3, 31)) if c.fund == "pension")
    assert [p.budget_income_fen for p in pension.points[:3]] == [1200, 3600, 7200]
    assert [p.income_fen for p in pension.points[:4]] == [1005, 1005, 3005, None]  # nothing after the as-of month
    assert [p.expense_fen for p in pension.points[:3]] == [300, 300, 300]


def test_a_yearly_budget_draws_a_straight_line_in_whole_fen() -> None:
    pension = next(c for c in curves([row(1, None, 1000)], [], REGISTRY, date(2008, 6, 30)) if c.fund == "pension")
    assert [p.budget_income_fen for p in pension.points] == [1000 * m // 12 for m in range(1, 13)]


def test_the_share_of_the_year_elapsed_is_straight_line_by_days() -> None:
    assert year_elapsed_bp(date(2008, 6, 30), 2008) == 4973  # day 182 of 366
    assert year_elapsed_bp(date(2009, 12, 31), 2009) == 10_000
    assert year_elapsed_bp(date(2009, 1, 1), 2008) == 10_000 and year_elapsed_bp(date(2007, 12, 31), 2008) == 0


def test_who_covers_the_gap_follows_the_collection_target() -> None:
    acts = [MonthActual("ZS", "pension", "2008-06", 900, 100, 1500),  # gap 500, target met
            MonthActual("LZ", "pension", "2008-06", 900, 100, 1500),  # gap 500, target missed
            MonthActual("PX", "pension", "2008-06", 900, 100, 1000),  # no gap
            MonthActual("SC", "pension", "2008-06", 900, 100, 1001),  # gap 1, no target
            MonthActual("LPS", "pension", "2008-06", 9, 0, 99999)]  # the city: not in the gap table
    targets = [CollectionTarget(2008, "ZS", "pension", 900), CollectionTarget(2008, "LZ", "pension", 901),
               CollectionTarget(2008, "PX", "pension", 10)]
    final = {r[0]: r for r in gap_rows(acts, targets, REGISTRY, date(2008, 12, 31))}
    assert set(final) == {"ZS", "LZ", "PX", "SC"}
    assert final["ZS"][4:] == ("final", 1000, 1500, 500, 900, 900, 10_000, "city_pool")
    assert final["LZ"][4:] == ("final", 1000, 1500, 500, 901, 900, 9989, "county_government")
    assert final["PX"][-1] == "no_gap" and final["SC"][-1] == "no_target"
    ytd = {r[0]: r for r in gap_rows(acts, targets, REGISTRY, date(2008, 7, 15))}
    assert ytd["ZS"][3:5] == (date(2008, 7, 15), "year_to_date")
