"""The options several `recon` commands share are declared once (jobs/options.py): the `as_of` type
gives a date within the calendar's years, `--as-of` defaults when the command runs, and no command
module declares a shared option itself."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from jobs.options import AS_OF, as_of_option

ROOT = Path(__file__).resolve().parents[2]


def test_the_as_of_type_gives_a_date() -> None:
    day = AS_OF.convert("2008-03-31", None, None)
    assert day == date(2008, 3, 31)
    assert type(day) is date  # not a datetime: the commands compare it with dates


@pytest.mark.parametrize("text", ["1999-12-31", "2100-01-01", "2008-13-01", "31.03.2008", ""])
def test_the_as_of_type_refuses_a_day_outside_the_calendar_or_not_a_day(text: str) -> None:
    with pytest.raises(click.BadParameter):
        AS_OF.convert(text, None, None)


def _command(default: Any) -> click.Command:
    @click.command()
    @click.pass_obj
    @as_of_option("the day", default=default)
    def show(app: object, as_of: date | None) -> None:
        click.echo(f"{app} {as_of!r}")

    return show


def test_as_of_is_the_day_given_else_the_default_worked_out_from_the_app_when_the_command_runs() -> None:
    asked: list[object] = []

    def default(app: Any) -> date:
        asked.append(app)
        return date(2008, 1, 31)

    cmd = _command(default)
    given = CliRunner().invoke(cmd, ["--as-of", "2008-02-29"], obj="APP")
    assert (given.exit_code, given.output.strip()) == (0, "APP datetime.date(2008, 2, 29)")
    assert asked == []  # a given day asks nothing of the configuration
    missing = CliRunner().invoke(cmd, [], obj="APP")
    assert (missing.exit_code, missing.output.strip()) == (0, "APP datetime.date(2008, 1, 31)")
    assert asked == ["APP"]


def test_as_of_without_a_default_leaves_the_choice_to_the_command() -> None:
    result = CliRunner().invoke(_command(None), [], obj="APP")
    assert (result.exit_code, result.output.strip()) == (0, "APP None")


def test_as_of_out_of_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(_command(None), ["--as-of", "2100-01-01"], obj="APP")
    assert result.exit_code == 2
    assert "2100-01-01" in result.output


@pytest.mark.parametrize("option", ["--config", "--lang", "--as-of", "--json", "--note", "--by"])
def test_a_shared_option_is_declared_in_jobs_options_only(option: str) -> None:
    declares = re.compile(r"click\.option\(\s*\"" + re.escape(option) + "\"")
    where = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "jobs").rglob("*.py")
                   if declares.search(p.read_text(encoding="utf-8")))
    assert where == ["jobs/options.py"]


def test_no_option_or_argument_is_declared_twice_in_the_same_words() -> None:
    """An option or argument that several commands take is declared once, in jobs/options.py, and
    the commands use that declaration: the same `click.option(...)` or `click.argument(...)` written
    again anywhere in jobs/ is a second declaration of one option."""
    import ast

    seen: dict[str, list[str]] = {}
    for p in sorted((ROOT / "jobs").rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("click.option", "click.argument"):
                seen.setdefault(ast.unparse(node), []).append(f"{p.relative_to(ROOT)}:{node.lineno}")
    assert len(seen) > 40  # the commands' options were found
    assert {decl: where for decl, where in seen.items() if len(where) > 1} == {}
