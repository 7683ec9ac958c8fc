"""One account's book against its bank, whole: match, the statement of every month end up to the
as-of date, the items outstanding at the as-of date, and the findings.

- `book_unreconciled` (high): a month whose two adjusted balances differ; amount = adjusted bank
  balance − adjusted book balance; period = the month; one per (account, month).
- `stale_outstanding` (medium): an item still outstanding at the as-of date A and dated more than
  `stale_days` calendar days before A; amount = its absolute amount; period = the month of its
  date; one per (account, side, fingerprint of the entry or line).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from reconcile.accounts import Account
from reconcile.book.match import Matching, match
from reconcile.book.records import (
    BANK_IN,
    BANK_OUT,
    NONE_KEPT,
    Item,
    JournalEntry,
    JournalSpan,
    KeptMatch,
    KeptMonths,
    Match,
    MonthStatement,
)
from reconcile.book.statement import (
    Balances,
    Prior,
    coverage_near,
    coverage_windows,
    first_covered,
    journal_coverage,
    month_end,
    month_ends,
    month_statement,
    outstanding,
)
from reconcile.calendar import WorkCalendar
from reconcile.coverage import coverage
from reconcile.engine.types import Finding
from reconcile.kinds import SEVERITY
from reconcile.model import Line, StoredStatement


@dataclass(frozen=True)
class AccountBook:
    """Everything the book side knows about one account at the as-of date. After a resume,
    `entries`, `lines` and `matching` are the records loaded (from `Resume.loaded_from`), `months`
    the statements drawn up again (from `Resume.start`) and `kept_months` those kept before it."""

    account: Account
    as_of: date
    entries: list[JournalEntry]
    lines: list[Line]
    matching: Matching
    months: list[MonthStatement]
    open_items: list[Item]  # outstanding at the as-of date
    findings: list[Finding]
    kept_months: KeptMonths = NONE_KEPT


class Details(Protocol):
    """The whole lines of these ids, by id (store.books.line_details): with it, the lines passed to
    `book_account` need only carry what the balances read and what the matching reads of most of
    them (the id, date, amount and running balance; store.books.load_matched)."""

    def __call__(self, line_ids: Sequence[int]) -> Mapping[int, Line]: ...


@dataclass(frozen=True)
class Resume:
    """What earlier nights decided for one account before `start` (any day), kept because nothing
    that could change it has changed (store.bookkept): the account is drawn up again from `start`
    with the same result as from the beginning (docs/DOMAIN.md, *Book against bank*). An account
    with nothing new since the last run (store.bookkept.quiet_day) resumes the day after the last
    run's as-of date with `loaded_from` = `start` and no records loaded: it has none from there on."""

    start: date
    loaded_from: date  # the entries and lines passed are those dated from here (start - match_days; see above)
    matches: Sequence[KeptMatch]  # decided before `start`, cleared from the first day of `loaded_from`'s month on
    unmatched_entries: Sequence[JournalEntry]  # never matched, dated before `loaded_from`
    unmatched_lines: Sequence[Line]
    prior: Prior  # the balances' sums before `loaded_from`
    months: KeptMonths = NONE_KEPT  # the statements of the month ends before `start` (on or before the as-of date)


