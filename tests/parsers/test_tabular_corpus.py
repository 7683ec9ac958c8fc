"""Conformance of the tabular reader on the shared corpus's csv/* files (read in place).

Each file must parse to the row count and Decimal sum of `expected.json`, by the rule EXPECTED.md
gives it: pending rows (Sparkasse 'Umsatz vorgemerkt') are counted, as PDNG lines; Alipay's 不计收支
rows are counted and contribute 0 (INFO lines of 0 fen, profile `flag_zero`).
"""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest

from parsers.base import ReadContext
from parsers.tabular import FORMAT
from reconcile.errors import ParseError
from reconcile.model import EntryStatus
from tests.corpus import CORPUS, expected, names, require_corpus


@pytest.mark.parametrize("name", names("csv") or ["(no corpus)"])
def test_each_corpus_csv_file_has_the_expected_row_count_and_sum(name: str) -> None:
    corpus = require_corpus()
    exp = expected()[name]
    sts = FORMAT.read((corpus / name).read_bytes(), ReadContext(file_name=name))
    lines = [ln for st in sts for ln in st.lines]
    assert len(lines) == exp["n_transactions"]
    assert Decimal(sum(ln.amount_fen for ln in lines)) / 100 == Decimal(exp["sum_amount"])
    if exp.get("currency"):
        assert sorted({st.currency for st in sts}) == sorted(exp["currency"].split(","))
    if exp.get("account_id"):
        assert {st.account for st in sts} == {exp["account_id"]}


def test_sparkasse_pending_rows_are_kept_as_pending_lines() -> None:
    corpus = require_corpus()
    [st] = FORMAT.read((corpus / "csv/rpilot__sparkasse-lzo-camt-v8.csv").read_bytes(), ReadContext())
    assert [ln.status for ln in st.lines].count(EntryStatus.PDNG) == 3
    assert len(st.booked) == 7


def test_alipay_neutral_rows_count_but_contribute_nothing() -> None:
    corpus = require_corpus()
    [st] = FORMAT.read((corpus / "csv/degen__alipay.csv").read_bytes(), ReadContext())
    neutral = [ln for ln in st.lines if ln.status is EntryStatus.INFO]
    assert len(neutral) == 4 and all(ln.amount_fen == 0 for ln in neutral)


def _all_corpus_files() -> list[str]:
    if not CORPUS.exists():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", _all_corpus_files() or ["(no corpus)"])
def test_no_corpus_file_makes_the_tabular_reader_raise_anything_but_a_parse_error(name: str) -> None:
    corpus = require_corpus()
    with contextlib.suppress(ParseError):
        FORMAT.read((corpus / name).read_bytes(), ReadContext(file_name=name))
