"""Why an item is outstanding, and how each match of the month was made (`recon book`)."""

from __future__ import annotations

from reconcile.book.explain import explain
from tests.book.helpers import entry, line, span, statement
from tests.book.test_statement import book


def test_each_outstanding_item_says_why_and_each_match_says_how() -> None:
    entries = [entry("01-31", -3_000, "记-1"),  # the bank pays it on 1 February: later
               entry("01-15", 700, "记-2"), entry("01-16", 700, "记-3"),  # one line of 700 for two entries: taken
               entry("01-20", 999, "记-4")]  # nothing of 999 on the bank side: none
    lines = [line("02-01", -3_000), line("01-15", 700), line("01-25", -40, text="手续费")]
    b = book(entries, lines, [span("01-01", "02-29", 0)],
             [statement("01-01", "01-31", 0, 660), statement("02-01", "02-29", 660, -2_340)])
    x = explain(b, "2008-01", 5)
    assert x is not None and x.statement.state == "balanced"
    why = {(it.day.isoformat(), it.amount_fen): (w.code, w.day) for it in x.statement.items
           if (w := x.why[(it.side, it.fingerprint)])}
    assert why[("2008-01-31", 3_000)][0] == "later" and why[("2008-01-31", 3_000)][1].isoformat() == "2008-02-01"
    assert why[("2008-01-16", 700)] == ("taken", None)
    assert why[("2008-01-20", 999)] == ("none", None)
    assert why[("2008-01-25", 40)] == ("none", None)
    assert [(m.how, m.reason, m.days_apart) for m, _, _ in x.matches] == [("one", "only", 0)]
    assert explain(b, "2008-03", 5) is None
