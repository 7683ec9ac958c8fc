"""One account's book against its bank, whole: match, the statement of every month end up to the
as-of date, the items outstanding at the as-of date, and the findings.

- `book_unreconciled` (high): a month whose two adjusted balances differ; amount = adjusted bank
  balance − adjusted book balance; period = the month; one per (account, month).
- `stale_outstanding` (medium): an item still outstanding at the as-of date A and dated more than
  `stale_days` calendar days before A; amount = its absolute amount; period = the month of its
  date; one per (account, side, fingerprint of the entry or line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Account
from reconcile.book.match import Matching, match
from reconcile.book.records import BANK_IN, BANK_OUT, BankLine, BookEntry, Item, JournalSpan, MonthStatement
from reconcile.book.statement import Balances, journal_coverage, month_ends, month_statement, outstanding
from reconcile.calendar import WorkCalendar
from reconcile.coverage import StatementInfo, coverage
from reconcile.engine.types import Finding
from reconcile.kinds import SEVERITY


@dataclass(frozen=True)
class AccountBook:
    """Everything the book side knows about one account at the as-of date."""

    account: Account
    as_of: date
    entries: list[BookEntry]
    lines: list[BankLine]
    matching: Matching
    months: list[MonthStatement]
    open_items: list[Item]  # outstanding at the as-of date
    findings: list[Finding]


def book_account(acct: Account, entries: Sequence[BookEntry], lines: Sequence[BankLine],
                 spans: Sequence[JournalSpan], statements: Sequence[StatementInfo], as_of: date,
                 cal: WorkCalendar, match_days: int = 5, stale_days: int = 90) -> AccountBook:
    """`entries` and `lines` in the ledger's order (date, then file order); only those dated on or
    before `as_of` are used; `statements` are the account's (any order)."""
    es = [e for e in entries if e.entry_date <= as_of]
    ls = [ln for ln in lines if ln.booking_date <= as_of]
    sts = [s for s in statements if s.period_start <= as_of and not s.intraday]
    sts = [s if s.period_end <= as_of else _cut(s, as_of) for s in sts]
    spans = [s for s in spans if s.period_start <= as_of]
    m = match(es, ls, match_days)
    bank_cov = coverage(acct.number, sts, cal)
    book_cov = journal_coverage(acct.number, spans, cal)
    ends = month_ends(book_cov.first_day, as_of) if book_cov.first_day else []
    per_end = outstanding(es, ls, m, [*ends, as_of], bank_cov, book_cov, cal)
    balances = Balances(es, ls, spans, sts)
    cleared_in: dict[tuple[int, int], int] = {}
    for mt in m.matches:
        key = (mt.cleared.year, mt.cleared.month)
        cleared_in[key] = cleared_in.get(key, 0) + 1
    months = [month_statement(acct.number, x, per_end[k], balances, cleared_in.get((x.year, x.month), 0), bank_cov,
                              book_cov, cal) for k, x in enumerate(ends)]
    open_items = per_end[-1]
    findings = [_unreconciled(acct, st) for st in months if st.difference_fen]
    findings += [_stale(acct, it) for it in open_items if it.age_days > stale_days]
    return AccountBook(acct, as_of, es, ls, m, months, open_items, findings)


def _cut(s: StatementInfo, as_of: date) -> StatementInfo:
    from dataclasses import replace

    return replace(s, period_end=as_of, closing_fen=None)  # its closing is a later day's balance


def _unreconciled(acct: Account, st: MonthStatement) -> Finding:
    return Finding(
        kind="book_unreconciled", rule=None, entity=acct.entity, fund=acct.fund, account=acct.number,
        period=st.month, amount_fen=st.difference_fen, days_late=None,
        key=f"book_unreconciled|{acct.number}|{st.month}", severity=SEVERITY["book_unreconciled"],
        detail={"month_end": st.month_end.isoformat(), "bank_balance_fen": st.bank_balance_fen,
                "book_balance_fen": st.book_balance_fen, "adjusted_bank_fen": st.adjusted_bank_fen,
                "adjusted_book_fen": st.adjusted_book_fen},
    )


def _stale(acct: Account, it: Item) -> Finding:
    bank = it.side in (BANK_IN, BANK_OUT)
    return Finding(
        kind="stale_outstanding", rule=None, entity=acct.entity, fund=acct.fund, account=acct.number,
        period=it.day.strftime("%Y-%m"), amount_fen=it.amount_fen, days_late=None,
        key=f"stale_outstanding|{acct.number}|{it.side}|{it.fingerprint}", severity=SEVERITY["stale_outstanding"],
        detail={"side": it.side, "date": it.day.isoformat(), "ref": it.ref, "text": it.text, "age_days": it.age_days},
        lines=(it.where,) if it.where else (), line_ids=(it.record_id,) if bank else (),
    )
