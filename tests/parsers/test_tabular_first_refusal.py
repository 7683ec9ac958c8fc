"""A sheet with several spoilt cells is refused with the error of its first refused row, and within
that row the error of the first rule it breaks, in the order of a row's reading: its date, its
direction flag, its amount, the flag against the amount's side, its value date, its balance.
`rows.build` applies each rule to whole columns, so this is what could go wrong there and what the
goldens (one spoilt cell a file) do not test: every layout of mappings/banks, random rows and
cells spoilt, the error compared with the message expected of the first spoilt row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.tabular import rows
from parsers.tabular.grid import Sheet
from parsers.tabular.profile import Profile, load_profiles
from reconcile.errors import AmountError, ParseError
from reconcile.money import to_fen

BANKS = Path(__file__).resolve().parents[2] / "mappings" / "banks"
PROFILES = load_profiles(BANKS)
FIELDS = ("booking_date", "txn_date", "value_date", "amount", "debit", "credit", "balance", "counterparty_account",
          "counterparty_name", "payer_account", "payer_name", "payee_account", "payee_name", "text", "remark",
          "bank_ref", "own_account", "currency", "status", "flag")
# A spoilt cell and its rank in a row's reading; "undated" (both date cells blank, the amount kept)
# stands alone in its row: a row without a date is not read further.
# "debit" spoils the debit cell of a two-column layout, "amount" the amount or credit cell, "no_amount"
# blanks that cell; a row's reading tries the debit cell, then the credit cell, then both blank.
KINDS = {"date": 0, "undated": 0, "flag": 1, "debit": 2.0, "amount": 2.1, "no_amount": 2.2, "contradicts": 3,
         "value_date": 4, "balance": 5}
BAD_DATE = "2008-13-45"


def _layout(p: Profile) -> tuple[dict[str, list[int]], list[str]]:
    names = sorted(f for f in FIELDS if f in p.columns)
    return {f: [i] for i, f in enumerate(names)}, names


def _row(p: Profile, cols: dict[str, list[int]]) -> list[str]:
    d = p.decimal
    values = {"booking_date": "2008-01-02", "txn_date": "2008-01-02", "value_date": "2008-01-03",
              "amount": f"1234{d}56", "debit": "", "credit": f"1234{d}56", "balance": f"99{d}00",
              "counterparty_account": "6222000011112222", "counterparty_name": "某某公司",
              "payer_account": "6222000011112222", "payer_name": "付款人", "payee_account": "5200010100000001",
              "payee_name": "收款人", "text": "养老保险费", "remark": "2008年01月", "bank_ref": "SN0001",
              "own_account": "5200010100000001", "currency": "人民币", "status": "", "flag": (p.flag_in or ("",))[0]}
    row = [""] * len(cols)
    for f, (j,) in cols.items():
        row[j] = values[f]
    return row


def _kinds(p: Profile) -> list[str]:
    """The spoils a layout can have."""
    flag = p.convention in ("flag", "flag_debit_credit")
    out = ["date", "undated", "amount", "no_amount"]
    out += ["debit"] if p.convention in ("debit_credit", "flag_debit_credit") else []
    out += ["flag"] if flag else []
    out += ["contradicts"] if p.convention == "flag_debit_credit" and p.flag_out else []
    out += [f for f in ("value_date", "balance") if f in p.columns]
    return out


def _spoil(p: Profile, cols: dict[str, list[int]], row: list[str], kind: str, where: str) -> ParseError:
    """Spoil `row` by `kind`; the error expected of the row were this its only spoil."""
    d = p.decimal
    j = {f: js[0] for f, js in cols.items()}
    jd = j.get("booking_date", j.get("txn_date"))
    assert jd is not None
    two = p.convention in ("debit_credit", "flag_debit_credit")
    ja = j["credit"] if two else j["amount"]
    if kind == "date":
        row[jd] = BAD_DATE
        return ParseError(key="date.expected", values={"found": BAD_DATE}, subject=rows_label(cols, jd), where=where)
    if kind == "undated":
        for f in ("booking_date", "txn_date"):
            if f in j:
                row[j[f]] = ""
        # The message names the transaction date column where the layout has one (the date read
        # when the booking date is blank), else the booking date column.
        dlabel = rows_label(cols, j.get("txn_date", j.get("booking_date")))
        return ParseError(key="date.missing", values={"found": "", "column": rows_label(cols, ja), "amount": row[ja]},
                          subject=dlabel, where=where)
    if kind == "flag":
        row[j["flag"]] = "?"
        exp = ", ".join(repr(x) for x in (*p.flag_in, *p.flag_out, *p.flag_zero))
        return ParseError(key="tabular.flag", values={"expected": exp, "found": "?"},
                          subject=rows_label(cols, j["flag"]), where=where)
    if kind in ("amount", "debit", "balance"):
        jx = {"amount": ja, "debit": j.get("debit", -1), "balance": j.get("balance", -1)}[kind]
        row[jx] = "12.34,5" if d == "," else "12,34.5"
        return _refusal(row[jx], d).about(rows_label(cols, jx), where)
    if kind == "no_amount":
        row[ja] = ""
        if two:
            return AmountError(key="tabular.no_amount", where=where,
                               values={"debit": rows_label(cols, j["debit"]), "credit": rows_label(cols, ja)})
        return AmountError(key="amount.expected", values={"found": ""}, subject=rows_label(cols, ja), where=where)
    if kind == "contradicts":
        row[j["flag"]] = p.flag_out[0]
        return ParseError(key="tabular.flag_contradicts", where=where,
                          values={"flag": rows_label(cols, j["flag"]), "found": p.flag_out[0],
                                  "side": rows_label(cols, ja)})
    assert kind == "value_date"
    row[j["value_date"]] = BAD_DATE
    return ParseError(key="date.expected", values={"found": BAD_DATE}, subject=rows_label(cols, j["value_date"]),
                      where=where)


def rows_label(cols: dict[str, list[int]], j: int) -> str:
    """A column's label in the messages: here its field's name, the header cell (see `_layout`)."""
    return next(f for f, js in cols.items() if js[0] == j)


def _refusal(text: str, decimal: str) -> AmountError:
    try:
        to_fen(text, decimal=decimal)
    except AmountError as exc:
        return exc
    raise AssertionError(text)


@pytest.mark.parametrize("name", sorted(PROFILES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_first_refused_row_is_named_with_the_first_rule_it_breaks(name: str, data: st.DataObject) -> None:
    p = PROFILES[name]
    n = data.draw(st.integers(1, 8))
    spoils = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(_kinds(p))), min_size=1,
                                max_size=8, unique=True))
    cols, names = _layout(p)
    sheet_rows = [_row(p, cols) for _ in range(n)]
    by_row: dict[int, list[str]] = {}
    for i, kind in spoils:
        by_row.setdefault(i, []).append(kind)
    expected: dict[int, ParseError] = {}
    for i, kinds in by_row.items():
        if "undated" in kinds:
            kinds = ["undated"]
        # One spoil a cell: the date's two spoils, the amount's two and the flag's two exclude each other.
        for a, b in (("date", "undated"), ("amount", "no_amount"), ("flag", "contradicts")):
            if a in kinds and b in kinds:
                kinds.remove(b)
        errors = [(KINDS[k], _spoil(p, cols, sheet_rows[i], k, f"line {i + 1}")) for k in kinds]
        expected[i] = min(errors, key=lambda e: e[0])[1]
    first = expected[min(expected)]
    with pytest.raises(ParseError) as got:
        rows.build(Sheet("", sheet_rows, list(range(1, n + 1))), 0, p, cols, names, "")
    assert (got.value.where, got.value.message) == (first.where, first.message)
    assert type(got.value) is type(first)
