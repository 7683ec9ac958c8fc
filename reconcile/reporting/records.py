"""The plain records the report is built from, as `store.reporting` loads them.

Money is integer fen; arrears are integer fen-days (amount x calendar days overdue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reconcile.coverage import StatementInfo
from reconcile.departures import HeldDeparture
from reconcile.engine.types import CollectionTarget, Obligation
from reconcile.reporting.budget import BudgetRow, MonthActual


@dataclass(frozen=True)
class FindingRecord:
    id: int
    key: str
    kind: str
    rule: str | None
    entity: str | None
    fund: str | None
    account: str | None
    period: str | None
    amount_fen: int | None
    days_late: int | None
    severity: str
    detail: dict[str, object]
    lines: tuple[str, ...]
    state: str  # open | closed
    closed_at: datetime | None
    first_seen_at: datetime
    review_state: str  # none | acknowledged | resolved
    review_note: str = ""
    review_by: str = ""
    review_at: datetime | None = None
    assignee: str = ""  # who the city assigned it to (the desk)
    explanation: str = ""  # the county's latest explanation (情况说明)


@dataclass(frozen=True)
class LineRecord:
    """A ledger line behind a finding."""

    finding_id: int
    line_id: int
    account: str
    file_name: str
    source: str
    booking_date: date
    value_date: date | None
    amount_fen: int
    counterparty_account: str
    counterparty_name: str
    text: str
    remark: str

    @property
    def where(self) -> str:
        return f"{self.file_name}:{self.source}" if self.source else self.file_name


@dataclass(frozen=True)
class RejectedRecord:
    id: int
    name: str
    sha256: str
    received_at: datetime
    reason: str
    kept_at: str


@dataclass(frozen=True)
class CreditRecord:
    """A credit on a county income account: a contribution unless its class or party says otherwise."""

    account: str
    booking_date: date
    amount_fen: int
    counterparty_account: str
    text: str
    remark: str
    type_code: str
    reversal: bool


@dataclass(frozen=True)
class PreviousReport:
    as_of: date
    generated_at: datetime
    open_keys: frozenset[str]


@dataclass
class ReportData:
    """Everything one report needs, loaded in one transaction."""

    as_of: date
    findings: list[FindingRecord]  # open ones, and those closed since the previous report
    obligations: list[Obligation]
    statements: list[StatementInfo]
    rejected: list[RejectedRecord]
    targets: list[CollectionTarget]
    contributions: dict[str, int]  # county income account -> contributions in as_of's year up to as_of
    previous: PreviousReport | None
    reconciled_as_of: date | None = None  # the as-of date of the last reconciliation the store holds
    renewed_keys: frozenset[str] = field(default_factory=frozenset)  # review reset by a grown amount since
    line_counts: dict[int, int] = field(default_factory=dict)  # finding id -> lines behind it in the ledger
    warnings: list[HeldDeparture] = field(default_factory=list)  # dialect warnings of the statements in view
    budgets: list[BudgetRow] = field(default_factory=list)  # every budget row held (the report picks those in force)
    actuals: list[MonthActual] = field(default_factory=list)  # collected and disbursed per entity, fund and month

    @property
    def open_findings(self) -> list[FindingRecord]:
        return [f for f in self.findings if f.state == "open"]
