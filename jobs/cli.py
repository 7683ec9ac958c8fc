"""The `recon` command. Each subcommand parses its options, calls one function, and maps the
result to an exit code: 0 done and nothing serious open, 1 done with findings or rejected files,
2 usage or configuration error, 3 the work failed."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from loguru import logger

from jobs.app import PROJECT_ROOT, App
from jobs.console import echo, echo_json
from jobs.helptext import Recon
from jobs.lock import LockedError
from jobs.options import (
    EXIT_FAILED,
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    F,
    app_options,
    as_of_option,
    file_argument,
    json_option,
    review_options,
    yesterday_of,
)
from reconcile.calendar import FIRST_YEAR, LAST_YEAR
from reconcile.errors import ConfigError, ParseError, ReconError, StoreError
from reconcile.limits import Limits
from reconcile.messages import t
from store.db import DatabaseError

__all__ = ["EXIT_FAILED", "EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "guarded", "main"]


def guarded(fn: F) -> F:
    """Turn the tool's errors into one clear line and an exit code; never a traceback for the user
    (the traceback goes to the log file)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        app: App = click.get_current_context().obj
        lang = app.lang_option or "zh"
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            echo(t("error.config", lang, error=exc), err=True)
            sys.exit(EXIT_USAGE)
        except DatabaseError as exc:  # the database refused or could not be reached: what it said, not the SQL
            logger.opt(exception=exc).debug("database error")
            echo(t("error.store", lang, error=_one_line(exc)), err=True)
            sys.exit(EXIT_FAILED)
        except StoreError as exc:
            echo(t("error.store", lang, error=_one_line(exc)), err=True)
            sys.exit(EXIT_FAILED)
        except LockedError as exc:
            echo(t("error.locked", lang, error=exc), err=True)
            sys.exit(EXIT_FAILED)
        except ReconError as exc:
            echo(t("error.failed", lang, error=exc, logs="logs/"), err=True)
            sys.exit(EXIT_FAILED)
        except OSError as exc:
            logger.opt(exception=exc).debug("failed")
            echo(t("error.failed", lang, error=f"{exc.strerror or exc}: {exc.filename or ''}", logs="logs/"),
                       err=True)
            sys.exit(EXIT_FAILED)
        except Exception as exc:  # the last line of defence: log it whole, tell the user briefly
            logger.opt(exception=exc).debug("unexpected failure")
            echo(t("error.failed", lang, error=f"{type(exc).__name__}: {exc}", logs="logs/"), err=True)
            sys.exit(EXIT_FAILED)

    return wrapper  # type: ignore[return-value]


@click.group(cls=Recon, context_settings={"help_option_names": ["-h", "--help"]})
@app_options
@click.pass_context
def main(ctx: click.Context, config_path: str | None, lang: str | None, verbose: bool) -> None:
    """Reconcile the bank statements of the city-pooled pension and unemployment funds.

    Treasury staff drop statement files into the inbox; `recon ingest` reads them into the
    ledger; `recon status` shows what the ledger holds.
    """
    ctx.obj = App(config_path, lang, verbose)


@main.command()
@guarded
@click.pass_obj
def init(app: App) -> None:
    """Create the database, or upgrade its schema in place to this version."""
    from store.db import safe_url, upgrade

    revision = upgrade(app.database(checked=False), app.lang)
    echo(t("init.done", app.lang, revision=revision, url=safe_url(app.config.database_url)))


@main.command()
@guarded
@click.pass_obj
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def ingest(app: App, no_progress: bool) -> None:
    """Read every ready file of the inbox into the ledger; archive or reject each.

    Exit 0 when every file was ingested (or was a duplicate), 1 when some were rejected.
    """
    from jobs.ingest import Ingestor
    from jobs.lock import runner_lock
    from jobs.stopping import STOP, graceful_stop, said_stop

    graceful_stop(STOP)
    with runner_lock(app.database(), app.config.schedule.lock_wait_seconds):
        report = Ingestor(app.config, app.registry, app.database(), lang=app.lang).run(
            stop=STOP.is_set, progress=False if no_progress else None
        )
    said_stop()
    echo(t("ingest.done", app.lang, ingested=report.ingested, duplicate=report.duplicate,
                 rejected=report.rejected, waiting=report.waiting, added=report.added, skipped=report.skipped))
    if report.entries or report.entries_skipped:
        echo(t("ingest.entries", app.lang, entries=report.entries, skipped=report.entries_skipped))
    if report.changed_names:
        names = ", ".join(report.changed_names)
        echo(t("ingest.changed_files", app.lang, n=len(report.changed_names), names=names))
    sys.exit(EXIT_FINDINGS if report.rejected else EXIT_OK)


