"""Dates in range: what every parser's statements must satisfy before they are stored.

A line dated years away from its statement is a damaged or crafted file, not a fact to keep: it
would sit outside every report until its date came (a 2099 line in a statement of one day of 2008).
So, for every statement a parser returns:
- no line and no end of the period may be dated before 2000, or more than a year after the as-of
  day (today by default);
- a booked line more than a year outside the statement's declared period refuses the file;
- a booked line outside the declared period by more than the transit window (working days, as
  the engine allows a transfer's second leg), but within that year, is read and said: a departure
  `range.outside_period` (refused under `ingest.strict`). Real exports do this (camt from
  viafintech, BofA and Ally OFX in the corpus date lines weeks to months outside their FrToDt or
  DTSTART/DTEND), so refusing it would refuse real banks.
A period taken from the balances' dates (MT940, camt without FrToDt) is not a declared one: there
only the absolute bounds apply.
A period that runs backwards is refused where it is declared (camt FrToDt, OFX BANKTRANLIST,
the tabular preamble). Each refusal is a `ParseError` naming the statement and the line. Amounts
are bounded where they are parsed (`reconcile.money.to_fen`).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from operator import attrgetter

from parsers.base import ReadContext
from reconcile.calendar import WorkCalendar
from reconcile.departures import Departure
from reconcile.errors import ParseError
from reconcile.model import PERIOD_FROM, EntryStatus, Statement

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=366)  # after the as-of day
SLACK = timedelta(days=366)  # outside the period: beyond it, a refusal; within it, a departure
_CALENDAR = WorkCalendar()
_BOOKING, _VALUE = attrgetter("booking_date"), attrgetter("value_date")


def check_dates(statements: list[Statement], ctx: ReadContext) -> list[Statement]:
    """The statements, each with a departure for lines a little outside its period; or a
    `ParseError` for a date out of range."""
    latest = (ctx.as_of or date.today()) + AHEAD
    out = []
    for i, st in enumerate(statements):
        label = f"statement {i + 1}" + (f" ({st.source})" if st.source else "")
        # The lines' distinct dates first (in C, a statement's few): only a statement with a date
        # out of range is walked line by line, to name the first line that has one.
        booked = set(map(_BOOKING, st.lines))
        days = booked.union(map(_VALUE, st.lines)) - {None}
        if days and not (min(days) >= EARLIEST and max(days) <= latest):
            for ln in st.lines:
                for what, d in (("booking", ln.booking_date), ("value", ln.value_date)):
                    if d is not None and not EARLIEST <= d <= latest:
                        raise ParseError(key=f"range.{what}_date", where=_at(label, ln.source),
                                         values={"date": d, "earliest": EARLIEST, "latest": latest})
        for d in (st.period_start, st.period_end):
            if d is not None and not EARLIEST <= d <= latest:
                raise ParseError(key="range.period", values={"date": d, "earliest": EARLIEST, "latest": latest},
                                 where=label)
        out.append(_within_period(st, booked, label, ctx.transit_window))
    return out


def _within_period(st: Statement, booked: set[date], label: str, window: int) -> Statement:
    """The statement, with a departure when booked lines lie a little outside its period; `booked`:
    its lines' distinct booking dates (check_dates has them)."""
    start, end = st.period_start, st.period_end
    if (start is None and end is None) or st.extra.get(PERIOD_FROM) == "balances":
        return st  # no period declared (MT940, camt without FrToDt): the absolute bounds alone
    low = _CALENDAR.add_workdays(start, -window) if start else date.min
    high = _CALENDAR.add_workdays(end, window) if end else date.max
    if not booked or (low <= min(booked) and max(booked) <= high):
        return st  # every line's booking date in the period (whatever its status)
    outside = [ln for ln in st.lines if ln.status is EntryStatus.BOOK and not low <= ln.booking_date <= high]
    if not outside:
        return st
    period = f"{start or '…'} – {end or '…'}"
    for ln in outside:
        d = ln.booking_date
        if (start and d < start - SLACK) or (end and d > end + SLACK):
            raise ParseError(key="range.outside_year", values={"date": d, "period": period},
                             where=_at(label, ln.source))
    note = Departure("range.outside_period", outside[0].source or label, len(outside), period)
    return replace(st, warnings=(*st.warnings, note))


def _at(statement: str, source: str) -> str:
    return f"{statement}, {source}" if source else statement
