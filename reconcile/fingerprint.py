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

Each is the SHA-1 of its parts' `str()` joined by U+001F, the occurrence last. The stored values
identify lines across re-exports, so they never change: `identities` builds the same text in one
f-string per line (an int's and None's format are their `str()`; each date's `str()` once) with one account
normalisation for both (none for an account of letters and digits only: nothing to drop), not a `str()` call per part
(tests/unit/test_fingerprint.py compares it with the joined form); the two digests are taken inline,
not through a helper's call a digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from reconcile.accounts import normalize_number
from reconcile.model import Line, RefStrength, Statement

_SEP = "\x1f"
_STRONG = RefStrength.STRONG


def identities(lines: Sequence[Line], *, intraday: bool = False) -> tuple[list[str], list[str]]:
    """Each line's fingerprint and its match key (in the lines' order)."""
    space = "I" if intraday else "B"
    seen_fp: dict[object, int] = {}
    seen_mk: dict[str, int] = {}
    fps: list[str] = []
    keys: list[str] = []
    days: dict[object, str] = {}  # a statement's lines share a few dates: each one's str() once
    sha1 = hashlib.sha1
    for ln in lines:
        counterparty = ln.counterparty_account
        if not counterparty.isalnum():  # a letter or digit is never a space, hyphen or quote
            counterparty = normalize_number(counterparty)
        day = days.get(ln.booking_date)
        if day is None:
            day = days[ln.booking_date] = str(ln.booking_date)
        if ln.ref_strength is _STRONG and ln.bank_ref:
            key = f"{space}\x1fS\x1f{ln.bank_ref}\x1f{day}\x1f{ln.amount_fen}\x1f"
        else:
            key = (f"{space}\x1fN\x1f{day}\x1f{ln.amount_fen}\x1f{counterparty}\x1f"
                   f"{ln.counterparty_name.strip()}\x1f{ln.text.strip()}\x1f{ln.remark.strip()}\x1f"
                   f"{ln.balance_fen}\x1f{ln.bank_ref}\x1f")
        # Occurrences are counted per line's parts, as the joined form did: a text that holds the
        # separator itself could make two lines' parts join alike, so those count by their parts.
        count: object = key if key.count(_SEP) == (5 if key[2] == "S" else 10) else _parts(ln, space, counterparty)
        occurrence = seen_fp.get(count, 0)
        seen_fp[count] = occurrence + 1
        fps.append(sha1(f"{key}{occurrence}".encode(), usedforsecurity=False).hexdigest())
        mk = f"{day}\x1f{ln.amount_fen}\x1f{counterparty}\x1f"
        occurrence = seen_mk.get(mk, 0)
        seen_mk[mk] = occurrence + 1
        keys.append(sha1(f"{mk}{occurrence}".encode(), usedforsecurity=False).hexdigest())
    return fps, keys


def statement_identities(st: Statement, booked: tuple[Line, ...]) -> tuple[list[str], list[str]]:
    """`identities` of a statement's booked lines (`booked`, its `st.booked`): those its reader made
    when they are of these very lines and namespace (`Statement.identities`), else made here."""
    known = st.identities
    if known is not None and known.lines is booked and known.intraday == st.intraday:
        return known.fingerprints, known.match_keys
    return identities(booked, intraday=st.intraday)


def _parts(ln: Line, space: str, counterparty: str) -> tuple[object, ...]:
    if ln.ref_strength is _STRONG and ln.bank_ref:
        return (space, "S", ln.bank_ref, ln.booking_date, ln.amount_fen)
    return (space, "N", ln.booking_date, ln.amount_fen, counterparty, ln.counterparty_name.strip(), ln.text.strip(),
            ln.remark.strip(), ln.balance_fen, ln.bank_ref)


def fingerprints(lines: Iterable[Line], *, intraday: bool = False) -> list[str]:
    return identities(list(lines), intraday=intraday)[0]


def match_keys(lines: Iterable[Line]) -> list[str]:
    return identities(list(lines))[1]
