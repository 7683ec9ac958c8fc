"""The desk's commands: `recon users`, `recon audit`, `recon web`, and the review subcommands of
`recon findings` (acknowledge, resolve, reopen), which go through the same store function as the
desk's buttons and write the same audit log.

Passwords come from a hidden prompt (asked twice), or from the first line of standard input when
it is not a terminal, so scripts can create users; never from an option, which would land in the
shell history and the process list.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from jobs.app import App
from jobs.console import echo, echo_json
from jobs.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    FINDING_ID,
    json_option,
    review_options,
    username_argument,
)
from reconcile.desk import ROLES, Actor
from reconcile.messages import t

if TYPE_CHECKING:
    from store.deskstore import DeskStore


def register(main: click.Group, findings: click.Group, guarded: Callable[[Any], Any]) -> None:
    """Add these commands to `recon` (called by jobs.cli, which owns the error guard)."""
    for group in (users, audit_group):
        for command in group.commands.values():
            command.callback = guarded(command.callback)
        main.add_command(group)
    for command in (web_cmd, findings_reopen):
        command.callback = guarded(command.callback)
    main.add_command(web_cmd)
    findings.add_command(findings_reopen)


def _desk(app: App) -> DeskStore:
    """The store's door for the desk's records: each call one transaction."""
    from store.deskstore import DeskStore  # here, not at the top: `recon --help` does not load the desk

    return DeskStore(app.database())


def _now() -> datetime:
    return datetime.now(UTC)


def _operator() -> Actor:
    """Whoever runs a command on the server: the operating-system user, from the command line."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment (a container): still say where it came from
        name = "unknown"
    return Actor(f"cli:{name}"[:64], "admin", None, "cli")


def _password(lang: str) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(t("users.password_prompt", lang), hide_input=True,
                            confirmation_prompt=t("users.password_again", lang)))


def _user_error(exc: Exception, lang: str) -> None:
    key, values = getattr(exc, "key", ""), getattr(exc, "values", {})
    echo(t(key, lang, **values) if key else str(exc), err=True)
    sys.exit(EXIT_USAGE)


@click.group()
def users() -> None:
    """Manage the review desk's users (county, city, supervisor, auditor, admin)."""


@users.command(name="add")
@click.pass_obj
@username_argument()
@click.option("--role", type=click.Choice(list(ROLES)), required=True,
              help="county: one entity's findings; city: all, review; supervisor: city + approve months; "
                   "auditor: read all; admin: users.")
@click.option("--entity", help="The entity code of county staff (ZS, LZ, ...).")
@click.option("--name", "display", default="", help="The name shown on the desk (default: USERNAME).")
def users_add(app: App, username: str, role: str, entity: str | None, display: str) -> None:
    """Add USERNAME; the password is asked for (or read from standard input)."""
    from store.users import UserError

    entities = frozenset(e.code for e in app.registry.counties)
    password = _password(app.lang)
    try:
        user = _desk(app).add_user(_operator(), username, role, entity, password, _now(), name=display,
                                   min_length=app.config.web.min_password_length, entities=entities)
    except UserError as exc:
        _user_error(exc, app.lang)
    echo(t("users.added", app.lang, name=user.username, role=t(f"web.role.{user.role}", app.lang),
                 entity=user.entity or "-"))


@users.command(name="passwd")
@click.pass_obj
@username_argument()
def users_passwd(app: App, username: str) -> None:
    """Set USERNAME's password (asked for, or read from standard input); signs the user out everywhere."""
    from store.users import UserError

    password = _password(app.lang)
    try:
        _desk(app).set_password(_operator(), username, password, _now(),
                                min_length=app.config.web.min_password_length)
    except UserError as exc:
        _user_error(exc, app.lang)
    echo(t("users.password_set", app.lang, name=username))


@users.command(name="disable")
@click.pass_obj
@username_argument()
def users_disable(app: App, username: str) -> None:
    """Disable USERNAME (kept for the audit log; signed out at once)."""
    _set_active(app, username, False)


@users.command(name="enable")
@click.pass_obj
@username_argument()
def users_enable(app: App, username: str) -> None:
    """Enable USERNAME again."""
    _set_active(app, username, True)


def _set_active(app: App, username: str, active: bool) -> None:
    from store.users import UserError

    try:
        _desk(app).set_active(_operator(), username, active, _now())
    except UserError as exc:
        _user_error(exc, app.lang)
    echo(t("users.enabled" if active else "users.disabled", app.lang, name=username))


