"""Issue 12, defect 6: a bank's correction is a conflict, never a second line.

The same statement downloaded again with one amount (or direction) changed under the same strong
bank serial and date, and a second full statement of the same account and period whose amounts
differ, are rejected with a reason naming both lines; the ledger keeps the first version only.
Each case failed on main (the corrected line was added beside the first: a false `partial` or
`over`). The rule itself is tested without a database in tests/unit/test_correction_rule.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from store.models import LineRow
from tests.reliability.helpers import Seed, ok, recon, sqlite_url, write_config

BOC = "boc_104861001000000101_20080101-20080131.csv"
CAMT = "camt053_520501621600000102_20080104-20080104.xml"


def _csv_amount(data: bytes) -> bytes:
    return data.replace(b",CNY,590.80,1191371.80,", b",CNY,509.80,1191371.80,", 1)


def _camt_amount(data: bytes) -> bytes:
    return data.replace(b"<Amt Ccy=\"CNY\">220203.39</Amt>", b"<Amt Ccy=\"CNY\">220230.39</Amt>", 1)


def _camt_direction(data: bytes) -> bytes:
    return data.replace(b"220203.39</Amt><CdtDbtInd>DBIT", b"220203.39</Amt><CdtDbtInd>CRDT", 1)


def _no_refs(data: bytes) -> bytes:
    return re.sub(rb"<AcctSvcrRef>[^<]*</AcctSvcrRef>", b"", data)


CASES: dict[str, tuple[str, Callable[[bytes], bytes], Callable[[bytes], bytes], list[str]]] = {
    # case: (file, how the first copy is made, how the second differs, words the reason must hold)
    "csv-serial-amount": (BOC, lambda d: d, _csv_amount, ["0101080102000001", "590.80", "509.80", "line"]),
    "camt-serial-amount": (CAMT, lambda d: d, _camt_amount, ["0102080104000002", "-220,203.39", "-220,230.39"]),
    "camt-serial-direction": (CAMT, lambda d: d, _camt_direction, ["0102080104000002", "-220,203.39", "220,203.39"]),
    "camt-restatement": (CAMT, _no_refs, lambda d: _camt_amount(_no_refs(d)), ["-220,203.39", "-220,230.39"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_corrected_line_is_a_conflict_naming_both_lines_never_a_second_line(tmp_path: Path, seed: Seed,
                                                                              case: str) -> None:
    name, first, second, words = CASES[case]
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    data = first((seed.inbox / name).read_bytes())
    (tmp_path / "inbox" / name).write_bytes(data)
    ok(recon(cfg, "ingest", "--no-progress"))
    lines_before = _lines(tmp_path)
    again = "again_" + name
    changed = second(data)
    assert changed != data
    (tmp_path / "inbox" / again).write_bytes(changed)
    ok(recon(cfg, "ingest", "--no-progress"), 1)
    reason = (tmp_path / "rejected" / f"{again}.reason.txt").read_text(encoding="utf-8")
    for word in [name, again, *words]:
        assert word in reason, f"{word!r} not in {reason}"
    assert _lines(tmp_path) == lines_before, "nothing of the second version was stored"


def test_the_same_statement_again_with_other_header_bytes_is_no_conflict(tmp_path: Path, seed: Seed) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    data = (seed.inbox / CAMT).read_bytes()
    (tmp_path / "inbox" / CAMT).write_bytes(data)
    ok(recon(cfg, "ingest", "--no-progress"))
    (tmp_path / "inbox" / ("again_" + CAMT)).write_bytes(data.replace(b"<CreDtTm>", b"<CreDtTm>", 1) + b"\n")
    proc = ok(recon(cfg, "ingest", "--no-progress"))
    assert "0 个被拒收" in proc.stdout


def _lines(root: Path) -> int:
    engine = create_engine(sqlite_url(root))
    try:
        with engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(LineRow)).scalar_one())
    finally:
        engine.dispose()
