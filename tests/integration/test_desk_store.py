"""The desk's store on SQLite and PostgreSQL: the review audit's rows carried into the chained log
by migration 0006, and appends from many threads at once that still make one unbroken chain."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from reconcile.desk import Actor
from store.audit import check
from store.db import _alembic_config, open_database, session_scope, upgrade
from store.deskstore import DeskStore
from store.models import FindingRow


def _finding(session, key: str) -> int:  # type: ignore[no-untyped-def]
    now = datetime(2008, 6, 1, tzinfo=UTC)
    row = FindingRow(key=key, kind="late", rule="remit", entity="ZS", fund="pension", account="1", period="2008-05",
                     amount_fen=100, days_late=3, severity="medium", detail="{}", lines="[]", state="open",
                     as_of=now.date(), first_seen_at=now, last_seen_at=now, review_state="none", review_note="",
                     review_by="", assignee="", explanation="")
    session.add(row)
    session.flush()
    return row.id


def test_migration_0006_carries_the_review_audit_into_the_chain_in_order(db_url: str) -> None:
    engine = open_database(db_url)
    command.upgrade(_alembic_config(engine), "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO findings (id, key, kind, severity, detail, lines, state, as_of, first_seen_at, "
                          "last_seen_at, review_state, review_note, review_by) VALUES (7, 'k', 'late', 'medium', '{}', "
                          "'[]', 'open', '2008-05-31', '2008-06-01 00:00:00', '2008-06-01 00:00:00', 'acknowledged', "
                          "'', '王科长')"))
        for i, (by, a, b, note) in enumerate([("王科长", "none", "acknowledged", "已知悉"),
                                              ("recon", "acknowledged", "none", "amount grew"),
                                              ("王科长", "none", "resolved", "已处理")], 1):
            conn.execute(text("INSERT INTO review_audit (finding_id, at, by, from_state, to_state, note) "
                              "VALUES (7, :at, :by, :a, :b, :note)"),
                         {"at": datetime(2008, 6, i, 9, tzinfo=UTC), "by": by, "a": a, "b": b, "note": note})
    upgrade(engine)
    with session_scope(engine) as s:
        assert check(s) == (3, None)
        rows = s.execute(text("SELECT id, actor, action, note FROM audit_log ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "王科长", "finding.acknowledge", "已知悉"),
                                        (2, "recon", "finding.renewed", "amount grew"),
                                        (3, "王科长", "finding.resolve", "已处理")]
    store = DeskStore(engine)
    store.act(Actor("李", "city", None, "10.0.0.1"), 7, "reopen", datetime.now(UTC), note="再看")
    assert store.verify_audit() == (4, None)


def test_appends_from_many_threads_at_once_make_one_unbroken_chain(db_url: str) -> None:
    engine = open_database(db_url)
    upgrade(engine)
    with session_scope(engine) as s:
        ids = [_finding(s, f"k{i}") for i in range(4)]
    store = DeskStore(engine)
    errors: list[BaseException] = []

    def work(fid: int) -> None:
        try:
            for i in range(15):
                store.act(Actor(f"u{fid}", "city", None, "t"), fid, "assign", datetime.now(UTC), assignee=f"p{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(fid,)) for fid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.verify_audit() == (60, None)
