"""The findings queue (/findings) and a finding's page (/findings/<id>) with its actions.

The queue's filters are query parameters, so a filtered list is a link; the store filters,
counts and pages in SQL. A finding outside a county user's entity is 404 for them, exactly as a
finding that does not exist. Each action goes through the store's one review mechanism, which
writes one audit row.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, redirect, render_template, request

from reconcile.desk import FACETS, QueueFilter
from reconcile.desk.permissions import can
from reconcile.kinds import REVIEW_STATES, SEVERITY, SEVERITY_ORDER
from reconcile.messages import CATALOGUE
from store.review import ReviewError
from web.context import address, desk, now, user
from web.security import needs

SORTS = ("severity", "id", "amount", "period", "days_late", "kind", "entity", "first_seen", "review")
ACTIONS = ("explain", "assign", "acknowledge", "resolve", "reopen")
PARAMS = ("kind", "entity", "fund", "severity", "period", "review", "assignee", "state", "new", "sort", "dir")


def register(app: Flask) -> None:
    app.add_url_rule("/findings", "findings", findings)
    app.add_url_rule("/findings/<int:finding_id>", "finding", finding)
    app.add_url_rule("/findings/<int:finding_id>/<action>", "act", act, methods=["POST"])


def _filter() -> QueueFilter:
    a = request.args
    d, u = desk(), user()
    assert u is not None

    def pick(name: str, allowed: list[str] | tuple[str, ...]) -> str | None:
        value = a.get(name, "")
        return value if value in allowed else None

    period = a.get("period", "").strip()
    if period and not (len(period) in (4, 7) and period[:4].isdigit() and (len(period) == 4 or (
            period[4] == "-" and period[5:].isdigit()))):
        period = ""
    try:
        page = max(1, min(int(a.get("page", "1")), 1_000_000))
    except ValueError:
        page = 1
    entity = pick("entity", d.counties + [e.code for e in d.registry.entities])
    return QueueFilter(
        kind=pick("kind", list(SEVERITY)),
        entity=entity if u.scope is None else None, fund=pick("fund", d.funds),
        severity=pick("severity", SEVERITY_ORDER), period=period or None,
        review=pick("review", (*REVIEW_STATES, "explained")), assignee=(a.get("assignee") or "").strip()[:64] or None,
        state=pick("state", ("open", "closed", "all")) or "open", new=a.get("new") == "1",
        sort=pick("sort", SORTS) or "severity", descending=a.get("dir", "desc") != "asc", page=page,
        per_page=d.config.web.page_size)


@needs("findings")
def findings() -> Any:
    d, u = desk(), user()
    assert u is not None
    f = _filter()
    page = d.store.queue(f, u.scope)
    kept = {k: request.args[k] for k in PARAMS if request.args.get(k)}

    def link(**change: object) -> str:
        q = {**kept, **{k: str(v) for k, v in change.items() if v not in (None, "")}}
        for k, v in change.items():
            if v in (None, ""):
                q.pop(k, None)
        return "/findings?" + urlencode(q) if q else "/findings"

    return render_template("findings.html", f=f, page=page, facets=FACETS, link=link, kept=kept,
                           assignees=d.store.assignees(u.scope), severities=SEVERITY_ORDER,
                           reviews=(*REVIEW_STATES, "explained"), sorts=SORTS)


@needs("finding")
def finding(finding_id: int) -> Any:
    d, u = desk(), user()
    assert u is not None
    page = d.store.finding(finding_id, u.scope)
    if page is None:
        abort(404)  # absent, or another county's: the same answer
    people = [p.username for p in d.store.users() if p.active and p.role in ("city", "supervisor")] \
        if can(u, "assign") else []
    error = request.args.get("error", "")
    return render_template("finding.html", p=page, r=page.finding, fd=page.finding.finding, rv=page.finding.review,
                           people=people,
                           error=error if error.startswith("review.") and error in CATALOGUE else "")


@needs("finding")
def act(finding_id: int, action: str) -> Any:
    d, u = desk(), user()
    assert u is not None
    if action not in ACTIONS:
        abort(404)
    page = d.store.finding(finding_id, u.scope)
    if page is None:
        abort(404)
    if not can(u, action, page.finding.finding.entity):
        abort(403)
    note = request.form.get("note", "")
    try:
        d.store.act(u.actor(address()), finding_id, action, now(), note=note,
                    assignee=request.form.get("assignee"), scope=u.scope)
    except ReviewError as exc:
        return redirect(f"/findings/{finding_id}?error={exc.key}#actions", 303)
    return redirect(f"/findings/{finding_id}#actions", 303)
