"""The columns of a layout being drafted (draft.py): the shape of each (dates, numbers, text), the
decimal mark and the day/month order the values show, and which columns hold the amounts.

The amount convention is taken from the names where the profiles' names tell it, and checked against
the running balance where the file has one: the convention (and which column is the debit) is the
one under which every balance is the previous one plus the line's amount, in file order or reversed.
Where no name tells it, the columns the running balance explains are searched for; then the two
columns filled in turn; then the one signed column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, permutations

from parsers.tabular.values import looks_like_date, parse_date
from parsers.tabular.vocabulary import Vocabulary, is_number
from reconcile.errors import ParseError
from reconcile.money import to_fen

ANALYSED_ROWS = 2000  # enough rows to see every column's shape; a year of a busy account has more
CHECKED_ROWS = 300  # rows the running-balance search checks each candidate against
PLACEHOLDERS = frozenset({"", "-", "--", "—", "/", "null", "NULL"})
_SHORT_DATE = re.compile(r"\s*'?(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b")
_COMMA_DECIMAL = re.compile(r"(?:^|[^\d,.])\d{1,3}(?:\.\d{3})+,\d+|(?:^|[^\d,.])\d+,\d{1,2}(?:\D|$)")
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}(?:\D|$)")
IN_WORDS = ("收", "贷", "入", "来", "CR", "CREDIT", "+", "GUTSCHRIFT", "EINGANG", "DEPOSIT")
OUT_WORDS = ("支", "借", "出", "往", "DR", "DEBIT", "-", "LASTSCHRIFT", "AUSGANG", "WITHDRAWAL")
ZERO_WORDS = ("不计", "NEUTRAL")  # 不计收支: neither in nor out (Alipay)


@dataclass
class Column:
    index: int
    name: str  # the header cell as written ("" in a headerless file)
    cells: list[str]  # one per data row, stripped ("" where the row is short)
    kind: str = "text"  # date | number | empty | text
    negatives: bool = False


def is_date(cell: str) -> bool:
    """A cell that is a date in some day/month order."""
    return parse_date(cell, "dmy") is not None or parse_date(cell, "mdy") is not None


def is_amount(cell: str) -> bool:
    """A cell that is a number and no date (20240301 is a date)."""
    return is_number(cell) and not looks_like_date(cell)


@lru_cache(maxsize=65536)
def fen(cell: str, decimal: str) -> int | None:
    """A cell's amount, None when it is blank, a placeholder or no amount (analysis only: the reader
    refuses such a cell where it matters)."""
    s = cell.strip().strip("'\"")
    if s in PLACEHOLDERS:
        return None
    try:
        return to_fen(s, decimal=decimal)
    except ParseError:
        return None


def kind_of(cells: list[str]) -> str:
    filled = [c for c in cells if c not in PLACEHOLDERS]
    if not filled:
        return "empty"
    if sum(is_date(c) for c in filled) >= 0.8 * len(filled):
        return "date"
    if sum(is_amount(c) for c in filled) >= 0.8 * len(filled):
        return "number"
    return "text"


def columns_of(rows: list[list[str]], names: list[str]) -> list[Column]:
    data = [r for r in rows if any(is_date(c) for c in r) and any(is_amount(c) for c in r)][:ANALYSED_ROWS]
    width = max([len(names), *(len(r) for r in data)], default=0)
    cols = []
    for j in range(width):
        cells = [r[j].strip() if j < len(r) else "" for r in data]
        c = Column(j, names[j].strip() if j < len(names) else "", cells, kind_of(cells))
        c.negatives = c.kind == "number" and any(x.lstrip("'\"( ").startswith("-") or x.endswith("-") for x in cells)
        cols.append(c)
    return cols


def decimal_mark(cols: list[Column]) -> tuple[str, str]:
    cells = [c for col in cols if col.kind == "number" for c in col.cells if c]
    comma = sum(1 for c in cells if _COMMA_DECIMAL.search(c))
    point = sum(1 for c in cells if _POINT_DECIMAL.search(c) and not _COMMA_DECIMAL.search(c))
    if comma > point:
        return ",", f"guessed: {comma} amounts are written with a decimal comma ('1.234,56' or '12,5')"
    if point:
        return ".", f"guessed: {point} amounts are written with a decimal point"
    return ".", "guessed: no amount shows its decimal mark; '.' assumed"


def date_order(col: Column | None, decimal: str) -> tuple[str, str]:
    if col is None:
        return "ymd", "no date column found"
    firsts, seconds = [], []
    for c in col.cells:
        m = _SHORT_DATE.match(c)
        if m:
            firsts.append(int(m.group(1)))
            seconds.append(int(m.group(2)))
    if not firsts:
        return "ymd", "dates are written year first (YYYY-MM-DD, YYYYMMDD ...): the order does not matter"
    if max(firsts) > 12:
        return "dmy", f"dates are day/month/year: a first part is {max(firsts)}, above 12"
    if max(seconds) > 12:
        return "mdy", f"dates are month/day/year: a second part is {max(seconds)}, above 12"
    guess = "dmy" if decimal == "," else "mdy"
    return guess, ("guessed: no day above 12 in the file, so day and month cannot be told apart; "
                   f"{guess} since the amounts use '{decimal}'; check the first and last dates printed")


def running(amounts: list[int | None], balances: list[int | None]) -> bool:
    """Whether each balance is the previous one plus the line's amount, in file order or in reverse
    (banks list newest first as often as oldest first). Two rows prove nothing (one step can be
    explained either way round), so it takes three."""
    pairs = [(a, b) for a, b in zip(amounts, balances, strict=False) if b is not None][:CHECKED_ROWS]
    if len(pairs) < 3 or any(a is None for a, _ in pairs):
        return False
    up = all(b1 == b0 + a1 for (_, b0), (a1, b1) in pairwise(pairs))  # type: ignore[operator]
    down = all(b0 == b1 + a0 for (a0, b0), (_, b1) in pairwise(pairs))  # type: ignore[operator]
    return up or down


@dataclass
class Amounts:
    convention: str
    fields: dict[str, Column]
    invert: bool = False
    debit_sign: str = "positive"
    why: str = ""


def signed(col: Column, decimal: str, invert: bool = False) -> list[int | None]:
    out = [fen(c, decimal) for c in col.cells]
    return [(-v if invert and v is not None else v) for v in out]


def two_sided(debit: Column, credit: Column, decimal: str) -> tuple[list[int | None], str]:
    sign = "negative" if debit.negatives and not credit.negatives else "positive"
    out: list[int | None] = []
    for d, c in zip(debit.cells, credit.cells, strict=True):
        fd, fc = fen(d, decimal), fen(c, decimal)
        if fd is None and fc is None:
            out.append(None)
            continue
        dv = fd or 0
        out.append((fc or 0) + (dv if sign == "negative" else -dv))
    return out, sign


def exclusive(a: Column, b: Column) -> bool:
    """Each row fills one of the two (the other blank or zero), and each is filled somewhere: the
    two sides of a debit/credit layout."""
    def filled(c: str) -> bool:
        return c not in PLACEHOLDERS and c.strip("0.,+- ") != ""
    rows = [(filled(x), filled(y)) for x, y in zip(a.cells, b.cells, strict=True)]
    return bool(rows) and all(x != y for x, y in rows) and any(x for x, _ in rows) and any(y for _, y in rows)


def explained(numbers: list[Column], balance: Column, decimal: str) -> Amounts | None:
    """The amount columns (one signed, or two sides) under which `balance` is a running balance."""
    bal = signed(balance, decimal)
    label = repr(balance.name) if balance.name else f"column {balance.index + 1}"
    for a in numbers:
        if a is balance:
            continue
        for invert in (False, True):
            if running(signed(a, decimal, invert), bal):
                return Amounts("signed", {"amount": a}, invert=invert,
                               why=f"guessed: the running balance {label} is explained by this column"
                                   + (" with its signs reversed" if invert else ""))
    for d, c in permutations([n for n in numbers if n is not balance], 2):
        amts, sign = two_sided(d, c, decimal)
        if exclusive(d, c) and running(amts, bal):
            return Amounts("debit_credit", {"debit": d, "credit": c}, debit_sign=sign,
                           why=f"guessed: two columns, one filled per row, that the running balance {label} explains")
    return None


def amount_convention(mapped: dict[str, Column], numbers: list[Column], flag: Column | None,
             balance: Column | None, decimal: str) -> tuple[Amounts | None, Column | None]:
    """The amount convention and the balance column: from the mapped names where they say it,
    checked against the running balance where there is one; else searched among the numeric columns
    for those a running balance explains; else the two mutually exclusive columns, or the one signed
    column."""
    bal = signed(balance, decimal) if balance else None
    if "debit" in mapped and "credit" in mapped:
        d, c = mapped["debit"], mapped["credit"]
        amts, sign = two_sided(d, c, decimal)
        if bal is not None and not running(amts, bal) and running(two_sided(c, d, decimal)[0], bal):
            return Amounts("debit_credit", {"debit": c, "credit": d}, debit_sign=two_sided(c, d, decimal)[1],
                           why="the names say the opposite, but the running balance says this way round"), balance
        conv = "flag_debit_credit" if flag is not None else "debit_credit"
        checked = " (checked against the running balance)" if bal is not None and running(amts, bal) else ""
        return Amounts(conv, {"debit": d, "credit": c}, debit_sign=sign,
                       why="the column names say so" + checked), balance
    if "amount" in mapped:
        a = mapped["amount"]
        if flag is not None and not a.negatives:
            return Amounts("flag", {"amount": a}, why="an unsigned amount and a direction flag"), balance
        if bal is not None and not running(signed(a, decimal), bal) and running(signed(a, decimal, True), bal):
            return Amounts("signed", {"amount": a}, invert=True,
                           why="the running balance says the signs are the reverse of ours"), balance
        checked = " (checked against the running balance)" if bal is not None and running(
            signed(a, decimal), bal) else ""
        return Amounts("signed", {"amount": a}, why="one signed amount column" + checked), balance
    full = [c for c in numbers if all(x not in PLACEHOLDERS for x in c.cells)]
    for b in ([balance] if balance is not None else full):
        found = explained(numbers, b, decimal)
        if found is not None:
            return found, b
    pairs = [(d, c) for d, c in permutations(numbers, 2) if d.index < c.index and exclusive(d, c)]
    if pairs:
        d, c = pairs[0]
        if c.negatives and not d.negatives:
            d, c = c, d
        return Amounts("debit_credit", {"debit": d, "credit": c}, debit_sign=two_sided(d, c, decimal)[1],
                       why="guessed: two columns, one filled per row; the first (or the negative one) taken "
                           "as the debit: swap the two names if the totals printed are the wrong way round"), balance
    if numbers:
        a = numbers[0]
        if flag is not None and not a.negatives:
            return Amounts("flag", {"amount": a},
                           why="guessed: the first numeric column, unsigned, with a flag"), balance
        return Amounts("signed", {"amount": a},
                       why="guessed: the first numeric column, taken as a signed amount"), balance
    return None, balance


def flag_words(flag: Column, vocab: Vocabulary, amounts: Amounts, balance: Column | None,
                decimal: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(in, out, zero, unknown) values of the direction flag: the words profiles know, then the
    running balance, then the usual words (收/贷/CR/+ in; 支/借/DR/- out)."""
    values = list(dict.fromkeys(v for v in flag.cells if v))
    ins, outs, zeros, unknown = [], [], [], []
    deltas: dict[str, set[int]] = {}
    if balance is not None and "amount" in amounts.fields:
        amts = signed(amounts.fields["amount"], decimal)
        bals = signed(balance, decimal)
        for i in range(1, len(bals)):
            b0, b1, a = bals[i - 1], bals[i], amts[i]
            if b0 is not None and b1 is not None and a:
                sign = 1 if b1 - b0 == a else -1 if b1 - b0 == -a else 0
                deltas.setdefault(flag.cells[i], set()).add(sign)
    for v in values:
        upper = v.upper()
        if v in vocab.flag_in:
            ins.append(v)
        elif v in vocab.flag_out:
            outs.append(v)
        elif v in vocab.flag_zero:
            zeros.append(v)
        elif deltas.get(v) == {1}:
            ins.append(v)
        elif deltas.get(v) == {-1}:
            outs.append(v)
        elif any(w in upper for w in ZERO_WORDS):
            zeros.append(v)
        elif any(w in upper for w in IN_WORDS) and not any(w in upper for w in OUT_WORDS):
            ins.append(v)
        elif any(w in upper for w in OUT_WORDS) and not any(w in upper for w in IN_WORDS):
            outs.append(v)
        else:
            unknown.append(v)
    return ins, outs, zeros, unknown


def side(name: str) -> str:
    """'debit' or 'credit' as a column's name says it (转出金额, 借方, Withdrawal / 转入金额, 贷方,
    Deposit), or '' where it says neither or both."""
    upper = name.upper()
    out = any(w in upper for w in OUT_WORDS if len(w) > 1 or not w.isascii())
    inn = any(w in upper for w in IN_WORDS if len(w) > 1 or not w.isascii())
    return "debit" if out and not inn else "credit" if inn and not out else ""


def amount_values(a: Amounts, decimal: str) -> list[int | None]:
    if a.convention in ("debit_credit", "flag_debit_credit"):
        return two_sided(a.fields["debit"], a.fields["credit"], decimal)[0]
    return signed(a.fields["amount"], decimal, a.invert)
