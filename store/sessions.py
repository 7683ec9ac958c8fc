"""Signed-in browsers. The cookie carries a random token; the table keeps its SHA-256, the user,
the address, the CSRF token and when it was last used. A session idle longer than the configured
timeout is gone; signing out removes it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reconcile.desk import User
from store.models import UserRow, WebSessionRow
from store.users import _user

TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most once a minute per session


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def start(session: Session, user_id: int, address: str, now: datetime) -> tuple[str, str]:
    """A new session for the user; returns (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(WebSessionRow(token_hash=_digest(token), user_id=user_id, created_at=now, last_seen_at=now,
                              address=address[:64], csrf=csrf))
    return token, csrf


def resume(session: Session, token: str, now: datetime, idle: timedelta) -> tuple[User, str] | None:
    """The signed-in user and the session's CSRF token, or None (unknown, idle too long, user
    disabled); an idle session is removed."""
    if not token or len(token) > 128:
        return None
    row = session.get(WebSessionRow, _digest(token))
    if row is None:
        return None
    seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=UTC)
    user = session.get(UserRow, row.user_id)
    if now - seen > idle or user is None or not user.active:
        session.delete(row)
        return None
    if now - seen > TOUCH_EVERY:
        row.last_seen_at = now
    return _user(user), row.csrf


def end(session: Session, token: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _digest(token)))


def purge(session: Session, now: datetime, idle: timedelta) -> int:
    """Remove every session idle longer than `idle`; returns how many."""
    result = session.execute(delete(WebSessionRow).where(WebSessionRow.last_seen_at < now - idle))
    return int(getattr(result, "rowcount", 0) or 0)
