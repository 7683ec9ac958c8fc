"""Signing in and out, and the page language."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, make_response, redirect, render_template, request

from reconcile.desk.permissions import home
from web import security
from web.context import address, desk, now

MAX_FIELD = 256


def register(app: Flask) -> None:
    app.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    app.add_url_rule("/logout", "logout", logout, methods=["POST"])
    app.add_url_rule("/lang/<code>", "lang", language)


def _form(error: str = "", status: int = 200) -> Any:
    token = security.login_csrf()
    response = make_response(render_template("login.html", login_csrf=token, error=error,
                                             next=request.values.get("next", "")), status)
    security.set_cookie(response, security.LOGIN_CSRF_COOKIE, token, same_site="Strict")
    return response


def login() -> Any:
    if request.method == "GET":
        if g.get("user") is not None:
            return redirect(home(g.user), 303)
        return _form()
    d = desk()
    username = request.form.get("username", "").strip()[:MAX_FIELD]
    password = request.form.get("password", "")[:MAX_FIELD]
    result, token, _csrf = d.store.sign_in(username, password, address(), now(), lock_after=d.config.web.lock_after,
                                           lock_minutes=d.config.web.lock_minutes)
    if result.user is None:
        # One answer for a wrong name, a wrong password, a locked or a disabled account: nothing
        # here tells a guesser which names exist.
        return _form("web.login.failed", 401)
    target = security.safe_next(request.form.get("next")) or home(result.user)
    response = redirect(target, 303)
    security.set_cookie(response, security.SESSION_COOKIE, token)
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path="/")
    return response


def logout() -> Any:
    token = request.cookies.get(security.SESSION_COOKIE, "")
    if token:
        desk().store.sign_out(token)
    response = redirect("/login", 303)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response


def language(code: str) -> Any:
    target = security.safe_next(request.args.get("next")) or "/"
    response = redirect(target, 303)
    if code in ("zh", "en"):
        security.set_cookie(response, security.LANG_COOKIE, code, max_age=400 * 86400)
    return response