@main.command()
@guarded
@click.pass_obj
@json_option("Print JSON instead of a table.")
def status(app: App, as_json: bool) -> None:
    """Per account: statements and lines held, days covered, gaps, last balance, balance breaks."""
    from jobs.runs import recent
    from jobs.status import status as compute
    from jobs.tables import runs_table, status_table

    result = compute(app.database(), app.registry)
    runs = recent(app.database(), 10)
    if as_json:
        echo_json({**result.to_dict(app.lang), "runs": runs})
    else:
        echo(status_table(result, app.lang))
        echo("\n" + runs_table(runs, app.lang))


@main.command()
@guarded
@click.pass_obj
@json_option("Print a JSON array.")
def accounts(app: App, as_json: bool) -> None:
    """List the account registry (mappings/accounts.toml)."""
    from jobs.tables import accounts_table

    reg = app.registry
    if as_json:
        rows = [{"number": a.number, "name": a.name, "entity": a.entity, "fund": a.fund, "role": a.role,
                 "bank": a.bank, "profile": a.profile} for a in reg.accounts]
        echo_json(rows)
    else:
        echo(accounts_table(reg, app.lang))


@main.command()
@guarded
@click.pass_obj
@file_argument()
@click.option("--profile", help="Bank profile to read a tabular file with (mappings/banks/<NAME>.toml).")
@json_option("Print the statements as JSON.")
def parse(app: App, file: Path, profile: str | None, as_json: bool) -> None:
    """Show what the tool reads from one FILE (a statement or a bank journal), without storing anything.

    Exit 0 when the file was read, 1 with the reason on stderr when it is refused.
    """
    from jobs.tables import statements_text
    from parsers import books
    from parsers import registry as formats
    from parsers.base import Limits, ReadContext
    from reconcile.departures import describe, strict_refusal
    from reconcile.model import statement_to_dict

    strict = False
    try:
        cfg = app.config
        banks, limits, strict = cfg.path("mappings") / "banks", cfg.limits, cfg.ingest.strict
    except ConfigError:
        banks, limits = PROJECT_ROOT / "mappings" / "banks", Limits()
    data = _read_regular(file, limits, app.lang)
    ctx = ReadContext(file_name=file.name, profile=profile, banks_dir=banks, limits=limits, lang=app.lang)
    if profile is None and books.detect(data, banks.parent / "books"):
        _parse_journal(data, file.name, banks.parent / "books", as_json, app.lang)
        return
    try:
        statements = formats.read_bytes(data, ctx)
    except ParseError as exc:
        echo(exc.render(app.lang), err=True)
        sys.exit(EXIT_FINDINGS)
    refusal = strict_refusal(file.name, [d for s in statements for d in s.warnings], app.lang) if strict else None
    if refusal:  # ingest would refuse it: say so rather than show what would not be stored
        echo(refusal, err=True)
        sys.exit(EXIT_FINDINGS)
    if as_json:
        out = []
        for s in statements:
            d = statement_to_dict(s, file.name)
            d["warnings"] = [{**w.to_dict(), "text": describe(w, app.lang)} for w in s.warnings]
            out.append(d)
        echo_json(out)
    else:
        echo(statements_text(statements, file.name, app.lang))


@main.group()
def profile() -> None:
    """Bank profiles (mappings/banks/*.toml): the layouts of tabular exports."""


