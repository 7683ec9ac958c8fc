"""What one reconciliation looks at (`Snapshot`), what it knows besides (`Settings`), and the
deadline arithmetic every rule shares."""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import date, timedelta, tzinfo
from zoneinfo import ZoneInfo

from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.config import GeneralConfig, RuleConfig, RulesConfig
from reconcile.coverage import Coverage
from reconcile.engine.codes import Codes
from reconcile.engine.condense import DayCredits
from reconcile.engine.types import PaymentPlan, RejectedFile, SurplusItem
from reconcile.model import Line, StoredStatement


@dataclass(frozen=True)
class Snapshot:
    as_of: date
    lines: list[Line]
    statements: list[StoredStatement]
    plans: list[PaymentPlan] = field(default_factory=list)
    surplus: list[SurplusItem] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    condensed: list[DayCredits] = field(default_factory=list)  # plain income credits summed per day
    # expense accounts whose debits before the carried state's restart day the reading left out,
    # but those the state keeps (reconcile.engine.run `starting`, store.inputs)
    without_payments: frozenset[str] = frozenset()
    # accounts whose statements the reading holds only from the carried state's restart day on: the
    # state stands for those before it (reconcile.engine.carry `statements_from`, store.snapshot)
    statements_from: frozenset[str] = frozenset()


DEFAULT_ZONE = ZoneInfo(GeneralConfig.timezone)


@dataclass(eq=False)  # compared and hashed by identity: per-run caches key on it
class Settings:
    registry: Registry
    rules: RulesConfig
    calendar: WorkCalendar
    codes: Codes
    zone: tzinfo = DEFAULT_ZONE  # general.timezone: the local day of a moment (a file's arrival)

    @property
    def city(self) -> str:
        return self.registry.city_code

    def rule(self, name: str) -> RuleConfig:
        cfg: RuleConfig = getattr(self.rules, name)
        return cfg

    # -- deadlines -----------------------------------------------------------------------------
    def nominal(self, name: str, year: int, month: int) -> date:
        """The rolled nominal day of rule `name` in (year, month), before grace."""
        if name == "sweep":
            return self.last_workday(year, month)
        cfg = self.rule(name)
        day = min(cfg.due_day, _cal.monthrange(year, month)[1])
        return self.calendar.roll(date(year, month, day), self.rules.roll)

    def deadline(self, name: str, year: int, month: int) -> date:
        return self.nominal(name, year, month) + timedelta(days=self.rule(name).grace_days)

    def last_workday(self, year: int, month: int) -> date:
        d = date(year, month, _cal.monthrange(year, month)[1])
        while not self.calendar.is_workday(d):
            d -= timedelta(days=1)
        return d


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_month(key: str) -> tuple[int, int]:
    y, m = key.split("-")
    return int(y), int(m)


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = add_months(y, m, 1)
    return out


def covered_through(cov: Coverage | None, d: date) -> bool:
    """The account's statements reach day d (a single missing day is a coverage_gap, not this)."""
    return cov is not None and cov.last_day is not None and cov.last_day >= d


def covered_on(cov: Coverage | None, d: date) -> bool:
    return cov is not None and d in cov.covered


def statement_window(statements: list[StoredStatement], as_of: date) -> list[StoredStatement]:
    """Statements as of A: those starting on or before A, cut at A."""
    return [s.cut(as_of) for s in statements if s.period_start <= as_of]
