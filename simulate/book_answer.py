"""The book side of the answer key: every account-month's 银行存款余额调节表 and the findings
`book_unreconciled` and `stale_outstanding`, derived from what the cashiers did (`simulate.cashiers`)
and what the bank booked, without the engine.

The truth is known here: which bank record each entry books. A pair is matched when its dates are at
most `book.match_days` apart (docs/DOMAIN.md's window); a record with no pair, or a pair farther apart, stays
outstanding. Before deriving anything the key checks that docs/DOMAIN.md's matching rule cannot choose
otherwise than the truth (no second candidate of the same amount within the window, no day's sum that
an unpaired record could take); a world where it could is a simulator bug and stops the run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.calendar import WorkCalendar
from simulate.cashiers import Cashier, Cashiers
from simulate.world import World, month_end, ym_str

_SPAN = re.compile(r"_(\d{8})-(\d{8})")


@dataclass
class Rec:
    side: str  # book_in | book_out | bank_in | bank_out
    day: date
    amount: int  # signed
    cleared: date | None
    fault: str
    via: str = ""  # one | group | split: how its match was made


def _truth(c: Cashier, k: int) -> list[Rec]:
    """Every record that is ever outstanding: entries and one-by-one bank lines, with the day their
    match clears them (None: never). The day groups (contributions, payrolls) clear on their day."""
    cleared_rec: dict[int, tuple[date, str]] = {}
    out: list[Rec] = []
    for e in c.entries:
        cleared, via = None, ""
        if e.link == -2:
            cleared, via = e.day, "group"
        elif e.link >= 0:
            r = c.recs[e.link]
            if abs((e.day - r.day).days) <= k:
                cleared, via = max(e.day, r.day), "split" if e.fault == "split_voucher" else "one"
                cleared_rec[e.link] = (cleared, via)
        out.append(Rec("book_in" if e.amount > 0 else "book_out", e.day, e.amount, cleared, e.fault, via))
    for i, r in enumerate(c.recs):
        cleared, via = cleared_rec.get(i, (None, ""))
        out.append(Rec("bank_in" if r.amount > 0 else "bank_out", r.day, r.amount, cleared, r.fault, via))
    return out


def _check(c: Cashier, recs: list[Rec], k: int) -> None:
    """docs/DOMAIN.md's rule must not find another pairing than the truth (see the module docstring).

    One to one, per amount: entries in file order each take the nearest unpaired bank line of that
    amount within k days (the same counterparty, then the earlier day, on a tie); the line taken must
    be the true one or one indistinguishable from it (same day). Then the day sums: no unpaired bank
    line may join a day's total, and no unpaired record may equal the sum of a day on the other side.
    """
    where = c.acct.number
    party_known = not c.layout.header or any(h in c.layout.header for h in ("对方单位", "对方科目"))
    amounts = {e.amount for e in c.entries}
    lines: dict[int, list[tuple[date, str, tuple[str, object]]]] = defaultdict(list)
    for i, b in enumerate(c.recs):
        if b.amount in amounts:
            lines[b.amount].append((b.day, b.party, ("rec", i)))
    for (day, _credit), group in c.groups.items():
        for a in group:
            if a in amounts:
                lines[a].append((day, "", ("group", day)))
    taken: set[tuple[str, object]] = set()
    for e in c.entries:
        options = [x for x in lines.get(e.amount, []) if x[2] not in taken and abs((x[0] - e.day).days) <= k]
        if e.link >= 0 and abs((c.recs[e.link].day - e.day).days) <= k and c.recs[e.link].amount == e.amount:
            truth: tuple[date, tuple[str, object]] | None = (c.recs[e.link].day, ("rec", e.link))
        elif e.link == -2 and len(c.groups[(e.day, e.amount > 0)]) == 1:
            truth = (e.day, ("group", e.day))
        else:
            truth = None
        if not options:
            if truth is not None:
                raise AssertionError(f"{where}: the entry of {e.amount} on {e.day} finds no line")
            continue
        party = e.party if party_known else ""
        chosen = min(options, key=lambda x: _rank(x, e.day, party))
        if truth is None or (chosen[2] != truth[1] and chosen[0] != truth[0]):
            raise AssertionError(f"{where}: docs/DOMAIN.md's rule would match the entry of {e.amount} on {e.day} "
                                 f"with the line of {chosen[0]}, not the true one")
        taken.add(chosen[2])
    _check_sums(c, recs, k)


def _rank(x: tuple[date, str, tuple[str, object]], day: date, party: str) -> tuple[int, int, date]:
    """docs/DOMAIN.md's order among candidates: nearer, then the counterparty the entry names, then earlier."""
    same = bool(x[1]) and bool(party) and (x[1] in party or party in x[1])
    return abs((x[0] - day).days), 0 if same else 1, x[0]


