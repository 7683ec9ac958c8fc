"""The store: the only code that speaks SQLAlchemy. Typed models, Alembic migrations, and the
queries the rest of the tool needs, behind plain functions that take and return domain values."""
