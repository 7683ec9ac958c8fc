"""A headerless layout is recognised by the shapes of a data row's cells (`[detect] row`). The
header scan tries every such layout on each of a sheet's first rows, so the matcher refuses a row
with a cell beyond the layout's width before stripping it; it must decide as the plain reading
does (strip every cell, drop the trailing blanks, compare cell by cell)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.tabular import header
from parsers.tabular.profile import Profile, load_profiles

BANKS = Path(__file__).resolve().parents[2] / "mappings" / "banks"
HEADERLESS = [p for _, p in sorted(load_profiles(BANKS).items()) if p.no_header]


def _reference(p: Profile, row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    pats = p.row_patterns
    if len(cells) > len(pats) or len(cells) < sum(1 for x in pats if x is not None):
        return False
    cells += [""] * (len(pats) - len(cells))
    return all(pat is None or pat.fullmatch(c) for pat, c in zip(pats, cells, strict=True))


# Rows that match the layouts of mappings/banks, and cells to put in them or after them.
_MATCHING = {"targobank_headerless": ["01.02.2008", "Miete", "-12,50", "", "", "", "'DE12500105170648489890'"],
             "td_headerless": ["01/02/2008", "x", "12.50", "", "-100.00"]}
_CELLS = st.sampled_from(["", " ", "\t", "-", "x", "01.02.2008", "01/02/2008", "-12,50", "1.234,56", "12.50",
                          "-100.00", "'DE12500105170648489890'", " 100,00 "])


@settings(max_examples=500)
@given(st.sampled_from(sorted(_MATCHING)), st.lists(st.tuples(st.integers(0, 9), _CELLS), max_size=3),
       st.lists(_CELLS, max_size=4))
def test_the_headerless_row_matcher_decides_as_the_plain_reading(
    name: str, changes: list[tuple[int, str]], extra: list[str]
) -> None:
    """A matching row with some cells changed and some appended: the same decision either way."""
    p = next(p for p in HEADERLESS if p.name == name)
    row = list(_MATCHING[name])
    for j, cell in changes:
        if j < len(row):
            row[j] = cell
    row += extra
    assert header._row_matches(p, row) is _reference(p, row)


def test_a_row_shaped_like_the_layout_matches_and_one_cell_too_many_does_not() -> None:
    assert {p.name for p in HEADERLESS} == set(_MATCHING)
    for p in HEADERLESS:
        row = _MATCHING[p.name]
        assert header._row_matches(p, row) and header._row_matches(p, [*row, " ", ""])
        assert not header._row_matches(p, [*row, "x"]) and not header._row_matches(p, [*row, "", "x"])
        assert not header._row_matches(p, row[:1])


@settings(max_examples=1000)
@given(st.text(alphabet="aZ09:.-/[] \t\n\x0b\x0c\x1c\x1f\x85（）：－\u3000\u00a0\ufeff借方", max_size=12))
def test_a_name_without_anything_to_take_out_normalises_as_any_other(name: str) -> None:
    """`norm`'s short way for plain ASCII cells gives what the full normalisation gives."""
    header.norm.cache_clear()
    assert header.norm(name) == header._norm(name)
