"""A whole read of the engine's (store.inputs `load_inputs` reading every month from the ledger)
hands each account's lines on to the book side (store.handed `Ledger`), which then does not read
them again: what it takes must be the very lines store.books `load_matched` reads, field for field
and in the same order, for an income account (its credits read slim) and an expense account, with
and without running balances, over months and days stored out of order, with intraday lines
superseded, as of a day in the middle of a month; and a read that finds months kept, or a ledger
that has changed since, hands nothing on."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from jobs.app import App
from jobs.reconciling import settings
from reconcile.engine.condense import Condenser
from reconcile.model import Line, RefStrength, Statement
from store import files
from store.books import load_matched
from store.db import session_scope, upgrade
from store.files import Arrival
from store.handed import Ledger
from store.inputs import config_digest, load_inputs
from store.ledger import ledger_top
from tests.integration.conftest import write_config

NOW = datetime(2009, 1, 2, 2, 0, tzinfo=UTC)


def _arrival(name: str) -> Arrival:
    sha = hashlib.sha256(name.encode()).hexdigest()
    return Arrival(sha256=sha, name=name, size=10, status="ingested", received_at=NOW, processed_at=NOW,
                   archive_path=f"/archive/{name}")


def _statement(account: str, month: int, days: list[int], start: int, balances: str, intraday: bool = False,
               big: bool = False) -> Statement:
    """Lines on these days of 2008-`month`, three a day: credits and a debit; with running balances
    on every line ("all"), on none ("none") or on every other one ("some"); `big`: amounts and
    balances that do not fit in 32 bits."""
    lines = []
    balance = start
    k = 0
    for d in days:
        for amount in (10_000 + d, 20_000 + month, -(3_000 + d)):
            amount *= 10**9 if big else 1
            balance += amount
            k += 1
            given = balances == "all" or (balances == "some" and k % 2 == 0)
            lines.append(Line(date(2008, month, d), amount, counterparty_account=f"6222{month:02}{d:02}{k:04}",
                              counterparty_name=f"单位{k}", text="利息" if k % 7 == 0 else "汇入",
                              remark=f"{month}月", bank_ref=f"{'I' if intraday else 'B'}{account}-{month}-{d}-{k}",
                              ref_strength=RefStrength.STRONG, balance_fen=balance if given else None,
                              source=f"row {k}"))
    first, last = date(2008, month, min(days)), date(2008, month, max(days))
    return Statement(account=account, lines=tuple(lines), period_start=first, period_end=last, intraday=intraday,
                     format="camt052" if intraday else "camt")


def _app(tmp_path: Path, db_url: str) -> tuple[App, str, str]:
    app = App(str(write_config(tmp_path, db_url) / "config.toml"))
    upgrade(app.database(checked=False))
    income = next(a for a in app.registry.accounts if a.role == "income").number
    expense = next(a for a in app.registry.accounts if a.role == "expense").number
    db = app.database()
    # stored out of the order of their days: a later month first, a late statement for an early one
    files.record_statements(db, _arrival("b.xml"), [(income, _statement(income, 5, [2, 9, 20], 0, "all")),
                                                     (expense, _statement(expense, 5, [3, 4], 0, "none"))])
    files.record_statements(db, _arrival("a.xml"), [(income, _statement(income, 4, [1, 15, 30], 0, "some")),
                                                     (expense, _statement(expense, 4, [7], 0, "all", big=True))])
    # intraday lines of May 21-22, then the end-of-day statement of the 21st supersedes those of that day
    files.record_statements(db, _arrival("i.xml"), [(income, _statement(income, 5, [21, 22], 9, "all",
                                                                        intraday=True))])
    files.record_statements(db, _arrival("c.xml"), [(income, _statement(income, 5, [21], 7, "some"))])
    files.record_statements(db, _arrival("d.xml"), [(income, _statement(income, 4, [15], 5, "none")),
                                                     (expense, _statement(expense, 6, [1, 30], 0, "some"))])
    return app, income, expense


def _read(app: App, as_of: date, keep: bool = False) -> Ledger:
    codes = settings(app.config, app.registry).codes
    ledger = Ledger()
    with session_scope(app.database()) as session:
        load_inputs(session, as_of, Condenser(app.registry, codes), config_digest(app.registry, codes), ledger=ledger)
        if not keep:
            session.rollback()  # nothing kept: the next read is whole again
    return ledger


def test_the_lines_a_whole_read_hands_on_are_those_the_book_side_reads(tmp_path: Path, db_url: str) -> None:
    app, income, expense = _app(tmp_path, db_url)
    for as_of in (date(2008, 6, 30), date(2008, 5, 21), date(2008, 4, 15)):
        ledger = _read(app, as_of)
        assert ledger.as_of == as_of
        with session_scope(app.database()) as session:
            assert ledger.same_as(*ledger_top(session))
            for account in (income, expense):
                _, theirs = load_matched(session, account, as_of)
                ours = ledger.take(account, as_of)
                assert ours == theirs, (as_of, account)
                assert [type(ln.balance_fen) for ln in ours] == [type(ln.balance_fen) for ln in theirs]
                assert ledger.take(account, as_of) is None  # taken once, let go of
        if as_of == date(2008, 6, 30):
            assert {ln.balance_fen is None for ln in theirs} == {True, False}  # some balances missing
            assert len(ours) > 10
    with session_scope(app.database()) as session:
        _, lines = load_matched(session, income, date(2008, 6, 30))
    before = _read(app, date(2008, 3, 31))  # before the ledger's first month: nothing read, the book side reads
    assert before.as_of is None and before.take(income, date(2008, 3, 31)) is None
    may = [ln.booking_date.day for ln in lines if ln.booking_date.month == 5]
    assert (may.count(21), may.count(22)) == (3, 3)  # the 21st's intraday lines superseded, the 22nd's not


def test_a_read_of_another_day_or_with_months_kept_or_a_changed_ledger_hands_nothing_on(
        tmp_path: Path, db_url: str) -> None:
    app, income, expense = _app(tmp_path, db_url)
    ledger = _read(app, date(2008, 6, 30))
    assert ledger.take(income, date(2008, 6, 29)) is None  # another day: the book side reads its own
    ledger = _read(app, date(2008, 5, 31), keep=True)  # kept: the next read finds the months kept
    assert ledger.as_of == date(2008, 5, 31)
    again = _read(app, date(2008, 6, 30))
    assert again.as_of is None and again.take(income, date(2008, 6, 30)) is None and len(again) == 0
    files.record_statements(app.database(), _arrival("e.xml"), [(expense, _statement(expense, 6, [2], 0, "all"))])
    with session_scope(app.database()) as session:
        assert not ledger.same_as(*ledger_top(session))  # a line stored since the read