@profile.command(name="draft")
@guarded
@click.pass_obj
@file_argument()
@click.option("--name", help="Profile name, lowercase letters, digits and _ (default: from the file name).")
@click.option("--force", is_flag=True, help="Overwrite a profile of that name.")
def profile_draft(app: App, file: Path, name: str | None, force: bool) -> None:
    """Draft a profile for a new bank layout from one FILE, and show what it reads.

    Writes mappings/banks/NAME.toml with a comment on every guess (header row, columns, amount
    convention, dates, preamble labels, encoding). Exit 0 when the draft reads the file, 1 when it
    is written but needs an edit first, 2 when NAME is invalid or taken (see --force).
    """
    from jobs.drafting import DraftRefused, default_name, draft_profile, summary

    lang = app.lang
    try:
        banks = app.config.path("mappings") / "banks"
    except ConfigError:
        banks = PROJECT_ROOT / "mappings" / "banks"
    name = name or default_name(file)
    try:
        result = draft_profile(file, banks, name, force=force, lang=lang)
    except DraftRefused as exc:
        echo(str(exc), err=True)
        sys.exit(EXIT_USAGE)
    except ParseError as exc:
        echo(exc.located(file.name).render(lang), err=True)
        sys.exit(EXIT_FINDINGS)
    echo("\n".join(summary(result, file, name, lang)))
    sys.exit(EXIT_FINDINGS if result.error else EXIT_OK)


def _read_regular(file: Path, limits: Limits, lang: str) -> bytes:
    """The bytes of FILE as ingest reads them (`read_bounded`: a regular file within
    `limits.max_file_bytes`), or exit 1 with the reason."""
    from jobs.prepare import read_bounded

    try:
        return read_bounded(file, limits)
    except ParseError as exc:
        echo(f"{file.name}: {exc.text(lang)}", err=True)
        sys.exit(EXIT_FINDINGS)


def _parse_journal(data: bytes, name: str, books_dir: Path, as_json: bool, lang: str) -> None:
    """`recon parse` of a bank journal export: its title facts and entries."""
    from parsers import books
    from reconcile.book.records import journal_to_dict
    from reconcile.money import format_yuan

    try:
        journals = books.read(data, name, books_dir)
    except ParseError as exc:
        echo(exc.render(lang), err=True)
        sys.exit(EXIT_FINDINGS)
    if as_json:
        echo_json([journal_to_dict(j, name) for j in journals])
        return
    for j in journals:
        echo(f"{name}: {j.format} {j.subject} {j.account} {j.period_start} - {j.period_end} "
                   f"{format_yuan(j.opening_fen or 0)} -> {format_yuan(j.closing_fen or 0)} ({len(j.entries)})")
        for e in j.entries:
            echo(f"  {e.entry_date}  {e.voucher:<10} {format_yuan(e.amount_fen):>16}  {e.text}")


@main.command(name="reconcile")
@guarded
@click.pass_obj
@as_of_option("Reconcile as of this day (default: yesterday in the configured time zone).")
@click.option("--full", is_flag=True, help="Read the whole ledger again instead of the months kept from earlier runs.")
def reconcile_cmd(app: App, as_of: date, full: bool) -> None:
    """Reconcile every stored line booked on or before the as-of date; update the findings.

    Exit 0 when no finding of medium severity or above is open, 1 when some are.
    """
    from jobs.lock import runner_lock
    from jobs.reconciling import run_reconcile

    with runner_lock(app.database(), app.config.schedule.lock_wait_seconds):
        result = run_reconcile(app.config, app.registry, app.database(), as_of, full=full)
    c = result.counts
    echo(t("reconcile.done", app.lang, as_of=as_of.isoformat(), found=result.found, opened=c.opened,
                 closed=c.closed, changed=c.changed + c.reopened, serious=result.open_serious))
    if result.fallback_years:
        echo(t("calendar.fallback", app.lang, years=", ".join(map(str, result.fallback_years))), err=True)
    sys.exit(EXIT_FINDINGS if result.open_serious else EXIT_OK)


@main.group()
def findings() -> None:
    """List findings and record the supervisors' review."""


@findings.command(name="list")
@guarded
@click.pass_obj
@click.option("--kind", help="Only this kind (late, partial, missing, ...).")
@click.option("--entity", help="Only this entity code (LPS, ZS, ...).")
@click.option("--fund", help="Only this fund (pension, unemployment).")
@click.option("--status", type=click.Choice(["open", "closed", "none", "acknowledged", "resolved", "all"]),
              default="open", show_default=True, help="Engine state (open/closed) or review state.")
