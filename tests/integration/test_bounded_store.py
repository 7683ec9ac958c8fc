"""Issue 12, defect 4: amounts that do not fit, on SQLite and PostgreSQL. Two lines of 5 x 10^16 yuan
each fit 64 bits, their sum does not: the file is refused at parse with the line named, the other
files of the night are ingested and every later reconcile runs. A sum the engine makes in Python
integers beyond what the database holds is refused by name before the store, with nothing stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from reconcile.errors import StoreError
from store.db import session_scope, upgrade
from store.findings import replace_contributions
from store.models import ContributionRow, LineRow
from tests.integration.files import MARCH_ROWS, ZS_PENSION_INCOME, Row, icbc_csv

HUGE = 5 * 10**16 * 100  # 5 x 10^16 yuan in fen: below 2^63 alone


def app_for(project: Path) -> App:
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    return app


def test_two_lines_whose_sum_overflows_refuse_their_file_and_the_night_goes_on(project: Path) -> None:
    app = app_for(project)
    (project / "inbox" / "a_huge.csv").write_bytes(
        icbc_csv([Row("2008-03-04 09:12:33", HUGE, voucher="H1"), Row("2008-03-05 09:12:33", HUGE, voucher="H2")]))
    (project / "inbox" / "b_march.csv").write_bytes(icbc_csv(MARCH_ROWS))
    report = Ingestor(app.config, app.registry, app.database()).run(progress=False)
    assert (report.ingested, report.rejected, report.added) == (1, 1, 2)
    reason = (project / "rejected" / "a_huge.csv.reason.txt").read_text(encoding="utf-8")
    assert "第 3 行" in reason and "limits.max_line_fen" in reason
    assert "SQL" not in reason and "Overflow" not in reason
    for day in (date(2008, 3, 31), date(2008, 4, 30)):  # every later reconcile runs
        run_reconcile(app.config, app.registry, app.database(), day)
    with session_scope(app.database()) as s:
        assert s.scalar(select(func.max(func.abs(LineRow.amount_fen)))) == 123456789


def test_a_sum_beyond_what_the_database_holds_is_refused_by_name_and_nothing_is_stored(project: Path) -> None:
    app = app_for(project)
    with session_scope(app.database()) as s:
        replace_contributions(s, {(ZS_PENSION_INCOME, 2008): 7}, date(2008, 3, 31))
    with pytest.raises(StoreError) as err, session_scope(app.database()) as s:
        replace_contributions(s, {(ZS_PENSION_INCOME, 2008): 2 * HUGE}, date(2008, 4, 30))
    assert "contributions row 1 amount_fen" in str(err.value) and ZS_PENSION_INCOME in str(err.value)
    assert "SQL" not in str(err.value)
    with session_scope(app.database()) as s:
        assert list(s.scalars(select(ContributionRow.amount_fen))) == [7]
