"""Finding kinds and severities: the one table (docs/DOMAIN.md, *Findings*).

Each kind's default severity, its place in the report (most severe first, then the order of
`KINDS`) and its catalogue key (`report.kind.<code>`); the severities in rising order; and what
"serious" means: medium severity or above. `recon reconcile`'s exit code, the report's count of
serious findings, the e-mail and the desk's months page all ask `is_serious` (or filter on
`SERIOUS` in SQL), so they count the same findings.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")  # rising


@dataclass(frozen=True)
class Kind:
    code: str
    severity: str  # the default; a rule may raise it (an unexpected transfer from income to expense)

    @property
    def message(self) -> str:
        """The catalogue key of the kind's name."""
        return f"report.kind.{self.code}"


KINDS: tuple[Kind, ...] = (  # in report order within a severity
    Kind("short_disbursement", "critical"),
    Kind("leak", "critical"),
    Kind("partial", "high"),
    Kind("missing", "high"),
    Kind("unconfirmed", "high"),
    Kind("misdirected", "high"),
    Kind("duplicate_payment", "high"),
    Kind("unidentified", "high"),
    Kind("misplaced_income", "high"),
    Kind("balance_break", "high"),
    Kind("rejected_file", "high"),
    Kind("book_unreconciled", "high"),  # book against bank (reconcile.book)
    Kind("late", "medium"),
    Kind("unexpected", "medium"),
    Kind("coverage_gap", "medium"),
    Kind("stale_account", "medium"),
    Kind("late_plan", "medium"),
    Kind("stale_outstanding", "medium"),  # book against bank
    Kind("over", "low"),
    Kind("split", "low"),
    Kind("awaiting_statement", "info"),
)
SEVERITY: dict[str, str] = {k.code: k.severity for k in KINDS}
_ORDER = {k.code: i for i, k in enumerate(KINDS)}


def severity_rank(severity: str) -> int:
    """0 for info up to 4 for critical; -1 for a severity this version does not know."""
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else -1


def is_serious(severity: str) -> bool:
    """Medium severity or above."""
    return severity_rank(severity) >= SEVERITY_ORDER.index("medium")


SERIOUS: tuple[str, ...] = tuple(s for s in SEVERITY_ORDER if is_serious(s))


def kind_rank(kind: str) -> int:
    """A kind's place in the report; a kind this version does not know comes after the others."""
    return _ORDER.get(kind, len(KINDS))
