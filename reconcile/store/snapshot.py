"""Loading what a reconciliation looks at, as of a date, from the store.

The lines are read with a plain column select (no ORM objects): a province year is millions.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.engine.context import Snapshot
from reconcile.engine.types import CollectionTarget, LedgerLine, PlanRow, RejectedFile, SurplusItem
from reconcile.store.ledger import statement_infos
from reconcile.store.models import FileRow, LineRow, PlanRowDb, SurplusRow, TargetRow


def load_snapshot(session: Session, as_of: date, tz: str = "Asia/Shanghai") -> Snapshot:
    q = (
        select(LineRow.id, LineRow.account, LineRow.booking_date, LineRow.amount_fen, LineRow.counterparty_account,
               LineRow.counterparty_name, LineRow.text, LineRow.remark, LineRow.reversal, LineRow.type_code,
               LineRow.fingerprint, FileRow.name, LineRow.source)
        .join(FileRow, FileRow.id == LineRow.file_id)
        .where(LineRow.booking_date <= as_of, LineRow.superseded_by.is_(None))
    )
    lines = [LedgerLine(*tuple(row)) for row in session.execute(q)]
    plans = [
        PlanRow(p.month, p.entity, p.fund, p.amount_fen, p.submitted, p.approved, p.version, name, p.source)
        for p, name in session.execute(select(PlanRowDb, FileRow.name).join(FileRow, FileRow.id == PlanRowDb.file_id))
    ]
    surplus = [
        SurplusItem(x.entity, x.fund, x.amount_fen, x.due, x.account, name, x.source)
        for x, name in session.execute(select(SurplusRow, FileRow.name).join(FileRow, FileRow.id == SurplusRow.file_id))
    ]
    zone = ZoneInfo(tz)
    rejected = [
        RejectedFile(f.sha256 or f"name:{f.name}", f.name, _local(f.received_at, zone), f.reason)
        for f in session.scalars(select(FileRow).where(FileRow.status == "rejected"))
    ]
    return Snapshot(as_of, lines, statement_infos(session), plans, surplus, rejected)


def load_targets(session: Session) -> list[CollectionTarget]:
    return [
        CollectionTarget(t.year, t.entity, t.fund, t.amount_fen, name, t.source)
        for t, name in session.execute(select(TargetRow, FileRow.name).join(FileRow, FileRow.id == TargetRow.file_id))
    ]


def _local(ts: object, zone: ZoneInfo) -> date:
    from datetime import UTC, datetime

    assert isinstance(ts, datetime)
    if ts.tzinfo is None:  # SQLite returns naive timestamps; they were written in UTC
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(zone).date()
