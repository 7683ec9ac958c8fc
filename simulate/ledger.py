"""The simulator's books: every account's lines as the bank books them, transfers with both legs,
actions scheduled on working days, and the month's lines turned into `Line`s with running
balances once every account has acted.

A line is kept as a small tuple until its month is closed, so a province month (hundreds of
thousands of contributions) costs little memory; an income account's month is closed and written
as soon as it has acted (see `simulate.months`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from reconcile.accounts import Account
from reconcile.model import Line, RefStrength
from simulate.lots import LotBook
from simulate.world import YM, World, ym_of

# amount, counterparty account, counterparty name, text, remark, kind, tag
Raw = tuple[int, str, str, str, str, str, str]
CONTRIB, RETURN, FEE, REFUND, XFER, PAY = "contrib", "return", "fee", "refund", "xfer", "pay"


@dataclass
class Book:
    acct: Account
    opening: int
    balance: int
    lots: LotBook | None = None
    days: dict[date, list[Raw]] = field(default_factory=lambda: defaultdict(list))
    actions: dict[date, list[Callable[[date], None]]] = field(default_factory=lambda: defaultdict(list))
    last_day: date | None = None  # stale account: the bank sends nothing after this day
    seq: int = 0

    def post(self, d: date, raw: Raw) -> None:
        if self.last_day is not None and d > self.last_day:
            raise AssertionError(f"{self.acct.number}: a line on {d}, after its statements stop")
        self.days[d].append(raw)

    def schedule(self, d: date, fn: Callable[[date], None]) -> None:
        self.actions[d].append(fn)


@dataclass
class DayLines:
    day: date
    opening: int
    lines: list[Line]

    @property
    def closing(self) -> int:
        return self.lines[-1].balance_fen if self.lines else self.opening  # type: ignore[return-value]


class Ledger:
    def __init__(self, world: World, ref_strength: Callable[[Account], RefStrength]) -> None:
        self.world = world
        self.books: dict[str, Book] = {}
        self.ref_strength = ref_strength
        self.transit = world.rng("transit")
        self.credited: dict[tuple[str, YM, str], int] = defaultdict(int)  # (account, month, kind) -> fen written

    def add(self, acct: Account, opening: int, lots: LotBook | None = None) -> Book:
        b = Book(acct, opening, opening, lots)
        self.books[acct.number] = b
        return b

    def transfer(self, src: Account, dst: tuple[str, str], d: date, amount: int, text: str, remark: str,
                 *, drop_credit: bool = False, tag: str = "") -> str:
        """Both legs: the debit on `src` on `d`; the credit on a pooled receiver the same day or the
        next working day (counterparty number and name on both legs)."""
        tag = tag or f"{src.number}:{d.isoformat()}:{len(self.books[src.number].days[d])}"
        self.books[src.number].post(d, (-amount, dst[0], dst[1], text, remark, XFER, tag))
        receiver = self.books.get(dst[0])
        if receiver is not None and not drop_credit:
            cd = d if self.transit.random() < 0.85 else self.world.add_wd(d, 1)
            if receiver.last_day is not None and cd > receiver.last_day:
                raise AssertionError(f"a transfer to {dst[0]} after its statements stop")
            receiver.post(cd, (amount, src.number, src.name, text, remark, XFER, tag))
        return tag

    def close_month(self, book: Book, ym: YM) -> list[DayLines]:
        """The month's lines of one account, booked in order, with running balances."""
        strength = self.ref_strength(book.acct)
        tail = "".join(ch for ch in book.acct.number if ch.isdigit())[-4:]
        out: list[DayLines] = []
        for d in self.world.workdays(ym):
            raws = book.days.pop(d, None) or []
            if book.last_day is not None and d > book.last_day:
                continue
            raws.sort(key=lambda r: r[0] < 0)  # credits before debits: the rules' order within a day
            opening = book.balance
            lines = []
            for amt, cpa, cpn, text, remark, kind, _tag in raws:
                if amt > 0:
                    self.credited[(book.acct.number, ym, kind)] += amt
                book.balance += amt
                book.seq += 1
                if strength is RefStrength.STRONG:
                    ref = f"{tail}{d:%y%m%d}{book.seq:06d}"
                elif strength is RefStrength.WEAK:
                    ref = f"{(book.seq * 7919) % 100000000:08d}"
                else:
                    ref = ""
                lines.append(Line(d, amt, d, cpa, cpn, text, remark, ref, strength, book.balance))
            out.append(DayLines(d, opening, lines))
        stray = [d for d in book.days if ym_of(d) == ym]
        if stray:
            raise AssertionError(f"{book.acct.number}: lines on non-working days {stray[:3]}")
        return out
