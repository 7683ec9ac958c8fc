"""The tabular row builder reads a row that reaches every column of its layout by index (the short
way) and a shorter row through the bounds-checked cell reader (the general way): both must give
the same line. Every layout of mappings/banks, one synthetic row each: the full row against the
same row cut just before its widest column (whose cell is blank, so nothing is lost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.tabular import rows
from parsers.tabular.grid import Sheet
from parsers.tabular.profile import Profile, load_profiles

BANKS = Path(__file__).resolve().parents[2] / "mappings" / "banks"
PROFILES = load_profiles(BANKS)


def _row(p: Profile, cols: dict[str, list[int]], width: int) -> list[str]:
    row = [""] * width
    d = p.decimal
    first = {f: js[0] for f, js in cols.items() if js}
    values = {"booking_date": "2008-01-02", "txn_date": "2008-01-02", "value_date": "2008-01-03",
              "amount": f"1234{d}56", "debit": "", "credit": f"1234{d}56", "balance": f"99{d}00",
              "counterparty_account": "'6222 0000 1111", "counterparty_name": " 某某公司 ",
              "payer_account": "6222000011112222", "payer_name": "付款人", "payee_account": "5200010100000001",
              "payee_name": "收款人", "text": "养老保险费", "remark": "2008年01月", "bank_ref": "'SN0001'",
              "own_account": "5200010100000001", "currency": "人民币", "status": "",
              "flag": (p.flag_in or ("",))[0]}
    for f, j in first.items():
        row[j] = values.get(f, "x")
    return row


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_short_and_general_way_agree(name: str) -> None:
    p = PROFILES[name]
    names = sorted({f for f in ("booking_date", "txn_date", "value_date", "amount", "debit", "credit", "balance",
                                "counterparty_account", "counterparty_name", "payer_account", "payer_name",
                                "payee_account", "payee_name", "text", "remark", "bank_ref", "own_account",
                                "currency", "status", "flag")
                    if f in p.columns})
    cols = {f: [i] for i, f in enumerate(names)}
    widest = len(names) - 1
    names.append("spare")  # the widest column is blank: cutting it off loses nothing
    cols["spare"] = [widest + 1]
    full = _row(p, cols, widest + 2)
    short = full[: widest + 1]
    assert len(full) > widest + 1 >= len(short)  # the full row reaches every column, the short one not
    sheet = Sheet("", [full, short], [1, 2])
    got = rows.build(sheet, 0, p, cols, names, "")
    assert len(got.lines) == len(got.accounts) == len(got.currencies) == 2
    a, b = got.lines
    assert a._replace(source="") == b._replace(source="")
    assert (got.accounts[0], got.currencies[0]) == (got.accounts[1], got.currencies[1])


_SIDED = sorted(n for n, p in PROFILES.items() if {"payer_account", "payee_account"} & set(p.columns))


@pytest.mark.parametrize("own", ["payee", "payer", "neither"])
@pytest.mark.parametrize("outgoing", [False, True])
@pytest.mark.parametrize("name", _SIDED)
def test_short_and_general_way_choose_the_same_counterparty_side(name: str, own: str, outgoing: bool) -> None:
    """Layouts listing both sides: the counterparty is the side that is not the own account, else
    the side the money's direction names; the short way must choose as the general way does."""
    p = PROFILES[name]
    names = sorted(f for f in ("booking_date", "txn_date", "amount", "debit", "credit", "flag", "payer_account",
                               "payer_name",
                               "payee_account", "payee_name", "own_account") if f in p.columns)
    cols = {f: [i] for i, f in enumerate(names)}
    widest = len(names) - 1
    names.append("spare")
    cols["spare"] = [widest + 1]
    full = _row(p, cols, widest + 2)
    d = p.decimal
    own_account = {"payee": "5200010100000001", "payer": "6222000011112222", "neither": "7000"}[own]
    if "own_account" in cols:
        full[cols["own_account"][0]] = own_account
    if outgoing:
        if "amount" in cols:
            full[cols["amount"][0]] = f"-1234{d}56"
        if "debit" in cols and "credit" in cols:
            full[cols["debit"][0]], full[cols["credit"][0]] = f"1234{d}56", ""
        if "flag" in cols:
            full[cols["flag"][0]] = (p.flag_out or ("",))[0]
    short = full[: widest + 1]
    got = rows.build(Sheet("", [full, short], [1, 2]), 0, p, cols, names, own_account)  # or the preamble's
    a, b = got.lines
    assert a._replace(source="") == b._replace(source="")
    assert a.counterparty_account in ("6222000011112222", "5200010100000001")
    if own != "neither":
        assert a.counterparty_account != own_account


_ACCOUNT_CELLS = ["6222000011112222", "\t6222000011112222", " 5200010100000001 ", "'6222 0000 1111", '="0123"',
                  "\t\t", "", " ", "６２２２", "\u3000622\u3000", "=", "１２3", "²34", "\t٣٤", "'\t12'"]


@pytest.mark.parametrize("cells", [_ACCOUNT_CELLS, [c for c in _ACCOUNT_CELLS if c.strip().isdigit()],
                                   ["\t1", "\t1", "2"], ["1", "2"]])
def test_an_account_column_is_each_cell_stripped_and_cleaned(cells: list[str]) -> None:
    """`_Columns.accounts`: a cell of digits alone, or of digits once stripped (BOC's tab before each
    account), is taken as it is or stripped; the others go through `clean_account`: every cell as
    `clean_account(cell.strip())` gives it."""
    from parsers.tabular.values import clean_account

    c = rows._Ctx(Sheet("", []), PROFILES["boc_corp"], {}, [])
    got = rows._Columns(c, [[cell] for cell in cells], [""] * len(cells)).accounts(0)
    assert got == [clean_account(cell.strip()) for cell in cells]


@pytest.mark.parametrize("name", sorted(n for n, p in PROFILES.items() if "text" in p.columns))
def test_a_columns_equal_texts_are_one_object(name: str) -> None:
    """A statement's texts, remarks and counterparty names repeat: each distinct one is one object
    (the reader's child pickles it once, the writer unpickles it once). Equal lines either way."""
    p = PROFILES[name]
    names = sorted(f for f in ("booking_date", "txn_date", "amount", "debit", "credit", "flag", "counterparty_name",
                               "text", "remark") if f in p.columns)
    cols = {f: [i] for i, f in enumerate(names)}
    made = [_row(p, cols, len(names)) for _ in range(3)]
    for row in made:  # the same texts, as distinct objects (the csv module makes each cell anew)
        for j, cell in enumerate(row):
            row[j] = "".join(list(cell))
    got = rows.build(Sheet("", made, [1, 2, 3]), 0, p, cols, names, "").lines
    assert got[0]._replace(source="") == got[2]._replace(source="")
    for f in ("text", "remark", "counterparty_name"):
        if f in cols:
            assert getattr(got[0], f) is getattr(got[1], f) is getattr(got[2], f), f
