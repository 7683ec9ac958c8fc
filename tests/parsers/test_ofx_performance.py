"""The ofxparse path is linear on OFX 1.x SGML (ofxparse alone is quadratic: its tag-closing pass
checks each start tag against a list of end tags)."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from parsers.base import ReadContext
from parsers.ofx import FORMAT
from reconcile.model import Line, RefStrength, Statement


def sgml(n: int) -> bytes:
    d0 = date(2024, 1, 1)
    lines = tuple(
        Line(d0 + timedelta(days=i % 300), (i * 7919) % 1_000_000 - 500_000, counterparty_name=f"社保局{i}",
             remark=f"养老保险 {i}", bank_ref=f"F{i:08d}", ref_strength=RefStrength.STRONG, type_code="XFER")
        for i in range(n)
    )  # fmt: skip
    return FORMAT.write([Statement(account="2406", lines=lines)], version=1)


def seconds(data: bytes, reader: str) -> float:
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        FORMAT.read(data, ReadContext(), reader=reader)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - t)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("reader", ["ofxparse", "stream"])
def test_reading_four_times_the_transactions_takes_about_four_times_as_long(reader: str) -> None:
    FORMAT.read(sgml(50), ReadContext(), reader=reader)  # type: ignore[arg-type]  # warm up
    small, large = seconds(sgml(2000), reader), seconds(sgml(8000), reader)
    # linear: ~4; ofxparse's own pre-pass made it above 6 here and ~16 in the limit
    assert large / small < 5.5, f"{reader}: 2k {small:.2f}s, 8k {large:.2f}s"
