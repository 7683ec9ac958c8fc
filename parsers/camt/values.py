"""Leaf values of a camt document: amounts, dates, texts and account identifications.

Every amount goes through `reconcile.money.to_fen`; this module only checks first that the text
has no comma, because `to_fen` also accepts thousands separators ("5,00" would otherwise read as
500 yuan from a non-conformant file), and that the amount is not negative (CdtDbtInd signs it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from parsers.camt.schema import Tags
from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.money import to_fen


def text(el: Any) -> str:
    """The stripped text of an element, or "" when it is absent or empty."""
    if el is None:
        return ""
    t = el.text
    return t.strip() if t else ""


class Values:
    """Converts leaf elements, with a cache of dates (a statement has few distinct dates, and one
    shared `date` object per day keeps a million lines small)."""

    def __init__(self) -> None:
        self._dates: dict[str, date] = {}
        self._fen: dict[str, int] = {}  # payrolls repeat amounts; bounded below
        self._long: set[str] = set()  # amount texts with zeros beyond the fen ('18.150'), as read
        self.notes = Departures()  # the open statement's departures (the reader points it there)

    def day(self, raw: str, where: str) -> date:
        """ISODate or ISODateTime text -> the date as written (a DtTm's own local date)."""
        d = self._dates.get(raw)
        if d is not None:
            return d
        key = raw.strip()[:10]
        d = self._dates.get(key)
        if d is None:
            try:
                d = date.fromisoformat(key)
            except ValueError:
                raise ParseError(key="camt.date", values={"found": raw.strip()}, where=where) from None
            self._dates[key] = d
        if len(raw) == 10:  # DtTm texts are nearly all distinct: caching them would only grow
            self._dates[raw] = d
        return d

    def date_choice(self, el: Any, t: Tags, source: str, name: str) -> date | None:
        """A DateAndDateTimeChoice (BookgDt, ValDt, Bal/Dt): <Dt> or <DtTm>; the date is taken.
        `source`/`name` say where, for a message (built only when one is needed)."""
        if el is None:
            return None
        for ch in el:  # comments are removed at parse time: every child is an element
            tag = ch.tag
            if tag == t.Dt or tag == t.DtTm:
                raw = ch.text or ""
                d = self._dates.get(raw)
                return d if d is not None else self.day(raw, f"{source}/{name}/{tag[len(t.prefix) :]}")
        return None

    def fen(self, el: Any, where: str) -> int:
        """A non-negative ActiveOrHistoricCurrencyAndAmount as fen; the sign is CdtDbtInd's job.
        Results of `to_fen` are remembered per text (it stays the one converter)."""
        raw = el.text or ""
        fen = self._fen.get(raw)
        if fen is not None:
            if raw in self._long:
                self.notes.note("camt.extra_decimals", where)
            return fen
        # xs:decimal has no grouping: refuse a comma before to_fen would read it as thousands
        fen = to_fen(raw, where=where) if "," not in raw else -1
        if fen < 0:
            raise ParseError(key="camt.amount", values={"found": raw.strip()}, where=where)
        if len(self._fen) >= 65536:
            self._fen.clear()
            self._long.clear()
        self._fen[raw] = fen
        point = raw.find(".")
        if point >= 0 and len(raw.rstrip()) - point > 3:
            # '18.150': digits the currency does not have (ISO 4217); only zeros, or to_fen refused it
            self._long.add(raw)
            self.notes.note("camt.extra_decimals", where)
        return fen

    @staticmethod
    def sign(el: Any, where: str) -> int:
        """CdtDbtInd: CRDT is money in (+1), DBIT money out (-1)."""
        v = text(el)
        if v == "CRDT":
            return 1
        if v == "DBIT":
            return -1
        raise ParseError(key="camt.sign", values={"found": v}, where=where)


def account_id(acct: Any, t: Tags) -> str:
    """CashAccount/Id: the IBAN, else Othr/Id (e.g. a Chinese account number), else the V01
    PrtryAcct/Id. A walk over the children: lxml's find() with a path costs several times more."""
    if acct is None:
        return ""
    for idc in acct:
        if idc.tag != t.Id:
            continue
        for ch in idc:
            tag = ch.tag
            if tag == t.IBAN:
                return text(ch)
            if tag == t.Othr or tag == t.PrtryAcct:
                for o in ch:
                    if o.tag == t.Id:
                        return text(o)
        return ""
    return ""


def party_name(party: Any, t: Tags) -> str:
    """A party's name: <Nm> directly (up to v07), or <Pty><Nm> (Party40Choice, v08 and later)."""
    if party is None:
        return ""
    for ch in party:
        tag = ch.tag
        if tag == t.Nm:
            return text(ch)
        if tag == t.Pty:
            for p in ch:
                if p.tag == t.Nm:
                    return text(p)
    return ""
