"""Who may do what on the desk: one table, decided on the server from the signed-in user.

County staff see and explain their own entity's findings only (another county's finding does not
exist for them: 404, not 403); city staff assign, acknowledge, resolve and reopen, and prepare a
month; a supervisor is city staff who may also approve (or send back) a month another person
prepared; auditors read everything and change nothing; admins manage users and see no findings.
"""

from __future__ import annotations

from reconcile.desk import User

READ = frozenset({"dashboard", "findings", "finding", "months", "reports"})
REVIEW = frozenset({"assign", "acknowledge", "resolve", "reopen"})
ACTIONS = (*sorted(READ), "explain", *sorted(REVIEW), "prepare", "approve", "reject", "audit", "users")

_TABLE: dict[str, frozenset[str]] = {
    "county": READ | {"explain"},
    "city": READ | REVIEW | {"prepare"},
    "supervisor": READ | REVIEW | {"prepare", "approve", "reject", "audit"},
    "auditor": READ | {"audit"},
    "admin": frozenset({"users"}),
}
# Actions on one finding: for county staff only on their own entity's.
_ON_A_FINDING = frozenset({"finding", "explain"}) | REVIEW


def allowed(role: str, action: str, *, own: bool = True) -> bool:
    """May a user of `role` do `action`; `own` says whether the finding acted on is of the
    user's own entity (it matters for county staff only)."""
    if action not in _TABLE.get(role, frozenset()):
        return False
    return own or role != "county" or action not in _ON_A_FINDING


def can(user: User, action: str, finding_entity: str | None = None) -> bool:
    """`allowed` for a signed-in user and, for an action on a finding, that finding's entity."""
    if not user.active:
        return False
    own = user.role != "county" or (finding_entity is not None and finding_entity == user.entity)
    return allowed(user.role, action, own=own)


def sees_finding(user: User, finding_entity: str | None) -> bool:
    return can(user, "finding", finding_entity)


def home(user: User) -> str:
    """Where a user lands after signing in."""
    return "/users" if user.role == "admin" else "/"
