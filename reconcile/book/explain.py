"""Why the 调节表 of one month says what it says (`recon book`): the matches cleared in the month,
with how each was made and what chose it, and for every outstanding item why it is outstanding:
matched with a record dated after the month end (`later`), nothing of its amount on the other side
within the window (`none`), or what there was of its amount is matched with other records (`taken`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.book.records import BANK_IN, BANK_OUT, Item, JournalEntry, Match, MonthStatement
from reconcile.book.run import AccountBook
from reconcile.model import Line


@dataclass(frozen=True)
class Why:
    code: str  # later | none | taken
    day: date | None = None  # `later`: when it cleared


@dataclass(frozen=True)
class Explained:
    statement: MonthStatement
    matches: list[tuple[Match, list[JournalEntry], list[Line]]]
    why: dict[tuple[str, str], Why]  # (side, fingerprint) -> why the item is outstanding


def explain(book: AccountBook, month: str, match_days: int) -> Explained | None:
    st = next((m for m in book.months if m.month == month), None)
    if st is None:
        return None
    start = st.month_end.replace(day=1)
    m = book.matching
    matches = [(mt, [book.entries[i] for i in mt.entries], [book.lines[j] for j in mt.lines])
               for mt in m.matches if start <= mt.cleared <= st.month_end]
    matches.sort(key=lambda x: (x[0].cleared, min(e.entry_date for e in x[1])))
    e_at = {e.fingerprint: i for i, e in enumerate(book.entries)}
    l_at = {ln.fingerprint: j for j, ln in enumerate(book.lines)}
    e_days = sorted((e.amount_fen, e.entry_date) for e in book.entries)
    l_days = sorted((ln.amount_fen, ln.booking_date) for ln in book.lines)
    why: dict[tuple[str, str], Why] = {}
    for it in st.items:
        bank = it.side in (BANK_IN, BANK_OUT)
        k = l_at.get(it.fingerprint) if bank else e_at.get(it.fingerprint)
        own = (m.line_match[k] if bank else m.entry_match[k]) if k is not None else -1
        if own >= 0:
            why[(it.side, it.fingerprint)] = Why("later", m.matches[own].cleared)
            continue
        signed = _signed(it)
        other = e_days if bank else l_days
        lo = bisect_left(other, (signed, it.day - timedelta(days=match_days)))
        hi = bisect_right(other, (signed, it.day + timedelta(days=match_days)))
        why[(it.side, it.fingerprint)] = Why("taken" if hi > lo else "none")
    return Explained(st, matches, why)


def _signed(it: Item) -> int:
    return it.amount_fen if it.side in ("book_in", "bank_in") else -it.amount_fen
