"""Month sign-off (/months), maker-checker: city staff prepare a (fund, month), a supervisor who
did not prepare it approves it or sends it back. A sign-off is revoked by itself when a finding of
its month changes (store.findings.merge); the page says when and why."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, abort, redirect, render_template, request

from reconcile.desk import MonthRow
from store.signoff import SignOffError
from web.context import address, desk, now, user
from web.security import needs

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
STEPS = ("prepare", "approve", "reject")
MONTHS = 24


def register(app: Flask) -> None:
    app.add_url_rule("/months", "months", months)
    app.add_url_rule("/months/<fund>/<period>/<step>", "signoff", step, methods=["POST"])


def revoke_reason(text: str) -> dict[str, Any]:
    try:
        got = json.loads(text) if text else {}
    except ValueError:
        return {}
    return got if isinstance(got, dict) else {}


def pivot(rows: list[MonthRow]) -> tuple[list[str], list[tuple[str, list[MonthRow]]]]:
    """Month rows as a table: the funds, then each period (newest first) with a row per fund."""
    funds = list(dict.fromkeys(r.signoff.fund for r in rows))
    periods: dict[str, list[MonthRow]] = {}
    for r in rows:
        periods.setdefault(r.signoff.period, []).append(r)
    return funds, list(periods.items())


@needs("months")
def months() -> Any:
    d, u = desk(), user()
    assert u is not None
    rows = d.store.months(d.funds, u.scope, MONTHS)
    error = request.args.get("error", "")
    return render_template("months.html", rows=rows, reason=revoke_reason,
                           error=error if error.startswith("months.") else "")


@needs("months")
def step(fund: str, period: str, step: str) -> Any:
    d, u = desk(), user()
    assert u is not None
    if fund not in d.funds or not PERIOD.match(period) or step not in STEPS:
        abort(404)
    if not (u.active and _may(u.role, step)):
        abort(403)
    try:
        d.store.signoff(step, u.actor(address()), fund, period, now(), request.form.get("note", "").strip()[:2000])
    except SignOffError as exc:
        return redirect(f"/months?error={exc.key}#m-{fund}-{period}", 303)
    return redirect(f"/months#m-{fund}-{period}", 303)


def _may(role: str, step: str) -> bool:
    from reconcile.desk.permissions import allowed

    return allowed(role, step)
