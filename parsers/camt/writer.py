"""Writes statements as camt.053 / 052 / 054 XML (UTF-8) that `reader.read` reads back unchanged.

What a `Statement` carries and camt can hold is written: account (IBAN or Othr/Id), Ownr/Nm,
currency, FrToDt, opening/closing balances (OPBD/CLBD; OPBD/ITBD in a 052 report; a 054 has no
balances), and per line: Amt/CdtDbtInd, RvslInd, Sts, BookgDt, ValDt, AcctSvcrRef (a STRONG or
NONE bank_ref) or NtryRef (WEAK), BkTxCd, AddtlNtryInf, and a TxDtls with EndToEndId, the
counterparty (RltdPties) and the remark (RmtInf/Ustrd in Max140Text pieces). Values longer than
their ISO 20022 type allows are refused with ValueError rather than cut.

The output is deterministic (same statements -> same bytes): the simulator relies on a file
dropped twice being the same file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time

from parsers.camt.entry import USTRD_MAX
from parsers.camt.schema import BY_KIND, Message
from reconcile.model import EntryStatus, Line, RefStrength, Statement
from reconcile.money import plain_yuan

_VERSION = re.compile(r"001\.(0[2-9]|1[0-3])")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")  # IBAN2007Identifier
_DOMAIN = re.compile(r"[A-Z0-9]{4}/[A-Z0-9]{4}/[A-Z0-9]{4}")
_CCY = re.compile(r"[A-Z]{3}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHUNK_LINES = 2000


def _esc(s: str) -> str:
    # \r would come back as \n (XML end-of-line handling), so it is written as a character reference.
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _checked(value: str, limit: int, what: str) -> str:
    if len(value) > limit:
        raise ValueError(f"{what} is {len(value)} characters; camt allows {limit}: {value[:40]!r}...")
    if _NOT_XML.search(value):
        raise ValueError(f"{what} holds a character XML 1.0 cannot carry: {value!r}")
    return _esc(value)


def _account(acct: str, what: str) -> str:
    """AccountIdentification choice: IBAN when it is one, else Othr/Id (Chinese account numbers)."""
    if _IBAN.fullmatch(acct):
        return f"<Id><IBAN>{acct}</IBAN></Id>"
    return f"<Id><Othr><Id>{_checked(acct, 34, what)}</Id></Othr></Id>"


def _created(statements: Sequence[Statement], created: datetime | None) -> str:
    if created is None:
        days = [d for st in statements for d in (st.period_end, st.period_start) if d]
        days += [ln.booking_date for st in statements for ln in st.lines[-1:]]
        created = datetime.combine(max(days, default=date(2000, 1, 1)), time(0, 0))
    return created.strftime("%Y-%m-%dT%H:%M:%S")


def write(
    statements: Sequence[Statement],
    *,
    version: str = "001.08",
    message: str = "053",
    created: datetime | None = None,
) -> bytes:
    """The statements as one camt document (message "053", "052" or "054", version 001.02-001.13)."""
    return b"".join(iter_write(statements, version=version, message=message, created=created))


def iter_write(
    statements: Sequence[Statement],
    *,
    version: str = "001.08",
    message: str = "053",
    created: datetime | None = None,
) -> Iterator[bytes]:
    """`write` in pieces, for files too large to hold twice in memory."""
    if not _VERSION.fullmatch(version):
        raise ValueError(f"version must be 001.02 to 001.13, got {version!r}")
    msg = BY_KIND.get(message.removeprefix("camt."))
    if msg is None:
        raise ValueError(f"message must be '053', '052' or '054', got {message!r}")
    ns = f"urn:iso:std:iso:20022:tech:xsd:camt.{msg.kind}.{version}"
    stamp = _created(statements, created)
    ident = hashlib.sha256(
        repr([(st.account, st.period_start, st.period_end, len(st.lines)) for st in statements]).encode()
    ).hexdigest()[:24]
    yield (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="{ns}">\n<{msg.element}>\n'
        f"<GrpHdr><MsgId>LPS{ident}</MsgId><CreDtTm>{stamp}</CreDtTm></GrpHdr>\n"
    ).encode()
    w = _Writer(msg, int(version[-2:]))
    for i, st in enumerate(statements, 1):
        yield from w.statement(st, i, stamp, ident)
    yield f"</{msg.element}>\n</Document>\n".encode()


class _Writer:
    def __init__(self, msg: Message, version: int) -> None:
        self.msg = msg
        self.v8 = version >= 8  # v08 brought <Sts><Cd> and Party40Choice (<Dbtr><Pty><Nm>)

    def statement(self, st: Statement, index: int, stamp: str, ident: str) -> Iterator[bytes]:
        if not _CCY.fullmatch(st.currency):
            raise ValueError(f"currency must be an ISO 4217 code, got {st.currency!r}")
        tag = self.msg.statement
        out = [f"<{tag}>", f"<Id>{ident[:20]}-{index}</Id>", f"<CreDtTm>{stamp}</CreDtTm>"]
        if st.period_start and st.period_end:
            out.append(
                f"<FrToDt><FrDtTm>{st.period_start.isoformat()}T00:00:00</FrDtTm>"
                f"<ToDtTm>{st.period_end.isoformat()}T23:59:59</ToDtTm></FrToDt>"
            )
        out.append(f"<Acct>{_account(st.account, 'account')}<Ccy>{st.currency}</Ccy>")
        if st.account_name:
            out.append(f"<Ownr><Nm>{_checked(st.account_name, 140, 'account_name')}</Nm></Ownr>")
        out.append("</Acct>")
        out.extend(self._balances(st))
        yield "\n".join(out).encode() + b"\n"
        for start in range(0, len(st.lines), _CHUNK_LINES):
            chunk = st.lines[start : start + _CHUNK_LINES]
            yield "".join(self._entry(ln, st) for ln in chunk).encode()
        yield f"</{tag}>\n".encode()

    def _balances(self, st: Statement) -> list[str]:
        """OPBD and CLBD (ITBD in a 052 intraday report); camt.054 has no balances."""
        if self.msg.kind == "054":
            return []
        first = st.lines[0].booking_date if st.lines else None
        last = st.lines[-1].booking_date if st.lines else None
        out = []
        closing_code = "ITBD" if self.msg.intraday else "CLBD"
        for code, fen, day in (
            ("OPBD", st.opening_fen, st.period_start or first or st.period_end),
            (closing_code, st.closing_fen, st.period_end or last or st.period_start),
        ):
            if fen is None:
                continue
            when = (day or date(2000, 1, 1)).isoformat()
            out.append(
                f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
                f'<Amt Ccy="{st.currency}">{plain_yuan(abs(fen))}</Amt>'
                f"<CdtDbtInd>{'DBIT' if fen < 0 else 'CRDT'}</CdtDbtInd><Dt><Dt>{when}</Dt></Dt></Bal>"
            )
        return out

    def _entry(self, ln: Line, st: Statement) -> str:
        out = ["<Ntry>"]
        weak = ln.ref_strength is RefStrength.WEAK
        ref = _checked(ln.bank_ref, 35, "bank_ref") if ln.bank_ref else ""
        if ref and weak:
            out.append(f"<NtryRef>{ref}</NtryRef>")
        out.append(
            f'<Amt Ccy="{st.currency}">{plain_yuan(abs(ln.amount_fen))}</Amt>'
            f"<CdtDbtInd>{'DBIT' if ln.amount_fen < 0 else 'CRDT'}</CdtDbtInd>"
        )
        if ln.reversal:
            out.append("<RvslInd>true</RvslInd>")
        sts = ln.status.value if isinstance(ln.status, EntryStatus) else str(ln.status)
        out.append(f"<Sts><Cd>{sts}</Cd></Sts>" if self.v8 else f"<Sts>{sts}</Sts>")
        out.append(f"<BookgDt><Dt>{ln.booking_date.isoformat()}</Dt></BookgDt>")
        if ln.value_date:
            out.append(f"<ValDt><Dt>{ln.value_date.isoformat()}</Dt></ValDt>")
        if ref and not weak:
            out.append(f"<AcctSvcrRef>{ref}</AcctSvcrRef>")
        out.append(self._bank_code(ln.type_code))
        out.append(self._details(ln))
        if ln.text:
            out.append(f"<AddtlNtryInf>{_checked(ln.text, 500, 'text')}</AddtlNtryInf>")
        out.append("</Ntry>\n")
        return "".join(out)

    @staticmethod
    def _bank_code(code: str) -> str:
        # BkTxCd is mandatory in a 053 entry; its Domn and Prtry are both optional in the schema.
        if not code:
            return "<BkTxCd/>"
        if _DOMAIN.fullmatch(code):
            d, f, s = code.split("/")
            family = f"<Fmly><Cd>{f}</Cd><SubFmlyCd>{s}</SubFmlyCd></Fmly>"
            return f"<BkTxCd><Domn><Cd>{d}</Cd>{family}</Domn></BkTxCd>"
        return f"<BkTxCd><Prtry><Cd>{_checked(code, 35, 'type_code')}</Cd></Prtry></BkTxCd>"

    def _details(self, ln: Line) -> str:
        has_party = bool(ln.counterparty_name or ln.counterparty_account)
        needed = has_party or bool(ln.remark or ln.end_to_end_id)
        n = max(ln.details_count, 1 if needed else 0)
        if n == 0:
            return ""
        out = ["<NtryDtls><TxDtls>"]
        if ln.end_to_end_id:
            out.append(f"<Refs><EndToEndId>{_checked(ln.end_to_end_id, 35, 'end_to_end_id')}</EndToEndId></Refs>")
        if has_party:
            # the side the reader takes: Dbtr for a credit, Cdtr for a debit, swapped for a reversal
            side = "Dbtr" if (ln.amount_fen >= 0) != ln.reversal else "Cdtr"
            out.append("<RltdPties>")
            if ln.counterparty_name:
                name = _checked(ln.counterparty_name, 140, "counterparty_name")
                out.append(
                    f"<{side}><Pty><Nm>{name}</Nm></Pty></{side}>" if self.v8 else f"<{side}><Nm>{name}</Nm></{side}>"
                )
            if ln.counterparty_account:
                out.append(f"<{side}Acct>{_account(ln.counterparty_account, 'counterparty_account')}</{side}Acct>")
            out.append("</RltdPties>")
        if ln.remark:
            r = ln.remark
            pieces = [r[i : i + USTRD_MAX] for i in range(0, len(r), USTRD_MAX)]
            out.append(
                "<RmtInf>" + "".join(f"<Ustrd>{_checked(p, USTRD_MAX, 'remark')}</Ustrd>" for p in pieces) + "</RmtInf>"
            )
        out.append("</TxDtls>")
        out.extend("<TxDtls/>" for _ in range(n - 1))
        out.append("</NtryDtls>")
        return "".join(out)
