"""The ledger's lines of a whole read, handed from the engine's read to the book side.

When the engine reads every month from the ledger (nothing kept: the first reconcile, and
`recon reconcile --full`; store.inputs `load_inputs`), it fetches every line not superseded booked
on or before the as-of date, each account's in the ledger's order (day, then id). The book side
then read the same lines of each account with a journal again (store.books `load_matched`: id,
day, amount and running balance), at a province year 5.1M lines, a second third of the reconcile's
reading. A `Ledger` keeps those four columns of the engine's rows, by account, and the book side
takes an account's lines from it instead (`take`: the same `Line`s `load_matched` makes, in the
same order), for an account drawn up from its beginning.

What it holds: per account, the ids, amounts and running balances in arrays of 4 bytes a value
(8 when one does not fit), the days as runs: 12 bytes a line for most accounts, until the book
side takes the account. The two reads are two transactions; `recon ingest` and `recon reconcile`
hold the runner's lock (jobs/lock.py), and the book side takes nothing when the ledger's last line
or file is not the one the engine read (`same_as`).
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from reconcile.model import EntryStatus, Line, RefStrength

if TYPE_CHECKING:  # array is not subscriptable at run time before Python 3.12
    _Columns = tuple[list[date], array[int], array[int], array[int], array[int] | None, array[int] | None]


class Ledger:
    """The lines of one whole read, by account (`add`), each taken once (`take`)."""

    def __init__(self) -> None:
        self.as_of: date | None = None  # the read's as-of date; None: nothing was read whole
        self.last_line = 0  # the ledger's last line and file when it was read
        self.last_file = 0
        self._accounts: dict[str, _Columns] = {}  # days, runs, ids, amounts, balances, balances missing

    def whole(self, as_of: date, last_line: int, last_file: int) -> None:
        """The read is whole, as of `as_of`, of the ledger up to these line and file ids."""
        self.as_of, self.last_line, self.last_file = as_of, last_line, last_file

    def add(self, account: str, rows: Sequence[Sequence[Any]], days: dict[Any, date],
            at: tuple[int, int, int, int] = (0, 2, 3, 13)) -> None:
        """An account's lines, every one of them the read has: `rows` in the ledger's order (by day
        first), their id, day (as `days` has it), amount and running balance at the places `at`.
        Each column is taken by a C loop over the rows (map, Counter, array)."""
        i, d, a, b = (operator.itemgetter(k) for k in at)
        runs = Counter(map(d, rows))  # a day's rows are together: its run, in the order of the days
        nones: array[int] | None = None
        packed: array[int] | None = None
        try:
            packed = _ints(rows, b)
        except TypeError:  # a balance missing
            balances: list[int | None] = list(map(b, rows))
            if balances.count(None) < len(balances):
                nones = array("i", [k for k, v in enumerate(balances) if v is None])
                packed = _ints([0 if v is None else v for v in balances])
        self._accounts[account] = ([days[day] for day in runs], array("i", runs.values()), _ints(rows, i),
                                   _ints(rows, a), packed, nones)

    def take(self, account: str, as_of: date) -> list[Line] | None:
        """The account's lines booked on or before `as_of` as store.books.load_matched reads them
        (None: not read whole as of that day); let go of here."""
        got = self._accounts.pop(account, None)
        if got is None or as_of != self.as_of:
            return None
        days, counts, ids, amounts, packed, nones = got
        n = len(ids)
        balances: Iterable[int | None]
        if packed is None:
            balances = _repeat(None, n)
        elif nones:
            some: list[int | None] = list(packed)
            for k in nones:
                some[k] = None
            balances = some
        else:
            balances = packed

        def put(value: Any) -> Iterable[Any]:
            return _repeat(value, n)

        return list(map(_new, put(Line), zip(
            itertools.chain.from_iterable(map(_repeat, days, counts)), amounts, put(None), put(""), put(""), put(""),
            put(""), put(""), put(_NONE), balances, put(""), put(_BOOK), put(False), put(""), put(0), put(""), ids,
            put(account), put(""), put(""), strict=True)))

    def same_as(self, last_line: int, last_file: int) -> bool:
        """Is the ledger still the one read (its last line and file the same)?"""
        return self.as_of is not None and (last_line, last_file) == (self.last_line, self.last_file)

    def __len__(self) -> int:
        return sum(len(c[2]) for c in self._accounts.values())


def _ints(values: Sequence[Any], column: Callable[[Any], int] | None = None) -> array[int]:
    """The values (or this column of them) in 4 bytes each, or 8 when one does not fit."""
    try:
        return array("i", values if column is None else map(column, values))
    except OverflowError:
        return array("q", values if column is None else map(column, values))


_new: Any = tuple.__new__  # _new(Line, fields): a Line made in C, as store.books.load_matched makes it
_repeat, _NONE, _BOOK = itertools.repeat, RefStrength.NONE, EntryStatus.BOOK