@json_option("Print a JSON array.")
def findings_list(app: App, kind: str | None, entity: str | None, fund: str | None, status: str,
                  as_json: bool) -> None:
    """List findings (open ones by default)."""
    from jobs.reconciling import finding_json
    from jobs.tables import findings_table
    from store.queries import findings as listing

    data = [finding_json(r) for r in listing(app.database(), kind=kind, entity=entity, fund=fund,
                                             status=None if status == "all" else status)]
    if as_json:
        echo_json(data)
    else:
        echo(findings_table(data, app.lang))


@findings.command(name="ack")
@guarded
@click.pass_obj
@review_options(note_help="What was decided.", by_help="Who reviewed it.")
def findings_ack(app: App, finding_id: int, note: str, by: str) -> None:
    """Acknowledge finding ID: it is no longer counted as new."""
    from jobs.desk_cli import review

    review(app, finding_id, "acknowledge", note, by)


@findings.command(name="resolve")
@guarded
@click.pass_obj
@review_options(note_help="How it was resolved.", by_help="Who resolved it.")
def findings_resolve(app: App, finding_id: int, note: str, by: str) -> None:
    """Mark finding ID as resolved by a supervisor."""
    from jobs.desk_cli import review

    review(app, finding_id, "resolve", note, by)


@main.command(name="report")
@guarded
@click.pass_obj
@as_of_option("The report's date (default: yesterday); the findings are those of the last reconcile.")
@click.option("--scope", help="One county's own report (its rows only), into reports/<date>/counties/<SCOPE>/.")
def report_cmd(app: App, as_of: date, scope: str | None) -> None:
    """Write reports/<date>/: exceptions.xlsx, exceptions.html and a CSV per table.

    Exit 0 when no finding of medium severity or above is open, 1 when some are.
    """
    from jobs.report import write_report

    if scope is not None and scope not in {e.code for e in app.registry.entities}:
        raise click.BadParameter(f"no entity {scope} in the registry", param_hint="--scope")
    r = write_report(app.config, app.registry, app.database(), as_of, app.lang, scope=scope)
    echo(t("report.done", app.lang, path=r.folder, open=r.open_findings, new=r.new, resolved=r.resolved))
    sys.exit(EXIT_FINDINGS if r.open_findings else EXIT_OK)


@main.command()
@guarded
@click.pass_obj
@click.option("--start", default="2008-01", show_default=True, help="First simulated month (YYYY-MM).")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 120), help="How many months.")
@click.option("--seed", default=7, show_default=True, type=int, help="Same seed, byte-identical files.")
@click.option("--scale", type=click.Choice(["city", "province"]), default="city", show_default=True,
              help="The default deployment, or about 90 counties (about 5M lines a year) for benchmarks.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to fill (an inbox).")
@click.option("--answer-key", "answer_key", type=click.Path(dir_okay=False, path_type=Path),
              help="Where the answer key goes (default: answer_key.json beside --out, never inside it).")
@click.option("--fault-rate", default=0.02, show_default=True, type=float,
              help="Chance of an extra fault per eligible slot; every kind occurs at least once.")
@click.option("--lines-per-month", type=int, help="Volume (default: about 50k a month for a city).")
def simulate(app: App, start: str, months: int, seed: int, scale: str, out: Path, answer_key: Path | None,
             fault_rate: float, lines_per_month: int | None) -> None:
    """Simulate the pooled funds' bank statements, plans and schedules, with faults and an answer key."""
    from simulate import simulate as run_simulation

    try:
        cfg = app.config
    except ConfigError:
        cfg = None
    summary = run_simulation(start, months, seed, scale, out, answer_key, None, fault_rate,
                             lines_per_month=lines_per_month, config=cfg)
    echo(t("simulate.done", app.lang, files=summary.files, lines=summary.lines, out=summary.out,
                 findings=summary.findings, answer=summary.answer_key))