def _check_sums(c: Cashier, recs: list[Rec], k: int) -> None:
    where = c.acct.number
    # Unpaired when the day sums are tried: what one to one left (a split voucher's parts and line too).
    open_bank = [r for r in recs if r.side.startswith("bank") and (r.cleared is None or r.via == "split")]
    open_book = [r for r in recs if r.side.startswith("book") and (r.cleared is None or r.via == "split")]
    bank_days: dict[tuple[date, bool], list[int]] = defaultdict(list)
    for r in open_bank:
        bank_days[(r.day, r.amount > 0)].append(r.amount)
    for key in c.groups:
        if key in bank_days:
            raise AssertionError(f"{where}: an unpaired bank line on {key[0]} would join the day's total")
    book_days: dict[tuple[date, bool], list[int]] = defaultdict(list)
    for r in open_book:
        book_days[(r.day, r.amount > 0)].append(r.amount)
    sums = {key: sum(a) for key, a in c.groups.items() if len(a) >= 2}
    sums |= {key: sum(a) for key, a in bank_days.items() if len(a) >= 2}
    for r in open_book:
        for off in range(-k, k + 1):
            if sums.get((r.day + timedelta(days=off), r.amount > 0)) == r.amount:
                raise AssertionError(f"{where}: the entry of {r.amount} on {r.day} equals a day's bank lines")
    for r in open_bank:
        split = r.via == "split"
        for off in range(-k, k + 1):
            got = book_days.get((r.day + timedelta(days=off), r.amount > 0), [])
            hit = len(got) >= 2 and sum(got) == r.amount
            if hit != (split and off == 0):
                raise AssertionError(f"{where}: the line of {r.amount} on {r.day} and the day's entries "
                                     f"{r.day + timedelta(days=off)} disagree with the truth")
            if split:
                break


def _covered(spans: list[tuple[date, date]], cal: WorkCalendar) -> Callable[[date], bool]:
    days: set[date] = set()
    for s, e in spans:
        d = s
        while d <= e:
            days.add(d)
            d += timedelta(days=1)
    first = min(days) if days else None

    def covers(d: date) -> bool:
        if first is None or d < first:
            return False
        while d not in days:
            if cal.is_workday(d) or d <= first:
                return False
            d -= timedelta(days=1)
        return True
    return covers


@dataclass
class BookKey:
    months: list[dict[str, object]]  # every account-month's statement
    findings: list[dict[str, object]]
    no_finding: list[dict[str, object]]  # faults placed that make no finding (yet), and what to check


