"""`jobs.prepare` opens a workbook once (parsers.tabular.grid.one_workbook): the schedule detector,
the journal detector and the reader each opened an XLSX and parsed its first sheet again. Inside
`one_workbook` they share the opened workbook and its parsed sheets, and give what each gives alone."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from jobs.prepare import prepare
from parsers import books, schedules
from parsers import registry as formats
from parsers.base import ReadContext
from parsers.tabular import grid
from reconcile.accounts import load_registry
from reconcile.limits import Limits

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BANKS = ROOT / "mappings" / "banks"


class _Counted:
    """python_calamine.CalamineWorkbook as the parsers meet it, counting the opens and the sheets parsed."""

    def __init__(self, real: Any, counts: dict[str, int]) -> None:
        self._real, self._counts = real, counts
        self.sheet_names = real.sheet_names

    def get_sheet_by_name(self, name: str) -> Any:
        self._counts[name] = self._counts.get(name, 0) + 1
        return self._real.get_sheet_by_name(name)


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    import python_calamine

    real = python_calamine.CalamineWorkbook
    got: dict[str, int] = {"opened": 0}

    class Workbook:
        @staticmethod
        def from_filelike(fh: Any) -> _Counted:
            got["opened"] += 1
            return _Counted(real.from_filelike(fh), got)

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Workbook)
    return got


def _plan_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    text = (ROOT / "mappings" / "templates" / "payment_plan.csv").read_text(encoding="utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _alone(data: bytes, name: str) -> object:
    """What the detectors and the reader give, each opening the workbook itself (as before)."""
    assert schedules.detect(data) is None
    if books.detect(data, BANKS.parent / "books"):
        return books.read(data, name, BANKS.parent / "books")
    return formats.read_bytes(data, ReadContext(file_name=name, banks_dir=BANKS))


@pytest.mark.parametrize("path", [DATA / "books" / "yonyou_u8_june.xlsx",
                                  DATA / "tabular" / "rcc_jiaoyimingxi_multiline_meta.xlsx"], ids=lambda p: p.name)
def test_prepare_opens_a_workbook_once_and_parses_each_sheet_once(path: Path, tmp_path: Path,
                                                                   counts: dict[str, int]) -> None:
    data = path.read_bytes()
    alone = _alone(data, path.name)
    assert counts["opened"] >= 2  # the detectors and the reader, each its own
    counts.clear()
    counts["opened"] = 0
    f = tmp_path / path.name
    f.write_bytes(data)
    registry = tmp_path / "accounts.toml"
    registry.write_text("", encoding="utf-8")
    got = prepare(f, BANKS, Limits(), load_registry(registry))
    assert counts.pop("opened") == 1
    assert set(counts.values()) == {1}  # each sheet parsed once
    assert not got.error
    assert (got.journals or got.statements) == alone


def test_a_plan_workbook_is_opened_once_and_read_as_alone(tmp_path: Path, counts: dict[str, int]) -> None:
    data = _plan_xlsx()
    assert schedules.detect(data) == "payment_plan"
    assert counts == {"opened": 1, "Sheet": 1}
    counts.clear()
    counts["opened"] = 0
    with grid.one_workbook():
        assert schedules.detect(data) == "payment_plan"
        sheets = grid.read_sheets(data)
    assert counts == {"opened": 1, "Sheet": 1}
    assert sheets == grid.read_sheets(data)


def test_outside_one_workbook_nothing_is_kept_and_other_bytes_are_opened_again(counts: dict[str, int]) -> None:
    data = _plan_xlsx()
    grid.read_sheets(data)
    grid.read_sheets(data)
    assert counts["opened"] == 2
    with grid.one_workbook():
        grid.read_sheets(data)
        grid.read_sheets(bytes(bytearray(data)))  # equal bytes, another object: opened again (no hashing of the file)
        grid.read_sheets(data)  # the last opened only
    assert counts["opened"] == 5
    grid.read_sheets(data)
    assert counts["opened"] == 6


def test_a_workbook_calamine_refuses_is_tried_again_by_each_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    tries = []

    class Refusing:
        @staticmethod
        def from_filelike(fh: Any) -> None:
            tries.append(1)
            raise python_calamine.CalamineError("broken")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refusing)
    data = _plan_xlsx()
    with grid.one_workbook():
        assert schedules.detect(data) is None
        with pytest.raises(Exception, match="broken"):
            grid.read_sheets(data)
    assert len(tries) == 2
