from __future__ import annotations

from pathlib import Path

import pytest

from reconcile.config import load
from reconcile.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_the_shipped_config_loads_and_defaults_to_sqlite_under_data() -> None:
    cfg = load(ROOT / "config.toml", env={})
    assert cfg.database_url == f"sqlite:///{ROOT / 'data' / 'recon.db'}"
    assert cfg.general.timezone == "Asia/Shanghai"
    assert cfg.path("inbox") == ROOT / "inbox"


def test_an_unknown_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    p = write(tmp_path, "[paths]\ninbx = 'x'\n")
    with pytest.raises(ConfigError) as err:
        load(p, env={})
    assert str(p) in str(err.value) and "paths.inbx" in str(err.value)


def test_a_wrong_type_says_what_is_expected(tmp_path: Path) -> None:
    p = write(tmp_path, "[ingest]\nsettle_seconds = 'soon'\n")
    with pytest.raises(ConfigError, match=r"ingest\.settle_seconds: an integer"):
        load(p, env={})


def test_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.toml", env={})


def test_broken_toml_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="valid TOML"):
        load(write(tmp_path, "[paths\n"), env={})


def test_a_bad_timezone_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"general\.timezone"):
        load(write(tmp_path, "[general]\ntimezone = 'Mars/Olympus'\n"), env={})


def test_environment_overrides_the_config_file_and_the_database(tmp_path: Path) -> None:
    p = write(tmp_path, "[paths]\ninbox = 'in'\n")
    cfg = load(None, env={"RECON_CONFIG": str(p), "RECON_DATABASE_URL": "postgresql+psycopg://u@h/db"})
    assert cfg.path("inbox") == tmp_path / "in"
    assert cfg.database_url == "postgresql+psycopg://u@h/db"


def test_relative_sqlite_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    cfg = load(write(tmp_path, "[database]\nurl = 'sqlite:///db/x.db'\n"), env={})
    assert cfg.database_url == f"sqlite:///{tmp_path / 'db' / 'x.db'}"


def test_a_filename_rule_with_a_broken_pattern_is_refused(tmp_path: Path) -> None:
    text = "[[ingest.filename_rules]]\npattern = '(('\naccount = 'x'\n"
    with pytest.raises(ConfigError, match=r"filename_rules\[0\]\.pattern"):
        load(write(tmp_path, text), env={})


def test_ingest_workers_left_unset_is_left_to_the_run_and_a_given_number_is_checked(tmp_path: Path) -> None:
    """Unset (the shipped file too), the run decides how many readers (jobs/ingest/reading.py
    `readers`); a number is taken as given, within 0 to 16, and must be a number."""
    assert load(ROOT / "config.toml", env={}).ingest.workers is None
    assert load(write(tmp_path, "[ingest]\nsettle_seconds = 1\n"), env={}).ingest.workers is None
    assert load(write(tmp_path, "[ingest]\nworkers = 0\n"), env={}).ingest.workers == 0
    assert load(write(tmp_path, "[ingest]\nworkers = 2\n"), env={}).ingest.workers == 2
    for bad, says in (("17", "0 to 16"), ('"two"', "an integer"), ("true", "an integer")):
        with pytest.raises(ConfigError, match=says):
            load(write(tmp_path, f"[ingest]\nworkers = {bad}\n"), env={})
