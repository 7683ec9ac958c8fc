"""What every command needs, loaded once and lazily: configuration, registry, database."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from loguru import logger

from jobs import logs
from reconcile.accounts import Registry, load_registry
from reconcile.config import Config, load
from reconcile.messages import t
from store.db import Database, check_schema, open_database

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class App:
    config_path: str | None = None
    lang_option: str | None = None
    verbose: bool = False
    _db: Database | None = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)

    @cached_property
    def config(self) -> Config:
        cfg = load(self.config_path)
        logs.setup(cfg.path("logs"), verbose=self.verbose, lang=self.lang_option or cfg.general.language)
        return cfg

    @property
    def lang(self) -> str:
        if self.lang_option:
            return self.lang_option
        try:
            return self.config.general.language
        except Exception:
            return "zh"

    @cached_property
    def registry(self) -> Registry:
        return load_registry(self.config.path("mappings") / "accounts.toml")

    def database(self, *, checked: bool = True) -> Database:
        """The database of the configuration, its schema checked (created when an SQLite one is new)."""
        if self._db is None:
            self._db = open_database(self.config.database_url)
        if checked and not self._checked:
            if check_schema(self._db, self.lang) == "created":
                logger.info(t("init.created", self.lang, url=self.config.database_url))  # SQLite: no password
            self._checked = True
        return self._db
