"""Drafting a profile for a new layout (`recon profile draft`): each layout of the corpus and of the
fixtures, with its own profile hidden (so that no profile knows it, as for a new bank), is drafted
from the other profiles' vocabulary and read to the fen after at most a one-line edit; three layouts
no profile fits (tests/data/drafts) are refused today and read by their drafts, golden-checked."""

from __future__ import annotations

import shutil
import tomllib
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.tabular import FORMAT
from parsers.tabular.draft import draft
from parsers.tabular.draft_text import check, render
from parsers.tabular.profile import DEFAULT_BANKS_DIR, load_profiles
from reconcile.errors import ParseError
from reconcile.model import Statement
from tests import golden
from tests.corpus import CORPUS, SHARED, expected, names

DRAFTS = golden.inputs("drafts")
# The one line a clerk changes in a draft before it reads the file right, where one is needed:
# file -> (the line as drafted, the line after the edit). None needed today; the test holds each
# future exception to one line.
EDITS: dict[str, tuple[str, str]] = {}


def drafted(data: bytes, file_name: str, banks: Path, profiles: dict, edit: tuple[str, str] | None = None) -> str:
    d = draft(data, "drafted", profiles, file_name)
    text = render(d)
    check(d, text)
    if edit is not None:
        old, new = edit
        assert text.count(old + "\n") == 1 and "\n" not in old + new, "an edit is one whole line"
        text = text.replace(old + "\n", new + "\n")
    (banks / "drafted.toml").write_text(text, encoding="utf-8")
    return text


def read_with_draft(data: bytes, file_name: str, banks: Path) -> list[Statement]:
    return FORMAT.read(data, ReadContext(file_name=file_name, profile="drafted", banks_dir=banks))


def totals(statements: list[Statement]) -> tuple[int, Decimal]:
    fen = sum(ln.amount_fen for s in statements for ln in s.lines)
    return sum(len(s.lines) for s in statements), Decimal(fen) / 100


def _layouts() -> list[Path]:
    corpus = [CORPUS / n for n in names("csv")]
    fixtures = sorted((SHARED / "fixtures" / "cn_banks").glob("*.*")) if (SHARED / "fixtures").exists() else []
    ours = [p for p in golden.inputs("tabular")]
    return [*corpus, *(p for p in fixtures if p.suffix in (".csv", ".xlsx", ".xls")), *ours]


@pytest.mark.parametrize("path", _layouts() or [Path("(absent)")], ids=lambda p: p.name)
def test_a_layout_whose_profile_is_hidden_is_drafted_and_read_right_after_at_most_one_edit(
        path: Path, tmp_path: Path) -> None:
    if not path.exists():
        pytest.skip("corpus not found")
    data = path.read_bytes()
    full = load_profiles(DEFAULT_BANKS_DIR)
    reference = FORMAT.read(data, ReadContext(file_name=path.name, banks_dir=DEFAULT_BANKS_DIR))
    own = reference[0].format.removeprefix("tabular:")
    others = {k: p for k, p in full.items() if k != own}
    for k in others:
        shutil.copy(DEFAULT_BANKS_DIR / f"{k}.toml", tmp_path)
    key = f"csv/{path.name}" if path.parent == CORPUS / "csv" else path.name
    drafted(data, path.name, tmp_path, others, EDITS.get(key))
    got = totals(read_with_draft(data, path.name, tmp_path))
    exp = expected().get(key)
    want = (exp["n_transactions"], Decimal(str(exp["sum_amount"]))) if exp else totals(reference)
    assert got == want


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_a_layout_no_profile_fits_is_refused_today_with_the_command_that_drafts_one(path: Path) -> None:
    with pytest.raises(ParseError) as e:
        FORMAT.read(path.read_bytes(), ReadContext(file_name=path.name, lang="en"))
    found, hint = e.value.message.split("\n")
    assert found.startswith("no bank profile fits this layout: header row at line ")
    assert hint == f"draft a profile for it: recon profile draft {path.name} --name NAME"


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.name)
def test_its_draft_reads_it_to_the_fen_checked_by_its_own_balances_and_golden_file(
        path: Path, tmp_path: Path, regen: bool) -> None:
    data = path.read_bytes()
    drafted(data, path.name, tmp_path, load_profiles(DEFAULT_BANKS_DIR))
    statements = read_with_draft(data, path.name, tmp_path)
    for st in statements:
        lines = [(ln.amount_fen, ln.balance_fen or 0) for ln in st.lines]
        assert lines and all(ln.balance_fen is not None for ln in st.lines)
        forward = all(b1 == b0 + a1 for (_, b0), (a1, b1) in pairwise(lines))
        backward = all(b0 == b1 + a0 for (a0, b0), (_, b1) in pairwise(lines))
        assert forward or backward, "every running balance is the previous one plus the line's amount"
        if st.opening_fen is not None and st.closing_fen is not None:
            assert st.opening_fen + sum(a for a, _ in lines) == st.closing_fen
    golden.check(path, statements, regen)


def test_every_golden_draft_input_has_its_expected_file() -> None:
    assert golden.orphans("drafts") == []


def test_every_choice_of_a_draft_says_why_and_the_draft_loads_as_a_profile(tmp_path: Path) -> None:
    path = next(p for p in DRAFTS if p.name.startswith("cmbc"))
    text = drafted(path.read_bytes(), path.name, tmp_path, load_profiles(DEFAULT_BANKS_DIR))
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line
        elif section in ("[columns]", "[amount]", "[dates]", "[preamble]", "[ref]") and "=" in line \
                and not line.startswith("#"):
            assert "  # " in line, f"{section} {line!r} has no comment"
    assert load_profiles(tmp_path)["drafted"].convention == "debit_credit"
    assert tomllib.loads(text)["preamble"]["closing"] == ["期末余额"]


def test_a_draft_takes_the_sides_the_running_balance_explains_not_the_first_guess(tmp_path: Path) -> None:
    # No profile knows these names; the running balance (newest first) says which column is the debit.
    data = "日期,付,收,结余\n2024-03-03,5.00,,95.00\n2024-03-02,,100.00,100.00\n2024-03-01,1.00,,0.00\n".encode()
    text = drafted(data, "x.csv", tmp_path, {})
    assert 'debit = ["付"]' in text and 'credit = ["收"]' in text
    swapped = "日期,收,付,结余\n2024-03-03,5.00,,95.00\n2024-03-02,,100.00,100.00\n2024-03-01,1.00,,0.00\n"
    text = drafted(swapped.encode(), "x.csv", tmp_path, {})
    assert 'debit = ["收"]' in text and 'credit = ["付"]' in text  # what the numbers say, whatever the names
