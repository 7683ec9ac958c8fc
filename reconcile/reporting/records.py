"""The plain records the report is built from, as `store.reporting` loads them.

Money is integer fen; arrears are integer fen-days (amount x calendar days overdue).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from reconcile.departures import HeldDeparture
from reconcile.engine.types import CollectionTarget, Finding, Obligation, RejectedFile
from reconcile.kinds import FindingStatus, ReviewState
from reconcile.model import Line, StoredStatement
from reconcile.reporting.budget import BudgetLine, MonthActual


@dataclass(frozen=True)
class Review:
    """Where people stand on a finding (docs/DOMAIN.md, *Identity and state*): its review state, by whom, when
    and why; whom the city assigned it to and the county's latest explanation (情况说明)."""

    state: ReviewState = ReviewState.NONE
    note: str = ""
    by: str = ""
    at: datetime | None = None
    assignee: str = ""
    explanation: str = ""


@dataclass(frozen=True)
class Reviewed:
    """A finding as the store keeps it: the engine's `Finding`, its life across runs (its id, its
    status, when first seen and when closed) and its `Review`. Nothing of the finding is copied."""

    id: int
    finding: Finding
    status: FindingStatus
    first_seen_at: datetime
    closed_at: datetime | None = None
    review: Review = Review()


@dataclass(frozen=True, slots=True)
class FindingLine:
    """A stored line behind a finding: the finding's id and the line, nothing of either copied."""

    finding_id: int
    line: Line


@dataclass(frozen=True)
class PreviousReport:
    as_of: date
    generated_at: datetime
    open_keys: frozenset[str]


@dataclass
class ReportData:
    """Everything one report needs, loaded in one transaction."""

    as_of: date
    findings: list[Reviewed]  # open ones, and those closed since the previous report
    obligations: list[Obligation]
    statements: list[StoredStatement]
    rejected: list[RejectedFile]
    targets: list[CollectionTarget]
    contributions: dict[str, int]  # county income account -> contributions in as_of's year up to as_of
    previous: PreviousReport | None
    reconciled_as_of: date | None = None  # the as-of date of the last reconciliation the store holds
    renewed_keys: frozenset[str] = field(default_factory=frozenset)  # review reset by a grown amount since
    line_counts: dict[int, int] = field(default_factory=dict)  # finding id -> lines behind it in the ledger
    warnings: list[HeldDeparture] = field(default_factory=list)  # dialect warnings of the statements in view
    budgets: list[BudgetLine] = field(default_factory=list)  # every budget row held (the report picks those in force)
    actuals: list[MonthActual] = field(default_factory=list)  # collected and disbursed per entity, fund and month

    @property
    def open_findings(self) -> list[Reviewed]:
        return [f for f in self.findings if f.status is FindingStatus.OPEN]
