"""Finding kinds, severities, a stored finding's status and review states: the one table of each
(docs/DOMAIN.md, *Findings*).

Each is an enum whose members are their codes (a member equals its code, so the store keeps plain
text) and carry their order and their catalogue key: `Severity` in rising order
(`report.severity.<code>`); `Kind` in report order within a severity, with its default severity
(`report.kind.<code>`); `FindingStatus`, open or closed (`report.state.<code>`); `ReviewState` in the
order a review goes (`report.review.<code>`). And what
"serious" means: medium severity or above. `recon reconcile`'s exit code, the report's count of
serious findings, the e-mail and the desk's months page all ask `is_serious` (or filter on
`SERIOUS` in SQL), so they count the same findings.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):  # rising
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def code(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """0 for info up to 4 for critical."""
        return _SEVERITY_RANK[self.value]

    @property
    def message(self) -> str:
        """The catalogue key of the severity's name."""
        return f"report.severity.{self.value}"


class Kind(StrEnum):
    """A finding kind; the members' order is the report's order within a severity."""

    severity: Severity  # the default; a rule may raise it (an unexpected transfer from income to expense)

    def __new__(cls, code: str, severity: Severity) -> Kind:
        member = str.__new__(cls, code)
        member._value_ = code
        member.severity = severity
        return member

    SHORT_DISBURSEMENT = "short_disbursement", Severity.CRITICAL
    LEAK = "leak", Severity.CRITICAL
    PARTIAL = "partial", Severity.HIGH
    MISSING = "missing", Severity.HIGH
    UNCONFIRMED = "unconfirmed", Severity.HIGH
    MISDIRECTED = "misdirected", Severity.HIGH
    DUPLICATE_PAYMENT = "duplicate_payment", Severity.HIGH
    UNIDENTIFIED = "unidentified", Severity.HIGH
    MISPLACED_INCOME = "misplaced_income", Severity.HIGH
    BALANCE_BREAK = "balance_break", Severity.HIGH
    REJECTED_FILE = "rejected_file", Severity.HIGH
    BOOK_UNRECONCILED = "book_unreconciled", Severity.HIGH  # book against bank (reconcile.book)
    LATE = "late", Severity.MEDIUM
    UNEXPECTED = "unexpected", Severity.MEDIUM
    COVERAGE_GAP = "coverage_gap", Severity.MEDIUM
    STALE_ACCOUNT = "stale_account", Severity.MEDIUM
    LATE_PLAN = "late_plan", Severity.MEDIUM
    STALE_OUTSTANDING = "stale_outstanding", Severity.MEDIUM  # book against bank
    OVER = "over", Severity.LOW
    SPLIT = "split", Severity.LOW
    AWAITING_STATEMENT = "awaiting_statement", Severity.INFO

    @property
    def code(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        """The kind's place in the report."""
        return _KIND_RANK[self.value]

    @property
    def message(self) -> str:
        """The catalogue key of the kind's name."""
        return f"report.kind.{self.value}"


class FindingStatus(StrEnum):
    """A stored finding's life across runs (docs/DOMAIN.md, *Identity and state*): open while the
    engine finds it, closed once a run no longer does (and open again if it comes back)."""

    OPEN = "open"
    CLOSED = "closed"

    @property
    def code(self) -> str:
        return self.value

    @property
    def message(self) -> str:
        """The catalogue key of the status's name."""
        return f"report.state.{self.value}"


class ReviewState(StrEnum):
    """Where a finding's review stands (docs/DOMAIN.md, *Identity and state*), in the order a review goes."""

    NONE = "none"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"

    @property
    def code(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return _REVIEW_RANK[self.value]

    @property
    def message(self) -> str:
        """The catalogue key of the state's name."""
        return f"report.review.{self.value}"


KINDS: tuple[Kind, ...] = tuple(Kind)  # in report order within a severity
SEVERITY_ORDER: tuple[Severity, ...] = tuple(Severity)  # rising
REVIEW_STATES: tuple[ReviewState, ...] = tuple(ReviewState)
SEVERITY: dict[str, str] = {k.value: k.severity.value for k in KINDS}  # a kind's default severity, as stored
_SEVERITY_RANK = {s.value: i for i, s in enumerate(SEVERITY_ORDER)}
_KIND_RANK = {k.value: i for i, k in enumerate(KINDS)}
_REVIEW_RANK = {r.value: i for i, r in enumerate(REVIEW_STATES)}


def severity_rank(severity: str) -> int:
    """0 for info up to 4 for critical; -1 for a severity this version does not know."""
    return _SEVERITY_RANK.get(severity, -1)


def is_serious(severity: str) -> bool:
    """Medium severity or above."""
    return severity_rank(severity) >= Severity.MEDIUM.rank


SERIOUS: tuple[str, ...] = tuple(s.value for s in SEVERITY_ORDER if is_serious(s))  # as stored, for SQL


def kind_rank(kind: str) -> int:
    """A kind's place in the report; a kind this version does not know comes after the others."""
    return _KIND_RANK.get(kind, len(KINDS))
