"""Fixtures for the desk's tests: the half year of tests/report/world.py ingested, reconciled and
reported through the project's own code on SQLite and PostgreSQL, six users of every role, and a
Flask test client that signs in as one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from reconcile.desk import Actor, QueueFilter
from store.deskstore import DeskStore
from tests.integration.conftest import db_url, pg_available, project
from tests.report.conftest import END_OF_JUNE, END_OF_MAY, World, half_year
from web import create_app

__all__ = ["db_url", "half_year", "pg_available", "project"]
PASSWORD = "correct horse 1"
PEOPLE = {  # username: (role, entity)
    "admin": ("admin", None), "wang": ("city", None), "li": ("supervisor", None), "zhao": ("supervisor", None),
    "zs": ("county", "ZS"), "sc": ("county", "SC"), "aud": ("auditor", None),
}
SETUP = Actor("setup", "admin", None, "test")


@dataclass
class Desk:
    world: World
    store: DeskStore

    def client(self, user: str | None = None, https: bool = False) -> FlaskClient:
        cfg = self.world.app.config
        if https:
            from dataclasses import replace

            cfg = replace(cfg, web=replace(cfg.web, https=True))
        app = create_app(cfg, self.world.app.registry, self.store, "zh")
        app.testing = True
        c = app.test_client()
        if user is not None:
            r = sign_in(c, user)
            assert r.status_code == 303, r.text
        return c

    def finding_id(self, kind: str, entity: str, period: str) -> int:
        page = self.store.queue(QueueFilter(kind=kind, entity=entity, period=period, state="all"), None)
        assert page.total == 1, (kind, entity, period, page.total)
        return page.findings[0].id


def login_token(c: FlaskClient) -> str:
    page = c.get("/login").text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def sign_in(c: FlaskClient, user: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return c.post("/login", data={"username": user, "password": password, "csrf": login_token(c)})


def csrf_of(c: FlaskClient, path: str = "/findings") -> str:
    page = c.get(path).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def add_people(store: DeskStore, registry_counties: frozenset[str]) -> None:
    now = datetime(2008, 7, 1, 8, tzinfo=UTC)
    for name, (role, entity) in PEOPLE.items():
        store.add_user(SETUP, name, role, entity, PASSWORD, now, name=name.upper(), entities=registry_counties)


@pytest.fixture
def desk(half_year: World) -> Desk:
    """Two nights (end of May, end of June) reconciled and reported, with the users; SQLite and PostgreSQL."""
    w = half_year
    w.ingest(1)
    w.reconcile(END_OF_MAY)
    w.report(END_OF_MAY)
    store = DeskStore(w.app.database())
    add_people(store, frozenset(e.code for e in w.app.registry.entities if e.level == "county"))
    return Desk(w, store)


def second_night(d: Desk) -> None:
    d.world.ingest(2)
    d.world.reconcile(END_OF_JUNE)
    d.world.report(END_OF_JUNE)


def root_of(d: Desk) -> Path:
    return d.world.root
