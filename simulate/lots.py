"""FIFO lots of an income account, as docs/DOMAIN.md ("Lots") ages them, and the judging of the remit and
sweep obligations they make.

The simulator's payers consult a `LotBook` to pay exactly what is due (the clean baseline), and the
answer key judges every obligation from the same book. Lots of one booking day share a due date,
so they are kept as one lot per day: no finding depends on how a day's lots are ordered, as long as
a day never holds both a fee/refund and an allowed debit (the simulator keeps them apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class LotBook:
    due_of: Callable[[date], date]
    open: list[list] = field(default_factory=list)  # [booked, due, remaining], oldest first
    due: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    absorbed: dict[date, int] = field(default_factory=lambda: defaultdict(int))
    settled: dict[date, list[tuple[date, int, str]]] = field(default_factory=lambda: defaultdict(list))
    excess: list[tuple[date, int, str]] = field(default_factory=list)
    taken: dict[str, list[tuple[date, date, int]]] = field(default_factory=dict)

    def credit(self, booked: date, amount: int) -> None:
        due = self.due_of(booked)
        self.due[due] += amount
        if self.open and self.open[-1][0] == booked:
            self.open[-1][2] += amount
        else:
            self.open.append([booked, due, amount])

    def _take(self, d: date, amount: int) -> tuple[list[tuple[date, date, int]], int]:
        pieces = []
        while amount > 0 and self.open and self.open[0][0] <= d:
            lot = self.open[0]
            n = min(lot[2], amount)
            lot[2] -= n
            amount -= n
            pieces.append((lot[0], lot[1], n))
            if lot[2] == 0:
                self.open.pop(0)
        return pieces, amount

    def absorb(self, d: date, amount: int) -> None:
        """A fee or refund: consumes the oldest lots as absorbed (neither due nor settled)."""
        pieces, _ = self._take(d, amount)
        for _b, due, n in pieces:
            self.absorbed[due] += n

    def consume(self, d: date, amount: int, tag: str) -> int:
        """An allowed debit (remittance, sweep): settles the oldest lots; returns the excess."""
        pieces, rest = self._take(d, amount)
        for _b, due, n in pieces:
            self.settled[due].append((d, n, tag))
        self.taken[tag] = pieces
        if rest:
            self.excess.append((d, rest, tag))
        return rest

    def reinstate(self, tag: str) -> None:
        """A return (退汇) of debit `tag`: its lots come back with their due dates; it settles nothing."""
        pieces = self.taken.pop(tag, [])
        for due in {p[1] for p in pieces}:
            self.settled[due] = [s for s in self.settled[due] if s[2] != tag]
        self.excess = [e for e in self.excess if e[2] != tag]
        for booked, due, n in reversed(pieces):
            if self.open and self.open[0][0] == booked:
                self.open[0][2] += n
            else:
                self.open.insert(0, [booked, due, n])

    def open_due_by(self, d: date) -> int:
        return sum(lot[2] for lot in self.open if lot[1] <= d)

    def open_booked_by(self, d: date) -> int:
        return sum(lot[2] for lot in self.open if lot[0] <= d)


@dataclass(frozen=True)
class Verdict:
    kind: str  # late | partial | missing | over | split | short_disbursement
    amount_fen: int
    days_late: int | None


def judge(due: int, paid: list[tuple[date, int]], deadline: date, as_of: date, tol: int,
          *, short_kind: str | None = None) -> Verdict | None:
    """docs/DOMAIN.md "Judging": one obligation's settlement finding, or None."""
    on_time = sum(n for d, n in paid if d <= deadline)
    late = sum(n for d, n in paid if deadline < d <= as_of)
    out = due - on_time - late
    if out <= tol:
        if late <= 0:
            return None
        cum = on_time
        for d, n in sorted(p for p in paid if deadline < p[0] <= as_of):
            cum += n
            if due - cum <= tol:
                return Verdict("late", late, (d - deadline).days)
        raise AssertionError("unreachable: out <= tol")
    if on_time + late == 0:
        return Verdict(short_kind or "missing", due, (as_of - deadline).days)
    return Verdict(short_kind or "partial", out, (as_of - deadline).days)


def judge_lots(book: LotBook, as_of: date, first: date, prev_deadline: Callable[[date], date],
               first_deadline_after: Callable[[date], date], *, split: bool) -> dict[date, list[Verdict]]:
    """Every obligation (by deadline) of one income account with first <= deadline <= as_of."""
    over: dict[date, int] = defaultdict(int)
    for d, n, _tag in book.excess:
        if d <= as_of:
            over[first_deadline_after(d)] += n
    out: dict[date, list[Verdict]] = {}
    for dl in sorted(set(book.due) | set(book.settled) | set(over)):
        if not first <= dl <= as_of:
            continue
        due = book.due.get(dl, 0) - book.absorbed.get(dl, 0)
        paid = [(d, n) for d, n, _t in book.settled.get(dl, [])]
        found: list[Verdict] = []
        v = judge(due, paid, dl, as_of, 0)
        if over.get(dl):
            if v is not None:
                raise AssertionError(f"obligation {dl} is both {v.kind} and over: the simulator mixed faults")
            v = Verdict("over", over[dl], None)
        if v is not None:
            found.append(v)
        if split and (due > 0 or paid):
            lo = prev_deadline(dl)
            dates = {d for d, _n in paid if lo < d <= dl}
            if len(dates) >= 2:
                found.append(Verdict("split", due, None))
        if found:
            out[dl] = found
    return out
