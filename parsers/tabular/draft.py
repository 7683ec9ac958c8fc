"""Drafting a bank profile from one file (`recon profile draft`): a new layout in one minute.

The draft reads the file as the tabular reader does (encoding, delimiter, sheets), finds the header
row by the names the existing profiles know (`vocabulary.py`), maps each column by those synonyms,
and guesses from the values what no name tells: which column holds the dates, which numbers are the
amount, the two sides or the balance, the direction flag's words, the decimal mark and the day/month
order. Where the file has a running balance, a guess is checked against it: the amount convention
(and which column is the debit) is the one under which every balance is the previous one plus the
line's amount. The preamble above the header gives the account, name, period and balance labels.

The result is a `Draft`: the choices and, for each, the reason (`why`), which `toml.py` writes out
as comments. Nothing here writes a file; the command in jobs/ does, then reads the file with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise, permutations

from parsers.tabular import grid, sniff
from parsers.tabular.header import norm
from parsers.tabular.preamble import _pairs, period_of
from parsers.tabular.profile import BASE_CURRENCY_MAP, Profile
from parsers.tabular.values import looks_like_date, parse_date
from parsers.tabular.vocabulary import HeaderGuess, Vocabulary, guess_header, is_number, vocabulary
from reconcile.errors import ParseError
from reconcile.money import to_fen

ANALYSED_ROWS = 2000  # enough rows to see every column's shape; a year of a busy account has more
CHECKED_ROWS = 300  # rows the running-balance search checks each candidate against
SEARCHED_COLUMNS = 12  # numeric columns the search pairs up (a statement has a handful; a broken row, hundreds)
_PLACEHOLDERS = frozenset({"", "-", "--", "—", "/", "null", "NULL"})
_SHORT_DATE = re.compile(r"\s*'?(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b")
_ACCOUNT = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d[\d -]{7,30}\d")
_COMMA_DECIMAL = re.compile(r"(?:^|[^\d,.])\d{1,3}(?:\.\d{3})+,\d+|(?:^|[^\d,.])\d+,\d{1,2}(?:\D|$)")
_POINT_DECIMAL = re.compile(r"\d\.\d{1,2}(?:\D|$)")
_IN_WORDS = ("收", "贷", "入", "来", "CR", "CREDIT", "+", "GUTSCHRIFT", "EINGANG", "DEPOSIT")
_OUT_WORDS = ("支", "借", "出", "往", "DR", "DEBIT", "-", "LASTSCHRIFT", "AUSGANG", "WITHDRAWAL")
_ZERO_WORDS = ("不计", "NEUTRAL")  # 不计收支: neither in nor out (Alipay)


@dataclass
class Column:
    index: int
    name: str  # the header cell as written ("" in a headerless file)
    cells: list[str]  # one per data row, stripped ("" where the row is short)
    kind: str = "text"  # date | number | empty | text
    negatives: bool = False


@dataclass
class Choice:
    """One line of the draft: a key, its value, and why (the comment)."""

    key: str
    value: object
    why: str


@dataclass
class Draft:
    name: str
    file_name: str
    where: str  # the header row (or the first data row of a headerless file)
    encoding: str
    delimiter: str
    kind: str  # csv | xlsx
    headerless: bool
    header: list[str]
    detect: list[Choice] = field(default_factory=list)
    columns: list[Choice] = field(default_factory=list)
    unmapped: list[Choice] = field(default_factory=list)  # commented-out suggestions
    amount: list[Choice] = field(default_factory=list)
    dates: list[Choice] = field(default_factory=list)
    preamble: list[Choice] = field(default_factory=list)
    ref: list[Choice] = field(default_factory=list)
    currency: list[Choice] = field(default_factory=list)
    status: list[Choice] = field(default_factory=list)


def _is_date(cell: str) -> bool:
    return parse_date(cell, "dmy") is not None or parse_date(cell, "mdy") is not None


def _is_amount(cell: str) -> bool:
    return is_number(cell) and not looks_like_date(cell)


@lru_cache(maxsize=65536)
def _fen(cell: str, decimal: str) -> int | None:
    s = cell.strip().strip("'\"")
    if s in _PLACEHOLDERS:
        return None
    try:
        return to_fen(s, decimal=decimal)
    except ParseError:
        return None


def _kind(cells: list[str]) -> str:
    filled = [c for c in cells if c not in _PLACEHOLDERS]
    if not filled:
        return "empty"
    if sum(_is_date(c) for c in filled) >= 0.8 * len(filled):
        return "date"
    if sum(_is_amount(c) for c in filled) >= 0.8 * len(filled):
        return "number"
    return "text"


def _columns(rows: list[list[str]], names: list[str]) -> list[Column]:
    data = [r for r in rows if any(_is_date(c) for c in r) and any(_is_amount(c) for c in r)][:ANALYSED_ROWS]
    width = max([len(names), *(len(r) for r in data)], default=0)
    cols = []
    for j in range(width):
        cells = [r[j].strip() if j < len(r) else "" for r in data]
        c = Column(j, names[j].strip() if j < len(names) else "", cells, _kind(cells))
        c.negatives = c.kind == "number" and any(x.lstrip("'\"( ").startswith("-") or x.endswith("-") for x in cells)
        cols.append(c)
    return cols


def _decimal(cols: list[Column]) -> tuple[str, str]:
    cells = [c for col in cols if col.kind == "number" for c in col.cells if c]
    comma = sum(1 for c in cells if _COMMA_DECIMAL.search(c))
    point = sum(1 for c in cells if _POINT_DECIMAL.search(c) and not _COMMA_DECIMAL.search(c))
    if comma > point:
        return ",", f"guessed: {comma} amounts are written with a decimal comma ('1.234,56' or '12,5')"
    if point:
        return ".", f"guessed: {point} amounts are written with a decimal point"
    return ".", "guessed: no amount shows its decimal mark; '.' assumed"


def _date_order(col: Column | None, decimal: str) -> tuple[str, str]:
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


def _running(amounts: list[int | None], balances: list[int | None]) -> bool:
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


def _signed(col: Column, decimal: str, invert: bool = False) -> list[int | None]:
    out = [_fen(c, decimal) for c in col.cells]
    return [(-v if invert and v is not None else v) for v in out]


def _two_sided(debit: Column, credit: Column, decimal: str) -> tuple[list[int | None], str]:
    sign = "negative" if debit.negatives and not credit.negatives else "positive"
    out: list[int | None] = []
    for d, c in zip(debit.cells, credit.cells, strict=True):
        fd, fc = _fen(d, decimal), _fen(c, decimal)
        if fd is None and fc is None:
            out.append(None)
            continue
        dv = fd or 0
        out.append((fc or 0) + (dv if sign == "negative" else -dv))
    return out, sign


def _exclusive(a: Column, b: Column) -> bool:
    """Each row fills one of the two (the other blank or zero), and each is filled somewhere: the
    two sides of a debit/credit layout."""
    def filled(c: str) -> bool:
        return c not in _PLACEHOLDERS and c.strip("0.,+- ") != ""
    rows = [(filled(x), filled(y)) for x, y in zip(a.cells, b.cells, strict=True)]
    return bool(rows) and all(x != y for x, y in rows) and any(x for x, _ in rows) and any(y for _, y in rows)


def _explained(numbers: list[Column], balance: Column, decimal: str) -> Amounts | None:
    """The amount columns (one signed, or two sides) under which `balance` is a running balance."""
    bal = _signed(balance, decimal)
    label = repr(balance.name) if balance.name else f"column {balance.index + 1}"
    for a in numbers:
        if a is balance:
            continue
        for invert in (False, True):
            if _running(_signed(a, decimal, invert), bal):
                return Amounts("signed", {"amount": a}, invert=invert,
                               why=f"guessed: the running balance {label} is explained by this column"
                                   + (" with its signs reversed" if invert else ""))
    for d, c in permutations([n for n in numbers if n is not balance], 2):
        amts, sign = _two_sided(d, c, decimal)
        if _exclusive(d, c) and _running(amts, bal):
            return Amounts("debit_credit", {"debit": d, "credit": c}, debit_sign=sign,
                           why=f"guessed: two columns, one filled per row, that the running balance {label} explains")
    return None


def _amounts(mapped: dict[str, Column], numbers: list[Column], flag: Column | None,
             balance: Column | None, decimal: str) -> tuple[Amounts | None, Column | None]:
    """The amount convention and the balance column: from the mapped names where they say it,
    checked against the running balance where there is one; else searched among the numeric columns
    for those a running balance explains; else the two mutually exclusive columns, or the one signed
    column."""
    bal = _signed(balance, decimal) if balance else None
    if "debit" in mapped and "credit" in mapped:
        d, c = mapped["debit"], mapped["credit"]
        amts, sign = _two_sided(d, c, decimal)
        if bal is not None and not _running(amts, bal) and _running(_two_sided(c, d, decimal)[0], bal):
            return Amounts("debit_credit", {"debit": c, "credit": d}, debit_sign=_two_sided(c, d, decimal)[1],
                           why="the names say the opposite, but the running balance says this way round"), balance
        conv = "flag_debit_credit" if flag is not None else "debit_credit"
        checked = " (checked against the running balance)" if bal is not None and _running(amts, bal) else ""
        return Amounts(conv, {"debit": d, "credit": c}, debit_sign=sign,
                       why="the column names say so" + checked), balance
    if "amount" in mapped:
        a = mapped["amount"]
        if flag is not None and not a.negatives:
            return Amounts("flag", {"amount": a}, why="an unsigned amount and a direction flag"), balance
        if bal is not None and not _running(_signed(a, decimal), bal) and _running(_signed(a, decimal, True), bal):
            return Amounts("signed", {"amount": a}, invert=True,
                           why="the running balance says the signs are the reverse of ours"), balance
        checked = " (checked against the running balance)" if bal is not None and _running(
            _signed(a, decimal), bal) else ""
        return Amounts("signed", {"amount": a}, why="one signed amount column" + checked), balance
    full = [c for c in numbers if all(x not in _PLACEHOLDERS for x in c.cells)]
    for b in ([balance] if balance is not None else full):
        found = _explained(numbers, b, decimal)
        if found is not None:
            return found, b
    pairs = [(d, c) for d, c in permutations(numbers, 2) if d.index < c.index and _exclusive(d, c)]
    if pairs:
        d, c = pairs[0]
        if c.negatives and not d.negatives:
            d, c = c, d
        return Amounts("debit_credit", {"debit": d, "credit": c}, debit_sign=_two_sided(d, c, decimal)[1],
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


def _flag_words(flag: Column, vocab: Vocabulary, amounts: Amounts, balance: Column | None,
                decimal: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(in, out, zero, unknown) values of the direction flag: the words profiles know, then the
    running balance, then the usual words (收/贷/CR/+ in; 支/借/DR/- out)."""
    values = list(dict.fromkeys(v for v in flag.cells if v))
    ins, outs, zeros, unknown = [], [], [], []
    deltas: dict[str, set[int]] = {}
    if balance is not None and "amount" in amounts.fields:
        amts = _signed(amounts.fields["amount"], decimal)
        bals = _signed(balance, decimal)
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
        elif any(w in upper for w in _ZERO_WORDS):
            zeros.append(v)
        elif any(w in upper for w in _IN_WORDS) and not any(w in upper for w in _OUT_WORDS):
            ins.append(v)
        elif any(w in upper for w in _OUT_WORDS) and not any(w in upper for w in _IN_WORDS):
            outs.append(v)
        else:
            unknown.append(v)
    return ins, outs, zeros, unknown


