"""The kept months (store.inputs, `engine_inputs`) the report's classes of lines come from, read
account by account, each month with a digest of what is kept of it, decoded only when asked
(jobs.report.classing keeps each account's classes by those digests: a night decodes and classes
again only the accounts whose kept months changed)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from reconcile.engine.condense import DayCredits
from reconcile.model import Line
from store.inputs import _load
from store.models import EngineInputRow

BATCH = 200  # kept months a fetch (a month of a province account is some thousands of lines)


@dataclass
class KeptAccount:
    """One account's kept months of a span: (month, digest of its payload), by month; `lines`
    decodes them (the whole lines and the day credits, by month, as store.inputs keeps them)."""

    account: str
    months: list[tuple[str, str]]
    _payloads: list[str] = field(repr=False)

    def lines(self) -> tuple[list[Line], list[DayCredits]]:
        whole: list[Line] = []
        credits: list[DayCredits] = []
        for payload in self._payloads:
            w, c, _ = _load(self.account, payload)
            whole += w
            credits += c
        return whole, credits


def kept_accounts(session: Session, first: str, until: str, account: str | None = None,
                  before: bool = False) -> Iterator[KeptAccount]:
    """Every account's kept months from `first` to `until` (before `until` with `before`), by
    account number; of one `account` when given."""
    m = EngineInputRow.month
    q = select(EngineInputRow.account, m, EngineInputRow.payload).where(m >= first, m < until if before else m <= until)
    if account is not None:
        q = q.where(EngineInputRow.account == account)
    q = q.order_by(EngineInputRow.account, m).execution_options(yield_per=BATCH)
    here: KeptAccount | None = None
    for a, month, payload in session.execute(q):
        if here is None or here.account != a:
            if here is not None:
                yield here
            here = KeptAccount(a, [], [])
        here.months.append((month, digest(payload)))
        here._payloads.append(payload)
    if here is not None:
        yield here


class KeptMonths:
    """The kept months of one transaction, account by account (`kept_accounts`)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def accounts(self, first: str, until: str, account: str | None = None,
                 before: bool = False) -> Iterator[KeptAccount]:
        return kept_accounts(self._session, first, until, account, before)


def digest(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


__all__ = ["KeptAccount", "KeptMonths", "digest", "kept_accounts"]