@main.command(name="run")
@guarded
@click.pass_obj
@as_of_option("Reconcile and report as of this day (default: yesterday); also for backfills.")
@click.option("--strict", is_flag=True, help="Also exit 1 when findings of medium severity or above are open.")
@click.option("--wait", "wait_seconds", type=float, help="Seconds to wait for another run (default from config).")
def run_cmd(app: App, as_of: date, strict: bool, wait_seconds: float | None) -> None:
    """One nightly cycle by hand: ingest, reconcile, report, notify, clean up.

    Exit 0 when the run completed (findings are the product, not a failure), 3 when it failed.
    """
    from jobs.nightly import nightly
    from jobs.stopping import STOP, graceful_stop, said_stop
    from jobs.tables import steps_table

    graceful_stop(STOP)
    rec = nightly(app.config, app.registry, app.database(), as_of, lang=app.lang, wait_seconds=wait_seconds,
                  progress=None, stop=STOP.is_set)
    said_stop()
    echo(steps_table(rec.steps, app.lang))
    echo(t("run.done" if rec.status == "done" else "run.failed", app.lang, id=rec.id, as_of=as_of.isoformat(),
                 error=rec.error))
    if rec.status != "done":
        sys.exit(EXIT_FAILED)
    reconciled = next((s.counts for s in rec.steps if s.name == "reconcile"), {})
    sys.exit(EXIT_FINDINGS if strict and reconciled.get("serious_open") else EXIT_OK)


@main.command(name="book")
@guarded
@click.pass_obj
@click.argument("account")
@click.option("--month", required=True, help="The month of the statement (YYYY-MM).")
@as_of_option("Use the data booked up to this day (default: the last reconcile's date, else yesterday).",
              default=None)  # worked out below, once the account and the month are known to be valid
@json_option("Print JSON instead of text.")
def book_cmd(app: App, account: str, month: str, as_of: date | None, as_json: bool) -> None:
    """The bank reconciliation statement (银行存款余额调节表) of ACCOUNT for one month: both adjusted
    balances, every outstanding item with its age and why, and the matches with how they were made.

    Exit 0 when the statement balances (or cannot be drawn up yet), 1 when the adjusted balances differ.
    """
    import re

    from jobs.books import load_book
    from jobs.bookview import BookView, to_json, to_text
    from jobs.reconciling import settings
    from reconcile.book.explain import explain
    from store.queries import book_day

    acct = app.registry.account(account)
    if acct is None:
        echo(t("book.cli.bad_account", app.lang, account=account), err=True)
        sys.exit(EXIT_USAGE)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) or not FIRST_YEAR <= int(month[:4]) <= LAST_YEAR:
        echo(t("book.cli.bad_month", app.lang, month=month), err=True)
        sys.exit(EXIT_USAGE)
    db = app.database()
    day = as_of or book_day(db) or yesterday_of(app)
    from reconcile.book.statement import month_end

    end = month_end(date(int(month[:4]), int(month[5:]), 1))
    if end > day:
        echo(t("book.cli.future", app.lang, month=month, as_of=day.isoformat()), err=True)
        sys.exit(EXIT_USAGE)
    book = load_book(app.config, app.registry, db, acct.number, day, settings(app.config, app.registry).calendar)
    explained = explain(book, month, app.config.book.match_days) if book is not None else None
    if explained is None:
        echo(t("book.cli.no_book", app.lang, account=acct.number), err=True)
        sys.exit(EXIT_OK)
    view = BookView(acct.number, acct.name, month, day, explained)
    if as_json:
        echo_json(to_json(view))
    else:
        echo(to_text(view, app.lang, app.config.book.match_days))
    sys.exit(EXIT_FINDINGS if explained.statement.difference_fen else EXIT_OK)


@main.command()
@guarded
@click.pass_obj
def serve(app: App) -> None:
    """Run the scheduler: inbox poll and the nightly cycle, until SIGTERM or SIGINT."""
    from jobs.serve import serve as run_scheduler

    run_scheduler(app)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# The desk's commands: users, audit, web, findings reopen.
from jobs import desk_cli  # noqa: E402

desk_cli.register(main, findings, guarded)

if __name__ == "__main__":  # pragma: no cover
    main()
