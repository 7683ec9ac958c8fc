"""The engine's input records and its output: the finding and the obligation.

One record per concept: `PaymentPlan` (a line of a payment plan), `SurplusItem`, `CollectionTarget`,
`RejectedFile`, `Finding` and `Obligation` are what the parsers, the store, the report and the desk
all pass around (the store's tables are its own `...Row` classes, store/models.py); a finding as the store keeps and
reviews it is `Reviewed` (reconcile/reporting/records.py): this finding plus its review. The lines
the engine reads are the core's `Line` (reconcile/model.py) as the store gives them back, with
their ledger identity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo


@dataclass(frozen=True, slots=True)
class ClassedLine:
    """A line the classes take out of the findings (docs/DOMAIN.md: Classes of lines; listed in the
    report): a bank fee, interest, a return or a refund. Interest condensed into a day's credits is
    one day total. A row of the report's table, not a line: a day total has no one `Line` behind it,
    so it holds the columns the table shows."""

    cls: str  # fee | interest | return | refund
    account: str
    booking_date: date
    amount_fen: int
    counterparty: str
    text: str
    where: str
    day_total: bool = False


@dataclass(frozen=True)
class PaymentPlan:
    """A line of a payment plan (用款计划): what an entity asks for a benefit month."""

    month: str  # benefit month YYYY-MM
    entity: str
    fund: str
    amount_fen: int
    submitted: date
    approved: date | None
    version: int | None
    file_name: str = ""
    source: str = ""


@dataclass(frozen=True)
class SurplusItem:
    entity: str
    fund: str
    amount_fen: int
    due: date
    account: str  # the sending account
    file_name: str = ""
    source: str = ""


@dataclass(frozen=True)
class RejectedFile:
    """A file the inbox could not read, as the store keeps it: the engine makes it a `rejected_file`
    finding in the month it arrived (local time), the report lists it where it was kept."""

    id: int
    name: str
    sha256: str  # of its bytes; "" when they could not be read
    received_at: datetime  # the moment it arrived (time-zone aware)
    reason: str
    kept_at: str  # where it was moved (rejected/...)

    def received_on(self, tz: tzinfo) -> date:
        """The day it arrived, in time zone `tz`."""
        return self.received_at.astimezone(tz).date()


@dataclass(frozen=True)
class Finding:
    kind: str
    rule: str | None
    entity: str | None
    fund: str | None
    account: str | None
    period: str | None
    amount_fen: int | None
    days_late: int | None
    key: str
    severity: str
    detail: dict[str, object] = field(default_factory=dict, compare=False)
    lines: tuple[str, ...] = field(default=(), compare=False)  # "file:source" of the lines behind it
    line_ids: tuple[int, ...] = field(default=(), compare=False)

    def answer_fields(self) -> dict[str, object]:
        return {
            "kind": self.kind, "rule": self.rule, "entity": self.entity, "fund": self.fund,
            "account": self.account, "period": self.period, "amount_fen": self.amount_fen,
            "days_late": self.days_late,
        }


@dataclass(frozen=True)
class CollectionTarget:
    year: int
    entity: str
    fund: str
    amount_fen: int
    file_name: str = ""
    source: str = ""


@dataclass(frozen=True)
class Obligation:
    """One obligation at the as-of date, whatever its outcome: the rows of the late-remittance list
    and the heatmap. Money in fen; arrears in fen-days (amount x calendar days overdue)."""

    rule: str
    entity: str
    fund: str
    period: str
    account: str
    deadline: date
    due_fen: int
    on_time_fen: int
    late_fen: int
    late_payments: tuple[tuple[date, int], ...]
    outstanding_fen: int
    excess_fen: int
    days_overdue: int | None
    fen_days: int
    status: str  # ok | late | partial | missing | short_disbursement | over | awaiting_statement
    plan_version: int | None = None

