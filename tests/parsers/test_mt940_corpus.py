"""Conformance on the shared corpus (read in place): every MT940 file either reads to the expected
count and Decimal sum, or, if SOURCES.md marks it MALFORMED, is refused with a ParseError saying
where and why. No other exception escapes for any corpus file.

Expected values: expected.json's primary parser is mt-940 5.1.1, which EXPECTED.md shows wrong in
two ways: it books RC (reversal of a credit) as money in, and it fails on an 18-character IBAN as
customer reference and on ':28C: /1'. Its 'runs' also hold the independent raw-regex reference
that applies the SWIFT signs (C/RD +, D/RC -); the SWIFT standard decides, so that reference is
the expectation for every file, and the primary must agree wherever it is not known wrong.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from parsers.base import ReadContext
from parsers.mt940 import FORMAT
from reconcile.errors import ParseError
from reconcile.model import Statement
from tests.corpus import CORPUS, expected, malformed, names, require_corpus

MT940 = names("mt940")

# Where mt-940 (the primary) is known wrong and the SWIFT rules decide (EXPECTED.md).
PRIMARY_WRONG = {
    "mt940/wolph__betterplace_sepa_mt9401.sta": "books the two :61: ...RCR204,88 lines as credits",
    "mt940/fruitl00p__Zetb_sample": "fails on ':28C: /1' (blank statement number)",
    "mt940/ocabsi__test-sns.940": "fails on an 18-character IBAN as customer reference",
    "mt940/wolph__ASNB_0708271685_09022020_164516.940.txt": "fails on an 18-character IBAN reference",
}

# What each refusal must name: the line, and words of the reason.
MALFORMED_REASON = {
    "mt940/wolph__self-provided_invalid_statement.sta": ("", "no ':20:'"),
    "mt940/mt940rs__special_unknown_tag.sta": ("line 9", "unknown field tag ':12:'"),
    "mt940/mt940rs__special_unexpected_tag.sta": ("line 3", "unexpected :28C:", ":25:"),
    "mt940/ocabsi__test-wrong-file.940": ("line 1", "':9401:' is not an MT940 field tag"),
    "mt940/zilverline__knab_invalid.txt": ("line 9", "truncated", "'{1:'", ":62F:"),
    "mt940/wolph__betterplace_sepa_snippet_broken.sta": ("line 6", "unexpected :25:", ":61:"),
    "mt940/wolph__jejik_knab.sta": ("line 17", "'500'", "mandatory decimal comma"),
}


def _read(name: str) -> list[Statement]:
    data = (require_corpus() / name).read_bytes()
    return FORMAT.read(data, ReadContext(file_name=name.split("/", 1)[1]))


def _count_and_sum(statements: list[Statement]) -> tuple[int, Decimal]:
    lines = [ln for st in statements for ln in st.lines]
    return len(lines), Decimal(sum(ln.amount_fen for ln in lines)) / 100


def _raw_reference(entry: dict[str, Any]) -> dict[str, Any]:
    runs = [r for r in entry["runs"] if r["parser"].startswith("raw-regex")]
    assert len(runs) == 1, "expected.json has one raw-regex reference run per MT940 file"
    return runs[0]


def test_the_corpus_has_mt940_files_and_the_malformed_ones_are_the_ones_with_a_stated_reason() -> None:
    require_corpus()
    assert len(MT940) >= 20
    assert {n for n in malformed() if n.startswith("mt940/")} == set(MALFORMED_REASON)


@pytest.mark.parametrize("name", [n for n in MT940 if n not in malformed()])
def test_a_well_formed_corpus_file_reads_to_the_swift_count_and_sum(name: str) -> None:
    entry = expected()[name]
    raw = _raw_reference(entry)
    got = _count_and_sum(_read(name))
    assert got == (raw["n_transactions"], Decimal(raw["sum_amount"]))
    if entry["ok"] and name not in PRIMARY_WRONG:
        assert got == (entry["n_transactions"], Decimal(entry["sum_amount"]))


@pytest.mark.parametrize("name", sorted(MALFORMED_REASON))
def test_a_malformed_corpus_file_is_refused_with_the_line_and_the_reason(name: str) -> None:
    with pytest.raises(ParseError) as caught:
        _read(name)
    where, *words = MALFORMED_REASON[name]
    err = caught.value
    assert err.file == name.split("/", 1)[1]
    assert err.where == where
    for w in words:
        assert w in err.message


@pytest.mark.parametrize("name", MT940)
def test_no_exception_but_parse_error_escapes_for_any_corpus_file(name: str) -> None:
    try:
        statements = _read(name)
    except ParseError:
        return
    assert all(st.format == "mt940" for st in statements)


def test_the_swift_signs_make_every_betterplace_statement_balance() -> None:
    statements = _read("mt940/wolph__betterplace_sepa_mt9401.sta")
    assert len(statements) == 26
    for st in statements:
        assert st.opening_fen is not None and st.closing_fen is not None
        assert st.opening_fen + sum(ln.amount_fen for ln in st.lines) == st.closing_fen
    reversals = [ln for st in statements for ln in st.lines if ln.reversal]
    assert [ln.amount_fen for ln in reversals] == [-20488, -20488]


def test_the_sns_message_without_a_closing_balance_is_read_and_says_so() -> None:
    statements = _read("mt940/ocabsi__test-sns.940")
    assert [st.closing_fen is None for st in statements] == [False, False, True]
    assert "closing_missing" in statements[2].extra
    assert statements[0].lines[0].counterparty_account == "NL49RABO0166416932"
    assert statements[0].lines[0].counterparty_name == "gerrits glas en schilderwerk"


def test_every_account_of_a_multi_account_file_is_kept_per_statement() -> None:
    assert [st.account for st in _read("mt940/wolph__cmxl_mt940.sta")] == [
        "45050050/76198810",
        "10020030/1234567",
        "BPHKPLPK/320000546101",
    ]
    assert [(st.account, st.currency) for st in _read("mt940/zilverline__two_accounts.txt")] == [
        ("1567.50.961EUR", "EUR"),
        ("9914.30.727EUR", "EUR"),
        ("3462.483.153 EUR", "EUR"),
        ("1325.76.155EUR", "EUR"),  # after a Ctrl-Z byte on the line
    ]


def test_a_latin_encoded_file_is_read_without_failing_on_its_bytes() -> None:
    statements = _read("mt940/wolph__self-provided_raiffeisen-cmi.sta")
    assert statements[0].currency == "HUF" and len(statements[0].lines) == 7


@pytest.mark.parametrize("name", MT940)
def test_the_sniffer_claims_every_corpus_mt940_file_that_has_a_statement(name: str) -> None:
    head = (require_corpus() / name).read_bytes()[:65536]
    assert FORMAT.sniff(head) == (name != "mt940/wolph__self-provided_invalid_statement.sta")


@pytest.mark.parametrize("name", [n for n in sorted(expected()) if not n.startswith("mt940/")])
def test_the_sniffer_claims_no_camt_ofx_or_csv_corpus_file(name: str) -> None:
    path = require_corpus() / name
    assert not FORMAT.sniff(path.read_bytes()[:65536]), f"{CORPUS.name}/{name}"
