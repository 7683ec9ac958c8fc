"""What the `recon` commands share, declared once: the exit codes, the `as_of` option type, the
root's options the App is made of (`--config`, `--lang`, `-v`), and the options and arguments
several commands take (`--as-of`, `--json`, FILE, USERNAME, a finding's review). A command takes the App by
`@click.pass_obj`.

The help texts here document the code; what a user reads comes from the catalogue
(jobs/helptext.py), keyed by the command's path and the option's name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from jobs.app import App
from reconcile.calendar import FIRST_YEAR, LAST_YEAR
from reconcile.messages import t

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])

FINDING_ID = click.IntRange(1, 2**31 - 1)  # a finding's id as the store keeps it


class AsOf(click.ParamType):
    """A day (YYYY-MM-DD) within the calendar's years (reconcile.calendar), as a date: anything else
    is a usage error at once (exit 2), not a failure after the work began."""

    name = "date"
    _day = click.DateTime(["%Y-%m-%d"])  # its parsing, its metavar and its error message

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return self._day.get_metavar(param, ctx)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            day = value
        else:
            day = self._day.convert(value, param, ctx).date()
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            app = ctx.find_root().obj if ctx is not None else None
            lang = getattr(app, "lang_option", None) or "zh"
            self.fail(t("cli.as_of_range", lang, date=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR), param, ctx)
        return day


AS_OF = AsOf()


def yesterday_of(app: App) -> date:
    """The default as-of day: yesterday in the configured time zone."""
    from jobs.reconciling import yesterday

    return yesterday(app.config)


def app_options(fn: F) -> F:
    """`--config`, `--lang` and `-v` of the root command: what the App every command gets is made of
    (jobs/helptext.py reads `--config` and `--lang` once more, to choose the help's language)."""
    fn = click.option("-v", "--verbose", is_flag=True, help="Debug output on the console.")(fn)
    fn = click.option("--lang", type=click.Choice(["zh", "en"]),
                      help="Language of messages and reports (default: $RECON_LANG, else general.language in "
                           "config: zh).")(fn)
    return click.option("--config", "config_path", type=click.Path(dir_okay=False),
                        help="Configuration file (default: $RECON_CONFIG or ./config.toml).")(fn)


def as_of_option(help: str, default: Callable[[App], date] | None = yesterday_of) -> Callable[[F], F]:
    """`--as-of DAY` for a command whose callback takes the App first (`@click.pass_obj`): the day
    given, else `default(app)`, worked out when the command runs (inside its error guard, so a
    configuration error is said as one). With `default=None` the command gets None and decides."""

    option = click.option("--as-of", "as_of", type=AS_OF, help=help)

    def decorate(fn: F) -> F:
        if default is None:
            return option(fn)

        @functools.wraps(fn)
        def wrapper(app: App, *args: Any, as_of: date | None, **kwargs: Any) -> Any:
            return fn(app, *args, as_of=as_of if as_of is not None else default(app), **kwargs)

        return option(wrapper)  # type: ignore[return-value]

    return decorate


def json_option(help: str) -> Callable[[F], F]:
    """`--json`: print JSON instead of text (the value arrives as `as_json`)."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def file_argument() -> Callable[[F], F]:
    """FILE: an existing file (not a folder), as a Path."""
    return click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))


def username_argument() -> Callable[[F], F]:
    """USERNAME: a desk user's name (`recon users add|passwd|disable|enable`)."""
    return click.argument("username")


def review_options(note_help: str, by_help: str) -> Callable[[F], F]:
    """FINDING_ID, `--note` and `--by` of a review subcommand of `recon findings`."""

    def decorate(fn: F) -> F:
        fn = click.option("--by", "by", required=True, help=by_help)(fn)
        fn = click.option("--note", default="", help=note_help)(fn)
        return click.argument("finding_id", type=FINDING_ID)(fn)

    return decorate