def build(cashiers: Cashiers, world: World, written: dict[str, list[str]], shifted: dict[str, tuple[date, int]],
          match_days: int, stale_days: int) -> BookKey:
    """The book side of the key at the last simulated day."""
    as_of = world.as_of
    months: list[dict[str, object]] = []
    findings: list[dict[str, object]] = []
    quiet: list[dict[str, object]] = list(cashiers.no_finding)
    for number, c in sorted(cashiers.by_account.items()):
        recs = _truth(c, match_days)
        _check(c, recs, match_days)
        spans = []
        for name in written.get(number, []):
            m = _SPAN.search(name)
            if m and not name.startswith("camt052"):
                spans.append((date.fromisoformat(_iso(m.group(1))), date.fromisoformat(_iso(m.group(2)))))
        bank_covers = _covered(spans, world.cal)
        book_covers = _covered([(world.start, as_of)], world.cal)
        shift = shifted.get(number)
        opening = (c.opening or 0) + c.opening_error

        for ym in world.months:
            x = month_end(ym)
            row: dict[str, object] = {"account": number, "month": ym_str(ym)}
            if not bank_covers(x):
                months.append({**row, "state": "no_statement"})
                continue
            bank = c.closing[ym] + (shift[1] if shift and shift[0] <= x else 0)
            book = opening + sum(e.amount for e in c.entries if e.day <= x)
            its = _items_at(recs, x, bank_covers, book_covers)
            sums = {s: sum(abs(r.amount) for r in its if r.side == s) for s in ("book_in", "book_out", "bank_in",
                                                                                  "bank_out")}
            adjusted_bank = bank + sums["book_in"] - sums["book_out"]
            adjusted_book = book + sums["bank_in"] - sums["bank_out"]
            diff = adjusted_bank - adjusted_book
            months.append({**row, "state": "difference" if diff else "balanced", "bank_balance_fen": bank,
                           "book_balance_fen": book, **{f"{s}_fen": v for s, v in sums.items()},
                           "adjusted_bank_fen": adjusted_bank, "adjusted_book_fen": adjusted_book,
                           "difference_fen": diff,
                           "items": sorted([r.side, r.day.isoformat(), abs(r.amount)] for r in its)})
            if diff:
                fault = "balance_break" if shift and shift[0] <= x else "journal_opening"
                if fault == "journal_opening" and not c.opening_error:
                    raise AssertionError(f"{number} {ym}: the clean books do not reconcile ({diff} fen)")
                findings.append(_finding("book_unreconciled", c, ym_str(ym), diff, fault))
        stale: set[tuple[str, date]] = set()
        for r in _items_at(recs, as_of, bank_covers, book_covers):
            if (as_of - r.day).days > stale_days:
                if not r.fault:
                    raise AssertionError(f"{number}: a clean item of {r.day} is outstanding at {as_of}")
                findings.append(_finding("stale_outstanding", c, ym_str((r.day.year, r.day.month)), abs(r.amount),
                                         r.fault))
                stale.add((r.fault, r.day))
        for r in recs:
            if r.fault and (r.fault, r.day) not in stale and r.fault != "journal_opening":
                check = (f"cleared on {r.cleared}: outstanding at no later month end" if r.cleared else
                         f"outstanding at {as_of}, not stale yet ({(as_of - r.day).days} days, stale after "
                         f"{stale_days})")
                quiet.append({"fault": r.fault, "account": number, "side": r.side, "date": r.day.isoformat(),
                              "amount_fen": abs(r.amount), "check": check})
    return BookKey(months, findings, quiet)


def _items_at(recs: list[Rec], x: date, bank_covers: Callable[[date], bool],
              book_covers: Callable[[date], bool]) -> list[Rec]:
    """Outstanding at x: dated on or before x, not cleared by x, on a day the other side covers."""
    return [r for r in recs if r.amount and r.day <= x and (r.cleared is None or r.cleared > x)
            and (bank_covers(r.day) if r.side.startswith("book") else book_covers(r.day))]


def _iso(s: str) -> str:
    return f"{s[:4]}-{s[4:6]}-{s[6:]}"


def _finding(kind: str, c: Cashier, period: str, amount: int, fault: str) -> dict[str, object]:
    a = c.acct
    return {"kind": kind, "rule": None, "entity": a.entity, "fund": a.fund, "account": a.number, "period": period,
            "amount_fen": amount, "days_late": None, "fault": fault}
