"""Drafting a bank profile from one file (`recon profile draft`): a new layout in one minute.

The draft reads the file as the tabular reader does (encoding, delimiter, sheets), finds the header
row by the names the existing profiles know (`vocabulary.py`), maps each column by those synonyms
(whole names first, then names that hold a known one: 借方发生额/元(支取) holds 借方发生额), and
guesses from the values what no name tells (`draft_columns.py`: which column holds the dates, which
numbers are the amount, the two sides or the balance, checked against the running balance; the
direction flag's words, the decimal mark, the day/month order). The preamble above the header gives
the account, name, period and balance labels.

The result is a `Draft`: the choices and, for each, the reason (`why`), which `draft_text.py` writes
out as comments. Nothing here writes a file; the command in jobs/ does, then reads the file with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.tabular import grid, sniff
from parsers.tabular.draft_columns import (
    PLACEHOLDERS,
    Amounts,
    Column,
    amount_convention,
    amount_values,
    columns_of,
    date_order,
    decimal_mark,
    exclusive,
    flag_words,
    is_amount,
    is_date,
    running,
    side,
    signed,
)
from parsers.tabular.header import norm
from parsers.tabular.preamble import _pairs, period_of
from parsers.tabular.profile import BASE_CURRENCY_MAP, Profile
from parsers.tabular.vocabulary import HeaderGuess, Vocabulary, guess_header, vocabulary
from reconcile.errors import ParseError

SEARCHED_COLUMNS = 12  # numeric columns the search pairs up (a statement has a handful; a broken row, hundreds)
_ACCOUNT = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}|\d[\d -]{7,30}\d")


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
                if _ACCOUNT.fullmatch(v.strip("'\"=")) and "own_account" not in taken and not is_date(v):
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
        if (shape == "number" and is_amount(value)) or (shape == "date" and is_date(value)):
            return key
    return None


def _row_pattern(col: Column) -> str:
    """A regex for a headerless column's cells, for `[detect] row` ('' = any)."""
    filled = [c for c in col.cells if c not in PLACEHOLDERS]
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
        raise ParseError(key="draft.nothing")
    sheet = guess.sheet
    headerless = guess.row_is_data
    names = [] if headerless else [c.strip() for c in sheet.rows[guess.row]]
    while names and not names[-1]:
        names.pop()
    body = sheet.rows[guess.row:] if headerless else sheet.rows[guess.row + 1:]
    for other in sheets[sheets.index(sheet) + 1:]:  # a workbook continues its statement on later sheets
        body = body + other.rows
    cols = columns_of(body, names)
    kind = sniff.kind(data[:4096])
    text_delim = grid.sniff_delimiter(sniff.decode(data)[0]) if kind == "text" else ""
    d = Draft(name, file_name, sheet.where(guess.row), sheet.encoding, text_delim,
              "csv" if kind in ("text", "html") else "xlsx", headerless, names)
    _map(d, cols, vocab, sheet.rows[: guess.row] if not headerless else [])
    return d


_FITS = {"booking_date": "date", "txn_date": "date", "value_date": "date", "balance": "number",
         "amount": "number", "debit": "number", "credit": "number"}


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
            sides = {side(a.name), side(b.name)}
            if exclusive(a, b) and sides == {"debit", "credit"}:
                del mapped["amount"]
                also["amount"].remove(b)
                for c in (a, b):
                    mapped[side(c.name)] = c
                    why[side(c.name)] = (f"column {c.index + 1}: guessed: one of two amount columns filled in "
                                          f"turn; its name says {side(c.name)}")
                break
    for f, extra in also.items():
        taken = f"column {mapped[f].index + 1} was taken" if f in mapped else "its pair was taken as the two sides"
        for c in extra:
            d.unmapped.append(Choice(f, [c.name], f"column {c.index + 1}: also known as {f}; {taken}"))
    return mapped, why


def _map(d: Draft, cols: list[Column], vocab: Vocabulary, above: list[list[str]]) -> None:
    mapped, why = _by_name(d, cols, vocab)
    decimal, decimal_why = decimal_mark(cols)
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
    amounts, balance = amount_convention(mapped, numbers, flag, mapped.get("balance"), decimal)
    if balance is not None and "balance" not in mapped:
        mapped["balance"] = balance
        why["balance"] = f"column {balance.index + 1}: guessed: each value is the previous plus the line's amount"
    if balance is None and amounts is not None:
        rest = [c for c in numbers if c not in amounts.fields.values()]
        for c in rest:
            if running(amount_values(amounts, decimal), signed(c, decimal)):
                balance = mapped["balance"] = c
                why["balance"] = f"column {c.index + 1}: guessed: each value is the previous plus the line's amount"
                break
    if amounts is not None and flag is not None:
        words = flag_words(flag, vocab, amounts, balance, decimal)
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
        raise ParseError(key="draft.no_dates")
    if amounts is None:
        raise ParseError(key="draft.no_amounts")
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
    order, order_why = date_order(mapped.get("booking_date") or mapped.get("txn_date"), decimal)
    d.dates.append(Choice("order", order, order_why))
    _detect(d, cols, mapped)
    taken: set[str] = set()
    d.preamble = _preamble(above, vocab, taken)
    _ref_status_currency(d, mapped, vocab)


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
        ins, outs, zeros, unknown = flag_words(flag, vocab, a, balance, decimal)
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
