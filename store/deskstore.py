"""The desk's door to the store: one object over the database engine whose methods each run one
transaction and take and return the core's records, so neither the desk (web/) nor the CLI holds
a Session or an ORM row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine

from reconcile.accounts import Registry
from reconcile.desk import (
    Actor,
    AuditEntry,
    AuditFilter,
    FindingPage,
    MonthRow,
    QueueFilter,
    QueuePage,
    SignOff,
    User,
)
from reconcile.desk.chain import Broken
from reconcile.reporting.records import ReportData, Reviewed
from reconcile.runs import Run
from store import audit, desk, review, sessions, signoff, users
from store.db import session_scope


class DeskStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # Signing in and out
    def sign_in(self, username: str, password: str, address: str, now: datetime, *, lock_after: int,
                lock_minutes: int) -> tuple[users.SignIn, str, str]:
        """The outcome, and for a user who got in: the session's cookie token and CSRF token."""
        with session_scope(self.engine) as s:
            result = users.sign_in(s, username, password, address, now, lock_after=lock_after,
                                   lock_minutes=lock_minutes)
            if result.user is None:
                return result, "", ""
            token, csrf = sessions.start(s, result.user.id, address, now)
            return result, token, csrf

    def resume(self, token: str, now: datetime, idle: timedelta) -> tuple[User, str] | None:
        with session_scope(self.engine) as s:
            return sessions.resume(s, token, now, idle)

    def sign_out(self, token: str) -> None:
        with session_scope(self.engine) as s:
            sessions.end(s, token)

    def purge_sessions(self, now: datetime, idle: timedelta) -> int:
        with session_scope(self.engine) as s:
            return sessions.purge(s, now, idle)

    # Users
    def users(self) -> list[User]:
        with session_scope(self.engine) as s:
            return users.listing(s)

    def user(self, username: str) -> User | None:
        with session_scope(self.engine) as s:
            return users.by_name(s, username)

    def add_user(self, actor: Actor, username: str, role: str, entity: str | None, password: str, now: datetime, *,
                 name: str = "", min_length: int = 10, entities: frozenset[str] = frozenset()) -> User:
        with session_scope(self.engine) as s:
            return users.add(s, actor, username, role, entity, password, now, name=name, min_length=min_length,
                             entities=entities)

    def set_password(self, actor: Actor, username: str, password: str, now: datetime, *, min_length: int) -> User:
        with session_scope(self.engine) as s:
            return users.set_password(s, actor, username, password, now, min_length=min_length)

    def set_active(self, actor: Actor, username: str, active: bool, now: datetime) -> User:
        with session_scope(self.engine) as s:
            return users.set_active(s, actor, username, active, now)

    def county_entities(self) -> list[str]:
        with session_scope(self.engine) as s:
            return users.county_entities(s)

    # Findings
    def queue(self, f: QueueFilter, scope: str | None) -> QueuePage:
        with session_scope(self.engine) as s:
            return desk.queue(s, f, scope)

    def finding(self, finding_id: int, scope: str | None) -> FindingPage | None:
        with session_scope(self.engine) as s:
            return desk.finding_page(s, finding_id, scope)

    def act(self, actor: Actor, finding_id: int, action: str, now: datetime, *, note: str = "",
            assignee: str | None = None, scope: str | None = None) -> Reviewed:
        with session_scope(self.engine) as s:
            return review.act(s, actor, finding_id, action, now, note=note, assignee=assignee, scope=scope)

    def assignees(self, scope: str | None) -> list[str]:
        with session_scope(self.engine) as s:
            return desk.assignees(s, scope)

    # The dashboard and the months
    def dashboard(self, registry: Registry, scope: str | None) -> tuple[ReportData | None, Run | None]:
        with session_scope(self.engine) as s:
            return desk.dashboard(s, registry, scope), desk.last_run(s)

    def reconciled_as_of(self) -> date | None:
        with session_scope(self.engine) as s:
            return desk.reconciled_as_of(s)

    def months(self, funds: list[str], scope: str | None, limit: int = 24) -> list[MonthRow]:
        with session_scope(self.engine) as s:
            return desk.months(s, funds, desk.periods_held(s, limit), scope)

    def signoff(self, step: str, actor: Actor, fund: str, period: str, now: datetime, note: str = "") -> SignOff:
        steps = {"prepare": signoff.prepare, "approve": signoff.approve, "reject": signoff.reject}
        with session_scope(self.engine) as s:
            return steps[step](s, actor, fund, period, now, note)

    # The audit log
    def audit(self, f: AuditFilter) -> list[AuditEntry]:
        with session_scope(self.engine) as s:
            return audit.listing(s, f)

    def verify_audit(self) -> tuple[int, Broken | None]:
        with session_scope(self.engine) as s:
            return audit.check(s)
