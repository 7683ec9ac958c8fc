"""The matcher's three passes look only where a match can be (reconcile.book.match: the amounts
the entries have, a day's group of lines gathered when an entry asks for it, the lines near a day
of two entries or more): the matches must be those of the passes run over every record, as
docs/DOMAIN.md states them (`_reference`, the code before), from the beginning and on a resume."""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from reconcile.book.match import Matching, _add, _offsets, _ordinals, match, same_party
from reconcile.book.records import JournalEntry, Match
from reconcile.book.run import _indexed, decided_on, kept_match
from reconcile.model import Line
from tests.book.helpers import entry, line

FIRST = date(2008, 1, 1)


def _records(rng: random.Random) -> tuple[list[JournalEntry], list[Line]]:
    """Two months of entries and lines: pairs a few days apart, one side only, a day's lines summing
    to an entry and the reverse, several such days near each other, repeated amounts, zeros."""
    entries, lines = [], []
    amounts = [rng.choice([1, -1]) * rng.randint(1, 9) * 100 for _ in range(6)]
    for _ in range(rng.randint(10, 90)):
        day = FIRST + timedelta(days=rng.randint(0, 50))
        fen = rng.choice(amounts) if rng.random() < 0.5 else rng.choice([1, -1]) * rng.randint(0, 999)
        other = (day + timedelta(days=rng.randint(-6, 6))).isoformat()
        party = rng.choice(["", "某某中学", "盘县某某煤矿"])
        kind = rng.random()
        if kind < 0.4:
            entries.append(entry(day.isoformat(), fen, party=party))
            lines.append(line(other, fen, party=rng.choice([party, ""])))
        elif kind < 0.5:
            entries.append(entry(day.isoformat(), fen))
        elif kind < 0.65:
            lines.append(line(day.isoformat(), fen))
        elif kind < 0.85:
            n = rng.randint(2, 4)
            entries.append(entry(day.isoformat(), n * fen))
            lines += [line(other, fen) for _ in range(n)]
        else:
            n = rng.randint(2, 4)
            lines.append(line(day.isoformat(), n * fen))
            entries += [entry(other, fen) for _ in range(n)]
    entries.sort(key=lambda e: (e.entry_date, e.id))
    lines.sort(key=lambda ln: (ln.booking_date, ln.id))
    return entries, lines


def _same(got: Matching, want: Matching) -> None:
    assert got.matches == want.matches
    assert (got.entry_match, got.line_match, got.decided) == (want.entry_match, want.line_match, want.decided)


@pytest.mark.parametrize("seed", range(150))
def test_the_passes_match_as_over_every_record(seed: int) -> None:
    rng = random.Random(seed)
    entries, lines = _records(rng)
    days = rng.choice([1, 3, 5])
    want = _reference(entries, lines, days)
    _same(match(entries, lines, days), want)
    # a resume: the decisions before `start` kept, the records loaded from `days` before it
    start = FIRST + timedelta(days=rng.randint(5, 45))
    first = start - timedelta(days=days)
    kept = [kept_match(mt, entries, lines) for mt in want.matches if decided_on(mt, entries, lines) < start]
    es = [e for e in entries if e.entry_date >= first]
    ls = [ln for ln in lines if ln.booking_date >= first]
    indexed = _indexed(kept, es, ls)
    _same(match(es, ls, days, indexed, start), _reference(es, ls, days, indexed, start))


def _reference(entries: list[JournalEntry], lines: list[Line], match_days: int, kept: Sequence[Match] = (),
          start: date | None = None) -> Matching:
    """The three passes as docs/DOMAIN.md states them, every record visited (the code before
    the passes looked only where a match can be)."""
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
    by_amount: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for j, (ln, day) in enumerate(zip(lines, l_day, strict=True)):
        if ln.amount_fen:
            by_amount[ln.amount_fen].append((day, j))
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
    # One entry against all the unmatched lines of one day and sign.
    groups: dict[tuple[int, bool], list[int]] = defaultdict(list)
    sums: dict[tuple[int, bool], int] = defaultdict(int)
    for j, ln in enumerate(lines):
        amount = ln.amount_fen
        if amount and l_of[j] < 0:
            key = (l_day[j], amount > 0)
            groups[key].append(j)
            sums[key] += amount
    for i, e in enumerate(entries):
        if e_of[i] >= 0 or not e.amount_fen or (first is not None and e_day[i] < first):
            continue
        for off in offsets:
            day_sign = (e_day[i] + off, e.amount_fen > 0)
            g = groups.get(day_sign)
            if g and len(g) >= 2 and sums[day_sign] == e.amount_fen:
                cleared = max(e.entry_date, lines[g[0]].booking_date)
                _add(matches, e_of, l_of, (i,), tuple(g), "lines", abs(off), "sum", cleared)
                del groups[day_sign]
                break
    replay("entries")
    # One line against all the unmatched entries of one day and sign.
    egroups: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for i, e in enumerate(entries):
        if e_of[i] < 0 and e.amount_fen:
            egroups[(e_day[i], e.amount_fen > 0)].append(i)
    esums = {k: sum(entries[i].amount_fen for i in g) for k, g in egroups.items()}
    for j, ln in enumerate(lines):
        if l_of[j] >= 0 or not ln.amount_fen or (first is not None and l_day[j] < first):
            continue
        for off in offsets:
            day_sign = (l_day[j] + off, ln.amount_fen > 0)
            g = egroups.get(day_sign)
            if g and len(g) >= 2 and esums[day_sign] == ln.amount_fen:
                cleared = max(ln.booking_date, entries[g[0]].entry_date)
                _add(matches, e_of, l_of, tuple(g), (j,), "entries", abs(off), "sum", cleared)
                del egroups[day_sign]
                break
    return Matching(matches, e_of, l_of, [k for k in range(len(matches)) if k not in replayed])
