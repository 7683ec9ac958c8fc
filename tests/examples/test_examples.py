"""Each worked example gives exactly its expected findings: nothing missed, nothing extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.examples.harness import cases, run_case


@pytest.mark.parametrize("folder", cases(), ids=lambda p: p.name)
def test_the_worked_example_gives_exactly_its_expected_findings(folder: Path, project: Path) -> None:
    expected, found = run_case(folder, project)
    assert found == expected
