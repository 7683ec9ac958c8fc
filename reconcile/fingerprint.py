"""Line identity: what makes two lines from two files the same booking.

- `fingerprint`: with a strong bank serial, the serial with the date and amount; otherwise (no
  serial, or a weak one such as 凭证号 that repeats) the date, amount, counterparty, texts,
  running balance and weak serial, plus the occurrence number among identical lines, so two
  genuine identical contributions on one day both stay.
- `match_key`: date, amount, counterparty account and occurrence. Two formats of one account (the
  bank's camt and its Excel export, each with its own serial scheme) agree on nothing finer; the
  ingest matches a new statement's lines on it against stored lines of *other* formats.
Intraday lines (camt.052, MT942) live in their own namespace: the end-of-day statement supersedes
them and must not collide with them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from reconcile.accounts import normalize_number
from reconcile.model import Line, RefStrength

_SEP = "\x1f"


def _digest(parts: Iterable[object]) -> str:
    return hashlib.sha1(_SEP.join(map(str, parts)).encode("utf-8"), usedforsecurity=False).hexdigest()


def fingerprints(lines: Iterable[Line], *, intraday: bool = False) -> list[str]:
    space = "I" if intraday else "B"
    seen: Counter[tuple[object, ...]] = Counter()
    out = []
    for ln in lines:
        if ln.ref_strength is RefStrength.STRONG and ln.bank_ref:
            key: tuple[object, ...] = (space, "S", ln.bank_ref, ln.booking_date, ln.amount_fen)
        else:
            key = (
                space, "N", ln.booking_date, ln.amount_fen, normalize_number(ln.counterparty_account),
                ln.counterparty_name.strip(), ln.text.strip(), ln.remark.strip(), ln.balance_fen, ln.bank_ref,
            )
        occurrence = seen[key]
        seen[key] += 1
        out.append(_digest((*key, occurrence)))
    return out


def match_keys(lines: Iterable[Line]) -> list[str]:
    seen: Counter[tuple[object, ...]] = Counter()
    out = []
    for ln in lines:
        key = (ln.booking_date, ln.amount_fen, normalize_number(ln.counterparty_account))
        occurrence = seen[key]
        seen[key] += 1
        out.append(_digest((*key, occurrence)))
    return out