def _preamble(rows: list[list[str]], vocab: Vocabulary, taken: set[str]) -> list[Choice]:
    out: list[Choice] = []
    seen: set[str] = set()
    for row in rows:
        for label, value in _pairs(row):
            lab = label.strip().rstrip(":：").strip()
            n, v = norm(lab), value.strip()
            if not n or not v or n in seen:
                continue
            key = vocab.preamble.get(n)
            why = "a label profiles know"
            if key is None:
                key = _label_key(n, v, taken)
                why = f"guessed from the label and its value {v!r}"
            if key is None:
                if _ACCOUNT.fullmatch(v.strip("'\"=")) and "own_account" not in taken and not _is_date(v):
                    key, why = "own_account", f"guessed: its value {v!r} looks like an account number"
                elif period_of(v) != (None, None) and "period" not in taken:
                    key, why = "period", f"guessed: its value {v!r} holds two dates"
                elif (v in BASE_CURRENCY_MAP or v.upper() in BASE_CURRENCY_MAP) and "currency" not in taken:
                    key, why = "currency", f"guessed: its value {v!r} is a currency"
            if key is not None and key not in taken:
                taken.add(key)
                seen.add(n)
                out.append(Choice(key, [lab], why))
    return out


_LABELS = (  # words of a preamble label no profile knows -> key, and what its value must be
    (("期末余额", "当前余额", "期末", "closingbalance", "endsaldo", "kontostand", "balanceatend"), "closing", "number"),
    (("期初余额", "上期余额", "期初", "openingbalance", "anfangssaldo", "balanceatstart"), "opening", "number"),
    (("起始日期", "开始日期", "起始", "startdate", "from", "von"), "period_start", "date"),
    (("终止日期", "截止日期", "结束日期", "终止", "enddate", "bis", "to"), "period_end", "date"),
)


