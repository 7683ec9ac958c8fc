"""The kept months' payload by column (store.inputs, format 2; migration 0016): the upgrade writes
every month kept in the first format (a JSON list per line) again by column, to the same lines, day
credits and parties, and the next night gives what `--full` gives."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text

from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from reconcile.engine.condense import DayCredits
from reconcile.model import Line
from store.db import _alembic_config
from store.inputs import _load
from tests.integration.nights import simulated
from tests.integration.test_incremental import _stored

FORMAT = {"f": '%"format":2,%'}


def _row(ln: Line) -> list[Any]:
    return [ln.id, ln.booking_date.isoformat(), ln.amount_fen, ln.counterparty_account, ln.counterparty_name, ln.text,
            ln.remark, ln.reversal, ln.type_code, ln.fingerprint, ln.file_name, ln.source]


def _first_format(whole: list[Line], credits: list[DayCredits], refunds: list[str]) -> str:
    """A kept month as store.inputs wrote it before the format by column (66086c6 `_dump`)."""
    return json.dumps({
        "refunded": refunds,
        "lines": [_row(ln) for ln in whole],
        "credits": [[dc.amount_fen, dc.count, dc.interest_fen, _row(dc.first)] for dc in credits],
    }, ensure_ascii=False, separators=(",", ":"))


def _kept(conn: Any) -> dict[tuple[str, str], tuple[Any, ...]]:
    out = {}
    for account, month, payload in conn.execute(text("SELECT account, month, payload FROM engine_inputs")):
        whole, credits, refunds = _load(account, payload)
        out[(account, month)] = (sorted(whole), credits, refunds)
    return out


def test_the_upgrade_writes_the_kept_months_again_by_column(tmp_path: Path, db_url: str) -> None:
    app = simulated(tmp_path, db_url, 3, 4, 300, into="inbox")
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 20))
    engine = app.database(checked=False)
    with engine.begin() as conn:  # the months as the code before wrote them, at the schema before
        held = _kept(conn)
        for (account, month), (whole, credits, refunds) in held.items():
            conn.execute(text("UPDATE engine_inputs SET payload = :p WHERE account = :a AND month = :m"),
                         {"p": _first_format(whole, credits, refunds), "a": account, "m": month})
        conn.execute(text("UPDATE alembic_version SET version_num = '0015'"))
    assert len(held) > 20 and any(whole for whole, _, _ in held.values()) and any(c for _, c, _ in held.values())
    with engine.connect() as conn:
        assert _kept(conn) == held  # the first format still reads
        assert not conn.execute(text("SELECT count(*) FROM engine_inputs WHERE payload LIKE :f"), FORMAT).scalar()
    command.upgrade(_alembic_config(engine), "0016")
    command.stamp(_alembic_config(engine), "head")  # the later revisions' schema is there already
    with engine.connect() as conn:
        assert _kept(conn) == held
        assert conn.execute(text("SELECT count(*) FROM engine_inputs WHERE payload NOT LIKE :f"), FORMAT).scalar() == 0
    night = run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 21))
    stored = _stored(app)
    full = run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 21), full=True)
    assert _stored(app) == stored and night.found == full.found