@users.command(name="list")
@click.pass_obj
@json_option("Print a JSON array.")
def users_list(app: App, as_json: bool) -> None:
    """List the users with their role, entity, state and last sign-in."""
    from jobs.tables import render

    people = _desk(app).users()
    if as_json:
        echo_json([{"username": u.username, "name": u.name, "role": u.role, "entity": u.entity,
                                "active": u.active, "last_login_at": u.last_login_at.isoformat()
                                if u.last_login_at else None, "last_login_from": u.last_login_from}
                               for u in people])
        return
    lang = app.lang
    heads = [t(f"web.users.{k}", lang) for k in ("username", "name", "role", "entity", "state", "last_login")]
    rows = [[u.username, u.name, t(f"web.role.{u.role}", lang), u.entity or "-",
             t("web.users.active" if u.active else "web.users.inactive", lang),
             f"{u.last_login_at:%Y-%m-%d %H:%M} {u.last_login_from}" if u.last_login_at else "-"] for u in people]
    echo(render(heads, rows))


@click.group(name="audit")
def audit_group() -> None:
    """The audit log: list it, and verify its hash chain."""


@audit_group.command(name="verify")
@click.pass_obj
def audit_verify(app: App) -> None:
    """Recompute the audit log's hash chain; name the first row that was changed.

    Exit 0 when the chain holds, 1 when a row was changed, removed or inserted.
    """
    count, broken = _desk(app).verify_audit()
    if broken is None:
        echo(t("audit.intact", app.lang, n=count))
        sys.exit(EXIT_OK)
    echo(t(f"audit.broken.{broken.reason}", app.lang, id=broken.id, n=count))
    sys.exit(EXIT_FINDINGS)


@audit_group.command(name="list")
@click.pass_obj
@click.option("--since", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]), help="From this day (UTC).")
@click.option("--user", "user", help="Only this actor.")
@click.option("--finding", "finding_id", type=FINDING_ID, help="Only this finding.")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 1_000_000), help="Newest rows.")
@json_option("Print a JSON array.")
def audit_list(app: App, since: datetime | None, user: str | None, finding_id: int | None, limit: int,
               as_json: bool) -> None:
    """List the audit log, newest first."""
    from jobs.tables import render
    from reconcile.desk import AuditFilter

    f = AuditFilter(since=since.replace(tzinfo=UTC) if since else None, actor=user, finding_id=finding_id,
                    limit=limit)
    rows = _desk(app).audit(f)
    if as_json:
        echo_json([{"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "address": e.address,
                                "action": e.action, "target": e.target, "finding_id": e.finding_id,
                                "before": json.loads(e.before), "after": json.loads(e.after), "note": e.note,
                                "hash": e.hash} for e in rows])
        return
    lang = app.lang
    heads = [t(f"web.audit.{k}", lang) for k in ("id", "at", "actor", "address", "action", "target", "change",
                                                  "note")]
    echo(render(heads, [[str(e.id), f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.address, e.action, e.target,
                               f"{e.before} → {e.after}", _printable(e.note)] for e in rows]))


def _printable(text: str) -> str:
    """No control characters on the terminal (a note could carry escape sequences)."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


@click.command(name="web")
@click.pass_obj
@click.option("--host", help="Address to listen on (default from config: 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (default from config: 8080).")
def web_cmd(app: App, host: str | None, port: int | None) -> None:
    """Serve the review desk (waitress) until SIGTERM or SIGINT.

    Exit 0 when stopped, 3 when it could not start.
    """
    from web.serve import serve

    serve(app.config, app.registry, _desk(app), app.lang_option, host=host, port=port)


def review(app: App, finding_id: int, action: str, note: str, by: str) -> None:
    """Acknowledge, resolve or reopen a finding from the command line: the desk's own mechanism."""
    from store.review import ReviewError

    if not by.strip():
        echo(t("review.no_actor", app.lang), err=True)
        sys.exit(EXIT_USAGE)
    try:
        row = _desk(app).act(Actor(by.strip(), "cli", None, "cli"), finding_id, action, _now(), note=note)
    except ReviewError as exc:
        echo(t(exc.key, app.lang, **exc.values), err=True)
        sys.exit(EXIT_USAGE if exc.key != "review.no_finding" else EXIT_FINDINGS)
    # Said only after the commit: a locked database is an error, never a false success.
    echo(t("review.done", app.lang, id=row.id, kind=row.finding.kind, state=row.review.state, by=by.strip()))


@click.command(name="reopen")
@click.pass_obj
@review_options(note_help="Why it is reopened.", by_help="Who reopens it.")
def findings_reopen(app: App, finding_id: int, note: str, by: str) -> None:
    """Reopen finding ID: its review goes back to not reviewed."""
    review(app, finding_id, "reopen", note, by)
