"""Golden tests: the hand-written OFX files of tests/data/ofx, read by both readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.ofx import FORMAT
from reconcile.model import statement_to_dict
from tests import golden

FILES = golden.inputs("ofx")


def test_every_ofx_golden_input_has_its_expected_file_and_no_expected_file_is_orphaned() -> None:
    assert golden.orphans("ofx") == []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_golden_ofx_file_reads_as_its_expected_statements_through_both_readers(path: Path, regen: bool) -> None:
    data = path.read_bytes()
    assert FORMAT.sniff(data[:65536])
    by_ofxparse = FORMAT.read(data, ReadContext(file_name=path.name), reader="ofxparse")
    by_stream = FORMAT.read(data, ReadContext(file_name=path.name), reader="stream")
    golden.check(path, by_ofxparse, regen)
    assert [(statement_to_dict(s), s.extra) for s in by_stream] == [
        (statement_to_dict(s), s.extra) for s in by_ofxparse
    ]


def test_chinese_payees_in_a_utf8_ofx2_file_read_right() -> None:
    data = (golden.DATA / "ofx" / "pension_income_utf8_v211.ofx").read_bytes()
    (st,) = FORMAT.read(data, ReadContext())
    assert [ln.counterparty_name for ln in st.lines] == [
        "钟山区社会保险事业局",
        "六枝特区社保中心（养老）",
        "工行 & 手续费",
    ]
    assert st.lines[1].amount_fen == 5600005  # TRNAMT 56000,05: a decimal comma
    assert st.lines[1].remark == "补缴 <2023> 年度 & 利息"  # CDATA taken literally
    assert st.lines[0].counterparty_account == "2406060109300098765"  # BANKACCTTO/ACCTID


def test_a_gbk_ofx1_file_declared_charset_936_reads_its_chinese_names() -> None:
    data = (golden.DATA / "ofx" / "unemployment_gbk_v102.ofx").read_bytes()
    first, second = FORMAT.read(data, ReadContext())
    assert first.lines[0].counterparty_name == "六盘水市失业保险基金支出户"
    # one STMTRS with two BANKTRANLISTs: all lines kept, period over both lists
    assert len(first.lines) == 3
    assert (first.period_start.isoformat(), first.period_end.isoformat()) == ("2024-01-01", "2024-01-31")  # type: ignore[union-attr]
    assert first.closing_fen is None and second.closing_fen == 25000000
    assert first.lines[2].bank_ref == "" and first.lines[2].ref_strength.value == "none"
