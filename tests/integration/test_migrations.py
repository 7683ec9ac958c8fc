"""The Alembic migrations build exactly the schema the typed models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.db import SCHEMA_HEAD, current_revision, head_revision, open_database, safe_url, upgrade
from store.models import metadata_for


def test_the_migrations_build_the_schema_the_models_declare(db_url: str) -> None:
    engine = open_database(db_url)
    assert upgrade(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_for(conn.dialect.name))
    assert diff == []


def test_the_schema_every_command_checks_for_is_the_newest_migration() -> None:
    """`check_schema` compares the database with `SCHEMA_HEAD`, not with Alembic's script directory
    (loading Alembic cost a third of every command's start-up): a new migration must change it too."""
    assert head_revision() == SCHEMA_HEAD


def test_the_revision_read_without_alembic_is_the_one_alembic_reads(db_url: str) -> None:
    engine = open_database(db_url)
    assert current_revision(engine) is None  # a new database: no table alembic_version yet
    upgrade(engine)
    with engine.connect() as conn:
        assert current_revision(engine) == MigrationContext.configure(conn).get_current_revision() == SCHEMA_HEAD


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    engine = open_database(db_url)
    first = upgrade(engine)
    assert upgrade(engine) == first


def test_the_url_recon_init_shows_hides_the_password() -> None:
    shown = safe_url("postgresql+psycopg://recon:s3cret@dbhost:5432/recon")
    assert "s3cret" not in shown
    assert shown.startswith("postgresql+psycopg://recon:") and shown.endswith("@dbhost:5432/recon")


def test_the_night_indexes_go_with_a_downgrade_and_come_back(db_url: str) -> None:
    """Migration 0021 (the indexes of the night's reads): down to 0020 and up again, on both databases."""
    from alembic import command
    from sqlalchemy import inspect

    from store.db import _alembic_config

    added = {"files": {"ix_files_rejected", "ix_files_changed"}, "statements": {"ix_statements_account_end"},
             "book_kept": {"ix_book_kept_month", "ix_book_kept_unmatched"}}

    def names(engine: object) -> dict[str, set[str]]:
        found = inspect(engine)
        return {t: {ix["name"] for ix in found.get_indexes(t)} & want for t, want in added.items()}

    engine = open_database(db_url)
    upgrade(engine)
    assert names(engine) == added
    command.downgrade(_alembic_config(engine), "0020")
    assert names(engine) == {t: set() for t in added}
    assert upgrade(engine) == SCHEMA_HEAD
    assert names(engine) == added
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata_for(conn.dialect.name)) == []
