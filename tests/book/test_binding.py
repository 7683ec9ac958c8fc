"""Which account a journal belongs to: number, 科目, name, file name; contradictions refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.accounts import load_registry
from reconcile.book.binding import Subjects, bind, load_subjects
from reconcile.book.records import Journal
from reconcile.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
REG = load_registry(ROOT / "mappings" / "accounts.toml")
SUBJECTS = load_subjects(ROOT / "mappings" / "book_subjects.toml", REG)
NONE = Subjects({})


def test_a_registered_number_in_the_title_block_binds_the_journal() -> None:
    b = bind(Journal(subject="1002 银行存款", account="2409011100000100"), REG, NONE)
    assert (b.account, b.how) == ("2409011100000100", "number")


def test_a_number_in_the_title_that_is_not_registered_is_refused_rather_than_guessed() -> None:
    b = bind(Journal(subject="1002 银行存款—钟山区社保局养老收入户", account="9999999999"), REG, NONE)
    assert (b.problem, b.value) == ("unknown_account", "9999999999")


def test_a_long_number_inside_the_subject_binds_it() -> None:
    b = bind(Journal(subject="100201 工行 2409-0111-0000-0100 养老收入"), REG, NONE)
    assert (b.account, b.how) == ("2409011100000100", "number")


def test_a_subject_listed_in_book_subjects_binds_by_code_by_name_or_whole() -> None:
    for subject in ("100201 银行存款—随便写的名字", "银行存款-市社保养老收入户", "100201"):
        b = bind(Journal(subject=subject), REG, SUBJECTS)
        assert (b.account, b.how) == ("104861001000000101", "subject"), subject


def test_the_name_or_an_alias_of_one_account_inside_the_subject_binds_it() -> None:
    b = bind(Journal(subject="100209 银行存款—水城县社会保险事业局失业保险基金支出户"), REG, NONE)
    assert (b.account, b.how) == ("402701042200000411", "name")
    b = bind(Journal(subject="银行存款 - 盘县社保局养老收入户"), REG, NONE)
    assert b.account == "52050131100000300"


def test_a_file_name_rule_binds_what_the_file_itself_does_not() -> None:
    b = bind(Journal(subject="1002 银行存款"), REG, NONE, file_account="23-331021100000200")
    assert (b.account, b.how) == ("23-331021100000200", "file_name")
    assert bind(Journal(subject="1002 银行存款"), REG, NONE).problem == "no_account"


def test_two_ways_naming_two_accounts_are_refused() -> None:
    b = bind(Journal(subject="100201 银行存款", account="2409011100000100"), REG, SUBJECTS)
    assert b.problem == "conflict" and "104861001000000101" in b.value and "2409011100000100" in b.value


def test_a_subjects_file_naming_an_unregistered_account_or_one_subject_twice_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "book_subjects.toml"
    bad.write_text('[[subject]]\naccount = "123"\nsubjects = ["100201"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"subject\[0\].account"):
        load_subjects(bad, REG)
    bad.write_text('[[subject]]\naccount = "2409011100000100"\nsubjects = ["100201"]\n'
                   '[[subject]]\naccount = "2409011200000101"\nsubjects = ["100201"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="names another account"):
        load_subjects(bad, REG)
    assert load_subjects(tmp_path / "absent.toml", REG).by_text == {}
