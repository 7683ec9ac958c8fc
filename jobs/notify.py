"""Telling people: after the nightly report, an e-mail when there are new serious findings
(`reconcile.kinds.is_serious`: medium severity or above, as for the exit code). A short Chinese
summary (counts, the worst items, the report's path) with the XLSX attached. A failed send is
logged and retried by the next run; it never fails the run.

Credentials come from environment variables named in config, never from the file.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections import Counter
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from loguru import logger

from jobs.logs import say
from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.messages import t
from reconcile.money import format_yuan
from reconcile.reporting.records import Reviewed
from reconcile.sinks import for_console, printable
from store.db import Database
from store.findings import unreviewed_serious

PENDING = ".email-pending"
SENT = ".email-sent"


def notify_after_report(cfg: Config, registry: Registry, engine: Database, as_of: date, report: Any,
                        lang: str = "zh") -> dict[str, Any]:
    if not cfg.email.enabled:
        return {"email": "disabled"}
    folder = Path(report.folder) if report is not None else cfg.path("reports") / as_of.isoformat()
    sent = 0
    for pending in sorted(cfg.path("reports").glob(f"*/{PENDING}")):
        if pending.parent != folder and _send_folder(cfg, engine, pending.parent, lang):
            sent += 1
    announced = _announced(cfg)
    new = [f for f in unreviewed_serious(engine) if f.id not in announced]
    if not new:
        return {"email": "nothing new", "retried": sent}
    (folder / PENDING).write_text(",".join(str(f.id) for f in new), encoding="utf-8")
    if _send_folder(cfg, engine, folder, lang, new):
        sent += 1
    return {"email": "sent" if (folder / SENT).exists() else "pending", "sent": sent, "new_serious": len(new)}


def _announced(cfg: Config) -> set[int]:
    """Findings already announced: the ids kept in the sent markers of the report folders."""
    out: set[int] = set()
    for sent in cfg.path("reports").glob(f"*/{SENT}"):
        out.update(int(x) for x in sent.read_text(encoding="utf-8").split(",") if x.strip().isdigit())
    return out


def _send_folder(cfg: Config, engine: Database, folder: Path, lang: str,
                 new: list[Reviewed] | None = None) -> bool:
    marker = folder / PENDING
    if new is None:
        ids = [int(x) for x in marker.read_text(encoding="utf-8").split(",") if x]
        new = unreviewed_serious(engine, ids)
    try:
        for to, items in _recipients(cfg, new).items():
            _send(cfg, to, folder, items, lang)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning(say("log.email_failed", error=f"{type(exc).__name__}: {exc}"))
        return False
    marker.rename(folder / SENT)
    return True


def _recipients(cfg: Config, items: list[Reviewed]) -> dict[tuple[str, ...], list[Reviewed]]:
    out: dict[tuple[str, ...], list[Reviewed]] = {}
    if cfg.email.recipients:
        out[tuple(cfg.email.recipients)] = items
    for group in cfg.email.per_entity:
        mine = [f for f in items if f.finding.entity == group.entity]
        if mine and group.recipients:
            out[tuple(group.recipients)] = mine
    return out


def compose(cfg: Config, to: tuple[str, ...], folder: Path, items: list[Reviewed], lang: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = cfg.email.sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = printable(t("email.subject", lang, as_of=folder.name, n=len(items)))
    counts = Counter(f.finding.kind for f in items)
    worst = sorted(items, key=lambda f: (f.finding.severity != "critical", -(f.finding.amount_fen or 0)))[:10]
    body = [t("email.intro", lang, as_of=folder.name, n=len(items)), ""]
    body += [f"  {kind}: {n}" for kind, n in sorted(counts.items())]
    body += ["", t("email.worst", lang)]
    body += [email_line(f) for f in worst]
    body += ["", t("email.report", lang, path=str(folder))]
    msg.set_content(for_console("\n".join(body)))  # no raw control character from the data
    xlsx = folder / "exceptions.xlsx"
    if xlsx.exists():
        msg.add_attachment(xlsx.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=xlsx.name)
    return msg


def email_line(r: Reviewed) -> str:
    """A finding's line in the e-mail: id, severity, kind, entity, fund, month and amount."""
    f = r.finding
    amount = format_yuan(f.amount_fen) if f.amount_fen is not None else "-"
    return f"  #{r.id} [{f.severity}] {f.kind} {f.entity or '-'} {f.fund or '-'} {f.period or '-'} ¥{amount}"


def _send(cfg: Config, to: tuple[str, ...], folder: Path, items: list[Reviewed], lang: str) -> None:
    msg = compose(cfg, to, folder, items, lang)
    e = cfg.email
    user, password = os.environ.get(e.username_env), os.environ.get(e.password_env)
    if e.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(e.host, e.port, timeout=e.timeout_seconds,
                                                context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(e.host, e.port, timeout=e.timeout_seconds)
    with client:
        if e.tls == "starttls":
            client.starttls(context=ssl.create_default_context())
        if user and password:
            client.login(user, password)
        client.send_message(msg)
    logger.info(say("log.email_sent", n=len(items), to=", ".join(to)))
