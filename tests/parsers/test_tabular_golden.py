"""Golden files for the tabular reader, and the shared Chinese fixtures against their expected JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.tabular import FORMAT
from reconcile.money import to_fen
from tests.corpus import SHARED
from tests.golden import check, inputs, orphans

FOLDER = "tabular"
FIXTURES = SHARED / "fixtures" / "cn_banks"


def _read(path: Path, profile: str | None = None):
    return FORMAT.read(path.read_bytes(), ReadContext(file_name=path.name, profile=profile))


@pytest.mark.parametrize("path", inputs(FOLDER), ids=lambda p: p.name)
def test_each_sample_statement_parses_to_its_golden_file(path: Path, regen: bool) -> None:
    check(path, _read(path), regen)


def test_every_sample_has_its_golden_file_and_every_golden_file_its_sample() -> None:
    assert orphans(FOLDER) == []


def _fixture_cases() -> list[str]:
    f = FIXTURES / "expected_normalized.json"
    return sorted(json.loads(f.read_text(encoding="utf-8"))) if f.exists() else []


@pytest.mark.parametrize("name", _fixture_cases() or ["(absent)"])
def test_the_shared_chinese_fixtures_parse_to_exactly_their_expected_rows(name: str) -> None:
    if name == "(absent)":
        pytest.skip(f"shared fixtures not found at {FIXTURES}")
    exp = json.loads((FIXTURES / "expected_normalized.json").read_text(encoding="utf-8"))[name]
    [st] = _read(FIXTURES / name)
    assert st.account == exp["own_account"]
    assert st.currency == "CNY"
    txs = exp["transactions"]
    assert len(st.lines) == len(txs)
    for ln, tx in zip(st.lines, txs, strict=True):
        assert ln.booking_date.isoformat() == tx["date"], ln.source
        sign = 1 if tx["direction"] == "in" else -1
        assert ln.amount_fen == sign * to_fen(tx["amount"]), ln.source
        assert ln.counterparty_name == tx["counterparty_name"], ln.source
        assert ln.counterparty_account == tx["counterparty_account"], ln.source
        assert ln.text == tx["summary"], ln.source
        assert ln.remark == tx["purpose"], ln.source
        assert ln.balance_fen == to_fen(tx["balance"]), ln.source
    # These three files state no opening or closing balance; the JSON's values are the running
    # balance before the first row and after the last. The reader leaves the statement's balances
    # unset (only a preamble sets them) and keeps the running balances on the lines, from which
    # the JSON's values follow exactly:
    assert st.opening_fen is None and st.closing_fen is None
    first, last = st.lines[0], st.lines[-1]
    assert first.balance_fen is not None and last.balance_fen is not None
    assert first.balance_fen - first.amount_fen == to_fen(exp["opening_balance"])
    assert last.balance_fen == to_fen(exp["closing_balance"])
    assert Decimal(sum(ln.amount_fen for ln in st.lines)) == (
        to_fen(exp["closing_balance"]) - to_fen(exp["opening_balance"])
    )


def test_the_boc_fixture_takes_the_counterparty_from_the_side_that_is_not_the_own_account() -> None:
    if not (FIXTURES / "boc_corp_bilingual_utf8bom.csv").exists():
        pytest.skip("shared fixtures absent")
    [st] = _read(FIXTURES / "boc_corp_bilingual_utf8bom.csv")
    assert st.format == "tabular:boc_corp"
    assert st.lines[0].bank_ref == "20240301700001" and st.lines[0].ref_strength == "strong"
    assert (st.period_start.isoformat(), st.period_end.isoformat()) == ("2024-03-01", "2024-03-31")  # type: ignore[union-attr]


def test_the_icbc_fixture_names_each_line_by_its_physical_csv_line() -> None:
    if not (FIXTURES / "icbc_corp_historydetail_gbk.csv").exists():
        pytest.skip("shared fixtures absent")
    [st] = _read(FIXTURES / "icbc_corp_historydetail_gbk.csv")
    assert [ln.source for ln in st.lines] == [f"line {n}" for n in range(3, 9)]
    assert st.lines[0].ref_strength == "weak"


def test_a_forced_profile_is_used_even_when_another_would_score_higher() -> None:
    path = next(p for p in inputs(FOLDER) if p.name.startswith("ccb_mingxi_html"))
    [st] = _read(path, profile="ccb_mingxi")
    assert st.format == "tabular:ccb_mingxi"


def test_an_xlsx_reaches_the_tabular_reader_through_the_registry_not_the_zip_container() -> None:
    from parsers import registry
    from parsers.base import ReadContext

    path = Path(__file__).resolve().parents[1] / "data" / "tabular" / "rcc_jiaoyimingxi_multiline_meta.xlsx"
    banks = Path(__file__).resolve().parents[2] / "mappings" / "banks"
    statements = registry.read_bytes(path.read_bytes(), ReadContext(file_name=path.name, banks_dir=banks))
    assert [s.format for s in statements] == ["tabular:rcc_jiaoyimingxi"]