def _label_key(n: str, value: str, taken: set[str]) -> str | None:
    for words, key, shape in _LABELS:
        if key in taken or not any(w in n for w in words):
            continue
        if (shape == "number" and _is_amount(value)) or (shape == "date" and _is_date(value)):
            return key
    return None


def _row_pattern(col: Column) -> str:
    """A regex for a headerless column's cells, for `[detect] row` ('' = any)."""
    filled = [c for c in col.cells if c not in _PLACEHOLDERS]
    if col.kind == "date" and len(filled) == len(col.cells):
        shapes = {re.sub(r"\d+", lambda m: rf"\d{{{len(m.group(0))}}}", re.escape(c)) for c in filled}
        return shapes.pop() if len(shapes) == 1 else r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    if col.kind == "number" and len(filled) == len(col.cells):
        return r"[-+]?[\d.,' ]*\d[\d.,' ]*-?"
    return ""


def draft(data: bytes, name: str, profiles: dict[str, Profile], file_name: str = "") -> Draft:
    """The draft profile `name` for the file's layout. Raises ParseError when the file has neither a
    header row nor rows with a date and an amount."""
    sheets = grid.read_sheets(data)
    vocab = vocabulary(profiles.values())
    guess: HeaderGuess | None = guess_header(sheets, vocab)
    if guess is None:
        raise ParseError("no header row and no row with a date and an amount: nothing to draft from")
    sheet = guess.sheet
    headerless = guess.row_is_data
    names = [] if headerless else [c.strip() for c in sheet.rows[guess.row]]
    while names and not names[-1]:
        names.pop()
    body = sheet.rows[guess.row:] if headerless else sheet.rows[guess.row + 1:]
    for other in sheets[sheets.index(sheet) + 1:]:  # a workbook continues its statement on later sheets
        body = body + other.rows
    cols = _columns(body, names)
    kind = sniff.kind(data[:4096])
    text_delim = grid.sniff_delimiter(sniff.decode(data)[0]) if kind == "text" else ""
    d = Draft(name, file_name, sheet.where(guess.row), sheet.encoding, text_delim,
              "csv" if kind in ("text", "html") else "xlsx", headerless, names)
    _map(d, cols, vocab, sheet.rows[: guess.row] if not headerless else [])
    return d


