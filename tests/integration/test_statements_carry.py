"""The statements' state carried to the next night (issue 18; reconcile.engine.carry `StatementsCarry`).

A night reads an account's statements only from the kept state's restart day on, and goes on from
what those before it gave (coverage, the balance chain's last link, the balance breaks): the same
findings as a reading of every statement. A statement beginning before the restart day stored
since makes that account's state stale (the night reads all its statements and makes it again); a
file read again with changed bytes (its old row's statements no longer read) drops every account's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.reconciling import run_reconcile
from reconcile.engine.carry import Carry, restart_day, statements_from
from reconcile.engine.condense import Condenser
from reconcile.engine.context import Settings
from reconcile.engine.run import reconcile_all
from reconcile.kinds import SEVERITY
from reconcile.model import Statement, StoredStatement
from store import files
from store.carry import read_carry
from store.db import session_scope
from store.files import Arrival
from store.models import FileRow, StatementRow
from store.snapshot import load_snapshot
from tests.integration.test_carry import _fields, _nights_through_the_store, _whole
from tests.integration.test_incremental import _stored

NOW = datetime(2009, 1, 1, 2, 0, tzinfo=UTC)


def _keys(statements: list[StoredStatement]) -> list[tuple[str, str, int, date, date]]:
    return sorted((st.statement.account, st.file_sha256, st.index_in_file, st.period_start, st.period_end)
                  for st in statements)


def test_a_night_reads_the_statements_from_the_restart_day_and_finds_the_same(tmp_path: Path, db_url: str) -> None:
    """The statements read are those of the whole ledger less exactly those the kept state stands
    for, and the engine's result is that of the whole ledger. A reading from the restart day
    without a state for it is refused."""
    used = 0
    for app, s, as_of, carry, changed in _nights_through_the_store(tmp_path, db_url):
        if carry is not None:
            accounts = statements_from(carry, as_of)
            with session_scope(app.database()) as session:
                snap = load_snapshot(session, as_of, Condenser(app.registry, s.codes),
                                     statements_from=(carry.cut, accounts))
            whole = _whole(app, as_of)
            read = [st for st in whole.statements
                    if st.statement.account not in accounts or st.period_start >= carry.cut]
            assert _keys(snap.statements) == _keys(read), as_of
            assert snap.statements_from == accounts
            assert _fields(reconcile_all(snap, s, carry, changed, restart_day(s, as_of))) == _fields(
                reconcile_all(whole, s)), as_of
            used += len(read) < len(whole.statements)
            if accounts:
                with pytest.raises(ValueError):
                    reconcile_all(snap, s)  # no kept state: the statements before the restart day are missing
        run_reconcile(app.config, app.registry, app.database(), as_of)
    assert used, "no night read the statements from the restart day"


def _kept(app: App, s: Settings, as_of: date) -> Carry:
    with session_scope(app.database()) as session:
        carry = read_carry(session, s, as_of)[0]
    assert carry is not None
    return carry


def _one_day_before(app: App, s: Settings, carry: Carry) -> tuple[str, date, int]:
    """An account with a kept state whose balances chain, and a working day before the cut with
    its end-of-day statement alone in a file: the account, the day, the file."""
    chained = sorted(n for n, sc in carry.statements.items() if sc.link is not None and sc.link[1] is not None)
    with session_scope(app.database()) as session:
        alone = select(StatementRow.file_id).group_by(StatementRow.file_id).having(func.count() == 1)
        for account, day, file_id in session.execute(
                select(StatementRow.account, StatementRow.period_start, StatementRow.file_id)
                .where(StatementRow.account.in_(chained), StatementRow.intraday.is_(False),
                       StatementRow.period_start == StatementRow.period_end,
                       StatementRow.period_end.between(carry.cut - timedelta(days=40), carry.cut - timedelta(days=8)),
                       StatementRow.file_id.in_(alone)).order_by(StatementRow.id)):
            if s.calendar.is_workday(day):
                return account, day, file_id
    raise AssertionError("no such statement")


def _last_night(tmp_path: Path, db_url: str) -> tuple[App, Settings, date]:
    nights = list(_nights_through_the_store_kept(tmp_path, db_url))
    return nights[-1]


def _nights_through_the_store_kept(tmp_path: Path, db_url: str) -> Iterator[tuple[App, Settings, date]]:
    for app, s, as_of, _, _ in _nights_through_the_store(tmp_path, db_url):
        run_reconcile(app.config, app.registry, app.database(), as_of)
        yield app, s, as_of


def _equals_full(app: App, as_of: date) -> None:
    run_reconcile(app.config, app.registry, app.database(), as_of)
    carried = _stored(app)
    run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
    assert _stored(app) == carried


def test_a_statement_for_a_day_before_the_restart_day_makes_that_accounts_state_stale(tmp_path: Path,
                                                                                db_url: str) -> None:
    app, s, as_of = _last_night(tmp_path, db_url)
    carry = _kept(app, s, as_of)
    assert carry.statements
    account, day, _ = _one_day_before(app, s, carry)
    late = Statement(account, period_start=day, period_end=day, opening_fen=1, closing_fen=1)  # a break
    files.record_statements(app.database(), Arrival("f0" * 32, "late.csv", 10, "ingested", NOW, NOW,
                                                    archive_path="/archive/late.csv"), [(account, late)])
    again = _kept(app, s, as_of)
    assert again.stale == {account}
    assert statements_from(again, as_of) == set(carry.statements) - {account}
    _equals_full(app, as_of)


def test_a_file_read_again_with_changed_bytes_drops_every_accounts_state(tmp_path: Path, db_url: str) -> None:
    """Its old row's statements are no longer read: the run reads every account's statements."""
    app, s, as_of = _last_night(tmp_path, db_url)
    carry = _kept(app, s, as_of)
    assert carry.statements
    _, _, file_id = _one_day_before(app, s, carry)  # its day becomes a gap
    with session_scope(app.database()) as session:
        name = session.get(FileRow, file_id).name  # type: ignore[union-attr]
    files.record_reread(app.database(), file_id, Arrival("e0" * 32, name, 10, "ingested", NOW, NOW,
                                                         archive_path=f"/archive/{name}"), [], lambda i: f"now #{i}")
    assert _kept(app, s, as_of).statements == {}
    _equals_full(app, as_of)


def _late(app: App, sha: str, account: str, st: Statement) -> None:
    files.record_statements(app.database(), Arrival(sha * 32, f"{sha}.sta", 10, "ingested", NOW, NOW,
                                                    archive_path=f"/archive/{sha}.sta"), [(account, st)])


def test_a_statement_whose_balance_dates_run_backwards_across_the_restart_day_is_read(tmp_path: Path,
                                                                                     db_url: str) -> None:
    """MT940 takes a statement's period from its balances' dates (:60F: and :62F:) and, unlike the
    other readers, does not refuse them reversed: stored so, it begins after the restart day and
    ends before it. The state, made of the statements beginning before the restart day, does not
    hold it; the night reads it (a balance break: --full finds one)."""
    app, s, as_of = _last_night(tmp_path, db_url)
    carry = _kept(app, s, as_of)
    account, _, _ = _one_day_before(app, s, carry)
    _late(app, "a1", account, Statement(account, period_start=carry.cut + timedelta(days=1),
                                        period_end=carry.cut - timedelta(days=2), opening_fen=1, closing_fen=2))
    assert account in _kept(app, s, as_of).statements  # it begins after the restart day: not a late one
    _equals_full(app, as_of)


def test_a_late_statement_across_the_restart_day_is_not_forgotten_by_the_same_state_kept_again(
        tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No fund with a sole expense account: the state holds only statements (no account's payments),
    so a night whose statements give the state read gives "the same state", and only the marks move
    on (store.carry `keep_carry(same=True)`). A late statement from before the restart day to after
    it makes its account's state stale, and the night keeps none for it (it ends after the restart
    day). The row must not keep the account's old state with marks past that statement: the next
    night would read the account from the restart day on, without it."""
    monkeypatch.setattr("reconcile.engine.plans.sole_expense", lambda s, number: False)
    app, s, as_of = _last_night(tmp_path, db_url)
    carry = _kept(app, s, as_of)
    assert not carry.accounts and carry.statements
    account, day, _ = _one_day_before(app, s, carry)
    _late(app, "b2", account, Statement(account, period_start=day, period_end=carry.cut + timedelta(days=1),
                                        opening_fen=1, closing_fen=2))  # a sum break
    run_reconcile(app.config, app.registry, app.database(), as_of)  # its state stale: reads it all
    _equals_full(app, as_of)  # the next night


