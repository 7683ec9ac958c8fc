"""One camt `Ntry` (ReportEntry) -> one `Line`; its `TxDtls` are details of that line.

A camt entry is the booking on the account; the TxDtls under NtryDtls are the payments that
make it up (one for a single transfer, thousands for a batch). Reconciliation works on bookings,
so an entry is one line and the details only lend it a counterparty, an end-to-end id and a
remittance text (from the first TxDtls), and their count (`details_count`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import Any

from parsers.camt.schema import Tags
from parsers.camt.values import Values, account_id, party_name, text
from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.model import EntryStatus, Line, RefStrength

# ExternalEntryStatus1Code. FUTR (a booking announced for a later date) is not on the account yet,
# which is what PDNG means to the caller: shown, never stored as booked.
STATUS = {
    "BOOK": EntryStatus.BOOK,
    "PDNG": EntryStatus.PDNG,
    "INFO": EntryStatus.INFO,
    "FUTR": EntryStatus.PDNG,
}
USTRD_MAX = 140  # Max140Text: a longer remittance text is split over several <Ustrd>


@dataclass(slots=True)
class Details:
    """What the first TxDtls of an entry lends to its line."""

    end_to_end_id: str = ""
    dbtr_name: str = ""
    dbtr_account: str = ""
    cdtr_name: str = ""
    cdtr_account: str = ""
    remark: str = ""
    settlement_date: str = ""  # RltdDts/IntrBkSttlmDt: a date for an undated INFO entry


def join_ustrd(parts: list[str]) -> str:
    """Unstructured remittance lines joined into one text.

    A part that fills the whole Max140Text was cut by the sender and continues in the next part,
    so it is joined without a space (Chinese has none to lose); shorter parts are separate items.
    """
    out = ""
    for i, part in enumerate(parts):
        if i and len(parts[i - 1]) < USTRD_MAX:
            out += " "
        out += part
    return out.strip()


def read_details(txd: Any, t: Tags) -> Details:
    """The first TxDtls of an entry, by a walk over its children (no find(): see values.py)."""
    d = Details()
    for ch in txd:
        tag = ch.tag
        if tag == t.Refs:
            for r in ch:
                if r.tag == t.EndToEndId:
                    e2e = text(r)
                    if e2e != "NOTPROVIDED":  # the ISO placeholder for "no reference given"
                        d.end_to_end_id = e2e
        elif tag == t.RltdPties:
            for p in ch:
                ptag = p.tag
                if ptag == t.Dbtr:
                    d.dbtr_name = party_name(p, t)
                elif ptag == t.DbtrAcct:
                    d.dbtr_account = account_id(p, t)
                elif ptag == t.Cdtr:
                    d.cdtr_name = party_name(p, t)
                elif ptag == t.CdtrAcct:
                    d.cdtr_account = account_id(p, t)
        elif tag == t.RmtInf:
            d.remark = _remittance(ch, t)
        elif tag == t.RltdDts:
            for r in ch:
                if r.tag == t.IntrBkSttlmDt:
                    d.settlement_date = text(r)
    return d


def _remittance(rmt: Any, t: Tags) -> str:
    """RmtInf: the Ustrd lines joined, then any Strd/CdtrRefInf/Ref (e.g. an RF creditor reference)."""
    ustrd: list[str] = []
    refs: list[str] = []
    for ch in rmt:
        if ch.tag == t.Ustrd:
            ustrd.append(ch.text or "")
        elif ch.tag == t.Strd:
            for s in ch:
                if s.tag == t.CdtrRefInf:
                    refs.extend(text(r) for r in s if r.tag == t.Ref)
    if not refs:
        return join_ustrd(ustrd)
    return " ".join(p for p in (join_ustrd(ustrd), *refs) if p)


def bank_code(bktx: Any, t: Tags) -> tuple[str, str]:
    """BkTxCd -> (type_code, text fallback): Domn "PMNT/RCDT/DMCT" first for the code, the
    bank's own Prtry/Cd first for a text (it is usually the more telling of the two)."""
    if bktx is None:
        return "", ""
    domain = prtry = ""
    for ch in bktx:
        tag = ch.tag
        if tag == t.Domn:
            parts: list[str] = []
            for dc in ch:  # Cd, then Fmly (Cd, SubFmlyCd)
                if dc.tag == t.Fmly:
                    parts.extend(text(f) for f in dc)
                else:
                    parts.append(text(dc))
            domain = "/".join(p for p in parts if p)
        elif tag == t.Prtry:
            for pc in ch:
                if pc.tag == t.Cd:
                    prtry = text(pc)
    return sys.intern(domain or prtry), sys.intern(prtry or domain)


@dataclass(frozen=True)
class Dating:
    """The dates a statement's own message states, for an entry that gives none of its own."""

    fallback: date | None = None  # the statement's date (period end or creation): PDNG/INFO notices
    message: date | None = None  # a date the file states for the whole message (see `stated_date`)
    message_code: str = ""  # the departure it is noted as: "camt.date_from_message" or "..._period"


