"""Golden files for MT940/MT942: hand-written inputs in tests/data/mt940 beside their reviewed
`.expected` JSON (regenerate with `pytest --regen-golden`, then review the diff by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.base import ReadContext
from parsers.mt940 import FORMAT
from tests import golden

FILES = golden.inputs("mt940")


def test_every_golden_input_has_its_expected_file_and_no_expected_file_is_orphaned() -> None:
    assert golden.orphans("mt940") == []


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_golden_file_reads_to_its_reviewed_statements(path: Path, regen: bool) -> None:
    data = path.read_bytes()
    assert FORMAT.sniff(data[:65536])
    golden.check(path, FORMAT.read(data, ReadContext(file_name=path.name)), regen)
