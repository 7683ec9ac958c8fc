"""Fixtures of the reliability tests: PostgreSQL availability (from the integration tests) and the
simulated inbox with its uninterrupted reference run."""

from __future__ import annotations

import pytest

from tests.integration.conftest import pg_available
from tests.reliability.helpers import Seed, make_seed

__all__ = ["pg_available", "seed"]


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """Two simulated months and the result of one uninterrupted `recon run` on them (per worker)."""
    return make_seed(tmp_path_factory.mktemp("seed"))
