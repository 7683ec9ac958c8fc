"""store.inputs reads an income account's credits slim (store/inputs.py `_base`: no account, file
name, place, nor the counterparty's name beside its account) and reads again whole, by id, the
lines it keeps whole and each day's first line among its plain credits. What it keeps must be what
the whole read (store.snapshot without `kept`) gives, field for field: for the credits kept whole
(from a pooled account by number or by name, a reversal, a party the account refunded), for the
day's first line chosen by its fingerprint among several, for interest, and whatever the texts hold."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from jobs.app import App
from jobs.reconciling import settings
from reconcile.engine.condense import Condenser
from reconcile.model import Line, Statement
from store import files
from store.db import session_scope, upgrade
from store.files import Arrival
from store.inputs import config_digest, load_inputs
from store.snapshot import load_snapshot
from tests.integration.conftest import write_config

NOW = datetime(2008, 4, 1, 2, 0, tzinfo=UTC)


def _arrival(name: str, sha: str) -> Arrival:
    return Arrival(sha256=sha, name=name, size=10, status="ingested", received_at=NOW, processed_at=NOW,
                   archive_path=f"/archive/{name}")


def test_an_income_accounts_credits_read_slim_keep_what_the_whole_read_keeps(tmp_path: Path, db_url: str) -> None:
    app = App(str(write_config(tmp_path, db_url) / "config.toml"))
    upgrade(app.database(checked=False))
    income = [a for a in app.registry.accounts if a.role == "income"]
    own, other = income[0], income[1]
    pooled = next(a for a in app.registry.accounts if a.role != "income")
    hostile = "引号' \"双\" 反斜杠\\ \x1f 换行\n"

    def day(d: int) -> date:
        return date(2008, 3, d)

    lines = (
        Line(day(3), 100, counterparty_account="6222000000000001", counterparty_name="某单位", text="汇入",
             remark="3月", source="row 1"),
        Line(day(3), 250, counterparty_account="6222000000000002", counterparty_name="另一单位", text=hostile,
             remark=hostile, source=hostile),
        Line(day(3), 260, counterparty_account="", counterparty_name="张三", text="汇入", source="row 3"),
        Line(day(3), 300, counterparty_account=pooled.number, counterparty_name=pooled.name, source="row 4"),
        Line(day(3), 400, counterparty_account="", counterparty_name=other.name, source="row 5"),
        Line(day(4), 500, counterparty_account="6222-0000-0000-0003", counterparty_name="单位三", source="row 6"),
        Line(day(4), 80, text="利息", source="row 7"),
        Line(day(4), 600, counterparty_account="6222000000000004", text="退汇", reversal=True, source="row 8"),
        Line(day(5), 700, counterparty_account="6222000000000009", counterparty_name="退费单位", source="row 9"),
        Line(day(20), -700, counterparty_account="6222000000000009", counterparty_name="退费单位", text="退费",
             source="row 10"),
        Line(day(21), -1_000, counterparty_account=pooled.number, counterparty_name=pooled.name, text="上解",
             source="row 11"),
    )
    statement = Statement(account=own.number, lines=lines, period_start=day(1), period_end=day(31))
    files.record_statements(app.database(), _arrival("甲.csv", "ab" * 32), [(own.number, statement)])
    later = Statement(account=own.number, period_start=day(1), period_end=day(31), lines=(
        Line(day(3), 90, counterparty_account="6222000000000005", counterparty_name="单位五", source="b 1"),))
    files.record_statements(app.database(), _arrival("乙.csv", "cd" * 32), [(own.number, later)])
    codes = settings(app.config, app.registry).codes
    for as_of in (day(31), day(4)):
        with session_scope(app.database()) as session:
            kept = load_inputs(session, as_of, Condenser(app.registry, codes), config_digest(app.registry, codes))
            session.rollback()  # read from the ledger each time, nothing kept
        with session_scope(app.database()) as session:
            whole = load_snapshot(session, as_of, Condenser(app.registry, codes))
        assert sorted(kept.lines, key=lambda ln: ln.id) == sorted(whole.lines, key=lambda ln: ln.id), as_of
        assert kept.condensed == whole.condensed, as_of
        assert kept.built_months and kept.condensed and kept.lines
    assert {ln.source for ln in kept.lines} >= {"row 4", "row 5", "row 8"}  # as of the 4th: no refund yet
    assert [(dc.day, dc.amount_fen, dc.count, dc.interest_fen) for dc in kept.condensed] == [
        (day(3), 100 + 250 + 260 + 90, 4, 0), (day(4), 500 + 80, 2, 80)]
    firsts = [dc.first for dc in kept.condensed]
    assert all(ln.account == own.number and ln.file_name and ln.source and isinstance(ln.counterparty_name, str)
               for ln in [*kept.lines, *firsts])  # nothing a slim row left out stays out
