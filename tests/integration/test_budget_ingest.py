"""Budget files (预算) in the inbox: recognised by content, stored whole or not at all, a file
dropped twice changes nothing, a revision supersedes, a bad row is refused by name (on SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from reconcile.reporting.budget import in_force
from store.budgets import load_budgets
from store.db import session_scope
from store.models import BudgetLineRow, FileRow
from tests.integration.test_ingest import all_files, app_for, drop, run

ROOT = Path(__file__).resolve().parents[2]
YEARLY = (ROOT / "mappings" / "templates" / "budget.csv").read_bytes()
MONTHLY = (ROOT / "mappings" / "templates" / "budget_monthly.csv").read_bytes()


def stored(project: Path) -> int:
    with session_scope(app_for(project).database()) as s:
        return s.scalar(select(func.count()).select_from(BudgetLineRow)) or 0


def test_the_templates_are_stored_and_a_second_drop_changes_nothing(project: Path) -> None:
    app = app_for(project)
    drop(project, "2008年预算.csv", YEARLY)
    drop(project, "六枝调整预算.csv", MONTHLY)
    report = run(app)
    assert (report.ingested, report.rejected) == (2, 0)
    assert stored(project) == 3 + 12
    drop(project, "2008年预算 (2).csv", YEARLY)
    report = run(app)
    assert (report.ingested, report.duplicate, report.rejected) == (0, 1, 0)
    assert stored(project) == 3 + 12
    assert all_files(project / "inbox") == []  # the duplicate is archived beside the first, as any file is


def test_a_revised_budget_supersedes_once_approved_and_not_before(project: Path) -> None:
    app = app_for(project)
    drop(project, "v1.csv", "年度,单位,险种,收入预算,支出预算,版本,批准日期\n"
                            "2008,六枝特区,养老,1000.00,2000.00,1,2008-01-10\n".encode())
    drop(project, "v2.csv", "年度,单位,险种,收入预算,支出预算,版本,批准日期\n"
                            "2008,六枝特区,养老,1500.00,2600.00,2,2008-07-01\n".encode())
    run(app)
    with session_scope(app.database()) as s:
        rows = load_budgets(s)
    june = in_force(rows, date(2008, 6, 30))[(2008, "LZ", "pension")]
    july = in_force(rows, date(2008, 7, 1))[(2008, "LZ", "pension")]
    assert (june.version, june.income_fen, june.expense_fen) == (1, 100000, 200000)
    assert (july.version, july.income_fen, july.expense_fen) == (2, 150000, 260000)


def test_without_versions_the_later_approval_wins_and_months_add_up_to_the_year(project: Path) -> None:
    app = app_for(project)
    drop(project, "a.csv", b"year,entity,fund,month,income_budget,expense_budget,approved\n"
                           b"2008,PX,unemployment,1,10.00,20.00,2008-02-01\n"
                           b"2008,PX,unemployment,2,10.00,20.00,2008-02-01\n")
    drop(project, "b.csv", b"year,entity,fund,income_budget,expense_budget,approved\n"
                           b"2008,PX,unemployment,99.00,88.00,2008-01-05\n")
    run(app)
    with session_scope(app.database()) as s:
        b = in_force(load_budgets(s), date(2008, 3, 1))[(2008, "PX", "unemployment")]
    assert (b.income_fen, b.expense_fen) == (2000, 4000)
    assert b.monthly is not None and b.monthly[:3] == ((1000, 2000), (1000, 2000), (0, 0))


def _refused(project: Path, body: str) -> str:
    app = app_for(project)
    drop(project, "预算.csv", body.encode())
    report = run(app)
    assert (report.ingested, report.rejected) == (0, 1)
    assert stored(project) == 0  # all or nothing: the good rows above the bad one are not kept
    with session_scope(app.database()) as s:
        assert s.scalar(select(FileRow.status)) == "rejected"
    return (project / "rejected" / "预算.csv.reason.txt").read_text(encoding="utf-8")


HEAD = "年度,单位,险种,月份,收入预算,支出预算\n2008,钟山区,养老,1,10.00,10.00\n"


def test_a_bad_amount_is_refused_naming_the_row_and_the_column(project: Path) -> None:
    reason = _refused(project, HEAD + "2008,钟山区,养老,2,十元,10.00\n")
    assert "预算.csv" in reason and "第 3 行" in reason and "income_budget" in reason  # the note is in Chinese


def test_a_month_given_twice_is_refused_naming_both_rows(project: Path) -> None:
    reason = _refused(project, HEAD + "2008,钟山区,养老,2008-01,12.00,10.00\n")
    assert "第 3 行" in reason and "第 2 行" in reason and "重复" in reason


def test_an_unknown_entity_a_month_of_another_year_and_a_negative_budget_are_refused(project: Path) -> None:
    assert "第 3 行" in _refused(project, HEAD + "2008,贵阳市,养老,2,1.00,1.00\n")


def test_yearly_and_monthly_rows_of_one_budget_are_refused(project: Path) -> None:
    reason = _refused(project, HEAD + "2008,钟山区,养老,,120.00,120.00\n")
    assert "第 3 行" in reason and "全年行" in reason
