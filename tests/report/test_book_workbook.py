"""The 调节表 workbook's style lookups (jobs.report.book._SameObjects) give the file openpyxl's own
lookups give: a month of several accounts in every state, with items and hostile text, written
both ways, is the same member by member (docProps/core.xml holds the time it was written)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

import jobs.report.book as book
from jobs.report.cells import Labels
from reconcile.accounts import load_registry
from reconcile.book.records import BANK_IN, BANK_OUT, BOOK_IN, BOOK_OUT, Item, MonthStatement
from reconcile.config import BookConfig

MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


def _statements(numbers: list[str]) -> list[MonthStatement]:
    end = date(2008, 3, 31)
    items = tuple(Item(side, date(2008, 3, 20 + k), 10_000 * (k + 1), f"记-{k:04d}", text, "某公司" if k % 2 else "",
                       11 - k, f"fp{k}", k, f"f.csv:line {k}")
                  for k, (side, text) in enumerate([(BOOK_IN, "收到保险费"), (BOOK_OUT, '=HYPERLINK("x")'),
                                                    (BANK_IN, "利息"), (BANK_OUT, "+手续费")]))
    states = [MonthStatement(numbers[0], "2008-03", end, "balanced", 500_000, 500_000, matched=12),
              MonthStatement(numbers[1], "2008-03", end, "difference", 610_000, 590_000, 10_000, 20_000, 30_000, 40_000,
                             3, items),
              MonthStatement(numbers[2], "2008-03", end, "no_statement"),
              MonthStatement(numbers[3], "2008-03", end, "balanced", 70_000, 60_000, 30_000, 20_000, 0, 0, 1,
                             items[:2])]
    return [*states, MonthStatement("9999000011112222", "2008-03", end, "no_journal")]  # not registered


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_is_the_one_openpyxls_own_style_lookups_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  lang: str) -> None:
    registry = load_registry(MAPPINGS / "accounts.toml")
    statements = _statements([a.number for a in registry.accounts[:4]])
    labels = Labels(lang, registry)
    cfg = BookConfig(preparer="张会计")
    book.write_workbook(tmp_path / "fast.xlsx", statements, registry, labels, cfg)
    monkeypatch.setattr(book, "_workbook", Workbook)  # openpyxl's lookups, by value, every time
    book.write_workbook(tmp_path / "plain.xlsx", statements, registry, labels, cfg)
    fast, plain = _members(tmp_path / "fast.xlsx"), _members(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys()
    assert [n for n in fast if fast[n] != plain[n]] == []
    assert len([n for n in fast if n.startswith("xl/worksheets/sheet")]) == 1 + len(statements)


def test_each_row_of_the_summary_sheet_is_boxed_and_a_difference_marked(tmp_path: Path) -> None:
    """The summary's rows are styled by their number as they are appended (not by the sheet's
    max_row, which looked at every cell of the sheet at each row)."""
    from openpyxl import load_workbook

    registry = load_registry(MAPPINGS / "accounts.toml")
    statements = _statements([a.number for a in registry.accounts[:4]])
    book.write_workbook(tmp_path / "m.xlsx", statements, registry, Labels("zh", registry), BookConfig())
    ws = load_workbook(tmp_path / "m.xlsx").worksheets[0]
    rows = list(ws.iter_rows(min_row=3))
    assert len(rows) == len(statements)
    for row, st in zip(rows, sorted(statements, key=lambda s: s.account), strict=True):
        assert row[0].value == st.account
        assert [c.border.left.style for c in row] == ["thin"] * len(book.SUMMARY)
        assert (row[2].fill.fgColor.rgb == "00F4C7C3") == (st.state == "difference")
        assert [c.number_format for c in row[3:12] if c.value is not None] == [book.MONEY] * sum(
            v is not None for v in book._figures(st))
    assert ws["A2"].fill.fgColor.rgb == "00DCE6F1"


def test_text_of_every_kind_is_written_as_openpyxls_writer_writes_it(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The account sheets' cells are written as text by jobs.report.book (_StatementSheet.xml): the
    escapes, the characters beyond ASCII and beyond the BMP, the spaces kept, the control
    characters shown, a text longer than a cell holds, are those of openpyxl's (lxml) writer."""
    registry = load_registry(MAPPINGS / "accounts.toml")
    numbers = [a.number for a in registry.accounts[:2]]
    end = date(2008, 3, 31)
    texts = ["a & b <c> \"d\" 'e'", " 前后有空格 ", "tab\there", "line\nbreak", "cr\rhere", "nul\x00bell\x07",
             "😀 表情 \U0002A6A5", "&amp; &#13; _x000D_", "=1+1", "-5", "@sum", "x" * 40_000, "", "\u00a0nbsp",
             "\ufeffbom", "\u2028sep"]
    items = tuple(Item(BOOK_IN if k % 2 else BANK_OUT, date(2008, 3, 1 + k), 100 * k + 1, text, text, text, k,
                       f"fp{k}", k, "") for k, text in enumerate(texts))
    statements = [MonthStatement(numbers[0], "2008-03", end, "difference", 10**15 + 1, -7, 1, 2, 3, 4, 5, items),
                  MonthStatement(numbers[1], "2008-03", end, "balanced", 0, 0, 0, 0, 0, 0, 0, items[:3])]
    labels = Labels("zh", registry)
    cfg = BookConfig(preparer=" <张&会计> ", reviewer="😀")
    book.write_workbook(tmp_path / "fast.xlsx", statements, registry, labels, cfg)
    monkeypatch.setattr(book, "_workbook", Workbook)
    book.write_workbook(tmp_path / "plain.xlsx", statements, registry, labels, cfg)
    fast, plain = _members(tmp_path / "fast.xlsx"), _members(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys()
    assert [n for n in fast if fast[n] != plain[n]] == []
