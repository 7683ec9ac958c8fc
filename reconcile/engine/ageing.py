"""First-in-first-out ageing of collections (remit, sweep; docs/DOMAIN.md: Lots).

Every credit is a lot with its own due date; allowed debits consume open lots booked on or before
their date, oldest first by (booking date, fingerprint); fees and refunds consume lots as
*absorbed*; a returned debit gives its lots back, with their original due dates, and settles
nothing. Within a day all credits come before all debits. What a debit cannot consume is an
excess, `over` on the obligation of the first deadline on or after its date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

SETTLE, ABSORB = "settle", "absorb"


@dataclass(slots=True)
class Lot:
    booked: date
    order: str  # fingerprint: the tie-break among lots of one day
    period: str  # the obligation it belongs to
    amount: int
    remaining: int
    line_id: int | None
    first: bool = False  # a surplus lot: consumed before every contribution lot


@dataclass(slots=True)
class Consumer:
    """A debit that consumes lots: an allowed transfer (settle) or a fee / refund (absorb)."""

    day: date
    order: str
    amount: int
    how: str
    line_id: int | None
    returned_on: date | None = None  # a returned debit: its lots come back on this day


@dataclass
class ObligationAcc:
    period: str
    due: int = 0
    absorbed: int = 0
    settlements: list[tuple[date, int, int | None]] = field(default_factory=list)  # (date, fen, line id)
    excess: list[tuple[date, int, int | None]] = field(default_factory=list)
    lot_lines: list[int] = field(default_factory=list)

    @property
    def excess_fen(self) -> int:
        return sum(a for _, a, _ in self.excess)


def age(lots: list[Lot], consumers: list[Consumer], excess_period: Callable[[date], str]) -> dict[str, ObligationAcc]:
    acc: dict[str, ObligationAcc] = {}

    def ob(period: str) -> ObligationAcc:
        if period not in acc:
            acc[period] = ObligationAcc(period)
        return acc[period]

    for lot in lots:
        o = ob(lot.period)
        o.due += lot.amount
        if lot.line_id is not None:
            o.lot_lines.append(lot.line_id)
    # Events in time order; a day's lots before its debits; a return gives lots back at the end of
    # its day (it is a credit, but it restores what a debit took, so it must follow that debit).
    open_lots = sorted(lots, key=lambda x: (not x.first, x.booked, x.order))
    position = {id(lot): i for i, lot in enumerate(open_lots)}
    first_open = 0  # every lot before this index is used up: FIFO never looks at it again
    events: list[tuple[date, int, str, object]] = []
    for c in consumers:
        events.append((c.day, 1, c.order, c))
        if c.returned_on is not None:
            events.append((c.returned_on, 2, c.order, ("return", c)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    taken: dict[int, list[tuple[Lot, int]]] = {}
    for day, _, _, ev in events:
        if isinstance(ev, tuple):
            consumer = ev[1]
            assert isinstance(consumer, Consumer)
            given_back: dict[str, int] = {}
            for lot, amount in taken.pop(id(consumer), []):
                lot.remaining += amount
                first_open = min(first_open, position[id(lot)])
                given_back[lot.period] = given_back.get(lot.period, 0) + amount
            for period, amount in given_back.items():
                o = ob(period)
                if consumer.how == ABSORB:
                    o.absorbed -= amount
                else:
                    _remove(o.settlements, consumer.line_id, amount)
            continue
        assert isinstance(ev, Consumer)
        left = ev.amount
        grabbed: list[tuple[Lot, int]] = []
        while first_open < len(open_lots) and open_lots[first_open].remaining == 0:
            first_open += 1
        for i in range(first_open, len(open_lots)):
            if left == 0:
                break
            lot = open_lots[i]
            if lot.booked > day and not lot.first:
                break  # lots are in booking order: the rest were booked later still
            if lot.remaining == 0:
                continue
            take = min(lot.remaining, left)
            lot.remaining -= take
            left -= take
            grabbed.append((lot, take))
            o = ob(lot.period)
            if ev.how == ABSORB:
                o.absorbed += take
            else:
                o.settlements.append((day, take, ev.line_id))
        taken[id(ev)] = grabbed
        if left and ev.how == SETTLE and ev.returned_on is None:
            ob(excess_period(day)).excess.append((day, left, ev.line_id))
    return acc


def _remove(settlements: list[tuple[date, int, int | None]], line_id: int | None, amount: int) -> None:
    for i, (d, a, lid) in enumerate(settlements):
        if lid == line_id and a > 0:
            take = min(a, amount)
            settlements[i] = (d, a - take, lid)
            amount -= take
            if amount == 0:
                break
    settlements[:] = [s for s in settlements if s[1] > 0]
