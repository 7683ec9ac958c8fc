"""Telling a file's kind by its head: the cheap tests the detectors make before the costly ones
(parsers/mt940/text.py `sniff`, parsers/books `detect`, parsers/schedules `detect`) give the answers
of the costly ones alone, on heads made of the pieces those tests look at: tags, blocks, envelope
bytes, line ends, title words and column names cut by quotes, spaces and case. Equivalence guards
(they pass on the code before the cheap tests too); each fails on a cheap test that says no where
the costly one says yes (a title word not looked for with its quotes taken out, a CR not taken for
a line end)."""

from __future__ import annotations

import codecs
import csv
import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import books, schedules
from parsers.books.profile import DEFAULT_BOOKS_DIR, load_profiles
from parsers.books.read import find_header
from parsers.mt940 import text as mt940_text
from parsers.mt940.text import sniff
from parsers.tabular import grid
from parsers.tabular import sniff as text_sniff


def _mt940_every_test(head: bytes) -> bool:
    """The MT940 sniffer's tests as it made them on every head whole (main at 29e566b): the
    envelope characters out of the decoded text, the whole text upper-cased, line ends rewritten."""
    text = re.sub("[\x01\x03\x1a\x00]", "", head.decode("latin-1")).lstrip("\ufeff \t\r\n\xef\xbb\xbf")
    if text.startswith("<") or text.upper().startswith("OFXHEADER"):
        return False
    text = re.sub("\r\n?", "\n", text)
    swift = mt940_text._BLOCK.search(text) is not None and "{4:" in text
    return swift or bool(mt940_text._TAG20.search(text) and mt940_text._OTHER_TAG.search(text))


_SWIFT = [":20:", ":25:", ":28C:", ":60F:", ":61:", ":62F:", ":2\x010:", "{1:F01ABCDEFGHIJKL", "{2:O940", "{2:I942",
          "{4:", "{4", "-}", "\n", "\r", "\r\n", "\x01", "\x03", "\x1a", "\x00", "ß", "OFXHEADER", "ofxheader:100",
          "OFXHEADEß", "<", " ", "\ufeff", "ABNANL2A", "2008", "户名,金额", "x" * 70]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SWIFT), max_size=14), st.sampled_from(["utf-8", "gb18030"]))
def test_the_mt940_sniffer_answers_as_when_it_read_every_head_whole(parts: list[str], codec: str) -> None:
    head = "".join(parts).encode(codec, errors="replace")
    assert sniff(head) is _mt940_every_test(head)
    assert sniff(codecs.BOM_UTF8 + head) is _mt940_every_test(codecs.BOM_UTF8 + head)


def _rows(data: bytes, size: int) -> list[list[str]]:
    """The rows the detectors split a text head into (their own steps, without the cheap test)."""
    head = data[:size]
    if len(data) > len(head):
        head = head[: head.rfind(b"\n") + 1]
    text, _ = text_sniff.decode(head)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=grid.sniff_delimiter(text)))


_TITLES = ["日记账", '"日记"账', '"日记账"', "银行存款日记账", '"银行存款日记"账', "日 记账", "日记", "对账单", ""]
_JOURNAL_COLUMNS = ["日期", "凭证号", "摘要", "收入", "支出", "余额", '"余"额', '"日期"', "对方科目", "金额"]
_ENDS = ["\n", "\r\n"]


@st.composite
def _journal_heads(draw: st.DrawFn) -> str:
    """A title row (or none), a header row of some journal columns (quoted, cut by quotes), a data row."""
    delim, end = draw(st.sampled_from([",", "\t"])), draw(st.sampled_from(_ENDS))
    title = draw(st.sampled_from(_TITLES))
    header = draw(st.lists(st.sampled_from(_JOURNAL_COLUMNS), min_size=1, max_size=8, unique=True))
    rows = [[title], ["科目：银行存款", "期间：2008年1月"][: draw(st.integers(0, 2))], header,
            ["2008-01-02", "记-1", "收款", "100.00", "", "100.00"]]
    return end.join(delim.join(r) for r in rows) + end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_journal_heads(), st.sampled_from(["utf-8", "gb18030"]))
