"""`recon status`: per registered account, what the ledger holds and where it is thin."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from reconcile.accounts import Registry
from reconcile.calendar import WorkCalendar
from reconcile.coverage import balance_breaks, coverage
from reconcile.departures import HeldDeparture
from reconcile.model import StoredStatement
from store.db import Database
from store.status import holdings

WARNINGS_SHOWN = 20  # the latest dialect warnings `recon status` lists (the report has them all)


@dataclass(frozen=True)
class AccountStatus:
    account: str
    name: str
    entity: str
    fund: str
    role: str
    statements: int
    lines: int
    first_day: str | None
    last_day: str | None
    gaps: list[list[str]]
    last_balance_fen: int | None
    balance_breaks: int


@dataclass(frozen=True)
class Status:
    accounts: list[AccountStatus]
    files: dict[str, int]
    warnings: list[HeldDeparture] = field(default_factory=list)  # the latest, newest first
    warnings_total: int = 0

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {"accounts": [asdict(a) for a in self.accounts], "files": self.files,
                "warnings": [w.to_dict(lang) for w in self.warnings], "warnings_total": self.warnings_total}


def status(db: Database, registry: Registry, cal: WorkCalendar | None = None) -> Status:
    cal = cal or WorkCalendar()
    held = holdings(db, WARNINGS_SHOWN)
    counts, files = held.counts, held.files
    by_account: dict[str, list[StoredStatement]] = {}
    for info in held.statements:
        by_account.setdefault(info.statement.account, []).append(info)
    rows = []
    for a in registry.accounts:
        mine = by_account.get(a.number, [])
        cov = coverage(a.number, mine, cal)
        c = counts.get(a.number)
        rows.append(AccountStatus(
            account=a.number, name=a.name, entity=a.entity, fund=a.fund, role=a.role,
            statements=c.statements if c else 0, lines=c.lines if c else 0,
            first_day=cov.first_day.isoformat() if cov.first_day else None,
            last_day=cov.last_day.isoformat() if cov.last_day else None,
            gaps=[[g[0].isoformat(), g[1].isoformat()] for g in cov.gaps],
            last_balance_fen=c.last_balance_fen if c else None,
            balance_breaks=len(balance_breaks(mine)),
        ))
    kinds = ("ingested", "duplicate", "rejected") + (("changed",) if files.get("changed") else ())
    return Status(rows, {k: files.get(k, 0) for k in kinds}, held.warnings, held.warnings_total)
