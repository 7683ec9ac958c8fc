"""MT940/MT942 writer: `Statement`s to SWIFT text that `reader` reads back to the same statements.

Used by the simulator and the round-trip tests. One message per statement, CRLF line ends, each
message ended by '-' (no SWIFT header blocks: bank exports rarely carry them and the reader does
not need them). Text is UTF-8: SWIFT FIN itself is Latin-only, but the Chinese counterparty names
the simulator writes have to survive, and the reader tries UTF-8 first.

What the format carries, and how:
- :25: account, :60F:/:62F: opening/closing balance with the period's first/last date and the
  currency (MT942: :34F: floor limit 0 carries the currency, :13D: the report time, :90D:/:90C:
  the debit/credit count and sum);
- :61: value date, entry (booking) date as MMDD (within half a year of the value date), mark C/D
  or RD/RC for reversals, amount, type code, reference: a STRONG `bank_ref` goes after '//' with
  customer reference NONREF, a WEAK one is the customer reference, none is NONREF;
- :86: in the German ?-subfield layout: ?00 posting text, ?20-?29/?60-?63 remark in 27-character
  pieces, ?31 counterparty account, ?32/?33 name; wrapped at 65 characters per line.

The reader gives `text` as "posting text + ' ' + remark". A line whose `text` is the remark, ends
with ' ' + remark, or has no remark comes back unchanged; otherwise `text` is written as the posting
text and comes back followed by the remark. Not carried: value_date None (the value date becomes
the booking date), balance_fen, status (all BOOK), details_count, end_to_end_id, account_name,
extra. Values the layout cannot hold unambiguously raise ValueError rather than come back changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from parsers.mt940.details import LINE, SEPA_KEY
from parsers.mt940.fields import entry_date
from reconcile.model import EntryStatus, Line, RefStrength, Statement

_TYPE = re.compile(r"[NFS][A-Z0-9]{3}")
_SUBFIELD = re.compile(r"\?\d\d")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CURRENCY = re.compile(r"[A-Z]{3}")
_REF20 = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]{1,16}")
PIECE = 27  # German DFÜ subfield length
_REMARK_CODES = (*(f"{n}" for n in range(20, 30)), "60", "61", "62", "63")


def write(statements: Iterable[Statement], *, message: str = "940") -> bytes:
    """The statements as one MT940 (or MT942) file, UTF-8 with CRLF line ends."""
    if message not in ("940", "942"):
        raise ValueError(f"message must be '940' or '942', not {message!r}")
    out: list[str] = []
    for i, st in enumerate(statements, 1):
        out.extend(_statement(st, i, message))
    return ("\r\n".join(out) + "\r\n").encode("utf-8") if out else b""


def _statement(st: Statement, index: int, message: str) -> list[str]:
    where = f"statement {index} ({st.account or 'no account'})"
    ref = st.extra.get("reference", "")
    if not _REF20.fullmatch(ref) or ref.startswith("/") or "//" in ref:
        ref = f"STMT{index:012d}"
    _clean(st.account, f"{where}: account")
    if not st.account:
        raise ValueError(f"{where}: MT940 needs an account (:25:)")
    if not _CURRENCY.fullmatch(st.currency):
        raise ValueError(f"{where}: currency must be three capital letters, not {st.currency!r}")
    number = st.extra.get("statement_number", "")
    if not re.fullmatch(r"\d{1,5}(/\d{1,5})?", number):
        number = f"{index}/1"
    out = [f":20:{ref}", f":25:{st.account}", f":28C:{number}"]
    if message == "940":
        if st.opening_fen is None or st.closing_fen is None:
            raise ValueError(f"{where}: MT940 needs opening and closing balances (:60F:/:62F:)")
        if st.period_start is None or st.period_end is None:
            raise ValueError(f"{where}: MT940 needs the period's first and last date (:60F:/:62F:)")
        out.append(f":60F:{_balance(st.opening_fen, st.period_start, st.currency)}")
    else:
        last = max((ln.booking_date for ln in st.lines), default=st.period_end or date(2000, 1, 1))
        out += [f":34F:{st.currency}0,", f":13D:{_yymmdd(last)}2359+0800"]
    for n, ln in enumerate(st.lines, 1):
        out.extend(_line(ln, f"{where}, line {n}"))
    if message == "940":
        assert st.closing_fen is not None and st.period_end is not None
        out.append(f":62F:{_balance(st.closing_fen, st.period_end, st.currency)}")
    else:
        debits = [ln.amount_fen for ln in st.lines if ln.amount_fen < 0]
        credits = [ln.amount_fen for ln in st.lines if ln.amount_fen >= 0]
        out.append(f":90D:{len(debits)}{st.currency}{_amount(-sum(debits))}")
        out.append(f":90C:{len(credits)}{st.currency}{_amount(sum(credits))}")
    out.append("-")
    return out


def _line(ln: Line, where: str) -> list[str]:
    if ln.status is not EntryStatus.BOOK:
        raise ValueError(f"{where}: MT940 carries booked lines only, not {ln.status.value}")
    value = ln.value_date or ln.booking_date
    mmdd = f"{ln.booking_date.month:02d}{ln.booking_date.day:02d}"
    if entry_date(mmdd, value, where) != ln.booking_date:
        raise ValueError(f"{where}: booking date {ln.booking_date} too far from value date {value}")
    # RC, reversal of a credit, takes money out; RD, reversal of a debit, brings it in.
    mark = ("RC" if ln.reversal else "D") if ln.amount_fen < 0 else ("RD" if ln.reversal else "C")
    type_code = ln.type_code if _TYPE.fullmatch(ln.type_code) else "NMSC"
    ref = ln.bank_ref
    _clean(ref, f"{where}: bank_ref")
    if ref.upper() == "NONREF":
        raise ValueError(f"{where}: bank_ref 'NONREF' means no reference in MT940")
    if not ref:
        refs = "NONREF"
    elif ln.ref_strength is RefStrength.STRONG:
        refs = f"NONREF//{ref}"  # field 61 subfield 8: the account servicing institution's ref
    else:
        if "//" in ref or (len(ref) > 16 and (ref[15].isspace() or ref[16].isspace())):
            raise ValueError(f"{where}: customer reference {ref!r} cannot be written unambiguously")
        refs = ref  # subfield 7: reference for the account owner
    return [f":61:{_yymmdd(value)}{mmdd}{mark}{_amount(abs(ln.amount_fen))}{type_code}{refs}",
            *_details(ln, where)]  # fmt: skip


def _details(ln: Line, where: str) -> list[str]:
    text, remark = ln.text, ln.remark
    if not remark:
        posting = text
    elif text == remark:
        posting = ""
    elif text.endswith(" " + remark):
        posting = text[: -len(remark) - 1]
    else:
        posting = text  # comes back as text + " " + remark
    for what, v in (("text", posting), ("remark", remark), ("counterparty_name", ln.counterparty_name),
                    ("counterparty_account", ln.counterparty_account)):  # fmt: skip
        _clean(v, f"{where}: {what}")
        if _SUBFIELD.search(v):
            raise ValueError(f"{where}: {what} contains '?nn', the :86: subfield separator")
    if SEPA_KEY.match(remark):
        raise ValueError(f"{where}: remark starts with a SEPA keyword ({remark[:5]!r})")
    body = [f"?00{posting}"]
    pieces = [remark[i : i + PIECE] for i in range(0, len(remark), PIECE)]
    if len(pieces) > len(_REMARK_CODES):  # beyond 14x27: the last subfield takes the rest
        pieces[len(_REMARK_CODES) - 1] = "".join(pieces[len(_REMARK_CODES) - 1 :])
        del pieces[len(_REMARK_CODES) :]
    body += [f"?{code}{piece}" for code, piece in zip(_REMARK_CODES, pieces, strict=False)]
    if ln.counterparty_account:
        body.append(f"?31{ln.counterparty_account}")
    name = ln.counterparty_name
    if name:
        body.append(f"?32{name[:PIECE]}")
        if name[PIECE:]:
            body.append(f"?33{name[PIECE:]}")
    return _wrap(":86:", "".join(body))


def _wrap(tag: str, content: str) -> list[str]:
    """Lines of at most 65 characters after the tag. SWIFT forbids ':' and '-' at the start of a
    continuation line (the reader would take it for a tag or the end of the message), and '{'
    starts a block: a break is moved back, or if the whole line is such characters, forward."""
    lines: list[str] = []
    i, n = 0, len(content)
    while i < n:
        j = min(i + LINE, n)
        while i + 1 < j < n and content[j] in ":-{":
            j -= 1
        if j < n and content[j] in ":-{":
            j = i + LINE
            while j < n and content[j] in ":-{":
                j += 1
        lines.append(content[i:j])
        i = j
    lines = lines or [""]
    lines[0] = tag + lines[0]
    return lines


def _clean(value: str, where: str) -> None:
    if _CONTROL.search(value):
        raise ValueError(f"{where}: line breaks and control characters cannot be written")
    if value != value.strip():
        raise ValueError(f"{where}: leading or trailing spaces are not kept by MT940 ({value!r})")


def _balance(fen: int, day: date, currency: str) -> str:
    return f"{'D' if fen < 0 else 'C'}{_yymmdd(day)}{currency}{_amount(abs(fen))}"


def _yymmdd(d: date) -> str:
    if not 1980 <= d.year <= 2079:
        raise ValueError(f"date {d} is outside the years 1980-2079 that YYMMDD can carry")
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"


def _amount(fen: int) -> str:
    """Unsigned fen as a SWIFT amount: decimal comma, no superfluous zeros ('6800,', '0,5')."""
    yuan, cents = divmod(fen, 100)
    if cents == 0:
        return f"{yuan},"
    if cents % 10 == 0:
        return f"{yuan},{cents // 10}"
    return f"{yuan},{cents:02d}"
