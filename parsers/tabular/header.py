"""Finding the header row by its content, and mapping its columns to canonical fields.

Banks move the header row (preamble length changes by channel and month; research §0.2), so it is
found by content: the row where a profile's `[detect] required` names are all present after
normalisation. Headerless layouts are found by `[detect] row`, one regex per cell of a data row.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from parsers.tabular.grid import Sheet
from parsers.tabular.profile import Profile

SCAN_ROWS = 80  # the longest preamble seen (CMBC) is 16 rows; alipay has ~25
_GLOSS = re.compile(r"\[[^\]]*\]")
_SPACES = re.compile(r"[\s\u3000\ufeff\u00a0\u200b]+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "／": "/", "－": "-"})


@functools.lru_cache(maxsize=65536)
def norm(name: str) -> str:
    """A header or label name as compared: no [English gloss], half-width (), no spaces, casefolded."""
    if name.isascii() and name.isprintable() and " " not in name and "[" not in name:
        # Nothing to take out (no gloss, no blank, no full-width mark): the header scan meets
        # thousands of such data cells a file ('2321.35', '20080102'), each once.
        return name.rstrip(":").casefold()
    return _norm(name)


def _norm(name: str) -> str:
    s = _GLOSS.sub("", name).translate(_FULLWIDTH)
    return _SPACES.sub("", s).rstrip(":").casefold()


@dataclass(frozen=True)
class Header:
    """Where a profile's header (or first data row, for a headerless layout) sits in one sheet."""

    profile: Profile
    row: int  # index of the header row; for a headerless layout, of the first data row
    names: tuple[str, ...]  # normalised names per column ("" for a headerless layout)
    score: int

    @property
    def data_start(self) -> int:
        if self.profile.no_header:
            return self.row
        return self.row + self.profile.header_rows


def _names(rows: list[list[str]], i: int, header_rows: int) -> tuple[str, ...]:
    """Normalised names of row i; with a two-row header the upper name (carried right over merged
    cells) is joined to the lower one: 发生额/元 + 借方 -> 发生额/元借方."""
    top = [norm(c) for c in rows[i]]
    if header_rows < 2 or i + 1 >= len(rows):
        return tuple(top)
    low = [norm(c) for c in rows[i + 1]]
    out, parent = [], ""
    for j in range(max(len(top), len(low))):
        t = top[j] if j < len(top) else ""
        b = low[j] if j < len(low) else ""
        if t:
            parent = t
        out.append((t or parent) + b if b else t)
    return tuple(out)


def _markers_ok(p: Profile, rows: list[list[str]], i: int) -> bool:
    if not p.markers:
        return True
    text = "\n".join(",".join(r) for r in rows[: i + 1])
    return all(m in text for m in p.markers)


_NEEDS = {"debit_credit": ("debit", "credit"), "signed": ("amount",), "flag": ("flag", "amount"),
          "flag_debit_credit": ("flag", "debit", "credit")}


def _has(p: Profile, f: str, present: frozenset[str]) -> bool:
    spec = p.columns.get(f)
    if spec is None:
        return False
    return isinstance(spec, int) or any(norm(s) in present for s in spec)


def _score(p: Profile, present: frozenset[str]) -> int:
    """-1 unless every required name and every column the amount convention and the date need is
    present (`present`: the row's normalised names); else a score that prefers the profile that
    explains more of the header."""
    if not all(norm(r) in present for r in p.required):
        return -1
    if not all(_has(p, f, present) for f in _NEEDS[p.convention]):
        return -1
    if not (_has(p, "booking_date", present) or _has(p, "txn_date", present)):
        return -1
    mapped = sum(
        1 for v in p.columns.values() if not isinstance(v, int) and any(norm(s) in present for s in v)
    )
    return 100 * len(p.required) + 10 * len(p.markers) + mapped


def _row_matches(p: Profile, row: list[str]) -> bool:
    pats = p.row_patterns
    n = len(pats)
    # A cell beyond the layout's width is refused before the row is stripped (the header scan
    # tries every headerless layout on each of the first rows of every sheet).
    if len(row) > n and any(c.strip() for c in row[n:]):
        return False
    cells = [c.strip() for c in row[:n]]
    while cells and not cells[-1]:
        cells.pop()
    if len(cells) < sum(1 for x in pats if x is not None):
        return False
    cells += [""] * (len(pats) - len(cells))
    return all(pat is None or pat.fullmatch(c) for pat, c in zip(pats, cells, strict=True))


def find(sheet: Sheet, profiles: list[Profile]) -> Header | None:
    """The best-scoring (profile, row) in the sheet's first rows, or None."""
    rows = sheet.rows
    best: Header | None = None
    # Each profile's kind and required names normalised once a sheet, not once a row: a row that
    # lacks one of them scores -1 (`_score`'s first test), and nearly every row a profile meets is
    # another profile's header or a data row.
    plan = [(p, p.no_header, frozenset(map(norm, p.required))) for p in profiles]
    for i in range(min(len(rows), SCAN_ROWS)):
        if not any(c.strip() for c in rows[i]):
            continue
        # Row i's names and their set, once per header depth, not per profile.
        by_depth: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}
        for p, headerless, required in plan:
            if headerless:
                # Below any header profile: a headerless match is a guess from cell shapes alone.
                score = sum(1 for x in p.row_patterns if x is not None) if _row_matches(p, rows[i]) else -1
                names: tuple[str, ...] = ()
            else:
                depth = by_depth.get(p.header_rows)
                if depth is None:
                    found = _names(rows, i, p.header_rows)
                    depth = by_depth[p.header_rows] = (found, frozenset(found))
                if not required <= depth[1]:
                    continue  # a required name missing: -1
                names = depth[0]
                score = _score(p, depth[1])
            if score >= 0 and _markers_ok(p, rows, i) and (best is None or score > best.score):
                best = Header(p, i, names, score)
    return best


def resolve(h: Header) -> dict[str, list[int]]:
    """Canonical field -> column indices (the first synonym present wins; `append` adds more)."""
    index: dict[str, int] = {}
    for j, n in enumerate(h.names):
        if n and n not in index:
            index[n] = j
    out: dict[str, list[int]] = {}
    for f, spec in h.profile.columns.items():
        if isinstance(spec, int):
            out[f] = [spec]
            continue
        for syn in spec:
            if norm(syn) in index:
                out[f] = [index[norm(syn)]]
                break
    for f, extra in h.profile.append.items():
        for e in extra:
            k = e if isinstance(e, int) else index.get(norm(e))
            if k is not None and k not in out.setdefault(f, []):
                out[f].append(k)
    return out
