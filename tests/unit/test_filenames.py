"""FilenameRules.bind: what the `[[ingest.filename_rules]]` read from a file name (reconcile/filenames.py)."""

from __future__ import annotations

from datetime import date

from reconcile.filenames import FilenameRules, NameBinding

DEFAULT = (r"^(?P<account>\d{6,32})_(?P<start>\d{8})-(?P<end>\d{8})", "")  # config.toml's rule


def test_the_default_rule_reads_the_account_and_the_period() -> None:
    b = FilenameRules([DEFAULT]).bind("6222021234567890_20080301-20080331.csv")
    assert b.account == "6222021234567890"
    assert b.period == (date(2008, 3, 1), date(2008, 3, 31))
    assert b.read == (("account", "6222021234567890"), ("end", "20080331"), ("start", "20080301"))


def test_a_name_no_rule_matches_reads_nothing() -> None:
    assert FilenameRules([DEFAULT]).bind("statement.csv") == NameBinding()
    assert FilenameRules().bind("6222021234567890_20080301-20080331.csv") == NameBinding()


def test_a_template_builds_the_account_from_the_groups() -> None:
    rules = FilenameRules([(r"^ICBC-(?P<branch>\d{4})-(?P<no>\d{4})", "2406{branch}0900{no}")])
    b = rules.bind("ICBC-0701-0042.xls")
    assert b.account == "240607010900" + "0042"
    assert b.period is None
    assert b.read == (("branch", "0701"), ("no", "0042"), ("account", "2406070109000042"))


def test_the_first_rule_that_names_an_account_wins_and_the_period_may_come_from_another() -> None:
    rules = FilenameRules([
        (r"(?P<start>\d{8})-(?P<end>\d{8})", ""),  # a period only: no account
        (r"^(?P<account>\d+)_", ""),
        (r"^(?P<other>\d+)_", "X{other}"),
    ])
    b = rules.bind("123_20080301-20080331.csv")
    assert b.account == "123"
    assert b.period == (date(2008, 3, 1), date(2008, 3, 31))
    assert ("account", "X123") in b.read  # every matching rule's reading counts in telling names apart


def test_an_impossible_or_reversed_period_is_skipped_for_the_next_rule() -> None:
    rules = FilenameRules([
        (r"A(?P<start>\d{8})-(?P<end>\d{8})", ""),
        (r"B(?P<start>\d{8})-(?P<end>\d{8})", ""),
    ])
    assert rules.bind("A20080231-20080301_B20080401-20080430").period == (date(2008, 4, 1), date(2008, 4, 30))
    assert rules.bind("A20080331-20080301_B20080401-20080430").period == (date(2008, 4, 1), date(2008, 4, 30))
    assert rules.bind("A20080331-20080301").period is None


def test_an_empty_account_from_the_first_rule_is_kept_as_no_account() -> None:
    rules = FilenameRules([(r"^(?P<account>\d*)x", ""), (r"^(?P<account>\w+)", "")])
    assert rules.bind("x.csv").account == ""  # the first rule decided: no account (as before the refactor)


def test_names_that_read_the_same_bind_the_same() -> None:
    rules = FilenameRules([DEFAULT])
    march = rules.bind("6222021234567890_20080301-20080331.csv")
    assert rules.bind("6222021234567890_20080301-20080331 (1).csv").read == march.read
    assert rules.bind("6222021234567890_20080401-20080430.csv").read != march.read
    assert rules.bind("6222021234567891_20080301-20080331.csv").read != march.read
