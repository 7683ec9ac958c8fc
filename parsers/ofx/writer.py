"""Statements back to OFX: 1.02 SGML or 2.2 XML, UTF-8, read back by this package to the same
Statement (the simulator and the round-trip tests use it).

OFX 1.x: the header says `ENCODING:UTF-8` with `CHARSET:NONE` (the OFX 1.x way to declare a
Unicode body; a 1252 CHARSET could not carry Chinese names), leaves have no end tags and
aggregates do. OFX 2.x: an XML declaration with encoding UTF-8 and the `<?OFX?>` instruction.
A statement becomes a STMTRS, or a CCSTMTRS when its `extra["ofx_aggregate"]` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from reconcile.model import Line, Statement
from reconcile.money import plain_yuan

_V1_HEADER = (
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:UTF-8\r\n"
    "CHARSET:NONE\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
)
_V2_HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<?OFX OFXHEADER="200" VERSION="220" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
)


class _Out:
    def __init__(self, version: int) -> None:
        self.sgml = version == 1
        self.parts: list[str] = []

    def open(self, tag: str) -> None:
        self.parts.append(f"<{tag}>\n")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>\n")

    def leaf(self, tag: str, value: str) -> None:
        if value == "":
            return  # an absent element is left out, never written empty
        text = escape(value, quote=False)
        self.parts.append(f"<{tag}>{text}\n" if self.sgml else f"<{tag}>{text}</{tag}>\n")


def write(statements: Sequence[Statement], *, version: int = 2) -> bytes:
    """OFX bytes holding `statements`; `version` 1 writes OFX 1.02 SGML, 2 writes OFX 2.2 XML."""
    if version not in (1, 2):
        raise ValueError(f"OFX version must be 1 or 2, not {version!r}")
    out = _Out(version)
    out.open("OFX")
    out.open("SIGNONMSGSRSV1")
    out.open("SONRS")
    _status(out)
    out.leaf("DTSERVER", _dt(_server_date(statements)))
    out.leaf("LANGUAGE", "CHI")
    out.close("SONRS")
    out.close("SIGNONMSGSRSV1")
    bank = [s for s in statements if s.extra.get("ofx_aggregate") != "CCSTMTRS"]
    card = [s for s in statements if s.extra.get("ofx_aggregate") == "CCSTMTRS"]
    for msgs, trnrs, rs, group in (
        ("BANKMSGSRSV1", "STMTTRNRS", "STMTRS", bank),
        ("CREDITCARDMSGSRSV1", "CCSTMTTRNRS", "CCSTMTRS", card),
    ):
        if not group:
            continue
        out.open(msgs)
        for i, st in enumerate(group, 1):
            out.open(trnrs)
            out.leaf("TRNUID", str(i))
            _status(out)
            _statement(out, rs, st)
            out.close(trnrs)
        out.close(msgs)
    out.close("OFX")
    head = _V1_HEADER if version == 1 else _V2_HEADER
    return (head + "".join(out.parts)).encode("utf-8")


def _status(out: _Out) -> None:
    out.open("STATUS")
    out.leaf("CODE", "0")
    out.leaf("SEVERITY", "INFO")
    out.close("STATUS")


def _statement(out: _Out, rs: str, st: Statement) -> None:
    out.open(rs)
    out.leaf("CURDEF", st.currency)
    if rs == "CCSTMTRS":
        out.open("CCACCTFROM")
        out.leaf("ACCTID", st.account)
        out.close("CCACCTFROM")
    else:
        out.open("BANKACCTFROM")
        out.leaf("BANKID", st.extra.get("bank_id", ""))
        out.leaf("BRANCHID", st.extra.get("branch_id", ""))
        out.leaf("ACCTID", st.account)
        out.leaf("ACCTTYPE", st.extra.get("account_type", "CHECKING"))
        out.close("BANKACCTFROM")
    out.open("BANKTRANLIST")
    out.leaf("DTSTART", _dt(st.period_start))
    out.leaf("DTEND", _dt(st.period_end))
    for ln in st.lines:
        _line(out, ln, card=rs == "CCSTMTRS")
    out.close("BANKTRANLIST")
    if st.closing_fen is not None:
        out.open("LEDGERBAL")
        out.leaf("BALAMT", plain_yuan(st.closing_fen))
        asof = st.extra.get("closing_date") or _dt(st.period_end or _last(st)) or ""
        out.leaf("DTASOF", asof.replace("-", ""))
        out.close("LEDGERBAL")
    if "available_fen" in st.extra:
        out.open("AVAILBAL")
        out.leaf("BALAMT", plain_yuan(int(st.extra["available_fen"])))
        out.leaf("DTASOF", st.extra.get("available_date", "").replace("-", ""))
        out.close("AVAILBAL")
    out.close(rs)


def _line(out: _Out, ln: Line, *, card: bool) -> None:
    out.open("STMTTRN")
    out.leaf("TRNTYPE", ln.type_code or ("CREDIT" if ln.amount_fen >= 0 else "DEBIT"))
    out.leaf("DTPOSTED", _dt(ln.booking_date))
    out.leaf("DTUSER", _dt(ln.value_date))
    out.leaf("TRNAMT", plain_yuan(ln.amount_fen))
    out.leaf("FITID", ln.bank_ref)
    out.leaf("NAME", ln.counterparty_name)
    if ln.counterparty_account:
        # OFX wants BANKID and ACCTTYPE in BANKACCTTO too; a statement line does not know them,
        # and inventing them would be worse than an incomplete aggregate.
        agg = "CCACCTTO" if card else "BANKACCTTO"
        out.open(agg)
        out.leaf("ACCTID", ln.counterparty_account)
        out.close(agg)
    out.leaf("MEMO", ln.remark)
    out.close("STMTTRN")


def _dt(d: date | None) -> str:
    return d.strftime("%Y%m%d") if d else ""


def _last(st: Statement) -> date | None:
    return max((ln.booking_date for ln in st.lines), default=None)


def _server_date(statements: Sequence[Statement]) -> date | None:
    days = [d for s in statements for d in (s.period_end, _last(s)) if d]
    return max(days, default=None)
