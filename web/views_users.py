"""Users (/users, admins only): add, disable and enable, reset a password, see the last sign-in."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, render_template, request

from reconcile.desk import ROLES
from store.users import UserError
from web.context import address, desk, now, user
from web.security import needs


def register(app: Flask) -> None:
    app.add_url_rule("/users", "users", users, methods=["GET", "POST"])
    app.add_url_rule("/users/<username>/<step>", "user_step", user_step, methods=["POST"])


@needs("users")
def users() -> Any:
    d, u = desk(), user()
    assert u is not None
    error, done = request.args.get("error", ""), request.args.get("done", "")
    if request.method == "POST":
        f = request.form
        role = f.get("role", "")
        try:
            d.store.add_user(u.actor(address()), f.get("username", "").strip(), role,
                             (f.get("entity") or None) if role == "county" else None, f.get("password", ""), now(),
                             name=f.get("name", "").strip()[:128], min_length=d.config.web.min_password_length,
                             entities=frozenset(d.counties))
        except UserError as exc:
            return redirect(f"/users?error={exc.key}", 303)
        return redirect("/users?done=users.added_short", 303)
    return render_template("users.html", people=d.store.users(), roles=ROLES, counties=d.counties,
                           min_length=d.config.web.min_password_length,
                           error=error if error.startswith("users.") else "",
                           done=done if done.startswith("users.") else "")


@needs("users")
def user_step(username: str, step: str) -> Any:
    d, u = desk(), user()
    assert u is not None
    actor = u.actor(address())
    try:
        if step == "passwd":
            d.store.set_password(actor, username, request.form.get("password", ""), now(),
                                 min_length=d.config.web.min_password_length)
        elif step in ("disable", "enable"):
            if step == "disable" and username == u.username:
                return redirect("/users?error=users.not_yourself", 303)
            d.store.set_active(actor, username, step == "enable", now())
        else:
            return redirect("/users", 303)
    except UserError as exc:
        return redirect(f"/users?error={exc.key}", 303)
    return redirect(f"/users?done=users.{step}_done", 303)
