"""A database failure leaves the store as the store's own `DatabaseError` (store/db.py), never as
SQLAlchemy's exception: the shell catches the store's class and says it with the catalogue's words
and exit code 3."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from reconcile.messages import t
from store import runs
from store.db import DatabaseError, check_schema, open_database
from tests.reliability.helpers import recon, write_config

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:9/test?connect_timeout=3"


def _directory(root: Path) -> str:
    (root / "data" / "recon.db").mkdir(parents=True)  # the SQLite file is a directory: it cannot be opened
    return f"sqlite:///{root / 'data' / 'recon.db'}"


@pytest.mark.parametrize("where", ["sqlite_directory", "postgresql_unreachable"])
def test_a_database_that_cannot_be_used_is_the_stores_error_not_sqlalchemys(tmp_path: Path, where: str) -> None:
    db = open_database(_directory(tmp_path) if where == "sqlite_directory" else UNREACHABLE)
    with pytest.raises(DatabaseError) as err:
        runs.recent(db)  # a store function: one transaction (store.db.session_scope)
    assert not isinstance(err.value, SQLAlchemyError), type(err.value).__mro__
    said = str(err.value)
    assert said and "[SQL:" not in said and "sqlalche.me" not in said, said
    with pytest.raises(DatabaseError) as err:
        check_schema(db, "en")
    assert str(err.value) == t("error.db_unreachable", "en", error=said.splitlines()[0]), str(err.value)


def test_the_shell_says_a_database_failure_with_the_catalogues_words_and_exit_3(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, _directory(tmp_path))
    for lang in ("en", "zh"):
        proc = recon(cfg, "--lang", lang, "status")
        assert proc.returncode == 3, proc
        said = proc.stderr.strip()
        cause = t("error.db_unreachable", lang, error="unable to open database file")
        assert said == t("error.store", lang, error=cause), said
