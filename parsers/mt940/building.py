"""Statements and lines being read, and how they become the core's `Statement` and `Line`.

The reader (`reader`) checks the SWIFT field order and fills an `OpenStatement`; this module turns
a :61: statement line and the :86: details after it into one `Line`, and a finished statement
into a `Statement`. Kept apart so the reader stays the SWIFT grammar and this the mapping.
"""

from __future__ import annotations

import re
from datetime import date

from parsers.mt940 import details, fields
from reconcile.departures import Departures
from reconcile.model import PERIOD_FROM, Line, RefStrength, Statement

_IBAN = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_STRONG, _WEAK, _NONE = RefStrength.STRONG, RefStrength.WEAK, RefStrength.NONE

# Where a statement stands, and what SWIFT lets come next (for error messages).
HEAD, AFTER20, AFTER25, AFTER28, AFTER34, BODY, CLOSED = range(7)
# What each state expects next: the suffix of its refusal `parse.mt940.unexpected.<name>` (a 942's body: body942).
EXPECTED = {HEAD: "head", AFTER20: "after20", AFTER25: "after25", AFTER28: "after28", AFTER34: "after34",
            BODY: "body", CLOSED: "closed"}


class OpenStatement:
    """A statement being read: its fields so far and the :61: line waiting for its :86:."""

    __slots__ = (
        "account", "closing", "currency", "extra", "info", "kind", "lines",
        "notes", "opening", "pending", "pending86", "start", "state",
    )  # fmt: skip

    def __init__(self, start: int, kind: str) -> None:
        self.start = start
        self.kind = kind  # "940" or "942"
        self.state = AFTER20
        self.account = ""
        self.currency = ""
        self.opening: fields.Balance | None = None
        self.closing: fields.Balance | None = None
        self.lines: list[Line] = []
        self.pending: tuple[str, fields.Entry, str] | None = None  # :61: awaiting its :86:
        self.pending86: str | None = None  # text of the :86: field(s) after the pending :61:
        self.info: list[str] = []
        self.extra: dict[str, str] = {"message": kind}
        self.notes = Departures()  # how this statement departs from SWIFT's rules

    def complete(self) -> bool:
        if self.kind == "942":
            return self.state in (BODY, CLOSED)
        return self.state == CLOSED


def flush_line(cur: OpenStatement) -> None:
    """Turn the pending :61: and its :86: into a `Line`."""
    if cur.pending is None:
        return
    src, (vd, bd, fen, reversal, type_code, cust, bank, inline), more = cur.pending
    cur.pending = None
    supplementary = inline
    if more:
        tail = " ".join(s.strip() for s in more.split("\n") if s.strip())
        supplementary = f"{inline} {tail}".strip() if inline else tail
    lines86 = cur.pending86
    if lines86 is not None:
        text, remark, name, account, e2e, structured = details.decode(lines86)
        cur.pending86 = None
    else:
        text, remark, name, account, e2e, structured = supplementary, "", "", "", "", False
    if not structured:
        if _IBAN.fullmatch(cust):
            # Dutch banks (ASN, SNS) put the counterparty IBAN where the customer reference
            # goes and the counterparty's name in the supplementary details.
            account = account or cust
            name = name or supplementary
        elif inline:
            name = name or inline  # Rabobank: the name after the padded 16x reference
    if bank and bank != "NONREF" and bank.upper() != "NONREF":
        ref, strength = bank, _STRONG
    elif cust and cust.upper() != "NONREF":
        ref, strength = cust, _WEAK
    else:
        ref, strength = "", _NONE
    cur.lines.append(
        Line(
            booking_date=bd,
            amount_fen=fen,
            value_date=vd,
            counterparty_account=account,
            counterparty_name=name,
            text=text,
            remark=remark,
            bank_ref=ref,
            ref_strength=strength,
            source=src,
            reversal=reversal,
            type_code=type_code,
            end_to_end_id=e2e,
        )
    )


def finish(cur: OpenStatement) -> Statement:
    """The finished statement."""
    flush_line(cur)
    if cur.info:
        cur.extra["info"] = "\n".join(cur.info)
    start: date | None = cur.opening.day if cur.opening else None
    end: date | None = cur.closing.day if cur.closing else None
    cur.extra[PERIOD_FROM] = "balances"  # MT940 declares no period: its balances' dates are taken
    return Statement(
        account=cur.account,
        currency=cur.currency,
        period_start=start,
        period_end=end,
        opening_fen=cur.opening.fen if cur.opening else None,
        closing_fen=cur.closing.fen if cur.closing else None,
        lines=tuple(cur.lines),
        format="mt942" if cur.kind == "942" else "mt940",
        intraday=cur.kind == "942",
        source=f"line {cur.start}",
        extra=cur.extra,
        warnings=cur.notes.records(),
    )
