"""What the bank profiles already know, pooled: header names -> canonical field, preamble labels ->
key, direction flags, pending words. Used where no profile fits a file: to find its header row, to
name the nearest profile and what it lacks, and to draft a profile for it (`draft.py`).

Names are compared after `header.norm` (full-width forms, spaces and [English glosses] folded), so
the Chinese and English synonyms of every profile count, in whatever width the bank wrote them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from parsers.tabular.grid import Sheet
from parsers.tabular.header import _NEEDS, SCAN_ROWS, norm
from parsers.tabular.profile import Profile
from parsers.tabular.values import looks_like_date, parse_date

# A cell that is a number as banks write amounts: signs, currency marks, grouping, a decimal mark.
_NUMBER = re.compile(r"[-+(]?\s*[¥￥$€£]?\s*[-+]?\d[\d,.' \u00a0]*\)?-?\s*(?:[A-Z]{3})?")
# Where several profiles give one name different fields, the more telling field wins the tie.
_PRIORITY = ("booking_date", "txn_date", "amount", "debit", "credit", "flag", "balance", "value_date",
             "counterparty_account", "counterparty_name", "bank_ref", "text", "remark", "currency")


def is_number(cell: str) -> bool:
    s = cell.strip()
    return bool(s) and _NUMBER.fullmatch(s) is not None and any(ch.isdigit() for ch in s)


@dataclass(frozen=True)
class Vocabulary:
    fields: dict[str, str]  # normalised header name -> canonical field
    spelled: dict[str, str]  # normalised header name -> a profile's spelling of it
    preamble: dict[str, str]  # normalised preamble label -> preamble key
    flag_in: frozenset[str]
    flag_out: frozenset[str]
    flag_zero: frozenset[str]
    pending: frozenset[str]
    strength: dict[str, str]  # normalised bank_ref header -> the strength profiles give it

    def field_of(self, name: str) -> tuple[str, str] | None:
        """(field, the known name) for a header name: the name itself if a profile knows it, else
        the longest known name it contains ('借方发生额/元(支取)' holds 借方发生额; 'Betrag (€)' holds
        Betrag). Known names shorter than two characters (借, 贷) are only taken whole."""
        n = norm(name)
        if not n:
            return None
        if n in self.fields:
            return self.fields[n], n
        inside = [k for k in self.fields if len(k) >= 2 and (len(k) >= 4 or not k.isascii()) and k in n]
        if not inside:
            return None
        best = max(inside, key=len)
        return _party(self.fields[best], n), best


_OTHER_PARTY = ("对方", "对手", "收款", "付款", "收(付)方", "partner", "counterpart", "gegen", "beneficiary")
_NAMES = ("名称", "户名", "名", "name")


def _party(f: str, n: str) -> str:
    """A field found inside a longer name, corrected by what the rest of the name says: 对手账号 is the
    other party's account though it holds 账号 (own account), 对方账号名称 a name though it holds
    对方账号."""
    if f in ("own_account", "counterparty_account", "own_name", "counterparty_name"):
        other = f.startswith("counterparty") or any(w in n for w in _OTHER_PARTY)
        name = n.endswith(_NAMES)
        return ("counterparty_" if other else "own_") + ("name" if name else "account")
    return f


def vocabulary(profiles: Iterable[Profile]) -> Vocabulary:
    votes: dict[str, Counter[str]] = {}
    spelled: dict[str, str] = {}
    pre: dict[str, str] = {}
    strength: dict[str, str] = {}
    flag_in: set[str] = set()
    flag_out: set[str] = set()
    flag_zero: set[str] = set()
    pending: set[str] = set()
    for p in profiles:
        for f, spec in p.columns.items():
            if isinstance(spec, int):
                continue
            for syn in spec:
                n = norm(syn)
                votes.setdefault(n, Counter())[f] += 1
                spelled.setdefault(n, syn.strip())
                if f == "bank_ref":
                    strength.setdefault(n, p.ref_strength)
        for f, extra in p.append.items():
            for e in extra:
                if isinstance(e, str):
                    votes.setdefault(norm(e), Counter())[f] += 1
                    spelled.setdefault(norm(e), e.strip())
        for key, labels in p.preamble.items():
            for label in labels:
                pre.setdefault(norm(label), key)
        flag_in.update(p.flag_in)
        flag_out.update(p.flag_out)
        flag_zero.update(p.flag_zero)
        pending.update(p.pending)
    fields = {n: min(c, key=lambda f: (-c[f], _PRIORITY.index(f) if f in _PRIORITY else 99))
              for n, c in votes.items() if n}
    return Vocabulary(fields, spelled, pre, frozenset(flag_in), frozenset(flag_out), frozenset(flag_zero),
                      frozenset(pending), strength)


@dataclass(frozen=True)
class HeaderGuess:
    """A sheet's header row as found without a profile (`known` of its cells are names some profile
    knows), or, with `row_is_data`, the first data row of a file that has no header."""

    sheet: Sheet
    row: int
    known: int
    row_is_data: bool = False

    @property
    def cells(self) -> list[str]:
        return [c.strip() for c in self.sheet.rows[self.row]]


def _looks_like_data(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return any(parse_date(c) or looks_like_date(c) for c in cells) and any(
        is_number(c) and not looks_like_date(c) for c in cells)


def _looks_like_header(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c.strip()]
    return len(cells) >= 2 and not any(is_number(c) or looks_like_date(c) for c in cells)


def guess_header(sheets: list[Sheet], vocab: Vocabulary) -> HeaderGuess | None:
    """The row most of whose cells are known header names (at least two, a date among the fields);
    else the first all-text row above a data row; else the first data row of a headerless file."""
    best: HeaderGuess | None = None
    for sheet in sheets:
        rows = sheet.rows
        for i in range(min(len(rows), SCAN_ROWS)):
            found = {hit[0] for c in rows[i] if (hit := vocab.field_of(c)) is not None}
            if len(found) >= 2 and found & {"booking_date", "txn_date", "value_date"} and (
                    best is None or len(found) > best.known):
                best = HeaderGuess(sheet, i, len(found))
    if best is not None:
        return best
    for sheet in sheets:
        rows = sheet.rows
        for i in range(min(len(rows), SCAN_ROWS) - 1):
            if not _looks_like_header(rows[i]):
                continue
            nxt = next((r for r in rows[i + 1 : i + 4] if any(c.strip() for c in r)), None)
            if nxt is not None and _looks_like_data(nxt):
                return HeaderGuess(sheet, i, 0)
    for sheet in sheets:
        for i in range(min(len(sheet.rows), SCAN_ROWS)):
            if _looks_like_data(sheet.rows[i]):
                return HeaderGuess(sheet, i, 0, row_is_data=True)
    return None


def nearest(profiles: Iterable[Profile], names: Iterable[str]) -> tuple[Profile, list[str]] | None:
    """The header profile that lacks the fewest of its required and needed columns in `names`
    (normalised), with what it lacks as the profile writes it."""
    present = set(names)
    best: tuple[tuple[int, int], Profile, list[str]] | None = None
    for p in profiles:
        if p.no_header:
            continue
        missing = [r for r in p.required if norm(r) not in present]
        said = {norm(m) for m in missing}
        needs: list[tuple[str, ...]] = [(f,) for f in _NEEDS[p.convention]] + [("booking_date", "txn_date")]
        for need in needs:
            syns = [s for f in need if isinstance(spec := p.columns.get(f), tuple) for s in spec]
            if syns and not any(norm(s) in present or norm(s) in said for s in syns):
                missing.append(syns[0])
        overlap = sum(1 for spec in p.columns.values()
                      if isinstance(spec, tuple) and any(norm(s) in present for s in spec))
        key = (len(missing), -overlap)
        if best is None or key < best[0]:
            best = (key, p, missing)
    return (best[1], best[2]) if best else None
