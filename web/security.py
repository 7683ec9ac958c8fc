"""Sessions, CSRF and the response headers.

The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure under `web.https`); the
store keeps its hash and the session's CSRF token, which every form carries as a hidden field and
every HTMX request as the X-CSRF-Token header. The sign-in form, before any session, uses a
double-submit cookie. Every answer says: scripts, styles and frames only from this server.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote

from flask import Response, abort, g, redirect, request
from werkzeug.wrappers import Response as BaseResponse

from reconcile.desk.permissions import can
from web.context import desk, now

SESSION_COOKIE = "recon_session"
LOGIN_CSRF_COOKIE = "recon_login_csrf"
LANG_COOKIE = "recon_lang"
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
F = TypeVar("F", bound=Callable[..., Any])


def load_session() -> None:
    """Before every request: the signed-in user (or none) and the page's language."""
    d = desk()
    lang = request.cookies.get(LANG_COOKIE, "")
    g.lang = lang if lang in ("zh", "en") else d.lang
    g.user, g.csrf = None, ""
    token = request.cookies.get(SESSION_COOKIE, "")
    if token and not request.path.startswith("/static/"):
        got = d.store.resume(token, now(), timedelta(minutes=d.config.web.idle_minutes))
        if got is not None:
            g.user, g.csrf = got


def check_csrf() -> None:
    """Every request that changes something carries the session's token (or, signing in, the
    token of its own cookie); a missing or wrong one is refused with 400 before anything runs."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf", "")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "") if request.path == "/login" else g.get("csrf", "")
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="csrf")


def headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = response.headers.get("Content-Security-Policy", CSP)
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    if desk().config.web.https:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def set_cookie(response: BaseResponse, name: str, value: str, *, max_age: int | None = None,
               same_site: str = "Lax") -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite=same_site,
                        secure=desk().config.web.https, path="/")


def login_csrf() -> str:
    return secrets.token_urlsafe(32)


def to_login() -> Response:
    """Not signed in: to the sign-in page, and back here afterwards (an HTMX request is told to go there)."""
    target = "/login?next=" + quote(request.full_path.rstrip("?") if request.method == "GET" else "/", safe="")
    if request.headers.get("HX-Request"):
        response = Response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)  # type: ignore[return-value]


def needs(action: str) -> Callable[[F], F]:
    """The view needs a signed-in user who may do `action` (403 otherwise). Actions on one
    finding check the finding's entity again in the view, where a stranger's finding is 404."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            u = g.get("user")
            if u is None:
                return to_login()
            if not can(u, action, u.entity):
                abort(403)
            return fn(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


def safe_next(target: str | None) -> str | None:
    """Only a path on this server: never an address elsewhere (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