def test_a_journal_is_told_from_a_text_head_as_when_every_head_was_split_into_cells(text: str, codec: str) -> None:
    data = text.encode(codec)
    profiles = list(load_profiles(DEFAULT_BOOKS_DIR).values())
    expected = find_header(_rows(data, books.HEAD_BYTES), profiles) is not None
    assert books.detect(data, DEFAULT_BOOKS_DIR) is expected


def _spellings(name: str) -> list[str]:
    """A column name as a header may hold it: cased, quoted, cut by a quote, spaced."""
    return [name, name.upper(), f'"{name}"', f'"{name[:1]}"{name[1:]}', f"{name[:1]} {name[1:]}"]


@st.composite
def _plan_heads(draw: st.DrawFn) -> str:
    """A row of text (or none), the header of a schedule layout (each name spelt some way, one left
    out or one more at times), a data row."""
    delim, end = draw(st.sampled_from([",", "\t"])), draw(st.sampled_from(_ENDS))
    layout = schedules.LAYOUTS[draw(st.sampled_from(sorted(schedules.LAYOUTS)))]
    header = [draw(st.sampled_from(_spellings(draw(st.sampled_from(names))))) for names in layout.values()]
    if draw(st.booleans()):
        header.pop(draw(st.integers(0, len(header) - 1)))
    header += ["备注"][: draw(st.integers(0, 1))]
    rows = [["用款计划"][: draw(st.integers(0, 1))], header, ["2008-01", "C01", "养老", "100.00", "2008-01-05"]]
    return end.join(delim.join(r) for r in rows if r) + end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plan_heads(), st.sampled_from(["utf-8", "gb18030"]))
def test_a_schedule_is_told_from_a_text_head_as_when_every_head_was_split_into_cells(text: str, codec: str) -> None:
    data = text.encode(codec)
    found = schedules._header(_rows(data, 8192)[:10])
    assert schedules.detect(data) == (found[0] if found else None)


def _header_row_by_row(rows: list[list[str]]) -> tuple[str, int, dict[str, int]] | None:
    """schedules._header as it was: every row of the first ten against every layout."""
    for i, row in enumerate(rows[:10]):
        names = [schedules._norm(c) for c in row]
        for kind, cols in schedules.LAYOUTS.items():
            found = {}
            for field, synonyms in cols.items():
                j = next((k for k, n in enumerate(names) if n in synonyms), None)
                if j is not None:
                    found[field] = j
            if (set(cols) - schedules.OPTIONAL.get(kind, set()) <= set(found)
                    and len(found) == len([n for n in names if n])):
                return kind, i, found
    return None


_CELLS = sorted({s for cols in schedules.LAYOUTS.values() for names in cols.values() for s in names})


@st.composite
def _grids(draw: st.DrawFn) -> list[list[str]]:
    """Up to twelve rows of cells: column names of every layout (cased, spaced), blanks, words and
    numbers; a layout's whole header at some row at times."""
    cell = st.one_of(st.sampled_from(_CELLS), st.sampled_from(_CELLS).map(str.upper),
                     st.sampled_from(_CELLS).map(lambda s: f" {s[:1]} {s[1:]} "),
                     st.sampled_from(["", " ", "备注", "100.00"]))
    rows = draw(st.lists(st.lists(cell, max_size=9), max_size=12))
    if rows and draw(st.booleans()):
        layout = schedules.LAYOUTS[draw(st.sampled_from(sorted(schedules.LAYOUTS)))]
        header = [draw(st.sampled_from(names)) for names in layout.values()]
        rows[draw(st.integers(0, len(rows) - 1))] = draw(st.permutations(header))
    return rows


@settings(max_examples=500, deadline=None)
@given(_grids())
def test_a_schedule_header_is_found_as_when_every_row_was_searched(rows: list[list[str]]) -> None:
    """_header refuses at once a grid whose first ten rows do not name each required column of some
    layout; whatever it finds or misses is what the row-by-row search did."""
    assert schedules._header(rows) == _header_row_by_row(rows)
