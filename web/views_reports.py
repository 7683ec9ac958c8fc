"""Every night's report files (/reports), for the user's scope: city staff, supervisors and
auditors get the city report of each date; county staff get their county's own report, which the
nightly job writes beside it (reports/<date>/counties/<entity>/). Only names listed in those
folders are served: nothing else on the disk can be reached through a crafted address."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, send_file

from web.context import desk, user
from web.security import needs

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}\.(xlsx|html|csv)$")
COUNTIES = "counties"
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def register(app: Flask) -> None:
    app.add_url_rule("/reports", "reports", reports)
    app.add_url_rule("/reports/<day>/<name>", "report_file", report_file)


def _folder(day: str, scope: str | None) -> Path:
    base = desk().config.path("reports") / day
    return base if scope is None else base / COUNTIES / scope


def files_of(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.is_symlink() and NAME.match(p.name))


@needs("reports")
def reports() -> Any:
    u = user()
    assert u is not None
    root = desk().config.path("reports")
    days = sorted((p.name for p in root.iterdir() if p.is_dir() and DATE.match(p.name)), reverse=True) \
        if root.is_dir() else []
    listed = [(day, files_of(_folder(day, u.scope))) for day in days]
    return render_template("reports.html", listed=[(d, f) for d, f in listed if f])


@needs("reports")
def report_file(day: str, name: str) -> Any:
    u = user()
    assert u is not None
    if not DATE.match(day) or not NAME.match(name):
        abort(404)
    folder = _folder(day, u.scope)
    if name not in files_of(folder):
        abort(404)
    path = folder / name
    if name.endswith(".html"):
        response = send_file(path, mimetype="text/html; charset=utf-8")
        # The report page is self-contained with its own inline style and no script: shown in a
        # sandbox that allows exactly that.
        response.headers["Content-Security-Policy"] = REPORT_CSP
        return response
    return send_file(path, as_attachment=True, download_name=name)
