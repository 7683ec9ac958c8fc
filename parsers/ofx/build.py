"""From the raw element texts of one STMTRS/CCSTMTRS to a `Statement`, the same for both readers.

Each reader (ofxparse's BeautifulSoup tree, or the lxml stream) collects the raw text of the
elements below into plain dicts keyed by element path ("TRNAMT", "PAYEE/NAME",
"BANKACCTTO/ACCTID"); only this module turns text into fen and dates, so the readers agree by
construction. Amounts go through `to_fen` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from parsers.ofx.repair import present
from reconcile.errors import ParseError
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import to_fen

# Leaves read from a STMTTRN, with the aggregates below it that carry a counterparty.
TXN_PATHS = frozenset(
    {
        "TRNTYPE",
        "DTPOSTED",
        "DTUSER",
        "TRNAMT",
        "FITID",
        "NAME",
        "MEMO",
        "PAYEE/NAME",
        "BANKACCTTO/ACCTID",
        "CCACCTTO/ACCTID",
        "CURRENCY/CURSYM",  # the amount is in this currency, not CURDEF (ORIGCURRENCY: converted)
    }
)
# Leaves read from a STMTRS/CCSTMTRS itself (BANKTRANLIST dates are collected separately: a
# statement may hold several lists, corpus ocabsi__test_ofx.ofx has four).
STMT_PATHS = frozenset(
    {
        "CURDEF",
        "BANKACCTFROM/ACCTID",
        "BANKACCTFROM/BANKID",
        "BANKACCTFROM/BRANCHID",
        "BANKACCTFROM/ACCTTYPE",
        "CCACCTFROM/ACCTID",
        "LEDGERBAL/BALAMT",
        "LEDGERBAL/DTASOF",
        "AVAILBAL/BALAMT",
        "AVAILBAL/DTASOF",
    }
)
STATEMENT_TAGS = ("STMTRS", "CCSTMTRS")
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{2}){0,3}(?:[.:]\d+)?\s*(?:\[[^\]]*\])?")


@cache
def aggregates(paths: frozenset[str]) -> frozenset[str]:
    """The aggregates one level down that `paths` reach into ("PAYEE" for "PAYEE/NAME")."""
    return frozenset(p.split("/", 1)[0] for p in paths if "/" in p)


@dataclass
class RawStatement:
    kind: str  # "STMTRS" or "CCSTMTRS"
    index: int  # 1-based among the statements of the file
    leaves: dict[str, str | None] = field(default_factory=dict)
    starts: list[str | None] = field(default_factory=list)  # BANKTRANLIST/DTSTART, each list
    ends: list[str | None] = field(default_factory=list)
    currencies: list[tuple[str, str]] = field(default_factory=list)  # (where, CURSYM) of a STMTTRN

    def note_currency(self, raw: dict[str, str | None], where: str) -> None:
        """Remember a STMTTRN's own currency (STMTTRN/CURRENCY/CURSYM), checked against CURDEF."""
        cursym = present(raw.get("CURRENCY/CURSYM"))
        if cursym:
            self.currencies.append((where, cursym.upper()))

    @property
    def where(self) -> str:
        return f"{self.kind}[{self.index}]"


def ofx_amount(raw: str | None, where: str) -> int | None:
    """Fen of an OFX amount, None when absent. The radix is '.' or ',' (OFX 3.2.9.1; corpus
    ofxtools__stmtrs_euro.ofx has TRNAMT -200,00); with both, the last one is the radix."""
    value = present(raw)
    if value is None:
        return None
    if value.lower() in ("null", "-null"):
        # ofxparse's convention: some banks send a null TRNAMT for a rate-change notice.
        return 0
    radix = "," if value.rfind(",") > value.rfind(".") else "."
    return to_fen(value if value else (raw or ""), decimal=radix, where=where)


def ofx_date(raw: str | None, where: str) -> date | None:
    """The date of an OFX datetime as the bank wrote it (its local date: the time zone in
    brackets is not applied, so a booking late in the evening stays on its day), None if absent."""
    value = present(raw)
    if value is None:
        return None
    m = _DATE.fullmatch(value)
    if m is None:
        raise ParseError(key="ofx.date", values={"found": value}, where=where)
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ParseError(key="ofx.not_calendar", values={"found": value}, where=where) from None


