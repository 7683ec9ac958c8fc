"""Conformance with the shared corpus: every camt/* file, read in place (never copied).

A non-MALFORMED file parses, and its entry count and Decimal sum (all statuses, CRDT +, DBIT -)
equal expected.json's. MALFORMED files are refused with a ParseError saying what was expected.
No camt corpus file has an amount with non-zero digits beyond the fen ('18.150' and '5442.09000'
only have trailing zeros), so none is expected to be refused for that reason (REFUSED_AMOUNT).
Three synthetic samples book in another currency than the account's and are refused (REFUSED_CURRENCY).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from parsers import zipped
from parsers.base import ReadContext
from parsers.camt import FORMAT
from reconcile.errors import ParseError
from reconcile.model import Statement
from tests import corpus

REFUSED_AMOUNT: frozenset[str] = frozenset()  # files with an amount beyond the fen: none in camt/
# A library's synthetic samples that book in another currency than the account's (issue 12, defect
# 10): an SEK entry in a CHF account, an SEK closing balance after an EUR opening one.
REFUSED_CURRENCY = frozenset({"camt/genkgo__camt052.v4.xml", "camt/genkgo__camt053.v4.xml",
                              "camt/genkgo__camt053.v8.xml"})


def read_corpus_file(name: str) -> list[Statement]:
    data = (corpus.CORPUS / name).read_bytes()
    ctx = ReadContext(file_name=name)
    if zipped.is_zip(data[:8]):
        out = []
        for member, body in zipped.members(data, ctx):
            assert FORMAT.sniff(body[:65536]), f"{member} is not camt"
            out += FORMAT.read(body, ReadContext(file_name=f"{name}:{member}"))
        return out
    assert FORMAT.sniff(data[:65536]), f"{name} is not recognised as camt"
    return FORMAT.read(data, ctx)


@pytest.mark.parametrize("name", corpus.names("camt") or ["(no corpus)"])
def test_each_corpus_camt_file_matches_expected_counts_and_sums(name: str) -> None:
    corpus.require_corpus()
    exp = corpus.expected()[name]
    if name in corpus.malformed():
        with pytest.raises(ParseError, match="expected") as exc:
            read_corpus_file(name)
        assert name in str(exc.value)
        return
    if name in REFUSED_AMOUNT:
        with pytest.raises(ParseError, match="beyond the fen"):
            read_corpus_file(name)
        return
    if name in REFUSED_CURRENCY:
        with pytest.raises(ParseError, match="expected one currency"):
            read_corpus_file(name)
        return
    statements = read_corpus_file(name)
    lines = [ln for st in statements for ln in st.lines]
    assert len(lines) == exp["n_transactions"]
    assert Decimal(sum(ln.amount_fen for ln in lines)) / 100 == Decimal(exp["sum_amount"])
    if exp.get("account_id"):
        assert ",".join(st.account for st in statements) == exp["account_id"]


def test_the_corpus_has_both_malformed_camt_files() -> None:
    corpus.require_corpus()
    assert {"camt/genkgo__camt053.v2.wrong.xml", "camt/viafintech__invalid_namespace.xml"} <= corpus.malformed()


def test_a_reversal_heavy_corpus_statement_balances_with_booked_signs() -> None:
    corpus.require_corpus()
    (st,) = read_corpus_file("camt/viafintech__053_valid_example_v4.xml")
    assert sum(ln.reversal for ln in st.lines) == 2
    assert st.opening_fen is not None and st.closing_fen is not None
    assert st.opening_fen + sum(ln.amount_fen for ln in st.booked) == st.closing_fen
