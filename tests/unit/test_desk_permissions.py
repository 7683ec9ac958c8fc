"""Who may do what on the desk: every role x every action x a finding of their own entity or
another's, against a table written out by hand (not derived from the code under test)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reconcile.desk import ROLES, User
from reconcile.desk.permissions import ACTIONS, allowed, can, home

Y, N = True, False
# role: {action: (own entity, other entity)}; "own" matters for county staff only.
EXPECTED: dict[str, dict[str, tuple[bool, bool]]] = {
    "county": {"dashboard": (Y, Y), "findings": (Y, Y), "finding": (Y, N), "months": (Y, Y), "reports": (Y, Y),
               "explain": (Y, N), "assign": (N, N), "acknowledge": (N, N), "resolve": (N, N), "reopen": (N, N),
               "prepare": (N, N), "approve": (N, N), "reject": (N, N), "audit": (N, N), "users": (N, N)},
    "city": {"dashboard": (Y, Y), "findings": (Y, Y), "finding": (Y, Y), "months": (Y, Y), "reports": (Y, Y),
             "explain": (N, N), "assign": (Y, Y), "acknowledge": (Y, Y), "resolve": (Y, Y), "reopen": (Y, Y),
             "prepare": (Y, Y), "approve": (N, N), "reject": (N, N), "audit": (N, N), "users": (N, N)},
    "supervisor": {"dashboard": (Y, Y), "findings": (Y, Y), "finding": (Y, Y), "months": (Y, Y), "reports": (Y, Y),
                   "explain": (N, N), "assign": (Y, Y), "acknowledge": (Y, Y), "resolve": (Y, Y), "reopen": (Y, Y),
                   "prepare": (Y, Y), "approve": (Y, Y), "reject": (Y, Y), "audit": (Y, Y), "users": (N, N)},
    "auditor": {"dashboard": (Y, Y), "findings": (Y, Y), "finding": (Y, Y), "months": (Y, Y), "reports": (Y, Y),
                "explain": (N, N), "assign": (N, N), "acknowledge": (N, N), "resolve": (N, N), "reopen": (N, N),
                "prepare": (N, N), "approve": (N, N), "reject": (N, N), "audit": (Y, Y), "users": (N, N)},
    "admin": {"dashboard": (N, N), "findings": (N, N), "finding": (N, N), "months": (N, N), "reports": (N, N),
              "explain": (N, N), "assign": (N, N), "acknowledge": (N, N), "resolve": (N, N), "reopen": (N, N),
              "prepare": (N, N), "approve": (N, N), "reject": (N, N), "audit": (N, N), "users": (Y, Y)},
}


def test_the_table_covers_every_role_and_every_action() -> None:
    assert set(EXPECTED) == set(ROLES)
    for role in ROLES:
        assert set(EXPECTED[role]) == set(ACTIONS), role


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("own", [True, False], ids=["own", "other"])
def test_each_role_may_do_exactly_what_the_table_says(role: str, action: str, own: bool) -> None:
    want = EXPECTED[role][action][0 if own else 1]
    assert allowed(role, action, own=own) is want
    entity = "ZS" if role == "county" else None
    user = User(1, "u", "u", role, entity, True, datetime(2008, 1, 1, tzinfo=UTC))
    assert can(user, action, "ZS" if own else "SC") is want


@pytest.mark.parametrize("role", ROLES)
def test_a_disabled_user_may_do_nothing(role: str) -> None:
    user = User(1, "u", "u", role, "ZS" if role == "county" else None, False, datetime(2008, 1, 1, tzinfo=UTC))
    assert not any(can(user, a, "ZS") for a in ACTIONS)


def test_county_staff_see_one_entity_and_everyone_else_all_and_admins_land_on_users() -> None:
    made = datetime(2008, 1, 1, tzinfo=UTC)
    assert User(1, "u", "u", "county", "ZS", True, made).scope == "ZS"
    assert all(User(1, "u", "u", r, None, True, made).scope is None for r in ROLES if r != "county")
    assert home(User(1, "u", "u", "admin", None, True, made)) == "/users"
    assert home(User(1, "u", "u", "city", None, True, made)) == "/"
    assert not can(User(1, "u", "u", "county", "ZS", True, made), "finding", None)  # no entity: not theirs
    assert not allowed("nobody", "findings")
