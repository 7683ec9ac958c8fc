"""The header of one camt statement (Stmt / Rpt / Ntfctn): account, balances, period.

The header elements (Id, CreDtTm, FrToDt, Acct, Bal, ...) come before the first Ntry in every
camt schema, so the streaming reader hands them over when the first entry ends (and any strays
after the last entry when the statement ends).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from parsers.camt.schema import Message, Tags
from parsers.camt.values import Values, account_id, party_name, text
from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.model import PERIOD_FROM, Line, Statement

# A statement that names no currency anywhere (no Acct/Ccy, no entries, no balances) keeps the
# model's default, rather than a second copy of it here.
DEFAULT_CURRENCY: str = next(str(f.default) for f in fields(Statement) if f.name == "currency")


class Header:
    def __init__(self, t: Tags, values: Values, message: Message, label: str, version: str) -> None:
        self.t, self.v, self.message, self.label, self.version = t, values, message, label, version
        self.stmt_id = ""
        self.created: date | None = None
        self.period_start: date | None = None
        self.period_end: date | None = None
        self.account = ""
        self.account_name = ""
        self.account_ccy = ""
        self.balance_ccy = ""
        self.balances: dict[str, tuple[int, date | None]] = {}  # first of each type code
        self.unsigned_days: dict[str, date | None] = {}  # balances left out for want of a sign: their dates
        self._n_bal = 0
        self.notes = Departures()  # how this statement departs from ISO 20022

    def absorb(self, ch: Any) -> None:
        """Take what this statement child says, if it is a header element."""
        t, tag = self.t, ch.tag
        if tag == t.Id:
            self.stmt_id = text(ch)
        elif tag == t.CreDtTm and text(ch):
            self.created = self.v.day(text(ch), f"{self.label}/CreDtTm")
        elif tag == t.FrToDt:
            self._period(ch)
        elif tag == t.Acct and not self.account:
            self.account = account_id(ch, t)
            self.account_ccy = text(ch.find(t.Ccy))
            self.account_name = party_name(ch.find(t.prefix + "Ownr"), t)
        elif tag == t.Bal:
            self._balance(ch)

    def _period(self, el: Any) -> None:
        """FrToDt: FrDtTm/ToDtTm (DateTimePeriod) or FrDt/ToDt (DatePeriod); the dates are taken."""
        where = f"{self.label}/FrToDt"
        fr = el.find(self.t.FrDtTm)
        if fr is None:
            fr = el.find(self.t.FrDt)
        to = el.find(self.t.ToDtTm)
        if to is None:
            to = el.find(self.t.ToDt)
        if fr is not None and text(fr):
            self.period_start = self.v.day(text(fr), where)
        if to is not None and text(to):
            self.period_end = self.v.day(text(to), where)
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ParseError(key="period.reversed", values={"start": self.period_start, "end": self.period_end},
                             where=where)

    def _balance(self, bal: Any) -> None:
        t = self.t
        self._n_bal += 1
        where = f"{self.label}/Bal[{self._n_bal}]"
        # CashBalance/Tp/CdOrPrtry/Cd from v02 on; the V01 schemas have Tp/Cd directly.
        code = text(bal.find(t.Tp_CdOrPrtry_Cd)) or text(bal.find(t.Tp_Cd)) or text(bal.find(t.Tp_CdOrPrtry_Prtry))
        amt = bal.find(t.Amt)
        if amt is None:
            raise ParseError(key="camt.balance_amount", where=where)
        magnitude = self.v.fen(amt, f"{where}/Amt")
        ccy = (amt.get("Ccy") or "").strip()
        expected = self.account_ccy or self.balance_ccy
        if ccy and expected and ccy != expected:
            raise ParseError(key="currency.balance", values={"found": ccy, "expected": expected},
                             where=f"{where}/Amt/@Ccy")
        self.balance_ccy = self.balance_ccy or ccy
        day = self.v.date_choice(bal.find(t.Dt), t, where, "Dt")
        cdi = bal.find(t.CdtDbtInd)
        if not text(cdi):
            # An anonymised real export leaves the indicator empty. A zero balance is a credit by
            # the ISO usage rule; any other has no sign anyone can know: it is left out, and said.
            if magnitude:
                self.notes.note("camt.balance_sign_missing", f"{where}/CdtDbtInd", detail=code or "?")
                self.unsigned_days.setdefault(code, day)
                return
            self.notes.note("camt.balance_sign_zero", f"{where}/CdtDbtInd", detail=code or "?")
            self.balances.setdefault(code, (0, day))
            return
        fen = self.v.sign(cdi, f"{where}/CdtDbtInd") * magnitude
        self.balances.setdefault(code, (fen, day))

    def statement(self, lines: list[Line], entry_ccy: str) -> Statement:
        if not self.account:
            raise ParseError(key="camt.no_account", values={"statement": self.message.statement}, where=self.label)
        b = self.balances
        opening = b.get("OPBD") or b.get("PRCD")  # PRCD: the previous statement's closing balance
        closing = b.get("CLBD")
        if closing is None and self.message.intraday:
            closing = b.get("ITBD")  # a 052 report closes on its interim booked balance
        start, end = self.period_start, self.period_end
        extra = {"message": self.version, "id": self.stmt_id}
        if start is None and end is None:
            extra[PERIOD_FROM] = "balances"  # no FrToDt: the balances' dates are taken
            start = opening[1] if opening else self.unsigned_days.get("OPBD") or self.unsigned_days.get("PRCD")
            end = closing[1] if closing else self.unsigned_days.get("CLBD") or (
                self.unsigned_days.get("ITBD") if self.message.intraday else None)
        currency = self.account_ccy or entry_ccy or self.balance_ccy
        return Statement(
            account=self.account,
            currency=currency or DEFAULT_CURRENCY,
            period_start=start,
            period_end=end,
            opening_fen=opening[0] if opening else None,
            closing_fen=closing[0] if closing else None,
            lines=tuple(lines),
            account_name=self.account_name,
            format=self.message.format,
            intraday=self.message.intraday,
            source=self.label,
            extra=extra,
            warnings=self.notes.records(),
        )
