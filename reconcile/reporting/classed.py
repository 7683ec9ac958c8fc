"""The classed lines table (docs/DOMAIN.md: Classes of lines; they are listed in the report): bank
fees, interest, returns and refunds, which are never findings, each with its account, date, amount
and source."""

from __future__ import annotations

from collections.abc import Iterable

from reconcile.accounts import Registry
from reconcile.engine.types import ClassedLine
from reconcile.reporting.table import Table, col

CLASSED_COLUMNS = (
    col("line_class", "line_class", 14), col("entity", "entity", 12), col("fund", "fund", 8),
    col("account", "text", 22), col("booking_date", "date", 11), col("amount", "money", 16),
    col("counterparty", "text", 34), col("text", "text", 40), col("where", "where", 40),
)


def classed_table(lines: Iterable[ClassedLine], registry: Registry) -> Table:
    rows: list[tuple[object, ...]] = []
    for x in lines:
        a = registry.account(x.account)
        rows.append(("interest_day" if x.day_total else x.cls, a.entity if a else None, a.fund if a else None,
                     x.account, x.booking_date, x.amount_fen, x.counterparty or None, x.text or None, x.where))
    return Table("classed_lines", "report.section.classed", CLASSED_COLUMNS, rows)