def line(raw: dict[str, str | None], where: str) -> Line:
    """One STMTTRN. TRNAMT and DTPOSTED are required (OFX 11.4.3); FITID is required by the spec
    but real files leave it empty (corpus ofxparse__ofx-v102-empty-tags.ofx): such a line has no
    bank_ref rather than the file being refused."""
    amount = ofx_amount(raw.get("TRNAMT"), f"{where}/TRNAMT")
    if amount is None:
        raise ParseError(key="ofx.no_amount", where=where)
    booked = ofx_date(raw.get("DTPOSTED"), f"{where}/DTPOSTED")
    if booked is None:
        raise ParseError(key="ofx.no_date", where=where)
    fitid = present(raw.get("FITID")) or ""
    name = present(raw.get("PAYEE/NAME")) or present(raw.get("NAME")) or ""
    account = present(raw.get("BANKACCTTO/ACCTID")) or present(raw.get("CCACCTTO/ACCTID")) or ""
    return Line(
        booking_date=booked,
        amount_fen=amount,
        value_date=ofx_date(raw.get("DTUSER"), f"{where}/DTUSER"),
        counterparty_account=account,
        counterparty_name=name,
        remark=present(raw.get("MEMO")) or "",
        bank_ref=fitid,
        ref_strength=RefStrength.STRONG if fitid else RefStrength.NONE,
        source=where,
        type_code=(present(raw.get("TRNTYPE")) or "").upper(),
    )


def statement(raw: RawStatement, lines: tuple[Line, ...], version: str) -> Statement:
    """One STMTRS/CCSTMTRS. The period is DTSTART-DTEND (docs/DOMAIN.md, Coverage), over all its
    BANKTRANLISTs; LEDGERBAL is the closing balance as of its DTASOF; AVAILBAL goes to extra."""
    lv = raw.leaves
    w = raw.where
    starts = [d for i, s in enumerate(raw.starts) if (d := ofx_date(s, f"{w}/BANKTRANLIST[{i + 1}]/DTSTART"))]
    ends = [d for i, s in enumerate(raw.ends) if (d := ofx_date(s, f"{w}/BANKTRANLIST[{i + 1}]/DTEND"))]
    for i, (s, e) in enumerate(zip(raw.starts, raw.ends, strict=False)):
        ds, de = ofx_date(s, w), ofx_date(e, w)
        if ds and de and ds > de:
            raise ParseError(key="period.reversed", values={"start": ds, "end": de},
                             where=f"{w}/BANKTRANLIST[{i + 1}]")
    acct_path = "CCACCTFROM" if raw.kind == "CCSTMTRS" else "BANKACCTFROM"
    # Without CURDEF the transactions' own currency is the statement's, if they name one.
    curdef = (present(lv.get("CURDEF")) or "").upper() or (raw.currencies[0][1] if raw.currencies else "")
    for where, cursym in raw.currencies:
        if cursym != curdef:
            raise ParseError(key="currency.entry", values={"found": cursym, "expected": curdef},
                             where=f"{where}/CURRENCY/CURSYM")
    extra: dict[str, str] = {"ofx_aggregate": raw.kind}
    if version:
        extra["ofx_version"] = version
    for key, path in (
        ("bank_id", "BANKACCTFROM/BANKID"),
        ("branch_id", "BANKACCTFROM/BRANCHID"),
        ("account_type", "BANKACCTFROM/ACCTTYPE"),
    ):
        if (v := present(lv.get(path))) is not None and v:
            extra[key] = v
    closing = ofx_amount(lv.get("LEDGERBAL/BALAMT"), f"{w}/LEDGERBAL/BALAMT")
    ledger_date = ofx_date(lv.get("LEDGERBAL/DTASOF"), f"{w}/LEDGERBAL/DTASOF")
    if ledger_date is not None:
        extra["closing_date"] = ledger_date.isoformat()
    avail = ofx_amount(lv.get("AVAILBAL/BALAMT"), f"{w}/AVAILBAL/BALAMT")
    if avail is not None:
        extra["available_fen"] = str(avail)
    avail_date = ofx_date(lv.get("AVAILBAL/DTASOF"), f"{w}/AVAILBAL/DTASOF")
    if avail_date is not None:
        extra["available_date"] = avail_date.isoformat()
    return Statement(
        account=present(lv.get(f"{acct_path}/ACCTID")) or "",
        # No CURDEF (corpus ofxparse__ofx-v102-empty-tags.ofx) leaves the currency unknown ("")
        # rather than assuming CNY.
        currency=curdef,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        closing_fen=closing,
        lines=lines,
        format="ofx",
        source=w,
        extra=extra,
    )


def check_count(read: int, in_file: int) -> None:
    """Every <STMTTRN> of the file must have become a line: ofxparse with fail_fast=False drops
    transactions silently, and a tag-closing slip could hide one."""
    if read != in_file:
        raise ParseError(key="ofx.count", values={"read": read, "in_file": in_file})


def check_status(where: str, code: str | None, severity: str | None, message: str | None) -> None:
    """An OFX response whose STATUS has SEVERITY ERROR carries no statement (corpus
    ofxparse__error_message.ofx reads as zero transactions in ofxparse): it is an error, not an
    empty statement."""
    if (present(severity) or "").upper() == "ERROR":
        text = present(message) or "no MESSAGE"
        raise ParseError(key="ofx.bank_error", values={"code": present(code) or "?", "text": text}, where=where)