_FITS = {"booking_date": "date", "txn_date": "date", "value_date": "date", "balance": "number",
         "amount": "number", "debit": "number", "credit": "number"}


def _side(name: str) -> str:
    """'debit' or 'credit' as a column's name says it (转出金额, 借方, Withdrawal / 转入金额, 贷方,
    Deposit), or '' where it says neither or both."""
    upper = name.upper()
    out = any(w in upper for w in _OUT_WORDS if len(w) > 1 or not w.isascii())
    inn = any(w in upper for w in _IN_WORDS if len(w) > 1 or not w.isascii())
    return "debit" if out and not inn else "credit" if inn and not out else ""


def _by_name(d: Draft, cols: list[Column], vocab: Vocabulary) -> tuple[dict[str, Column], dict[str, str]]:
    """Fields by the names profiles know: whole names first, then names holding a known name (for
    fields no whole name took). Two columns that both hold an amount's name and are filled in turn
    are the two sides, told apart by their names (转入/转出, Deposit/Withdrawal)."""
    mapped: dict[str, Column] = {}
    why: dict[str, str] = {}
    also: dict[str, list[Column]] = {}
    for exact in (True, False):
        for col in cols:
            hit = vocab.field_of(col.name) if col.name and id(col) not in map(id, mapped.values()) else None
            if hit is None or (hit[1] == norm(col.name)) != exact:
                continue
            f, known = hit
            fits = _FITS.get(f)
            if fits and col.kind not in (fits, "empty"):
                d.unmapped.append(Choice(f, [col.name], f"column {col.index + 1}: the name is known as {f}, "
                                                        f"but its values are {col.kind}, so it was left out"))
                continue
            if f in mapped:
                also.setdefault(f, []).append(col)
                continue
            mapped[f] = col
            why[f] = f"column {col.index + 1}: " + ("a name profiles know" if exact else
                                                     f"guessed: the name holds {vocab.spelled.get(known, known)!r}, "
                                                     f"a name profiles know; read as {f}")
    if "amount" in mapped and not {"debit", "credit"} & mapped.keys():
        a = mapped["amount"]
        for b in also.get("amount", []):
            sides = {_side(a.name), _side(b.name)}
            if _exclusive(a, b) and sides == {"debit", "credit"}:
                del mapped["amount"]
                also["amount"].remove(b)
                for c in (a, b):
                    mapped[_side(c.name)] = c
                    why[_side(c.name)] = (f"column {c.index + 1}: guessed: one of two amount columns filled in "
                                          f"turn; its name says {_side(c.name)}")
                break
    for f, extra in also.items():
        for c in extra:
            d.unmapped.append(Choice(f, [c.name], f"column {c.index + 1}: also known as {f}; "
                                                  f"column {mapped[f].index + 1} was taken"))
    return mapped, why


