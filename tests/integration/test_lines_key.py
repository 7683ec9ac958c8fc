"""SQLite's dedup key of lines by date (migration 0015): the upgrade keeps every row and id, the key
refuses what the old one refused, the index by account and date still gives the range reads their
order, the ledger after more files is the one the old key gives, and the downgrade restores the old
key."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import Engine, exc, text

from jobs.app import App
from jobs.ingest import Ingestor
from simulate import simulate
from store.books import _LINES, _MARKS
from store.db import _alembic_config
from tests.integration.conftest import write_config

TZ = ZoneInfo("Asia/Shanghai")
NAME_RULE = """[[ingest.filename_rules]]
pattern = "(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"
"""


def _app(root: Path) -> App:
    write_config(root, f"sqlite:///{root / 'recon.db'}", NAME_RULE)
    app = App(str(root / "config.toml"))
    simulate("2008-11", 3, 3, "city", root / "staged", lines_per_month=120, config=app.config)
    (root / "inbox").mkdir(exist_ok=True)
    return app


def _deliver(root: Path, through: date | None = None, after: date | None = None) -> int:
    n = 0
    for f in sorted((root / "staged").iterdir()):
        day = datetime.fromtimestamp(f.stat().st_mtime, TZ).date()
        if (through is None or day <= through) and (after is None or day > after):
            shutil.copy2(f, root / "inbox" / f.name)
            n += 1
    return n


def _ledger(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT * FROM lines ORDER BY id"))]


def _keys(engine: Engine) -> set[str]:
    """The unique key's columns and the other indexes of lines."""
    with engine.connect() as conn:
        names = [r[1] for r in conn.execute(text("PRAGMA index_list(lines)"))]
        return {f"{n}: {','.join(c[2] for c in conn.execute(text(f'PRAGMA index_info({n!r})')))}" for n in names}


def _ingest(app: App) -> None:
    Ingestor(app.config, app.registry, app.database(checked=False)).run(progress=False)


def test_the_key_by_date_keeps_the_ledger_and_refuses_what_the_old_key_refused(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    apps = {}
    for root in (old, new):
        root.mkdir()
        apps[root] = app = _app(root)
        command.upgrade(_alembic_config(app.database(checked=False)), "0014")
        assert _deliver(root, through=date(2008, 12, 15))
        _ingest(app)
    engine = apps[new].database(checked=False)
    held = _ledger(engine)
    assert held and held == _ledger(apps[old].database(checked=False))
    assert _keys(engine) == {"sqlite_autoindex_lines_1: account,fingerprint", "ix_lines_file_id: file_id",
                             "ix_lines_account_date: account,booking_date"}

    command.upgrade(_alembic_config(engine), "0015")
    assert _ledger(engine) == held
    assert _keys(engine) == {"sqlite_autoindex_lines_1: account,booking_date,fingerprint",
                             "ix_lines_file_id: file_id", "ix_lines_account_date: account,booking_date"}
    with engine.connect() as conn:  # the range reads by account and date take the lines in order, unsorted
        plan = [r[3] for r in conn.execute(text("EXPLAIN QUERY PLAN " + _LINES.format(**_MARKS["sqlite"])),
                                           {"account": "x", "as_of": "2008-12-31", "first": "2008-11-01"})]
    assert any("ix_lines_account_date" in step for step in plan) and not any("TEMP B-TREE" in s for s in plan), plan
    with engine.begin() as conn, pytest.raises(exc.IntegrityError):  # a line held already
        conn.execute(text("INSERT INTO lines SELECT NULL, account, booking_date, value_date, amount_fen, "
                          "counterparty_account, counterparty_name, text, remark, bank_ref, balance_fen, reversal, "
                          "type_code, fingerprint, match_key, format, intraday, superseded_by, file_id, "
                          "statement_id, source FROM lines ORDER BY id LIMIT 1"))

    # The rest of the months into both: the same ledger under either key, line for line.
    for root in (old, new):
        assert _deliver(root, after=date(2008, 12, 15))
        _ingest(apps[root])
    assert _ledger(engine) == _ledger(apps[old].database(checked=False)) != held

    command.downgrade(_alembic_config(engine), "0014")
    assert _keys(engine) == {"sqlite_autoindex_lines_1: account,fingerprint", "ix_lines_file_id: file_id",
                             "ix_lines_account_date: account,booking_date"}
    assert _ledger(engine) == _ledger(apps[old].database(checked=False))
