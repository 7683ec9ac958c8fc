"""Fixtures of the reliability tests: PostgreSQL availability (from the integration tests) and the
simulated inbox with its uninterrupted reference run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.integration.conftest import pg_available
from tests.reliability.helpers import Seed, make_seed
from tests.reliability.unprivileged import Runtime, build, unavailable

__all__ = ["nobody", "pg_available", "seed"]


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """Two simulated months and the result of one uninterrupted `recon run` on them (per worker)."""
    return make_seed(tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="session")
def nobody() -> Iterator[Runtime]:
    """What the user `nobody` runs `recon` with: the checkout itself when it can read it, else a
    readable copy (tests.reliability.unprivileged). Skipped with the reason when there can be none,
    never under CI=true."""
    why = unavailable()
    runtime = None
    if not why:
        runtime, why = build("nobody")
    if runtime is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: the unprivileged run must work here, but: {why}")
        pytest.skip(f"no runtime the user nobody can read: {why}")
    yield runtime
    if runtime.copy is not None:
        shutil.rmtree(runtime.copy, ignore_errors=True)
