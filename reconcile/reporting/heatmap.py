"""The county x month heatmap of remittance status per fund, and the arrears trend: the remit
arrears outstanding at each month end, rebuilt from each obligation's on-time and dated late
payments (so the trend needs no history table)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from reconcile.accounts import Registry
from reconcile.engine.types import Obligation

STATUSES = ("ok", "late", "partial", "missing", "over", "awaiting_statement", "none")


@dataclass(frozen=True)
class Cell:
    status: str  # one of STATUSES; "none" where no obligation exists
    days_overdue: int | None = None
    outstanding_fen: int = 0


@dataclass(frozen=True)
class Heatmap:
    fund: str
    months: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]  # (entity, cells by month)


def months_back(as_of: date, n: int = 12) -> tuple[str, ...]:
    """The n months ending with the as-of date's month, oldest first, as YYYY-MM."""
    k = as_of.year * 12 + as_of.month - 1
    return tuple(f"{(k - i) // 12:04d}-{(k - i) % 12 + 1:02d}" for i in range(n - 1, -1, -1))


def heatmaps(obligations: list[Obligation], registry: Registry, as_of: date, n: int = 12) -> list[Heatmap]:
    remit = [o for o in obligations if o.rule == "remit"]
    held = sorted({o.period for o in remit if o.period <= as_of.strftime("%Y-%m")})
    months = months_back(as_of, n)
    if held and held[0] > months[0]:  # start at the first month with an obligation
        months = tuple(m for m in months if m >= held[0])
    by_key = {(o.entity, o.fund, o.period): o for o in remit}
    counties = [e.code for e in registry.counties]
    out = []
    for fund in (f.code for f in registry.funds):
        rows = []
        for entity in counties:
            if not any(o.entity == entity and o.fund == fund for o in remit):
                continue
            cells = []
            for m in months:
                o = by_key.get((entity, fund, m))
                cells.append(Cell("none") if o is None else Cell(o.status, o.days_overdue, o.outstanding_fen))
            rows.append((entity, tuple(cells)))
        if rows:
            out.append(Heatmap(fund, months, tuple(rows)))
    return out


@dataclass(frozen=True)
class TrendPoint:
    month: str
    day: date  # the month end (or the as-of date for its own month)
    outstanding_fen: dict[str, int]  # fund -> remit arrears outstanding that day


def arrears_at(o: Obligation, day: date) -> int:
    """What of a judged remit obligation was overdue and unpaid at the end of `day`."""
    if o.status == "awaiting_statement" or o.deadline > day:
        return 0
    paid = o.on_time_fen + sum(fen for d, fen in o.late_payments if d <= day)
    return max(0, o.due_fen - paid)


def trend(obligations: list[Obligation], registry: Registry, months: tuple[str, ...], as_of: date,
          ) -> list[TrendPoint]:
    remit = [o for o in obligations if o.rule == "remit"]
    funds = [f.code for f in registry.funds]
    out = []
    for m in months:
        y, mo = int(m[:4]), int(m[5:])
        day = min(date(y, mo, calendar.monthrange(y, mo)[1]), as_of)
        totals = dict.fromkeys(funds, 0)
        for o in remit:
            if o.fund in totals:
                totals[o.fund] += arrears_at(o, day)
        out.append(TrendPoint(m, day, totals))
    return out
