"""The configuration: `config.toml` loaded once, validated, and passed down.

Every value has a declared type; an unknown key, a wrong type or a missing file raises
`ConfigError` naming the file, the key and what is expected. No other module reads the file or
the environment: `load()` applies RECON_CONFIG, RECON_DATABASE_URL and RECON_LANG here and only here
(`language()` too, for the help texts, which must not need a valid configuration).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reconcile.errors import ConfigError
from reconcile.limits import Limits

DEFAULT_CONFIG = "config.toml"


@dataclass(frozen=True)
class PathsConfig:
    inbox: str = "inbox"
    archive: str = "archive"
    rejected: str = "rejected"
    reports: str = "reports"
    logs: str = "logs"
    mappings: str = "mappings"


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///data/recon.db"


@dataclass(frozen=True)
class GeneralConfig:
    timezone: str = "Asia/Shanghai"
    language: str = "zh"


@dataclass(frozen=True)
class FilenameRule:
    pattern: str = ""
    account: str = ""


@dataclass(frozen=True)
class IngestConfig:
    settle_seconds: int = 5
    # files read ahead (each in its own child process) while the database writes the previous; unset
    # (None, TOML has no null): as the work and the machine give (jobs/ingest/reading.py `readers`)
    workers: int | None = None
    incomplete_wait_minutes: int = 60  # an unreadable file that stops before its end waits this long
    strict: bool = False  # refuse every file that departs from its format's standard (a dialect)
    filename_rules: tuple[FilenameRule, ...] = ()


@dataclass(frozen=True)
class ScheduleConfig:
    poll_minutes: int = 10  # inbox poll (ingest only)
    nightly_at: str = "01:30"  # HH:MM in general.timezone: ingest, reconcile as of yesterday, report
    misfire_grace_seconds: int = 6 * 3600  # a run missed while the machine was off still runs once
    lock_wait_seconds: int = 60  # how long a run waits for another to finish before giving up


@dataclass(frozen=True)
class RetentionConfig:
    reports_days: int = 400
    logs_days: int = 90


@dataclass(frozen=True)
class EntityRecipients:
    entity: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class EmailConfig:
    enabled: bool = False
    host: str = "localhost"
    port: int = 25
    tls: str = "none"  # none | starttls | ssl
    sender: str = ""
    username_env: str = "RECON_SMTP_USER"  # credentials come from the environment, never from this file
    password_env: str = "RECON_SMTP_PASSWORD"
    recipients: tuple[str, ...] = ()  # who hears about every entity
    per_entity: tuple[EntityRecipients, ...] = ()  # who hears about one entity's findings
    timeout_seconds: int = 30


@dataclass(frozen=True)
class CalendarConfig:
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()


@dataclass(frozen=True)
class RuleConfig:
    """One obligation rule. `due_day` is the nominal day of the month (for remit: of the deadline
    month; fund, allocate, disburse: of the benefit month; plan: of the month before); sweep's
    nominal day is the month's last working day and surplus's the schedule's date."""

    due_day: int = 0
    cutoff_day: int = 0
    grace_days: int = 0
    tolerance_fen: int = 0
    tolerance_bp: int = 0  # basis points of the amount due (disburse: 200 = 2%)


@dataclass(frozen=True)
class RulesConfig:
    roll: str = "following"  # a deadline on a non-working day: "following" or "preceding" working day
    transit_window: int = 2  # working days for the second leg of a transfer
    duplicate_window: int = 5  # working days (plan-based rules)
    return_window: int = 10  # working days within which a return matches its debit
    refund_lookback_days: int = 365
    early_funding_days: int = 10  # last days of a month in which next month's funding may arrive
    stale_working_days: int = 5
    remit: RuleConfig = field(default_factory=lambda: RuleConfig(due_day=25, cutoff_day=20))
    sweep: RuleConfig = field(default_factory=RuleConfig)
    fund: RuleConfig = field(default_factory=lambda: RuleConfig(due_day=5))
    allocate: RuleConfig = field(default_factory=lambda: RuleConfig(due_day=8))
    disburse: RuleConfig = field(default_factory=lambda: RuleConfig(due_day=15, tolerance_bp=200))
    surplus: RuleConfig = field(default_factory=RuleConfig)
    plan: RuleConfig = field(default_factory=lambda: RuleConfig(due_day=25))


