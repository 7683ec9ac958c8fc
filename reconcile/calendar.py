"""Working days: Chinese official holidays and adjusted working weekends (调休).

Backed by `chinesecalendar` plus extra holidays and working days from config. For a year the
package does not cover, the calendar falls back to "Monday to Friday" plus config, and says so
(`fallback_years`), never silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

# The years the tool reckons in (an as-of date, a report's day): official holidays where the package
# has them, Monday to Friday plus config elsewhere (said so). Outside them a date is a mistake.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class WorkCalendar:
    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.fallback_years: set[int] = set()
        self._cache: dict[date, bool] = {}

    @property
    def official(self) -> str:
        """The version of `chinesecalendar` the official days come from: a new one adds a year's
        holidays and 调休 working days, so what was reckoned in working days may change."""
        return str(chinese_calendar.__version__)

    def is_workday(self, d: date) -> bool:
        hit = self._cache.get(d)
        if hit is not None:
            return hit
        if d in self.extra_workdays:
            result = True
        elif d in self.extra_holidays:
            result = False
        else:
            try:
                result = bool(chinese_calendar.is_workday(d))
            except NotImplementedError:
                self.fallback_years.add(d.year)
                result = d.weekday() < 5
        self._cache[d] = result
        return result

    def workdays(self, start: date, end: date) -> list[date]:
        """Working days in [start, end]."""
        out, d = [], start
        while d <= end:
            if self.is_workday(d):
                out.append(d)
            d += timedelta(days=1)
        return out

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after d (n > 0) or before it (n < 0); d itself for n = 0."""
        step = 1 if n >= 0 else -1
        left = abs(n)
        while left:
            d += timedelta(days=step)
            if self.is_workday(d):
                left -= 1
        return d

    def roll(self, d: date, rule: str = "following") -> date:
        """A deadline on a non-working day moves to the next (or, "preceding", previous) working day."""
        step = -1 if rule == "preceding" else 1
        while not self.is_workday(d):
            d += timedelta(days=step)
        return d