def book_account(acct: Account, entries: Sequence[JournalEntry], lines: Sequence[Line],
                 spans: Sequence[JournalSpan], statements: Sequence[StoredStatement], as_of: date,
                 cal: WorkCalendar, match_days: int = 5, stale_days: int = 90,
                 resume: Resume | None = None, details: Details | None = None) -> AccountBook:
    """`entries` and `lines` in the ledger's order (date, then file order); only those dated on or
    before `as_of` are used; `statements` are the account's (any order). With `resume`, the
    entries and lines from `resume.loaded_from` on, and the month ends from `resume.start` on are
    drawn up. With `details`, the lines may carry only their id, date, amount and running balance
    (`Details`): those that can be an entry's candidate are read whole before the matching
    (`_candidates`), and once matched, those a statement can list or that stay unmatched
    (`_detailed`); the others stay as passed in `AccountBook.lines`."""
    es = [e for e in entries if e.entry_date <= as_of]
    ls = [ln for ln in lines if ln.booking_date <= as_of]
    sts = [s.cut(as_of, closing=False)  # its closing is a later day's balance
           for s in statements if s.period_start <= as_of and not s.statement.intraday]
    spans = [s for s in spans if s.period_start <= as_of]
    whole: set[int] = set()
    if details is not None:
        ls, whole = _candidates(es, ls, details)
    if resume is None:
        m = match(es, ls, match_days)
    else:
        m = match(es, ls, match_days, _indexed(resume.matches, es, ls), resume.start)
    if details is not None:
        ls = _detailed(ls, m, as_of, details, whole)
    first_day = first_covered((s.period_start, s.period_end) for s in spans)  # the journals' first day
    ends = month_ends(first_day, as_of) if first_day else []
    if resume is None:
        bank_cov = coverage(acct.number, sts, cal)
        book_cov = journal_coverage(acct.number, spans, cal)
        per_end = outstanding(es, ls, m, [*ends, as_of], bank_cov, book_cov, cal)
        balances = Balances(es, ls, spans, sts)
    else:
        ends = [x for x in ends if x >= resume.start]
        # Records never matched before the loaded ones are outstanding at every later month end.
        old_e, old_l = list(resume.unmatched_entries), list(resume.unmatched_lines)
        # The coverage is asked about the days drawn up again and the old records' only (coverage_near):
        # the bank's about the entries' days, the journals' about the lines' (`outstanding`), so the
        # statements a night reads are those near its days and its old entries' (statements_near).
        since = resume.loaded_from
        bank_cov = coverage_near(acct.number, [(s.period_start, s.period_end) for s in sts],
                                 {e.entry_date for e in old_e}, since, cal)
        book_cov = coverage_near(acct.number, [(s.period_start, s.period_end) for s in spans],
                                 {ln.booking_date for ln in old_l}, since, cal)
        wide = Matching(m.matches, [-1] * len(old_e) + m.entry_match, [-1] * len(old_l) + m.line_match)
        per_end = outstanding([*old_e, *es], [*old_l, *ls], wide, [*ends, as_of], bank_cov, book_cov, cal)
        balances = Balances(es, ls, spans, sts, resume.prior, ends[0] if ends else as_of)
    cleared_in: dict[tuple[int, int], int] = {}
    for mt in m.matches:
        key = (mt.cleared.year, mt.cleared.month)
        cleared_in[key] = cleared_in.get(key, 0) + 1
    months = [month_statement(acct.number, x, per_end[k], balances, cleared_in.get((x.year, x.month), 0), bank_cov,
                              book_cov, cal) for k, x in enumerate(ends)]
    kept = resume.months if resume is not None else NONE_KEPT
    open_items = per_end[-1]
    findings = [_unreconciled(acct, st) for st in (*kept.differing, *months) if st.difference_fen]
    findings += [_stale(acct, it) for it in open_items if it.age_days > stale_days]
    return AccountBook(acct, as_of, es, ls, m, months, open_items, findings, kept)


def statement_days(resume: Resume, as_of: date, cal: WorkCalendar) -> tuple[list[tuple[date, date]], date]:
    """What of an account's statements `book_account` reads on this resume (store.books
    `statements_near`): those whose period overlaps a window of the bank's coverage
    (`coverage_windows` of the old unmatched entries' days and from `loaded_from` on: the bank's
    coverage is asked about the entries' days and the month ends from `start` on), and those
    ending on or after the last closing that ends on or before min(start, as_of), the day returned.
    The balances (`Balances(..., since)`, since the first month end drawn or the as-of date, no
    earlier than that day) take for any day asked the last closing ending on or before it, from the
    last one ending on or before `since` on: that one ends on or after the returned day's, or is
    later than that day and so in the last window; with it, every closing after it is read."""
    windows = coverage_windows({e.entry_date for e in resume.unmatched_entries}, resume.loaded_from, cal)
    return windows, min(resume.start, as_of)


