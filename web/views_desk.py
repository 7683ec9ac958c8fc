"""The dashboard (what the nightly report's first page shows, for the user's scope, as of the last
reconcile) and the audit log page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, redirect, render_template, request

from reconcile.desk import AuditFilter
from reconcile.desk.permissions import can, home
from reconcile.reporting.heatmap import heatmaps, trend
from reconcile.reporting.remittance import late_table
from reconcile.reporting.summary import summarize
from reconcile.reporting.tables import disbursement_table
from web.charts import trend_chart
from web.context import desk, user
from web.security import needs
from web.views_months import pivot

LATE_ROWS = 30
MONTHS_SHOWN = 6


def register(app: Flask) -> None:
    app.add_url_rule("/", "dashboard", dashboard)
    app.add_url_rule("/audit", "audit", audit_page)


def dashboard() -> Any:
    u = user()
    if u is not None and not can(u, "dashboard"):
        return redirect(home(u), 303)
    return _dashboard()


@needs("dashboard")
def _dashboard() -> Any:
    d, u = desk(), user()
    assert u is not None
    data, run = d.store.dashboard(d.registry, u.scope)
    strip_funds, strip_rows = pivot(d.store.months(d.funds, u.scope, MONTHS_SHOWN))
    if data is None:
        return render_template("dashboard.html", data=None, run=run, strip_funds=strip_funds, strip_rows=strip_rows)
    entity_order = [e.code for e in d.registry.entities]
    summary = summarize(data, entity_order)
    maps = heatmaps(data.obligations, d.registry, data.as_of)
    points = trend(data.obligations, d.registry, maps[0].months if maps else (), data.as_of)
    late = late_table(data)
    arrears = sum(o.outstanding_fen for o in data.obligations
                  if o.rule == "remit" and o.status in ("partial", "missing"))
    return render_template("dashboard.html", data=data, run=run, summary=summary, maps=maps,
                           trend=trend_chart(points, d.funds), late=late, late_rows=late.rows[:LATE_ROWS],
                           arrears=arrears, strip_funds=strip_funds, strip_rows=strip_rows,
                           disbursement=disbursement_table(data))


@needs("audit")
def audit_page() -> Any:
    d = desk()
    since = request.args.get("since", "")
    who = request.args.get("user", "").strip() or None
    finding = request.args.get("finding", "")
    try:
        moment = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
        finding_id = int(finding) if finding else None
    except ValueError:
        abort(400)
    if finding_id is not None and not 0 < finding_id < 2**31:
        abort(400)
    rows = d.store.audit(AuditFilter(since=moment, actor=who, finding_id=finding_id, limit=500))
    verified = d.store.verify_audit() if request.args.get("verify") else None
    return render_template("audit.html", rows=rows, verified=verified, since=since, who=who or "",
                           finding=finding)
