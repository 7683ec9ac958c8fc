"""Telling people: after the nightly report, a short Chinese e-mail with the XLSX attached when
there are new serious findings; a failed send is retried by the next run and never fails it.
Against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import socket
import tomllib
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from jobs.app import App
from jobs.nightly import nightly
from store.db import upgrade
from tests.examples.harness import HERE as EXAMPLES
from tests.examples.harness import build_inbox


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def with_email(project: Path, port: int, case_name: str = "misdirected_remittance") -> App:
    cfg = project / "config.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"""
[email]
enabled = true
host = "127.0.0.1"
port = {port}
sender = "recon@example.org"
recipients = ["chief@example.org"]
""", encoding="utf-8")
    app = App(str(cfg))
    upgrade(app.database(checked=False))
    case = tomllib.loads((EXAMPLES / case_name / "case.toml").read_text(encoding="utf-8"))
    build_inbox(case, app.registry, project / "inbox")
    return app


def test_new_serious_findings_are_mailed_in_chinese_with_the_report_attached(project: Path) -> None:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app = with_email(project, controller.port)
        from datetime import date

        rec = nightly(app.config, app.registry, app.database(), date(2008, 3, 31), wait_seconds=5)
        assert rec.status == "done", rec.error
        notify = next(s for s in rec.steps if s.name == "notify")
        assert notify.counts.get("email") == "sent"
        [msg] = handler.messages
        assert "新发现严重问题" in str(msg["Subject"])
        body = msg.get_body(preferencelist=("plain",))
        assert body is not None and "misdirected" in body.get_content()
        names = [part.get_filename() for part in msg.iter_attachments()]
        assert names == ["exceptions.xlsx"]
        # The same findings are not announced twice.
        rec2 = nightly(app.config, app.registry, app.database(), date(2008, 3, 31), wait_seconds=5)
        assert rec2.status == "done" and len(handler.messages) == 1
    finally:
        controller.stop()


def test_a_new_medium_finding_is_serious_and_mailed_as_it_makes_the_exit_code_1(project: Path) -> None:
    from datetime import date

    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app = with_email(project, controller.port, "instalments_across_deadline")  # one `late` (medium)
        rec = nightly(app.config, app.registry, app.database(), date(2008, 3, 31), wait_seconds=5)
        assert rec.status == "done", rec.error
        reconciled = next(s for s in rec.steps if s.name == "reconcile")
        assert reconciled.counts.get("serious_open") == 1
        assert next(s for s in rec.steps if s.name == "notify").counts.get("email") == "sent"
        [msg] = handler.messages
        body = msg.get_body(preferencelist=("plain",))
        assert body is not None and "late" in body.get_content()
    finally:
        controller.stop()


def test_a_failed_send_never_fails_the_run_and_the_next_run_sends_it(project: Path) -> None:
    from datetime import date

    port = free_port()  # nothing listens here yet
    app = with_email(project, port)
    rec = nightly(app.config, app.registry, app.database(), date(2008, 3, 31), wait_seconds=5)
    assert rec.status == "done"
    assert next(s for s in rec.steps if s.name == "notify").counts.get("email") == "pending"
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        rec2 = nightly(app.config, app.registry, app.database(), date(2008, 3, 31), wait_seconds=5)
        assert rec2.status == "done"
        assert len(handler.messages) == 1
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _credentials_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECON_SMTP_USER", raising=False)
    monkeypatch.delenv("RECON_SMTP_PASSWORD", raising=False)
