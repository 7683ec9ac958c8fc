"""The `recon` command as a user runs it: help everywhere, exit codes that mean something, one
clear line for a configuration error, JSON for other programs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import SHARED

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = SHARED / "fixtures" / "cn_banks"  # read in place; absent: the test skips
COMMANDS = ["init", "ingest", "status", "accounts", "parse", "reconcile", "findings", "findings list",
            "findings ack", "findings resolve", "findings reopen", "report", "run", "serve", "simulate", "users",
            "users add", "users passwd", "users disable", "users enable", "users list", "audit", "audit verify",
            "audit list", "web", "profile", "profile draft", "book"]


def recon(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jobs.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command: str) -> None:
    done = recon(*command.split(), "--help")
    assert done.returncode == 0 and "用法：" in done.stdout  # Chinese by default
    done = recon(*command.split(), "--help", env={**os.environ, "RECON_LANG": "en"})
    assert done.returncode == 0 and "Usage:" in done.stdout


def test_accounts_json_lists_the_registry_with_its_fields() -> None:
    done = recon("accounts", "--json")
    rows = json.loads(done.stdout)
    assert done.returncode == 0 and len(rows) >= 21
    assert set(rows[0]) == {"number", "name", "entity", "fund", "role", "bank", "profile"}


def test_parse_json_shows_a_file_without_storing_it() -> None:
    if not FIXTURES.exists():
        pytest.skip(f"shared fixtures not found at {FIXTURES}")
    done = recon("parse", str(FIXTURES / "icbc_corp_historydetail_gbk.csv"), "--json")
    assert done.returncode == 0, done.stderr
    [st] = json.loads(done.stdout)
    assert st["account"] == "2409099999000012345" and st["currency"] == "CNY"
    line = st["lines"][0]
    assert {"booking_date", "value_date", "amount_fen", "counterparty_account", "counterparty_name", "text",
            "bank_ref", "balance_fen", "source"} <= set(line)
    assert line["amount_fen"] == 15843210 and line["source"].startswith("icbc_corp_historydetail_gbk.csv:line ")


def test_parse_json_and_text_show_each_dialect_warning_in_the_chosen_language() -> None:
    path = ROOT / "tests" / "data" / "mt940" / "bank_own_tags.sta"
    done = recon("--lang", "en", "parse", str(path), "--json")
    assert done.returncode == 0, done.stderr
    [st] = json.loads(done.stdout)
    assert st["warnings"] == [{"code": "mt940.nonswift_tag", "where": "line 4", "count": 5, "detail": ":NS:",
                               "text": "dialect: the bank's own field :NS: (not SWIFT) skipped, 5 times "
                                       "(first at line 4)"}]
    done = recon("parse", str(path))
    assert "方言：银行自定义字段 :NS:（非 SWIFT 字段）已跳过，共 5 处（首见于 第 4 行）" in done.stdout


def deployment(tmp_path: Path) -> Path:
    """A deployment whose mappings are a copy of the project's, so that drafts land there."""
    shutil.copytree(ROOT / "mappings", tmp_path / "mappings")
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[database]\nurl = 'sqlite:///{tmp_path}/x.db'\n[paths]\nmappings = 'mappings'\n", encoding="utf-8")
    return cfg


def test_profile_draft_writes_a_profile_says_what_it_reads_and_the_layout_then_parses(tmp_path: Path) -> None:
    cfg = deployment(tmp_path)
    new = ROOT / "tests" / "data" / "drafts" / "psbc_corp_jiaoyimingxi.csv"
    refused = recon("--config", str(cfg), "--lang", "en", "parse", str(new))
    assert refused.returncode == 1 and "recon profile draft psbc_corp_jiaoyimingxi.csv --name NAME" in refused.stderr
    done = recon("--config", str(cfg), "--lang", "en", "profile", "draft", str(new), "--name", "psbc_corp")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mappings" / "banks" / "psbc_corp.toml").exists()
    assert "4 lines: credits 2, total 1,455,412.37; debits 2, total -1,455,448.04; net -35.67" in done.stdout
    assert "first date 2024-03-01, last date 2024-03-29" in done.stdout
    parsed = recon("--config", str(cfg), "parse", str(new), "--json")
    assert parsed.returncode == 0 and json.loads(parsed.stdout)[0]["format"] == "tabular:psbc_corp"
    again = recon("--config", str(cfg), "profile", "draft", str(new), "--name", "psbc_corp")
    assert again.returncode == 2 and "--force" in again.stderr
    bad = recon("--config", str(cfg), "profile", "draft", str(new), "--name", "PSBC")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_parse_refuses_a_file_with_exit_1_and_the_reason_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("just some words\nnothing tabular here\n", encoding="utf-8")
    done = recon("parse", str(bad))
    assert done.returncode == 1 and "bad.csv" in done.stderr and "Traceback" not in done.stderr


def test_a_configuration_error_is_one_line_naming_the_file_and_key_with_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[paths]\ninbx = 'x'\n", encoding="utf-8")
    done = recon("--config", str(cfg), "status")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert str(cfg) in done.stderr and "paths.inbx" in done.stderr


def test_an_unknown_option_is_a_usage_error_with_exit_2() -> None:
    assert recon("status", "--no-such-option").returncode == 2


def test_an_embedded_database_never_initialised_is_created_on_first_use(tmp_path: Path) -> None:
    """Issue 12: a new SQLite deployment needs no `recon init` (PostgreSQL still asks for it, one
    line: tests/reliability/test_isolation.py)."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[database]\nurl = 'sqlite:///{tmp_path}/x.db'\n[paths]\nmappings = '{ROOT / 'mappings'}'\n",
                   encoding="utf-8")
    done = recon("--config", str(cfg), "--lang", "en", "status")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "embedded database" in done.stderr and (tmp_path / "x.db").is_file()
