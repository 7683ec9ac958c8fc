"""Months judged for good in the engine's carried state (issue 18, reconcile.engine.carry `Decided`):
a night keeps a fully paid old month of an expense account as its finding and standing instead of
its settlements, and stores the same findings and obligations as `recon reconcile --full`; a plan
revision or a late statement for such a month reopens it (the account runs from its first line
again), still equal to `--full`. On SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import ReconcileResult, run_reconcile, settings
from reconcile.engine.carry import Carry
from store.carry import read_carry
from store.db import session_scope
from store.models import ObligationRow, PaymentPlanRow
from tests.integration.files import Row, icbc_csv
from tests.integration.nights import simulated
from tests.integration.test_incremental import _stored


def _night(app: App, as_of: date) -> ReconcileResult:
    """The night as of `as_of`, its stored findings and obligations checked against `--full`, and
    the night kept again (the next one starts from its state)."""
    result = run_reconcile(app.config, app.registry, app.database(), as_of)
    got = _stored(app)
    run_reconcile(app.config, app.registry, app.database(), as_of, full=True)
    assert _stored(app) == got, as_of
    run_reconcile(app.config, app.registry, app.database(), as_of)
    return result


def _carry(app: App, as_of: date) -> Carry:
    with session_scope(app.database()) as session:
        carry, _, _, _ = read_carry(session, settings(app.config, app.registry), as_of)
    assert carry is not None
    return carry


def _standing(app: App, entity: str, fund: str, month: str) -> tuple[object, ...]:
    with session_scope(app.database()) as session:
        o = session.scalars(select(ObligationRow).where(
            ObligationRow.rule == "disburse", ObligationRow.entity == entity, ObligationRow.fund == fund,
            ObligationRow.period == month)).one()
        return (o.due_fen, o.on_time_fen, o.late_fen, o.outstanding_fen, o.excess_fen, o.status)


def test_decided_months_kept_and_reopened(tmp_path: Path, db_url: str) -> None:
    app = simulated(tmp_path, db_url, 5, 6, 300)
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for f in sorted((tmp_path / "staged").iterdir()):
        shutil.copy2(f, inbox / f.name)
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    as_of = date(2008, 5, 31)
    _night(app, as_of)
    carry = _carry(app, as_of)
    decided = [(number, d) for number, ac in sorted(carry.accounts.items()) for d in ac.decided]
    assert decided, "no month judged for good"
    for number, ac in carry.accounts.items():  # a month decided keeps no settlements
        assert not {d.month for d in ac.decided} & {o.month for o in ac.obligations}, number
    assert _night(app, as_of + timedelta(days=1)).resumed, "the night did not start from the kept state"

    # A plan revision for a decided month: its standing changes, as in a full run.
    number, first = decided[0]
    entity, fund = first.standing.entity, first.standing.fund
    before = _standing(app, entity, fund, first.month)
    with session_scope(app.database()) as session:
        row = session.scalars(select(PaymentPlanRow).where(
            PaymentPlanRow.month == first.month, PaymentPlanRow.entity == entity, PaymentPlanRow.fund == fund)
            .order_by(PaymentPlanRow.version.desc())).first()
        assert row is not None
        session.add(PaymentPlanRow(file_id=row.file_id, month=row.month, entity=entity, fund=fund,
                                   amount_fen=row.amount_fen + 50_000_000, submitted=row.submitted,
                                   approved=row.approved, version=(row.version or 0) + 1, source="revision"))
    as_of += timedelta(days=2)
    _night(app, as_of)
    assert _standing(app, entity, fund, first.month) != before

    # A late statement for another decided month (a payment booked in it): its standing changes.
    carry = _carry(app, as_of)
    number, other = next((n, d) for n, ac in sorted(carry.accounts.items()) for d in ac.decided
                         if (n, d.month) != (number, first.month))
    before = _standing(app, other.standing.entity, other.standing.fund, other.month)
    day = other.month.replace("-", "") + "10"
    (inbox / f"icbc_{number}_{day}-{day}.csv").write_bytes(icbc_csv(
        [Row(f"{other.month}-10 10:00:00", -12_345_678, name="张三", account="6222020200001234567",
             text="代发", remark="养老金", voucher="L1")], own=number))
    Ingestor(app.config, app.registry, app.database()).run(progress=False)
    as_of += timedelta(days=1)
    _night(app, as_of)
    assert _standing(app, other.standing.entity, other.standing.fund, other.month) != before
