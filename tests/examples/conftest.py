from tests.integration.conftest import db_url, pg_available, project  # noqa: F401  (shared fixtures)
