"""The review desk's records: users, who acts and from where, the audit log, month sign-offs, the
findings queue and a finding's page. Plain frozen dataclasses; the store fills them, the desk
(web/) and the CLI read them. Permissions are in `reconcile.desk.permissions`, the audit chain's
arithmetic in `reconcile.desk.chain`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # named in annotations only: `recon` declares its desk commands without loading them
    from reconcile.engine.types import Obligation
    from reconcile.model import Line
    from reconcile.reporting.records import Reviewed

ROLES = ("county", "city", "supervisor", "auditor", "admin")
SIGNOFF_STATES = ("open", "prepared", "approved", "revoked")


@dataclass(frozen=True)
class Actor:
    """Who does something, in what role, from where: a desk user from an address, or a command
    run on the server (address "cli"), or the tool itself (the nightly run)."""

    name: str
    role: str
    entity: str | None = None
    address: str = ""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    role: str
    entity: str | None
    active: bool
    created_at: datetime
    last_login_at: datetime | None = None
    last_login_from: str = ""
    failed_logins: int = 0
    locked_until: datetime | None = None

    @property
    def scope(self) -> str | None:
        """The one entity whose findings this user may see; None for all (city, supervisor, auditor)."""
        return self.entity if self.role == "county" else None

    def actor(self, address: str) -> Actor:
        return Actor(self.username, self.role, self.entity, address)


@dataclass(frozen=True)
class AuditEntry:
    """One row of the append-only audit log; `hash` covers the row and the previous row's hash."""

    id: int
    at: datetime
    actor: str
    address: str
    action: str
    target: str
    finding_id: int | None
    before: str  # canonical JSON
    after: str  # canonical JSON
    note: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditFilter:
    since: datetime | None = None
    actor: str | None = None
    finding_id: int | None = None
    limit: int = 200


@dataclass(frozen=True)
class SignOff:
    """A (fund, month): open, prepared by an accountant, approved by a different supervisor, or
    revoked by itself when a finding of the month changed after it was prepared or approved."""

    fund: str
    period: str
    state: str = "open"
    prepared_by: str = ""
    prepared_at: datetime | None = None
    approved_by: str = ""
    approved_at: datetime | None = None
    note: str = ""
    revoked_at: datetime | None = None
    revoke_reason: str = ""


@dataclass(frozen=True)
class MonthRow:
    """A month on the sign-off page: its sign-off and its findings in the user's scope."""

    signoff: SignOff
    open_findings: int
    serious_open: int


@dataclass(frozen=True)
class QueueFilter:
    """The queue's filters, all optional, as the query parameters of /findings."""

    kind: str | None = None
    entity: str | None = None
    fund: str | None = None
    severity: str | None = None
    period: str | None = None  # YYYY or YYYY-MM
    review: str | None = None  # none | acknowledged | resolved | explained
    assignee: str | None = None
    state: str = "open"  # open | closed | all
    new: bool = False  # open, unreviewed and not in the last report
    sort: str = "severity"
    descending: bool = True
    page: int = 1
    per_page: int = 50


FACETS = ("kind", "entity", "fund", "severity", "review")


@dataclass(frozen=True)
class QueuePage:
    findings: tuple[Reviewed, ...]
    total: int
    page: int
    per_page: int
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class FindingEvent:
    """A night's change of a finding: opened, kind or amount changed, closed, reopened."""

    at: datetime
    as_of: date
    event: str
    kind: str
    amount_fen: int | None


@dataclass(frozen=True)
class FindingPage:
    finding: Reviewed
    obligation: Obligation | None
    lines: tuple[Line, ...]  # the first stored lines behind the finding (`line_count` in all)
    line_count: int
    history: tuple[FindingEvent, ...]
    audit: tuple[AuditEntry, ...]
