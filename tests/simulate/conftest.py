"""One simulated quarter at city scale and low volume, shared by the simulator's tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulate import SimulationSummary, simulate

LOW = 1200  # lines per month: enough for every fault, fast enough for the suite


@pytest.fixture(scope="session")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> SimulationSummary:
    root = tmp_path_factory.mktemp("quarter")
    return simulate("2008-01", 3, 11, "city", root / "inbox", lines_per_month=LOW)


@pytest.fixture(scope="session")
def key(quarter: SimulationSummary) -> dict:
    return json.loads(Path(quarter.answer_key).read_text(encoding="utf-8"))


from tests.integration.conftest import pg_available  # noqa: E402,F401  (shared fixture)
