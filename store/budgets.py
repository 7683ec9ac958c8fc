"""Budgets (预算) from budget files, and the per-month actuals each reconcile counts (replaced by
each): what budget execution and the gap rule are reported from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.reporting.budget import BudgetLine, MonthActual
from store.models import ActualRow, BudgetLineRow, FileRow
from store.standings import replace_rows


def budget_values(file_id: int, rows: Sequence[object]) -> list[dict[str, object]]:
    """The insert values of a budget file's rows (store.ledger.store_schedule stores them)."""
    return [{"file_id": file_id, "year": r.year, "entity": r.entity, "fund": r.fund, "month": r.month,
             "income_fen": r.income_fen, "expense_fen": r.expense_fen, "version": r.version,
             "approved": r.approved, "source": r.source}
            for r in rows if isinstance(r, BudgetLine)]


def load_budgets(session: Session) -> list[BudgetLine]:
    q = (select(BudgetLineRow, FileRow.name).join(FileRow, FileRow.id == BudgetLineRow.file_id)
         .order_by(BudgetLineRow.id))
    return [BudgetLine(b.year, b.entity, b.fund, b.month, b.income_fen, b.expense_fen, b.version, b.approved, name,
                       b.source, b.file_id)
            for b, name in session.execute(q)]


def replace_actuals(session: Session, actuals: Sequence[MonthActual], as_of: date) -> None:
    """This run's month actuals replace the previous run's (store.standings)."""
    rows = [(a.entity, a.fund, a.month, a.contributions_fen, a.interest_fen, a.disbursed_fen) for a in actuals]
    replace_rows(session, ActualRow, ("entity", "fund", "month", "contributions_fen", "interest_fen", "disbursed_fen"),
                 3, rows, as_of)


def load_actuals(session: Session, as_of: date) -> list[MonthActual]:
    """The actuals of the last reconcile, up to `as_of`'s month (a report for an earlier day than
    the last reconcile shows the months up to its own)."""
    last = f"{as_of.year:04d}-{as_of.month:02d}"
    a = ActualRow  # plain columns, no ORM object a row: a month of every entity and fund of history
    q = (select(a.entity, a.fund, a.month, a.contributions_fen, a.interest_fen, a.disbursed_fen)
         .where(a.month <= last).order_by(a.entity, a.fund, a.month))
    return [MonthActual(*row) for row in session.execute(q)]