def _map(d: Draft, cols: list[Column], vocab: Vocabulary, above: list[list[str]]) -> None:
    mapped, why = _by_name(d, cols, vocab)
    decimal, decimal_why = _decimal(cols)
    dates = [c for c in cols if c.kind == "date" and id(c) not in set(map(id, mapped.values()))]
    if not {"booking_date", "txn_date"} & mapped.keys() and dates:
        mapped["booking_date"] = dates[0]
        why["booking_date"] = f"column {dates[0].index + 1}: guessed: the first column holding dates"
    used = set(map(id, mapped.values()))
    free_text = [c for c in cols if c.kind == "text" and id(c) not in used]
    flag = mapped.get("flag")
    if flag is None:
        for c in free_text:
            values = {v for v in c.cells if v}
            if 2 <= len(values) <= 6 and values & (vocab.flag_in | vocab.flag_out | vocab.flag_zero):
                flag = mapped["flag"] = c
                why["flag"] = f"column {c.index + 1}: guessed: a few values, among them direction words profiles know"
                used.add(id(c))
                break
    numbers = [c for c in cols if c.kind == "number" and id(c) not in used][:SEARCHED_COLUMNS]
    amounts, balance = _amounts(mapped, numbers, flag, mapped.get("balance"), decimal)
    if balance is not None and "balance" not in mapped:
        mapped["balance"] = balance
        why["balance"] = f"column {balance.index + 1}: guessed: each value is the previous plus the line's amount"
    if balance is None and amounts is not None:
        rest = [c for c in numbers if c not in amounts.fields.values()]
        for c in rest:
            if _running(_amount_values(amounts, decimal), _signed(c, decimal)):
                balance = mapped["balance"] = c
                why["balance"] = f"column {c.index + 1}: guessed: each value is the previous plus the line's amount"
                break
    if amounts is not None and flag is not None:
        words = _flag_words(flag, vocab, amounts, balance, decimal)
        if not any(words[:3]):  # none of its values says a direction: it is text, not a flag
            del mapped["flag"]
            if "text" not in mapped:
                mapped["text"] = flag
                why["text"] = f"column {flag.index + 1}: known as a direction flag, but no value says a direction"
            if amounts.convention == "flag_debit_credit":
                amounts.convention = "debit_credit"
            elif amounts.convention == "flag":
                amounts.convention = "signed"
                amounts.why = "guessed: one amount column; the flag column's values say no direction"
            flag = None
        elif amounts.convention in ("signed", "debit_credit"):
            del mapped["flag"]
            d.unmapped.append(Choice("flag", [flag.name] if flag.name else flag.index,
                                     f"column {flag.index + 1}: direction words, not needed: the amounts "
                                     "carry their sign"))
            flag = None
    if amounts is not None:
        for f, c in amounts.fields.items():
            if mapped.get(f) is not c:
                mapped[f] = c
                why[f] = f"column {c.index + 1}: " + amounts.why
    if not {"booking_date", "txn_date"} & mapped.keys():
        raise ParseError("no column holds dates: a profile needs a booking date column to draft from")
    if amounts is None:
        raise ParseError("no column holds amounts: a profile needs an amount (or debit and credit) to draft from")
    for f, c in mapped.items():  # a column without a name is taken by its place (0-based)
        d.columns.append(Choice(f, c.index if d.headerless or not c.name.strip() else [c.name],
                                why.get(f, amounts.why)))
    taken_cols = set(map(id, mapped.values()))
    for c in cols:
        if id(c) in taken_cols or not c.name:
            continue
        if not any(ch.value == [c.name] for ch in d.unmapped):
            d.unmapped.append(Choice("remark" if c.kind == "text" else "?", [c.name],
                                     f"column {c.index + 1}: no profile knows this name ({c.kind})"))
    _amount_section(d, amounts, decimal, decimal_why, flag, vocab, balance)
    order, order_why = _date_order(mapped.get("booking_date") or mapped.get("txn_date"), decimal)
    d.dates.append(Choice("order", order, order_why))
    _detect(d, cols, mapped)
    taken: set[str] = set()
    d.preamble = _preamble(above, vocab, taken)
    _ref_status_currency(d, mapped, vocab)