def test_new_official_holidays_drop_the_kept_coverage(tmp_path: Path, db_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept gaps are working days of the calendar they were found with: chinesecalendar
    upgraded (a year's official holidays and 调休 working days added, as every winter for the
    next year) makes other days working days, and --full finds other gaps."""
    import chinese_calendar

    app, s, as_of = _last_night(tmp_path, db_url)
    carry = _kept(app, s, as_of)
    found = sorted((n, d) for n, sc in carry.statements.items() if sc.coverage.first_day and sc.coverage.last_day
                   for d in (sc.coverage.first_day + timedelta(days=i)
                             for i in range((sc.coverage.last_day - sc.coverage.first_day).days))
                   if not s.calendar.is_workday(d) and d not in sc.coverage.covered)
    assert found, "no day off without a statement in a kept coverage"
    _, saturday = found[0]
    was = chinese_calendar.is_workday
    monkeypatch.setattr(chinese_calendar, "is_workday", lambda d: d == saturday or was(d))  # a 调休 working day
    monkeypatch.setattr(chinese_calendar, "__version__", "99.0.0", raising=False)
    _equals_full(app, as_of)


def test_a_new_severity_of_a_kind_drops_the_kept_findings(tmp_path: Path, db_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept findings (balance breaks, the decided months) hold their kinds' severities: a code
    that gives a kind another severity does not read them."""
    app, s, as_of = _last_night(tmp_path, db_url)
    assert _kept(app, s, as_of).statements
    monkeypatch.setitem(SEVERITY, "balance_break", "low" if SEVERITY["balance_break"] != "low" else "high")
    with session_scope(app.database()) as session:
        assert read_carry(session, s, as_of)[0] is None
