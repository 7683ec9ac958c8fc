"""A month's workbook written again with the sheets kept from its last workbook (jobs.report.sheetcache)
is the workbook written whole, member by member, whatever changed between the two: an account's
figures or items, a state with a look no sheet had before it (a difference, a month that cannot be
drawn up), an account gone or come, the sheets' names; and the sheets whose statements are the same
are taken, not drawn up again (issue 18: a night's cost in proportion to its work)."""

from __future__ import annotations

import random
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

import jobs.report.book as book
from jobs.report.cells import Labels
from jobs.report.sheetcache import SheetCache
from reconcile.accounts import load_registry
from reconcile.book.records import BANK_IN, BANK_OUT, BOOK_IN, BOOK_OUT, Item, MonthStatement
from reconcile.config import BookConfig

MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"
END = date(2008, 3, 31)
STATES = ("balanced", "difference", "no_statement", "no_journal", "no_bank_balance")


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _statement(number: str, rnd: random.Random) -> MonthStatement:
    state = rnd.choice(STATES[:2] * 4 + STATES[2:])
    if state not in ("balanced", "difference"):
        return MonthStatement(number, "2008-03", END, state, rnd.choice([None, 1_000]))
    items = tuple(Item(rnd.choice([BOOK_IN, BOOK_OUT, BANK_IN, BANK_OUT]), date(2008, 3, rnd.randint(1, 31)),
                       rnd.randint(1, 10**9), f"记-{k:04d}", rnd.choice(["收到保险费", "=x", "利息 ", "手续费"]),
                       rnd.choice(["", "某公司"]), rnd.randint(0, 90), f"fp{k}", k, "f.csv:line 1")
                  for k in range(rnd.choice([0, 0, 1, 3, 12])))
    bank = rnd.randint(0, 10**10)
    return MonthStatement(number, "2008-03", END, state, bank, bank - (rnd.randint(1, 99) if state == "difference"
                                                                         else 0), rnd.randint(0, 9), 0, 0, 0, 2, items)


def _write(path: Path, statements: list[MonthStatement], labels: Labels, cfg: BookConfig,
           cache: Path | None) -> SheetCache | None:
    registry = labels.registry
    sheets = None if cache is None else SheetCache(cache, book._key, "common")
    book.write_workbook(path, statements, registry, labels, cfg, sheets)
    if sheets is not None:
        sheets.save()
    return sheets


@pytest.mark.parametrize("seed", range(6))
def test_a_workbook_written_with_the_kept_sheets_is_the_workbook_written_whole(tmp_path: Path, seed: int,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(MAPPINGS / "accounts.toml")
    labels = Labels("zh" if seed % 2 else "en", registry)
    cfg = BookConfig(preparer="张会计")
    rnd = random.Random(seed)
    numbers = [a.number for a in registry.accounts]
    statements = {n: _statement(n, rnd) for n in numbers}
    kept = tmp_path / "sheets" / "2008-03.json"
    taken = 0
    for night in range(8):
        sts = sorted(statements.values(), key=lambda s: s.account)
        sheets = _write(tmp_path / "kept.xlsx", sts, labels, cfg, kept)
        _write(tmp_path / "whole.xlsx", sts, labels, cfg, None)
        with monkeypatch.context() as m:  # openpyxl's own workbook, its lookups by value (test_book_workbook)
            m.setattr(book, "_workbook", Workbook)
            _write(tmp_path / "plain.xlsx", sts, labels, cfg, None)
        fast, whole = _members(tmp_path / "kept.xlsx"), _members(tmp_path / "whole.xlsx")
        plain = _members(tmp_path / "plain.xlsx")
        assert fast.keys() == whole.keys() == plain.keys()
        assert [n for n in fast if fast[n] != whole[n] or fast[n] != plain[n]] == [], night
        assert sheets is not None
        taken += sheets.taken
        # the next night: a few accounts' statements change, one may go or come back
        for n in rnd.sample(numbers, rnd.choice([1, 2, 5])):
            statements[n] = _statement(n, rnd)
        if rnd.random() < 0.3:
            gone = rnd.choice(numbers)
            statements.pop(gone, None)
        if rnd.random() < 0.3:
            back = rnd.choice(numbers)
            statements.setdefault(back, _statement(back, rnd))
    assert taken > 0  # the kept sheets were used, not only written


def test_only_the_changed_accounts_sheets_are_drawn_up_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = load_registry(MAPPINGS / "accounts.toml")
    labels = Labels("zh", registry)
    cfg = BookConfig()
    rnd = random.Random(1)
    sts = [replace(_statement(a.number, rnd), state="balanced") for a in registry.accounts]
    kept = tmp_path / "2008-03.json"
    _write(tmp_path / "a.xlsx", sts, labels, cfg, kept)
    drawn: list[str] = []
    real = book._statement_sheet

    def counted(ws: object, st: MonthStatement, *a: object) -> tuple[str | None, str]:
        drawn.append(st.account)
        return real(ws, st, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(book, "_statement_sheet", counted)
    changed = replace(sts[10], items=(), book_balance_fen=(sts[10].book_balance_fen or 0) + 1)
    sts[10] = changed
    sheets = _write(tmp_path / "b.xlsx", sts, labels, cfg, kept)
    assert sheets is not None
    # the first sheet adds the workbook's first looks (never kept); the changed account's is drawn up again
    assert set(drawn) <= {sts[0].account, changed.account} and changed.account in drawn
    assert sheets.taken >= len(sts) - 2
    _write(tmp_path / "c.xlsx", sts, labels, cfg, None)
    b, c = _members(tmp_path / "b.xlsx"), _members(tmp_path / "c.xlsx")
    assert [n for n in b if b[n] != c[n]] == [] and b.keys() == c.keys()


def test_the_sheets_of_one_look_are_written_from_the_first_as_openpyxl_writes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets that look alike (the same cells, styles and merged ranges, their values aside) are drawn
    up once (jobs.report.book._draw); the others are written from that one with their own values,
    hostile text too, and the file is openpyxl's own."""
    registry = load_registry(MAPPINGS / "accounts.toml")
    labels = Labels("zh", registry)
    cfg = BookConfig(preparer="张会计")
    item = Item(BOOK_IN, date(2008, 3, 9), 12_345, "=HYPERLINK(1)", " 前后 ", "-某公司", 22, "fp", 1, "f.csv:line 2")
    sts = [MonthStatement(a.number, "2008-03", END, "balanced", 100 * k, 100 * k, 0, 0, 0, 0, k,
                          (item._replace(amount_fen=k + 1, text=f"@{k}<&>"),) if k % 3 else ())
           for k, a in enumerate(registry.accounts)]
    drawn: list[str] = []
    real = book._statement_sheet

    def counted(ws: object, st: MonthStatement, *a: object) -> tuple[str | None, str]:
        if isinstance(ws, book._StatementSheet):
            drawn.append(st.account)
        return real(ws, st, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(book, "_statement_sheet", counted)
    book.write_workbook(tmp_path / "fast.xlsx", sts, registry, labels, cfg)
    assert len(drawn) == 2  # one sheet of each look: without items, with one
    monkeypatch.setattr(book, "_workbook", Workbook)
    book.write_workbook(tmp_path / "plain.xlsx", sts, registry, labels, cfg)
    fast, plain = _members(tmp_path / "fast.xlsx"), _members(tmp_path / "plain.xlsx")
    assert fast.keys() == plain.keys() and [n for n in fast if fast[n] != plain[n]] == []