def _amount_values(a: Amounts, decimal: str) -> list[int | None]:
    if a.convention in ("debit_credit", "flag_debit_credit"):
        return _two_sided(a.fields["debit"], a.fields["credit"], decimal)[0]
    return _signed(a.fields["amount"], decimal, a.invert)


def _amount_section(d: Draft, a: Amounts | None, decimal: str, decimal_why: str, flag: Column | None,
                    vocab: Vocabulary, balance: Column | None) -> None:
    if a is None:
        d.amount.append(Choice("convention", "signed", "TODO: no column of amounts found; map amount (or "
                                                       "debit and credit) under [columns]"))
        return
    d.amount.append(Choice("convention", a.convention, a.why))
    if a.invert:
        d.amount.append(Choice("invert", True, "the file's sign is the reverse of ours"))
    if a.debit_sign == "negative":
        d.amount.append(Choice("debit_sign", "negative", "the debit column's values carry a minus"))
    if flag is not None and a.convention in ("flag", "flag_debit_credit"):
        ins, outs, zeros, unknown = _flag_words(flag, vocab, a, balance, decimal)
        d.amount.append(Choice("flag_in", ins, "values meaning money in"))
        d.amount.append(Choice("flag_out", outs, "values meaning money out"))
        d.amount.append(Choice("flag_zero", zeros, "values meaning neither (kept as 0)" + (
            f"; TODO: classify {', '.join(repr(u) for u in unknown)} (put each in flag_in, flag_out or "
            "flag_zero): rows with it are refused until then" if unknown else "")))
    d.amount.append(Choice("decimal", decimal, decimal_why))


def _detect(d: Draft, cols: list[Column], mapped: dict[str, Column]) -> None:
    if d.headerless:
        width = len(cols)
        while width and cols[width - 1].kind == "empty":
            width -= 1
        pats = [_row_pattern(c) for c in cols]
        d.detect.append(Choice("row", pats, "no header: one pattern per cell of a data row ('' = anything)"))
        return
    names = [c.name for c in sorted(mapped.values(), key=lambda c: c.index) if c.name]
    d.detect.append(Choice("required", list(dict.fromkeys(names)),
                           "the names mapped below: a file whose header has all of them is this layout"))


def _ref_status_currency(d: Draft, mapped: dict[str, Column], vocab: Vocabulary) -> None:
    ref = mapped.get("bank_ref")
    if ref is not None:
        known = vocab.strength.get(norm(ref.name)) if ref.name else None
        values = [c for c in ref.cells if c]
        unique = len(set(values)) == len(values)
        strength = known or ("strong" if unique else "weak")
        d.ref.append(Choice("strength", strength, "as profiles give this name" if known else (
            "guessed: the references are unique in this file" if unique else "guessed: references repeat")))
    status = mapped.get("status")
    if status is not None:
        values = list(dict.fromkeys(c for c in status.cells if c))
        pending = [v for v in values if v in vocab.pending]
        d.status.append(Choice("pending", pending, "values meaning not yet booked" + (
            f"; the column also holds {', '.join(repr(v) for v in values if v not in pending)}" if values else "")))
    if "currency" not in mapped:
        d.currency.append(Choice("default", "CNY", "no currency column: yuan assumed; change it if the account "
                                                   "is not in yuan (ingest refuses other currencies)"))
