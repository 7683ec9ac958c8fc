"""Matching journal entries to bank lines (docs/DOMAIN.md, *Book against bank*).

An entry and a line match when their signed amounts are equal to the fen and their dates are at
most `match_days` calendar days apart. Entries are taken in the ledger's order (date, then file
order); each takes, among the unmatched lines that qualify, the one of the nearest date, then the
one whose counterparty the entry names, then the first in file order. One to one first, over all
entries; then an entry still unmatched against all the still unmatched lines of one day and sign
whose sum equals it (the nearest such day, the earlier on a tie: a cashier books a day's
collections or a payroll as one voucher); then the reverse, a bank line against all the still
unmatched entries of one day and sign (one transfer booked as several vouchers). Records of zero
amount are not matched. Deterministic: the same records in the same order give the same matches.

Resuming (the nightly run keeps what it decided for closed months, store.bookkept). Each of the
three passes goes through the records in the ledger's order, and a record's decision (the entry's
in the first two passes, the line's in the third) depends only on the records dated at most
4 x `match_days` after it: one window to its candidates, one more to the first pass's decisions
that leave a day's lines unmatched for the second, one more for the second pass's, one more for
the third's groups. So when nothing dated before some day C changed, every decision of a record
dated before `start` <= C - 4 x match_days is the one the whole history gives: `match(...,
kept=those decisions, start=start)` applies them pass by pass and decides only the records dated
from `start` on, with the same result as matching the whole history.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reconcile.book.records import JournalEntry, Match
from reconcile.model import Line

_SPACE = re.compile(r"[\s\u3000]+")
_DIGITS = re.compile(r"\D")


@dataclass
class Matching:
    """The matches of one account, and for every entry and line the index of its match (or -1)."""

    matches: list[Match]
    entry_match: list[int]
    line_match: list[int]
    decided: list[int] = field(default_factory=list)  # the matches made here (not replayed), by index


def same_party(entry: JournalEntry, line: Line) -> bool:
    """Whether the entry's counterparty (对方单位 or 对方科目 text) names the line's counterparty."""
    cp = _SPACE.sub("", entry.counterparty)
    if not cp:
        return False
    name = _SPACE.sub("", line.counterparty_name)
    number = _DIGITS.sub("", line.counterparty_account)
    return bool(name and (name in cp or cp in name)) or bool(len(number) >= 6 and number in _DIGITS.sub("", cp))


def _offsets(days: int) -> list[int]:
    """0, -1, 1, -2, 2, ...: nearest first, the earlier day on a tie."""
    out = [0]
    for k in range(1, days + 1):
        out += [-k, k]
    return out


def replay_window(match_days: int) -> int:
    """Days after a record that can change its decision (see the module's docstring)."""
    return 4 * match_days


def match(entries: list[JournalEntry], lines: list[Line], match_days: int, kept: Sequence[Match] = (),
          start: date | None = None) -> Matching:
    """Match one account's entries and lines; both lists in the ledger's order (date, file order).

    With `start`: `kept` are the decisions of the records dated before `start` (their indices
    into these lists; members not loaded left out), and only records dated from `start` on are
    decided here. The lists must hold every record dated `match_days` or more before `start`."""
    matches: list[Match] = []
    e_of = [-1] * len(entries)
    l_of = [-1] * len(lines)
    e_day, l_day = _ordinals([e.entry_date for e in entries]), _ordinals([ln.booking_date for ln in lines])
    first = start.toordinal() if start is not None else None

    replayed: set[int] = set()

    def replay(how: str) -> None:
        for mt in kept:
            if mt.how == how:
                replayed.add(len(matches))
                _add(matches, e_of, l_of, mt.entries, mt.lines, mt.how, mt.days_apart, mt.reason, mt.cleared)

    replay("one")

    # One to one. Lines of each amount, in the ledger's order (so by date): a window is a slice.
    # Only the amounts of the entries decided here are ever looked up.
    amounts = {e.amount_fen for e, day in zip(entries, e_day, strict=True) if first is None or day >= first}
    amounts.discard(0)
    by_amount: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for j in [j for j, ln in enumerate(lines) if ln.amount_fen in amounts]:
        by_amount[lines[j].amount_fen].append((l_day[j], j))
    for i, e in enumerate(entries):
        if first is not None and e_day[i] < first:
            continue  # decided before start: replayed
        cands = by_amount.get(e.amount_fen) if e.amount_fen else None
        if not cands:
            continue
        d = e_day[i]
        k = bisect_left(cands, (d - match_days,))
        n, count, best_dist = len(cands), 0, -1
        best: list[int] = []
        while k < n and cands[k][0] <= d + match_days:
            day, j = cands[k]
            k += 1
            if l_of[j] >= 0:
                continue
            count += 1
            dist = abs(day - d)
            if best_dist < 0 or dist < best_dist:
                best_dist, best = dist, [j]
            elif dist == best_dist:
                best.append(j)  # in the ledger's order: the earlier day first
        if not best:
            continue
        if len(best) == 1:
            j, reason = best[0], "only" if count == 1 else "nearest"
        else:  # a tie on distance: the counterparty the entry names, then file order
            same = [x for x in best if same_party(e, lines[x])]
            j, reason = (same[0], "counterparty") if len(same) == 1 else ((same or best)[0], "order")
        _add(matches, e_of, l_of, (i,), (j,), "one", best_dist, reason, max(e.entry_date, lines[j].booking_date))

    offsets = _offsets(match_days)
    replay("lines")
    # One entry against all the unmatched lines of one day and sign. A day's groups are gathered
    # when an entry first asks for one of them (`_day_groups`): until then no line of that day and
    # sign has been matched in this pass (only a group asked for is matched, whole), so it is the
    # group the lines left unmatched by the first pass make; a group matched stays empty.
    groups: dict[tuple[int, bool], tuple[list[int], int]] = {}
    for i, e in enumerate(entries):
        if e_of[i] >= 0 or not e.amount_fen or (first is not None and e_day[i] < first):
            continue
        for off in offsets:
            day_sign = (e_day[i] + off, e.amount_fen > 0)
            got = groups.get(day_sign)
            if got is None:  # the day's two groups, by sign; the other one's only if not asked yet
                for key, group in zip(((day_sign[0], True), (day_sign[0], False)),
                                      _day_groups(lines, l_day, l_of, day_sign[0]), strict=True):
                    groups.setdefault(key, group)
                got = groups[day_sign]
            g, total = got
            if len(g) >= 2 and total == e.amount_fen:
                cleared = max(e.entry_date, lines[g[0]].booking_date)
                _add(matches, e_of, l_of, (i,), tuple(g), "lines", abs(off), "sum", cleared)
                groups[day_sign] = ([], 0)
                break
    replay("entries")
    # One line against all the unmatched entries of one day and sign. Only a group of two entries
    # or more can match, so only the lines of the days within match_days of one are looked at, in
    # the ledger's order still.
    egroups: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        if e_of[i] < 0 and e.amount_fen:
            egroups[(e_day[i], e.amount_fen > 0)].append(i)
    esums = {k: sum(entries[i].amount_fen for i in g) for k, g in egroups.items()}
    near = sorted({day + off for (day, _), g in egroups.items() if len(g) >= 2 for off in offsets})
    for near_day in near:
        for j in range(bisect_left(l_day, near_day), bisect_right(l_day, near_day)):
            ln = lines[j]
            if l_of[j] >= 0 or not ln.amount_fen or (first is not None and l_day[j] < first):
                continue
            for off in offsets:
                day_sign = (l_day[j] + off, ln.amount_fen > 0)
                eg = egroups.get(day_sign)
                if eg and len(eg) >= 2 and esums[day_sign] == ln.amount_fen:
                    cleared = max(ln.booking_date, entries[eg[0]].entry_date)
                    _add(matches, e_of, l_of, tuple(eg), (j,), "entries", abs(off), "sum", cleared)
                    del egroups[day_sign]
                    break
    return Matching(matches, e_of, l_of, [k for k in range(len(matches)) if k not in replayed])


def _day_groups(lines: list[Line], l_day: list[int], l_of: list[int], day: int
                ) -> tuple[tuple[list[int], int], tuple[list[int], int]]:
    """The lines of one day (an ordinal) not matched yet, money in and money out, each in the
    ledger's order with its sum."""
    plus: list[int] = []
    minus: list[int] = []
    plus_sum = minus_sum = 0
    for j in range(bisect_left(l_day, day), bisect_right(l_day, day)):
        if l_of[j] < 0:
            amount = lines[j].amount_fen
            if amount > 0:
                plus.append(j)
                plus_sum += amount
            elif amount < 0:
                minus.append(j)
                minus_sum += amount
    return (plus, plus_sum), (minus, minus_sum)


def _ordinals(days: list[date]) -> list[int]:
    """Each day's ordinal, worked out once per distinct day (records share their days)."""
    of = {d: d.toordinal() for d in set(days)}
    return list(map(of.__getitem__, days))


def _add(matches: list[Match], e_of: list[int], l_of: list[int], es: tuple[int, ...], ls: tuple[int, ...],
         how: str, days: int, reason: str, cleared: date) -> None:
    n = len(matches)
    matches.append(Match(es, ls, how, days, reason, cleared))
    for i in es:
        e_of[i] = n
    for j in ls:
        l_of[j] = n
