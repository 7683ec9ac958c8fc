"""Field values of MT940/MT942: dates, amounts, balances and the :61: statement line.

Each function takes the text of one field (without its tag) and returns typed values, or raises
`ParseError` naming the line and what SWIFT expects there. Amount text goes to `to_fen` only after
it has been checked to be a SWIFT amount (digits, one mandatory decimal comma, no '.'): `to_fen`
would otherwise read a '.' as a thousands separator and '1234.56' would silently become 123456.

Two dialects are read, because real banks write them and nothing in them can be misread (`Amounts`
decides per file and notes each departure): a legacy export that writes '.' for the decimal comma
throughout (never mixed with ',' in one file, never with three digits after the '.', which could be
a thousands separator), and the amount `0` without its comma (zero is zero in any scale). Any other
amount without a decimal mark stays refused: '500' may be 500.00 or 5.00 (minor units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.money import to_fen

# SWIFT amount (format 15d): digits, the decimal comma is mandatory, decimals optional ('6800,').
# We accept more than 15 characters: the 15d limit is the network's, not the money's.
_AMOUNT = re.compile(r"\d+,\d*")

# :61: subfields 1-5 (SWIFT MT940 field 61): value date 6!n, entry date [4!n], debit/credit mark
# 2a (C, D, RC, RD), funds code [1!a] (3rd letter of the currency: 'DR' = D + EUR's R), amount 15d.
# The amount is taken greedily as digits and marks and checked by `Amounts` (a dialect may use '.').
_LINE61 = re.compile(r"(\d{6})(\d{4})?(R?[DC])([A-Z])?(\d[\d,.]*)")
# :61: subfield 6, transaction type identification code 1!a3!c: N (non-SWIFT), F (first advice),
# S (SWIFT message type, 3 digits follow).
_TYPE = re.compile(r"[NFS][A-Z0-9]{3}")
# Balances (fields 60F/60M/62F/62M/64/65): mark 1!a, date 6!n, currency 3!a, amount 15d.
_BALANCE = re.compile(r"([DC])(\d{6})([A-Z]{3})(\S*)")

_DATES: dict[str, date] = {}  # YYMMDD -> date; a statement file has few distinct dates
_BOOKED: dict[str, date] = {}  # YYMMDDMMDD -> booking date


def swift_date(text: str, where: str, what: str = "date") -> date:
    """YYMMDD as a date; years 80-99 are 19xx, 00-79 20xx (SWIFT writes no century).
    `what` ("date" or "value_date") names the date in a refusal (its catalogue key)."""
    d = _DATES.get(text)
    if d is not None:
        return d
    if len(text) != 6 or not text.isdigit():
        raise ParseError(key=f"mt940.date.{what}", values={"found": text}, where=where)
    yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:])
    try:
        d = date(1900 + yy if yy >= 80 else 2000 + yy, mm, dd)
    except ValueError:
        raise ParseError(key=f"mt940.not_calendar.{what}", values={"found": text}, where=where) from None
    _DATES[text] = d
    return d


def entry_date(mmdd: str, value: date, where: str) -> date:
    """The entry (booking) date MMDD of :61: subfield 2, in the year that puts it nearest the
    value date: a line valued 2 January and booked 31 December was booked in the previous year."""
    mm, dd = int(mmdd[:2]), int(mmdd[2:])
    best: date | None = None
    for year in (value.year, value.year - 1, value.year + 1):
        try:
            d = date(year, mm, dd)
        except ValueError:
            continue
        if best is None or abs((d - value).days) < abs((best - value).days):
            best = d
    if best is None:
        raise ParseError(key="mt940.entry_date", values={"found": mmdd}, where=where)
    return best


_POINT = re.compile(r"\d+\.\d{0,2}")


class Amounts:
    """The decimal mark of one file's amounts, and the departures noted for them.

    SWIFT amounts carry a mandatory decimal comma. A file may instead use '.' throughout (a legacy
    export): read, with a departure per statement. Mixing the two in one file is refused, since
    then either mark could be a thousands separator. `notes` is the open statement's collector (the
    reader points it at each statement as it opens)."""

    __slots__ = ("comma_at", "notes", "point_at")

    def __init__(self) -> None:
        self.comma_at = ""  # where the first amount with a decimal comma was
        self.point_at = ""  # where the first amount with a decimal point was
        self.notes = Departures()

    def fen(self, text: str, where: str) -> int:
        """An amount (15d) as unsigned fen."""
        if _AMOUNT.fullmatch(text):
            if self.point_at:
                raise self._mixed(text, where)
            if not self.comma_at:
                self.comma_at = where
            return to_fen(text, decimal=",", where=where)
        return self.dialect(text, where)

    def dialect(self, text: str, where: str) -> int:
        """An amount that is not a SWIFT amount: read where it is unambiguous, else refused."""
        if text.isdigit() and not text.strip("0"):
            self.notes.note("mt940.bare_zero", where)  # zero needs no decimal mark to be read
            return 0
        if _POINT.fullmatch(text):
            if self.comma_at:
                raise self._mixed(text, where)
            if not self.point_at:
                self.point_at = where
            self.notes.note("mt940.decimal_point", where)
            return to_fen(text, decimal=".", where=where)
        raise _amount_problem(text, where)

    def _mixed(self, text: str, where: str) -> ParseError:
        first = self.point_at or self.comma_at
        return ParseError(key="mt940.mixed_point" if self.point_at else "mt940.mixed_comma",
                          values={"found": text, "first": first}, where=where)


def amount(text: str, where: str, amounts: Amounts | None = None) -> int:
    """A SWIFT amount (15d, decimal comma mandatory) as unsigned fen; with `amounts`, the file's
    dialect decides (see `Amounts`)."""
    if amounts is not None:
        return amounts.fen(text, where)
    if not _AMOUNT.fullmatch(text):
        raise _amount_problem(text, where)
    return to_fen(text, decimal=",", where=where)


def _amount_problem(text: str, where: str, field: str = "") -> ParseError:
    """What is wrong with an amount; `field` (':61: ') starts the sentence."""
    digits = re.match(r"\d*[.,]?\d*", text)
    num = digits.group(0) if digits else ""
    if "." in num and len(num) - num.index(".") > 3:
        key = "mt940.amount_thousands"
    elif "." in num:
        key = "mt940.amount_point"
    elif num and "," not in num:
        key = "mt940.amount_no_comma"
    else:
        key, num = "mt940.amount", text
    return ParseError(key=key, values={"field": field, "found": num}, where=where)


@dataclass(frozen=True, slots=True)
class Balance:
    fen: int  # signed: D (debit balance, overdrawn) negative
    day: date
    currency: str


def balance(text: str, where: str, tag: str, amounts: Amounts | None = None) -> Balance:
    """Fields 60F/60M/62F/62M/64/65: [C|D] YYMMDD CCY amount."""
    m = _BALANCE.fullmatch(text.strip())
    if m is None:
        raise ParseError(key="mt940.balance", values={"tag": tag, "found": text.strip()}, where=where)
    fen = amount(m.group(4), where, amounts)
    return Balance(-fen if m.group(1) == "D" else fen, swift_date(m.group(2), where), m.group(3))


# The parsed first line of a :61: field. A plain tuple: a reader makes one per statement line
# and a frozen dataclass would double the cost.
Entry = tuple[date, date, int, bool, str, str, str, str]
"""(value date, booking date, signed fen, reversal, type code, customer reference, bank
reference, supplementary details written on the same line)"""


def statement_line(text: str, where: str, amounts: Amounts | None = None) -> Entry:
    """Field 61 (first line): value date, entry date, mark, funds code, amount, type, references."""
    m = _LINE61.match(text)
    if m is None:
        raise _line61_problem(text, where)
    vd_text, ed_text, mark, _funds, amt = m.groups()
    vd = _DATES.get(vd_text) or swift_date(vd_text, where, "value_date")
    if ed_text:
        key = vd_text + ed_text
        bd = _BOOKED.get(key) or _BOOKED.setdefault(key, entry_date(ed_text, vd, where))
    else:
        bd = vd
    if amounts is None:
        if not _AMOUNT.fullmatch(amt):
            raise _line61_problem(text, where)
        fen = to_fen(amt, decimal=",", where=where)
    elif amounts.point_at or not _AMOUNT.fullmatch(amt):
        fen = amounts.fen(amt, where)
    else:  # the common case inline: a SWIFT amount in a file of SWIFT amounts
        if not amounts.comma_at:
            amounts.comma_at = where
        fen = to_fen(amt, decimal=",", where=where)
    # SWIFT marks from the account holder's side: C credit and RD (reversal of a debit) bring
    # money in; D debit and RC (reversal of a credit) take it out.
    if mark == "D" or mark == "RC":
        fen = -fen
    rest = text[m.end() :]
    notype = rest[:4] == "NONR" and _NOTYPE_NONREF.match(rest)
    if rest[:1] in _TYPE_FIRST and _TYPE.match(rest) and not notype:
        type_code, refs = rest[:4], rest[4:]
    else:
        type_code, refs = _type_code(rest, where)
    cust, sep, bank = refs.partition("//")
    inline = ""
    if not sep and len(cust) > 16 and (cust[15].isspace() or cust[16].isspace()):
        # Customer reference is 16x; banks such as Rabobank put the counterparty name after a
        # padded 16-character reference. A longer reference without that padding (an 18-character
        # IBAN, as ASN and SNS write) is kept whole.
        cust, inline = cust[:16], cust[16:].strip()
    return vd, bd, fen, mark[0] == "R", type_code, cust.strip(), bank.strip(), inline


_TYPE_FIRST = frozenset("NFS")
_NOTYPE_NONREF = re.compile(r"NONREF(?://|$)")


def _type_code(rest: str, where: str) -> tuple[str, str]:
    if rest.startswith("NONREF") and rest[6:8] in ("", "//"):
        return "", rest  # type code left out, reference NONREF (Penta): not type 'NONR'
    if not rest or rest.startswith("//"):
        return "", rest  # type code left out (Zenith Bank); nothing to misread
    if _TYPE.match(rest):
        return rest[:4], rest[4:]
    raise ParseError(key="mt940.type", values={"found": rest[:12]}, where=where)


def _line61_problem(text: str, where: str) -> ParseError:
    if not re.match(r"\d{6}", text):
        return ParseError(key="mt940.line61_date", values={"found": text[:10]}, where=where)
    rest = text[6:]
    if re.match(r"\d{4}", rest):
        rest = rest[4:]
    mark = re.match(r"R?[DC][A-Z]?", rest)
    if mark is None:
        return ParseError(key="mt940.line61_mark", values={"found": rest[:10]}, where=where)
    return _amount_problem(rest[mark.end() :], where, ":61: ")


def count_sum(text: str, where: str, tag: str, amounts: Amounts | None = None) -> tuple[int, str, int]:
    """MT942 fields 90D/90C: number of entries, currency, sum."""
    m = re.fullmatch(r"(\d{1,5})([A-Z]{3})(\S+)", text.strip())
    if m is None:
        raise ParseError(key="mt940.count_sum", values={"tag": tag, "found": text}, where=where)
    return int(m.group(1)), m.group(2), amount(m.group(3), where, amounts)


def floor_limit(text: str, where: str, amounts: Amounts | None = None) -> str:
    """MT942 field 34F: currency, optional D/C, amount. Returns the currency."""
    m = re.fullmatch(r"([A-Z]{3})([DC]?)(\S+)", text.strip())
    if m is None:
        raise ParseError(key="mt940.floor_limit", values={"found": text}, where=where)
    amount(m.group(3), where, amounts)
    return m.group(1)
