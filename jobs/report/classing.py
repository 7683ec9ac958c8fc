"""The report's classed lines (fees, interest, returns and refunds of its window) kept account by
account in the report cache (`reports/.cache/classed.json`), so that a night classes again only
the accounts whose kept months changed (issue 18: a night's cost in proportion to its work).

An account's classes depend on its own lines alone (reconcile.engine.classify classes each account
by itself: a return looks at the same account's debits, a refund at what the same party paid into
the same account), as `store.inputs.load_classing` reads them: its kept months from the one
`return_window` working days before the window to the current one, and, when it refunds in the
window, from `refund_lookback_days` before the window. So an account's rows are kept with the
digests of those months (store.classing), and with what else they depend on: the registry and
codes (the kept digest), the rules, the calendar's extra days and its library's version, the
window's first day and the code (every module of `reconcile`, the store's reading of what is kept
and this module). An account kept with other digests, or not kept, is classed as the report
always classed it (reconcile.engine.run.classed_lines over its lines), and kept anew. The file holds
the accounts of the last report only (written again whole when any account changed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import reconcile
import store.classing
import store.inputs
from jobs.report.files import atomic, make_folder
from reconcile.engine.classify import FEE, INTEREST, REFUND, RETURN
from reconcile.engine.condense import Condenser, DayCredits
from reconcile.engine.context import Settings, Snapshot, month_key
from reconcile.engine.run import classed_lines
from reconcile.engine.types import ClassedLine
from reconcile.model import Line
from reconcile.reporting.window import Window
from store.classing import KeptAccount

NAME = "classed.json"
ORDER = {FEE: 0, INTEREST: 1, RETURN: 2, REFUND: 3}  # reconcile.engine.run.classed_lines's order


class Kept(Protocol):
    """The months the last reconcile kept, account by account (store.classing.KeptMonths)."""

    def accounts(self, first: str, until: str, account: str | None = None,
                 before: bool = False) -> Iterator[KeptAccount]: ...


def kept_classes(store: Kept, window: Window, s: Settings, condenser: Condenser, kept: str,
                 cache: Path) -> list[ClassedLine]:
    """The classed lines booked in the window, every account's, in `classed_lines`'s order, from
    the months the last reconcile kept as of the window's end (`store`: store.reporting's
    `classing`) and the classes kept in `cache` (a folder) by their digests."""
    as_of = window.end
    path = cache / NAME
    try:
        old: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        old = {}
    common = _common(window, s, kept)
    before = s.calendar.add_workdays(window.start, -s.rules.return_window)
    base = month_key(before.year, before.month)  # the window's first month or the one before
    back_day = window.start - timedelta(days=s.rules.refund_lookback_days)
    back = month_key(back_day.year, back_day.month)
    last = month_key(as_of.year, as_of.month)
    new: dict[str, Any] = {}
    missed: list[tuple[KeptAccount, KeptAccount | None, str]] = []
    for acct in store.accounts(base, last):
        first = _key(common, acct.account, acct.months)
        entry = old.get(acct.account)
        earlier: KeptAccount | None = None
        if entry is not None and entry["first"] == first and entry["refunds"]:
            earlier = _earlier(store, acct.account, back, base)
            if entry["key"] != _key(first, acct.account, earlier.months):
                entry = None
        if entry is not None and entry["first"] == first:
            new[acct.account] = entry
        else:
            missed.append((acct, earlier, first))
    new.update(_classed(store, missed, window, s, condenser, back, base))
    out = [ClassedLine(cls, account, date.fromisoformat(day), amount, party, words, where, bool(total))
           for account, entry in new.items() for cls, day, amount, party, words, where, total in entry["rows"]]
    if new != old:
        make_folder(cache)
        with atomic(path, text=True) as f:
            f.write(json.dumps(new, ensure_ascii=False, separators=(",", ":")))
    return sorted(out, key=lambda x: (ORDER[x.cls], x.account, x.booking_date, x.where))


def _classed(store: Kept, missed: list[tuple[KeptAccount, KeptAccount | None, str]], window: Window, s: Settings,
             condenser: Condenser, back: str, base: str) -> dict[str, Any]:
    """The accounts' classed lines booked in the window, classed over their lines as
    store.inputs.load_classing reads them (in one snapshot: the classes are each account's own),
    and the keys they are kept by."""
    whole: list[Line] = []
    credits: list[DayCredits] = []
    out: dict[str, Any] = {}
    for acct, earlier, first in missed:
        lines, day_credits = acct.lines()
        refunds = any(ln.booking_date >= window.start and condenser.refund_party(ln) is not None for ln in lines)
        key = first
        if refunds:  # a refund in the window looks back a year at what its party paid
            earlier = earlier or _earlier(store, acct.account, back, base)
            key = _key(first, acct.account, earlier.months)
            w, c = earlier.lines()
            lines, day_credits = w + lines, c + day_credits  # by month, as the whole snapshot's
        whole += lines
        credits += day_credits
        out[acct.account] = {"first": first, "refunds": refunds, "key": key, "rows": []}
    if not out:
        return out
    credits.sort(key=lambda dc: (dc.account, dc.first.booking_date))
    for x in classed_lines(Snapshot(window.end, whole, [], condensed=credits), s):
        if x.booking_date >= window.start:
            out[x.account]["rows"].append([x.cls, x.booking_date.isoformat(), x.amount_fen, x.counterparty, x.text,
                                           x.where, int(x.day_total)])
    return out


def _earlier(store: Kept, account: str, back: str, base: str) -> KeptAccount:
    found = list(store.accounts(back, base, account, before=True))
    return found[0] if found else KeptAccount(account, [], [])


def _key(common: str, account: str, months: Sequence[tuple[str, str]]) -> str:
    return hashlib.sha256(json.dumps([common, account, list(months)]).encode()).hexdigest()[:32]


def _common(window: Window, s: Settings, kept: str) -> str:
    """What every account's classes depend on besides its kept months."""
    cal = s.calendar
    return hashlib.sha256(repr((
        kept, repr(s.rules), sorted(cal.extra_holidays), sorted(cal.extra_workdays), version("chinesecalendar"),
        window.start, _SOURCE)).encode()).hexdigest()


def _sources() -> str:
    files = sorted(Path(reconcile.__file__).parent.rglob("*.py"))
    files += [Path(store.inputs.__file__), Path(store.classing.__file__), Path(__file__)]
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()


_SOURCE = _sources()  # the code the classes come from (a change classes every account again)

__all__ = ["kept_classes"]
