"""Statement arithmetic: does a statement add up, and does its running balance hold.

Pure functions on one parsed statement. Chaining statements with each other (opening = previous
closing) is decided by `reconcile.coverage` from all stored statements in period order, never at
ingest, so the same files in any order give the same results.
"""

from __future__ import annotations

from reconcile.model import Statement


def lines_sum(st: Statement) -> int:
    return sum(ln.amount_fen for ln in st.booked)


def running_break(st: Statement) -> str:
    """The source of the first booked line whose running balance does not follow from the one
    before it (or from the opening balance), or '' when the running balances hold."""
    previous = st.opening_fen
    for ln in st.booked:
        if ln.balance_fen is None:
            previous = None
            continue
        if previous is not None and previous + ln.amount_fen != ln.balance_fen:
            return ln.source or "?"
        previous = ln.balance_fen
    return ""
