"""The report's window (docs/DOMAIN.md, *The report*): the nightly report is about what is current.

The tables that list history (the classed lines, the statement coverage with its balance checks and
dialect warnings, the findings closed since the previous report, the remittances settled late) show
the calendar year of the as-of date, from 1 January to the as-of date; a report as of a day in
January starts on 1 December of the year before, so that December's month-end items (statements,
interest, fees, remittances due on the 25th) are not lost at the turn of the year. The year-end
report (as of 31 December) is therefore the record of its whole year. Open findings and open items
(obligations still outstanding) of any year always show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # the as-of date

    @property
    def first_month(self) -> str:
        """The window's first month as YYYY-MM (a finding's period)."""
        return f"{self.start.year:04d}-{self.start.month:02d}"

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    def holds_period(self, period: str | None) -> bool:
        """A finding's period (YYYY-MM) in the window or later; a finding without one is current."""
        return period is None or period >= self.first_month


def report_window(as_of: date) -> Window:
    """1 January of the as-of year to the as-of date; in January, from 1 December of the year before."""
    start = date(as_of.year - 1, 12, 1) if as_of.month == 1 else date(as_of.year, 1, 1)
    return Window(start, as_of)