class EntryReader:
    """Builds the `Line` of one Ntry of one statement."""

    def __init__(self, t: Tags, values: Values, own_account: str, dating: Dating,
                 notes: Departures | None = None) -> None:
        self.t, self.v, self.own, self.dating = t, values, own_account, dating
        self.notes = notes if notes is not None else Departures()

    def line(self, ntry: Any, source: str, details: Details | None, n_details: int) -> Line:
        t, v = self.t, self.v
        amt = cdi = sts = bookg = val = bktx = None
        reversal = False
        acsr = ntry_ref = addtl = ""
        for ch in ntry:  # one pass over the children: several times cheaper than a find() per field
            tag = ch.tag
            if tag == t.Amt:
                amt = ch
            elif tag == t.CdtDbtInd:
                cdi = ch
            elif tag == t.Sts:
                sts = ch
            elif tag == t.BookgDt:
                bookg = ch
            elif tag == t.ValDt:
                val = ch
            elif tag == t.AcctSvcrRef:
                acsr = text(ch)
            elif tag == t.NtryRef:
                ntry_ref = text(ch)
            elif tag == t.RvslInd:
                reversal = text(ch) in ("true", "1")
            elif tag == t.BkTxCd:
                bktx = ch
            elif tag == t.AddtlNtryInf:
                addtl = text(ch)
        if amt is None:
            raise ParseError(key="camt.entry_amount", where=source)
        # RvslInd never flips the sign: ISO 20022 books a reversal with the CdtDbtInd of the
        # reversing booking itself (a returned debit is CRDT), so CdtDbtInd alone is the direction.
        sign = v.sign(cdi, source + "/CdtDbtInd")
        amount = sign * v.fen(amt, source + "/Amt")
        status = None
        if sts is not None:
            code = sts.text
            if code is None or not code.strip():  # v08+: <Sts><Cd>BOOK</Cd></Sts>
                code = sts[0].text if len(sts) else None
            status = STATUS.get(code.strip()) if code else None
        if status is None:
            status = self._status(sts, source)
        booking = v.date_choice(bookg, t, source, "BookgDt")
        value = v.date_choice(val, t, source, "ValDt")
        if booking is None:
            booking = value or self._undated(status, details, source)
        type_code, code_text = bank_code(bktx, t)
        if details is None:
            name = account = remark = e2e = ""
        else:
            name, account = self._counterparty(details, credit=sign > 0, reversal=reversal)
            remark, e2e = details.remark, details.end_to_end_id
        return Line(
            booking_date=booking,
            amount_fen=amount,
            value_date=value,
            counterparty_account=account,
            counterparty_name=name,
            text=sys.intern(addtl) if addtl else code_text,
            remark=remark,
            bank_ref=acsr or ntry_ref,
            # AcctSvcrRef is the servicer's unique reference; NtryRef is only unique in its statement.
            ref_strength=RefStrength.STRONG if acsr else RefStrength.WEAK if ntry_ref else RefStrength.NONE,
            source=source,
            status=status,
            reversal=reversal,
            type_code=type_code,
            details_count=n_details,
            end_to_end_id=e2e,
        )

    def _status(self, sts: Any, source: str) -> EntryStatus:
        if sts is None:
            raise ParseError(key="camt.entry_status", where=source)
        code = text(sts) or text(sts.find(self.t.Cd)) or text(sts.find(self.t.Prtry))  # v08+: <Sts><Cd>
        try:
            return STATUS[code]
        except KeyError:
            raise ParseError(key="camt.entry_status_code", values={"found": code}, where=f"{source}/Sts") from None

    def _undated(self, status: EntryStatus, details: Details | None, source: str) -> date:
        """A date for an entry without BookgDt and ValDt, each use noted as a departure. A booked
        entry takes only a date the file states for its whole message: a camt.054 notification's
        own date, or the one day a statement covers (`Dating.message`); else it is refused, as a
        statement over several days cannot date it. A PDNG/INFO notice takes its settlement date,
        else the statement's date."""
        d = self.dating
        if status is not EntryStatus.BOOK:
            if details and details.settlement_date:
                self.notes.note("camt.date_from_settlement", source)
                return self.v.day(details.settlement_date, f"{source}/NtryDtls/TxDtls/RltdDts")
            if d.fallback:
                self.notes.note("camt.date_from_statement", source, detail=d.fallback.isoformat())
                return d.fallback
        elif d.message is not None:
            self.notes.note(d.message_code, source, detail=d.message.isoformat())
            return d.message
        raise ParseError(key="camt.undated", where=source)

    def _counterparty(self, d: Details, *, credit: bool, reversal: bool) -> tuple[str, str]:
        """The other party: the Dbtr of a credit, the Cdtr of a debit. A reversal undoes an earlier
        booking whose parties keep their roles (a returned credit is a debit whose other party is
        still the Dbtr), so the side flips. The other side is taken only when the usual one is
        empty and it names an account that is not this statement's own."""
        dbtr = (sys.intern(d.dbtr_name), sys.intern(d.dbtr_account))
        cdtr = (sys.intern(d.cdtr_name), sys.intern(d.cdtr_account))
        first, other = (dbtr, cdtr) if credit != reversal else (cdtr, dbtr)
        if (first[0] or first[1]) and first[1] != self.own:
            return first
        if other[1] and other[1] != self.own:
            return other
        return first if first[1] != self.own else ("", "")
