"""The Alembic migrations build exactly the schema the typed models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.db import head_revision, make_engine, upgrade
from store.models import Base


def test_the_migrations_build_the_schema_the_models_declare(db_url: str) -> None:
    engine = make_engine(db_url)
    assert upgrade(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrading_twice_changes_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    first = upgrade(engine)
    assert upgrade(engine) == first
