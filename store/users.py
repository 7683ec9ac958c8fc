"""Desk users: adding, password changes, disabling, listing, and signing in with the lockout.

Passwords are hashed with argon2id (argon2-cffi's defaults) and never stored or logged in clear.
Every change is a row of the audit log. A failed sign-in counts against the account; the
`lock_after`-th in a row locks it for `lock_minutes`; an unknown user name costs the same hashing
time as a known one, so the answer's timing does not say which names exist.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reconcile.desk import ROLES, Actor, User
from reconcile.errors import ReconError
from store import audit
from store.models import UserRow, WebSessionRow

HASHER = PasswordHasher()
NAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


class UserError(ReconError):
    """A user command that cannot be carried out: the key names what is wrong (a catalogue key)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user, or why not (`bad`, `locked`, `disabled`)."""

    user: User | None
    reason: str = ""


def hash_password(password: str, min_length: int) -> str:
    if len(password) < min_length:
        raise UserError("users.password_short", n=min_length)
    return HASHER.hash(password)


def add(session: Session, actor: Actor, username: str, role: str, entity: str | None, password: str, now: datetime,
        *, name: str = "", min_length: int = 10, entities: frozenset[str] = frozenset()) -> User:
    if not NAME.match(username):
        raise UserError("users.bad_name", name=username)
    if role not in ROLES:
        raise UserError("users.bad_role", role=role)
    if role == "county" and not entity:
        raise UserError("users.county_needs_entity")
    if role != "county" and entity:
        raise UserError("users.entity_only_county")
    if entity and entities and entity not in entities:
        raise UserError("users.bad_entity", entity=entity)
    if session.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
        raise UserError("users.exists", name=username)
    row = UserRow(username=username, name=name or username, role=role, entity=entity,
                  password_hash=hash_password(password, min_length), active=True, created_at=now,
                  last_login_from="", failed_logins=0)
    session.add(row)
    session.flush()
    audit.append(session, actor, "user.add", f"user:{username}", now,
                 after={"role": role, "entity": entity, "name": row.name, "active": True})
    return _user(row)


def set_password(session: Session, actor: Actor, username: str, password: str, now: datetime,
                 *, min_length: int = 10) -> User:
    row = _row(session, username)
    row.password_hash = hash_password(password, min_length)
    row.failed_logins, row.locked_until = 0, None
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))  # sign out everywhere
    audit.append(session, actor, "user.password", f"user:{username}", now)
    return _user(row)


def set_active(session: Session, actor: Actor, username: str, active: bool, now: datetime) -> User:
    row = _row(session, username)
    before = row.active
    row.active = active
    if not active:
        session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    audit.append(session, actor, "user.enable" if active else "user.disable", f"user:{username}", now,
                 before={"active": before}, after={"active": active})
    return _user(row)


def listing(session: Session) -> list[User]:
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]


def get(session: Session, user_id: int) -> User | None:
    row = session.get(UserRow, user_id)
    return _user(row) if row is not None else None


def by_name(session: Session, username: str) -> User | None:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    return _user(row) if row is not None else None


def county_entities(session: Session) -> list[str]:
    """Entities with at least one active county user: the nightly writes their own reports."""
    q = select(UserRow.entity).where(UserRow.role == "county", UserRow.active.is_(True),
                                     UserRow.entity.is_not(None)).distinct()
    return sorted(e for e in session.scalars(q) if e)


def sign_in(session: Session, username: str, password: str, address: str, now: datetime, *,
            lock_after: int = 5, lock_minutes: int = 15) -> SignIn:
    row = session.scalar(select(UserRow).where(UserRow.username == username)) if NAME.match(username) else None
    if row is None:
        _verify(_dummy(), password)
        return SignIn(None, "bad")
    who = Actor(username, row.role, row.entity, address)
    locked = _aware(row.locked_until)
    if locked is not None and locked > now:
        _verify(_dummy(), password)
        return SignIn(None, "locked")
    if not _verify(row.password_hash, password):
        row.failed_logins = (row.failed_logins or 0) + 1
        note = f"{row.failed_logins}"
        if row.failed_logins >= lock_after:
            row.locked_until, row.failed_logins = now + timedelta(minutes=lock_minutes), 0
            audit.append(session, who, "login.locked", f"user:{username}", now, note=note,
                         after={"locked_until": row.locked_until.isoformat()})
            return SignIn(None, "locked")
        audit.append(session, who, "login.failed", f"user:{username}", now, note=note)
        return SignIn(None, "bad")
    if not row.active:
        return SignIn(None, "disabled")
    if HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = HASHER.hash(password)
    row.failed_logins, row.locked_until = 0, None
    row.last_login_at, row.last_login_from = now, address[:64]
    audit.append(session, who, "login", f"user:{username}", now)
    return SignIn(_user(row))


@functools.cache
def _dummy() -> str:
    """A hash no password matches, to spend the same time on a name that does not exist."""
    return HASHER.hash("not a password of anyone")


def _verify(digest: str, password: str) -> bool:
    try:
        return HASHER.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def _row(session: Session, username: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.username == username))
    if row is None:
        raise UserError("users.unknown", name=username)
    return row


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _user(r: UserRow) -> User:
    return User(id=r.id, username=r.username, name=r.name, role=r.role, entity=r.entity, active=r.active,
                created_at=_aware(r.created_at) or r.created_at, last_login_at=_aware(r.last_login_at),
                last_login_from=r.last_login_from, failed_logins=r.failed_logins, locked_until=_aware(r.locked_until))
