"""Budget execution and the gap rule against the simulator's answer key: the report's two tables
equal the key's rows, figure by figure. `check_report_tables` runs inside the findings' accuracy
test (tests/simulate/test_accuracy.py: 20 seeds of a quarter on SQLite, the year to date; a year
on PostgreSQL), so the 20 simulations serve both; here a whole year on SQLite (the full year, both
ways of covering a gap) and a few quarters on PostgreSQL.

The simulator derives those figures from what it booked (simulate.budgets), without the engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from reconcile.calendar import WorkCalendar
from reconcile.reporting.report import build_report
from reconcile.reporting.table import Table
from simulate import simulate
from store.db import session_scope, upgrade
from store.reporting import load_report_data
from tests.accuracy import load_key
from tests.integration.conftest import pg_schema as fresh_schema
from tests.integration.conftest import write_config

LOW = 300  # lines per month: the figures do not need volume

BUDGET = {"entity": "entity", "fund": "fund", "year": "year", "budget_version": "budget_version",
          "income_budget": "income_budget_fen", "income_actual": "income_actual_fen", "income_rate": "income_rate_bp",
          "expense_budget": "expense_budget_fen", "expense_actual": "expense_actual_fen",
          "expense_rate": "expense_rate_bp", "year_elapsed": "year_elapsed_bp"}
GAP = {"entity": "entity", "fund": "fund", "year": "year", "through": "through", "gap_state": "gap_state",
       "fund_income": "fund_income_fen", "disbursed": "disbursed_fen", "gap": "gap_fen", "target": "target_fen",
       "contributions": "contributions_fen", "completion_rate": "completion_rate_bp", "covered_by": "covered_by"}


def rows_as_key(table: Table, names: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for row in table.rows:
        d = {names[c.key.rsplit(".", 1)[-1]]: v for c, v in zip(table.columns, row, strict=True)}
        out.append({k: v.isoformat() if isinstance(v, date) else v for k, v in d.items()})
    return out


def report_tables(app: App, as_of: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The budget and gap tables of the report as of `as_of`, in the answer key's shape."""
    cal = WorkCalendar(app.config.calendar.extra_holidays, app.config.calendar.extra_workdays)
    with session_scope(app.database()) as s:
        report = build_report(load_report_data(s, app.registry, as_of), app.registry, cal)
    assert report.budget is not None and report.gap is not None
    return rows_as_key(report.budget, BUDGET), rows_as_key(report.gap, GAP)


def check_report_tables(app: App, key: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """After ingest and reconcile as of the key's date: the report's tables equal the key's rows."""
    as_of = date.fromisoformat(key["as_of"])
    budget, gap = report_tables(app, as_of)
    assert budget == key["budget"]
    assert gap == key["gap"]
    assert len(budget) == 10 and {r["budget_version"] for r in budget} == {1, 2}  # one revision in force
    assert sum(r["income_actual_fen"] for r in budget) > 0 and sum(r["expense_actual_fen"] for r in budget) > 0
    years = sorted({r["year"] for r in gap})
    assert years[-1] == as_of.year and len(gap) == 8 * len(years)
    for year in years:
        mine = [r for r in gap if r["year"] == year]
        final = year < as_of.year or (as_of.month, as_of.day) == (12, 31)
        assert {r["gap_state"] for r in mine} == {"final" if final else "year_to_date"}
        assert {r["through"] for r in mine} == {f"{year}-12-31" if final else as_of.isoformat()}
        assert sum(1 for r in mine if r["gap_fen"] > 0) <= 2  # only the deficit counties' pension (simulate.flows)
    assert any(r["gap_fen"] > 0 for r in gap)
    return budget, gap


def report_versus_key(root: Path, url: str, months: int, seed: int, *, again: bool = False,
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Simulate, ingest, reconcile as of the last day, check the tables; with `again`, reconcile
    once more (the closed months now read from what the first run kept, store.inputs) and check again."""
    write_config(root, url)
    app = App(str(root / "config.toml"))
    summary = simulate("2008-01", months, seed, "city", root / "inbox", lines_per_month=LOW, config=app.config)
    key = load_key(Path(summary.answer_key))
    upgrade(app.database(checked=False))
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    run_reconcile(app.config, app.registry, app.database(), date.fromisoformat(key["as_of"]))
    tables = check_report_tables(app, key)
    if again:
        run_reconcile(app.config, app.registry, app.database(), date.fromisoformat(key["as_of"]))
        assert check_report_tables(app, key) == tables
    return tables


def test_a_whole_years_gap_table_is_final_and_names_who_covers_each_gap(tmp_path: Path) -> None:
    budget, gap = report_versus_key(tmp_path, f"sqlite:///{tmp_path / 'data' / 'recon.db'}", 12, 3, again=True)
    assert {r["covered_by"] for r in gap if r["gap_fen"]} == {"city_pool", "county_government"}
    assert {r["year_elapsed_bp"] for r in budget} == {10_000}


@pytest.fixture
def pg_url(pg_available: str | None) -> Iterator[str]:
    if pg_available:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {pg_available}")
        pytest.skip(pg_available)
    with fresh_schema() as url:
        yield url


@pytest.mark.postgres
@pytest.mark.parametrize("seed", (2, 9, 17))
def test_on_postgresql_the_tables_equal_the_answer_key(tmp_path: Path, pg_url: str, seed: int) -> None:
    _budget, gap = report_versus_key(tmp_path, pg_url, 3, seed)
    assert {r["through"] for r in gap} == {"2008-03-31"}
