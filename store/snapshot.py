"""Loading what a reconciliation looks at, as of a date, from the store.

The lines are read with a plain column select (no ORM objects): a province year is millions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, bindparam, or_, select, text
from sqlalchemy.orm import Session

from reconcile.engine.classify import INTEREST
from reconcile.engine.condense import Condenser, DayCredits
from reconcile.engine.context import Snapshot
from reconcile.engine.types import CollectionTarget, PaymentPlan, RejectedFile, SurplusItem
from reconcile.model import Line
from store.db import session_scope
from store.findings import aware
from store.handed import Ledger
from store.inputs import drop_all as drop_inputs
from store.inputs import load_inputs, stored_line
from store.ledger import stored_statements
from store.models import FileRow, LineRow, PaymentPlanRow, StatementRow, SurplusItemRow, TargetRow

Without = Callable[[list[PaymentPlan]], dict[str, tuple[date, frozenset[int]]]]
StatementsFrom = tuple[date, frozenset[str]]  # a restart day, the accounts whose statements are read from it


def read_snapshot(engine: Engine, as_of: date, condenser: Condenser, *, kept: str | None = None,
                  full: bool = False, without: Without | None = None, ledger: Ledger | None = None,
                  statements_from: StatementsFrom | None = None) -> Snapshot:
    """`load_snapshot` in a transaction of its own, for the shell; `full` first drops what earlier
    runs kept (store.inputs), so the whole ledger is read again (the same snapshot). `ledger`: the
    lines of a whole read handed on to the book side (store.handed)."""
    with session_scope(engine) as session:
        if full:
            drop_inputs(session)
        return load_snapshot(session, as_of, condenser, kept=kept, without=without, ledger=ledger,
                             statements_from=statements_from)


def load_snapshot(session: Session, as_of: date, condenser: Condenser | None = None,
                  kept: str | None = None, without: Without | None = None, ledger: Ledger | None = None,
                  statements_from: StatementsFrom | None = None) -> Snapshot:
    """Everything a reconciliation as of `as_of` looks at. With a `condenser`, the plain credits of
    income accounts come summed per account and day (see reconcile.engine.condense). With `kept`
    (the registry and codes' digest, store.inputs.config_digest) and a condenser, the closed months
    come from what earlier runs kept (store.inputs), refreshed first: the same snapshot, read from
    a month of the ledger instead of all of it. `without`, given the plans, says the expense
    accounts whose payments before a restart day the run leaves out (store.inputs `load_inputs`):
    the kept months are read without them (`Snapshot.without_payments`). `statements_from`: a
    restart day and the accounts whose statements are read only from that day on (the carried
    state stands for those before it: reconcile.engine.carry, `Snapshot.statements_from`)."""
    if kept is not None and condenser is not None:
        plans = _plans(session)
        leave = without(plans) if without is not None else {}
        got = load_inputs(session, as_of, condenser, kept, leave, ledger)
        return _with_schedules(session, as_of, got.lines, got.condensed, plans, frozenset(leave), statements_from)
    q = (
        select(LineRow.id, LineRow.account, LineRow.booking_date, LineRow.amount_fen, LineRow.counterparty_account,
               LineRow.counterparty_name, LineRow.text, LineRow.remark, LineRow.reversal, LineRow.type_code,
               LineRow.fingerprint, FileRow.name, LineRow.source)
        .join(FileRow, FileRow.id == LineRow.file_id)
        .where(LineRow.booking_date <= as_of, LineRow.superseded_by.is_(None))
    )
    condensed: list[DayCredits] = []
    if condenser is None or not condenser.income:
        lines = [stored_line(*tuple(row)) for row in session.execute(q)]
    else:
        income = list(condenser.income)
        lines = [stored_line(*tuple(row)) for row in session.execute(
            q.where(or_(LineRow.amount_fen <= 0, LineRow.account.not_in(income))))]
        for ln in lines:
            condenser.note_debit(ln)
        condensed = _condensed_credits(session, as_of, income, condenser, lines)
    return _with_schedules(session, as_of, lines, condensed, statements_from=statements_from)


def _plans(session: Session) -> list[PaymentPlan]:
    """Every plan line of history, read as plain columns: an ORM object per line was most of the
    cost, and the lines grow with the months (issue 18)."""
    p = PaymentPlanRow
    return [PaymentPlan(*row) for row in session.execute(
        select(p.month, p.entity, p.fund, p.amount_fen, p.submitted, p.approved, p.version, FileRow.name, p.source)
        .join(FileRow, FileRow.id == p.file_id))]


def _with_schedules(session: Session, as_of: date, lines: list[Line], condensed: list[DayCredits],
                    plans: list[PaymentPlan] | None = None, without: frozenset[str] = frozenset(),
                    statements_from: StatementsFrom | None = None) -> Snapshot:
    """The snapshot of these lines with the plans, schedules, statements and rejected files."""
    if plans is None:
        plans = _plans(session)
    surplus = [
        SurplusItem(x.entity, x.fund, x.amount_fen, x.due, x.account, name, x.source)
        for x, name in session.execute(select(SurplusItemRow, FileRow.name)
                                       .join(FileRow, FileRow.id == SurplusItemRow.file_id))
    ]
    cut, accounts = statements_from or (as_of, frozenset())
    # by its start alone: a statement's period may run backwards (MT940 takes it from its balances'
    # dates), beginning on or after the cut and ending before it; the carried state does not hold it
    statements = stored_statements(session) if not accounts else stored_statements(
        session, where=or_(StatementRow.account.not_in(sorted(accounts)), StatementRow.period_start >= cut))
    return Snapshot(as_of, lines, statements, plans, surplus, rejected_files(session), condensed, without, accounts)


def rejected_files(session: Session) -> list[RejectedFile]:
    """Every file the inbox refused, in the order they were recorded."""
    return [RejectedFile(f.id, f.name, f.sha256, aware(f.received_at) or f.received_at, f.reason, f.archive_path)
            for f in session.scalars(select(FileRow).where(FileRow.status == "rejected").order_by(FileRow.id))]


_CREDITS = """
SELECT l.id, l.account, l.booking_date, l.amount_fen, l.counterparty_account, l.counterparty_name, l.text, l.remark,
       l.reversal, l.type_code, l.fingerprint, f.name, l.source
FROM lines l JOIN files f ON f.id = l.file_id
WHERE l.booking_date <= :as_of AND l.superseded_by IS NULL AND l.amount_fen > 0 AND l.account IN :accounts
"""


def _condensed_credits(session: Session, as_of: date, income: list[str], condenser: Condenser,
                       whole: list[Line]) -> list[DayCredits]:
    """Stream the income accounts' credits; sum the plain ones per day, keep the others whole.

    A plain SQL text query: its rows arrive without per-column type processing (dates come back
    as ISO text from SQLite), which is most of the cost at five million rows.
    """
    stmt = text(_CREDITS).bindparams(bindparam("accounts", expanding=True))
    sqlite = session.get_bind().dialect.name == "sqlite"
    result = session.execute(stmt.execution_options(yield_per=50_000),
                             {"as_of": as_of.isoformat() if sqlite else as_of, "accounts": income})
    days: dict[tuple[str, object], DayCredits] = {}
    for row in result:
        lid, account, day, amount, cpa, cpn, txt, remark, reversal, type_code, fp, fname, source = row
        cls = condenser.plain_class(account, amount, cpa, cpn, txt, remark, bool(reversal), type_code)
        if cls is not None:
            dc = days.get((account, day))
            if dc is None:
                first = stored_line(lid, account, _day(day), amount, cpa, cpn, txt, remark, reversal, type_code,
                                    fp, fname, source)
                dc = days[(account, day)] = DayCredits(account, first.booking_date, 0, 0, first)
            dc.amount_fen += amount
            dc.count += 1
            if cls == INTEREST:
                dc.interest_fen += amount
            if dc.count > 1 and fp < dc.first.fingerprint:  # the same representative whatever the row order
                dc.first = stored_line(lid, account, dc.first.booking_date, amount, cpa, cpn, txt, remark,
                                       reversal, type_code, fp, fname, source)
        else:
            whole.append(stored_line(lid, account, _day(day), amount, cpa, cpn, txt, remark, reversal,
                                    type_code, fp, fname, source))
    return sorted(days.values(), key=lambda dc: (dc.account, dc.first.booking_date))


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_targets(session: Session) -> list[CollectionTarget]:
    return [
        CollectionTarget(t.year, t.entity, t.fund, t.amount_fen, name, t.source)
        for t, name in session.execute(select(TargetRow, FileRow.name).join(FileRow, FileRow.id == TargetRow.file_id))
    ]
