"""Journal entry identity: what makes two rows of two exports the same entry.

The date, amount, voucher number and 摘要, plus the occurrence among identical rows of one export,
so that a monthly and a quarterly export of one journal hold each entry once, while a cashier's
genuinely repeated entry (the same voucher booked twice) stays twice. Running balances are left
out: an entry backdated into an earlier day changes every later balance, not the later entries.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from reconcile.book.records import JournalEntry

_SEP = "\x1f"


def entry_fingerprints(entries: Iterable[JournalEntry]) -> list[str]:
    seen: Counter[tuple[object, ...]] = Counter()
    out = []
    for e in entries:
        key = ("J", e.entry_date.isoformat(), e.amount_fen, e.voucher.strip(), e.text.strip())
        occurrence = seen[key]
        seen[key] += 1
        raw = _SEP.join(map(str, (*key, occurrence))).encode("utf-8")
        out.append(hashlib.sha1(raw, usedforsecurity=False).hexdigest())
    return out