def journal_days(resume: Resume, as_of: date, cal: WorkCalendar) -> tuple[list[tuple[date, date]], date]:
    """What of an account's journals `book_account` reads on this resume (store.books `spans_near`),
    as `statement_days` for the statements: those overlapping a window of the journals' coverage
    (asked about the lines' days), those from the last one with an opening balance beginning on or
    before min(start, as_of) on (`Balances`' anchors for the book balance, by first day), and the
    first one (`first_covered`: the month ends drawn up begin with its month)."""
    windows = coverage_windows({ln.booking_date for ln in resume.unmatched_lines}, resume.loaded_from, cal)
    return windows, min(resume.start, as_of)


def _candidates(entries: list[JournalEntry], lines: list[Line], details: Details) -> tuple[list[Line], set[int]]:
    """The lines with those of an amount one of the entries has read whole (and their indices):
    the matching reads a line's counterparty only when the line ties as an entry's candidate in
    the one-to-one pass, and a candidate has the entry's amount (reconcile.book.match
    `same_party`). A year of a province account has about one line in three hundred of such an
    amount."""
    amounts = {e.amount_fen for e in entries if e.amount_fen}
    lk = [k for k, ln in enumerate(lines) if ln.amount_fen in amounts]
    return _read_whole(lines, lk, details), set(lk)


def _detailed(lines: list[Line], m: Matching, as_of: date, details: Details, whole: set[int]) -> list[Line]:
    """The lines with those a statement can list or a run keeps (`_kept`: the unmatched) read
    whole (those in `whole`, indices, are already). `outstanding` lists a record at the first of
    its ends (the month ends drawn and the as-of date) on or after its day only if it is unmatched
    or cleared after that end; that end is never before the record's month end or the as-of date,
    whichever comes first. So a line matched and cleared by then is listed nowhere and not kept:
    only its id, date, amount and running balance are read again (the matches, the balances)."""
    cleared_of = [mt.cleared for mt in m.matches]
    days = [ln.booking_date for ln in lines]
    bound = {d: min(month_end(d), as_of) for d in set(days)}  # once per day
    lk = [k for k, (d, mi) in enumerate(zip(days, m.line_match, strict=True))
          if (mi < 0 or cleared_of[mi] > bound[d]) and k not in whole]
    return _read_whole(lines, lk, details)


def _read_whole(lines: list[Line], at: list[int], details: Details) -> list[Line]:
    """`lines` with those at these indices read whole."""
    if not at:
        return lines
    whole = details([lines[k].id for k in at])
    out = list(lines)
    for k in at:
        out[k] = whole[out[k].id]
    return out


def decided_on(mt: Match, entries: Sequence[JournalEntry], lines: Sequence[Line]) -> date:
    """The date of the record whose turn made the match: the entry's in the first two passes, the
    line's in the third (docs/DOMAIN.md, *Book against bank*; reconcile.book.match)."""
    if mt.how == "entries":
        return lines[mt.lines[0]].booking_date
    return entries[mt.entries[0]].entry_date


def kept_match(mt: Match, entries: Sequence[JournalEntry], lines: Sequence[Line]) -> KeptMatch:
    """A match by its records' ids, to keep."""
    return KeptMatch(tuple([entries[i].id for i in mt.entries]), tuple([lines[j].id for j in mt.lines]), mt.how,
                     mt.days_apart, mt.reason, mt.cleared, decided_on(mt, entries, lines))


def _indexed(kept: Sequence[KeptMatch], entries: Sequence[JournalEntry], lines: Sequence[Line]) -> list[Match]:
    """Kept matches by index into the loaded records (a record not loaded left out)."""
    e_at = {e.id: i for i, e in enumerate(entries)}
    l_at = {ln.id: j for j, ln in enumerate(lines)}
    return [Match(tuple(e_at[x] for x in k.entry_ids if x in e_at), tuple(l_at[x] for x in k.line_ids if x in l_at),
                  k.how, k.days_apart, k.reason, k.cleared) for k in kept]


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