@dataclass(frozen=True)
class WebConfig:
    """The review desk (`recon web`)."""

    host: str = "127.0.0.1"
    port: int = 8080
    https: bool = False  # behind an HTTPS proxy: the session cookie is Secure and HSTS is sent
    proxy_hops: int = 0  # reverse proxies in front (nginx: 1) whose X-Forwarded-For/-Proto are trusted
    idle_minutes: int = 30  # a session unused this long is signed out
    lock_after: int = 5  # failed sign-ins in a row that lock an account
    lock_minutes: int = 15
    min_password_length: int = 10
    threads: int = 8  # waitress worker threads
    page_size: int = 50  # findings per page of the queue


@dataclass(frozen=True)
class BookConfig:
    """Book against bank (银行存款余额调节表, docs/DOMAIN.md: *Book against bank*)."""

    match_days: int = 5  # calendar days between a journal entry and its bank line
    stale_days: int = 90  # an item outstanding longer than this at the as-of date is stale_outstanding
    preparer: str = ""  # printed on the 编制人 line of the 调节表 (blank: signed by hand)
    reviewer: str = ""  # printed on the 审核人 line


@dataclass(frozen=True)
class Config:
    paths: PathsConfig = field(default_factory=PathsConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    general: GeneralConfig = field(default_factory=GeneralConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    limits: Limits = field(default_factory=Limits)  # [limits]: the one record parsers honour
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    rules: RulesConfig = field(default_factory=RulesConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    web: WebConfig = field(default_factory=WebConfig)
    book: BookConfig = field(default_factory=BookConfig)
    base_dir: Path = Path(".")
    source: str = "<defaults>"

    def path(self, name: str) -> Path:
        """One of [paths] as an absolute path (relative ones are relative to the config file)."""
        p = Path(getattr(self.paths, name))
        return p if p.is_absolute() else (self.base_dir / p).resolve()

    @property
    def database_url(self) -> str:
        """The URL with a relative SQLite path made relative to the config file's folder."""
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            return prefix + str((self.base_dir / url[len(prefix) :]).resolve())
        return url


def load(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Load and validate the configuration. `env` defaults to the process environment."""
    env = os.environ if env is None else env
    chosen = Path(path or env.get("RECON_CONFIG") or DEFAULT_CONFIG)
    name = str(chosen)
    if not chosen.is_file():
        raise ConfigError(name, "(file)", "the configuration file does not exist")
    try:
        raw = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(name, "(syntax)", f"valid TOML ({exc})") from None
    cfg = replace(_build(Config, raw, name, ""), base_dir=chosen.resolve().parent, source=name)
    if env.get("RECON_DATABASE_URL"):
        cfg = _replace_db(cfg, env["RECON_DATABASE_URL"])
    if env.get("RECON_LANG"):  # the language of every message and report, over [general] language
        cfg = replace(cfg, general=replace(cfg.general, language=env["RECON_LANG"]))
    _check(cfg)
    return cfg


def language(path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language chosen without loading the whole configuration (the help texts must show even
    when it is missing or wrong): RECON_LANG, else the file's [general] language, else Chinese."""
    env = os.environ if env is None else env
    if env.get("RECON_LANG") in ("zh", "en"):
        return env["RECON_LANG"]
    try:
        raw = tomllib.loads(Path(path or env.get("RECON_CONFIG") or DEFAULT_CONFIG).read_text(encoding="utf-8"))
        chosen = raw.get("general", {}).get("language")
    except (OSError, ValueError, AttributeError):
        return "zh"
    return chosen if chosen in ("zh", "en") else "zh"


def _replace_db(cfg: Config, url: str) -> Config:
    return replace(cfg, database=DatabaseConfig(url=url))


def _check(cfg: Config) -> None:
    try:
        ZoneInfo(cfg.general.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(cfg.source, "general.timezone", "an IANA time zone such as Asia/Shanghai") from None
    if cfg.rules.roll not in ("following", "preceding"):
        raise ConfigError(cfg.source, "rules.roll", '"following" or "preceding"')
    import re as _re

    if not _re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?", cfg.schedule.nightly_at):
        raise ConfigError(cfg.source, "schedule.nightly_at", 'a time of day "HH:MM" (or "HH:MM:SS")')
    if cfg.email.tls not in ("none", "starttls", "ssl"):
        raise ConfigError(cfg.source, "email.tls", '"none", "starttls" or "ssl"')
    if not 0 <= cfg.book.match_days <= 31:
        raise ConfigError(cfg.source, "book.match_days", "calendar days from 0 to 31")
    if cfg.book.stale_days < 1:
        raise ConfigError(cfg.source, "book.stale_days", "a number of days, 1 or more")
    if cfg.limits.reader_memory_bytes < 64 * 1024 * 1024:
        raise ConfigError(cfg.source, "limits.reader_memory_bytes", "at least 67108864 (64 MiB)")
    if cfg.limits.reader_seconds < 1:
        raise ConfigError(cfg.source, "limits.reader_seconds", "a number of seconds, 1 or more")
    if cfg.ingest.incomplete_wait_minutes < 0:
        raise ConfigError(cfg.source, "ingest.incomplete_wait_minutes", "a number of minutes, 0 or more")
    if cfg.ingest.workers is not None and not 0 <= cfg.ingest.workers <= 16:
        raise ConfigError(cfg.source, "ingest.workers", "0 to 16")
    if cfg.general.language not in ("zh", "en"):
        raise ConfigError(cfg.source, "general.language", '"zh" or "en"')
    for key in ("port", "idle_minutes", "lock_after", "lock_minutes", "min_password_length", "threads", "page_size"):
        low = 0 if key == "port" else 1
        if not low <= getattr(cfg.web, key) <= (65535 if key == "port" else 100_000):
            raise ConfigError(cfg.source, f"web.{key}", f"a whole number from {low}")
    if not 0 <= cfg.web.proxy_hops <= 5:
        raise ConfigError(cfg.source, "web.proxy_hops", "0 (no proxy) to 5")
    if not cfg.database.url.startswith(("sqlite", "postgresql")):
        raise ConfigError(cfg.source, "database.url", "a sqlite:/// or postgresql+psycopg:// URL")
    import re

    for i, rule in enumerate(cfg.ingest.filename_rules):
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            key = f"ingest.filename_rules[{i}].pattern"
            raise ConfigError(cfg.source, key, f"a regular expression ({exc})") from None


_TYPE_NAMES = {int: "an integer", str: "a string", bool: "true or false", float: "a number"}


def _build(cls: type, raw: Any, file: str, prefix: str, default: Any = None) -> Any:
    """Check `raw` (a TOML table) against dataclass `cls`; the given keys replace the defaults."""
    if not isinstance(raw, dict):
        raise ConfigError(file, prefix or "(top)", "a table")
    hints = get_type_hints(cls)
    base = default if default is not None else cls()
    known = {f.name for f in fields(cls) if f.name not in ("base_dir", "source")}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if key not in known:
            raise ConfigError(file, dotted, f"no such setting (known: {', '.join(sorted(known))})")
        tp = hints[key]
        if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
            out[key] = _build(tp, value, file, dotted, getattr(base, key))
        else:
            out[key] = _convert(tp, value, file, dotted)
    return replace(base, **out)


def _convert(tp: Any, value: Any, file: str, dotted: str) -> Any:
    if type(None) in get_args(tp):  # `int | None`: None is only ever the default (TOML has no null)
        (tp,) = (a for a in get_args(tp) if a is not type(None))
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        return _build(tp, value, file, dotted)  # an array of tables, e.g. ingest.filename_rules
    if get_origin(tp) is tuple:
        (item_tp, _) = get_args(tp)
        if not isinstance(value, list):
            raise ConfigError(file, dotted, "an array")
        return tuple(_convert(item_tp, v, file, f"{dotted}[{i}]") for i, v in enumerate(value))
    if tp is date and not (isinstance(value, date) and not isinstance(value, datetime)):
        raise ConfigError(file, dotted, f"a date such as 2008-10-06, found {value!r}")
    if tp is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise ConfigError(file, dotted, f"{_TYPE_NAMES[int]}, found {value!r}")
    if tp in (str, bool) and not isinstance(value, tp):
        raise ConfigError(file, dotted, f"{_TYPE_NAMES[tp]}, found {value!r}")
    return value
