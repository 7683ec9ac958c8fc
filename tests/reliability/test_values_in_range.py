"""Issue 12 through the whole `recon run`: a night whose inbox holds one file of each out-of-range
kind (amounts whose sum passes 64 bits, a row that lost its date, a line dated 2099, a thousands
separator in the wrong place), each a copy of a good statement of a registered account with one
change. Each is rejected with a reason naming its line, the good file is ingested, the night is
reconciled and its report written, and a second night runs clean."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.reliability.helpers import AS_OF, Seed, file_rows_match_files, ok, recon, sqlite_url
from tests.reliability.test_hostile import GOOD, deployment, one_good

# Each change is made to the first or second line of the good BOC statement (line 9 or 10 of the
# file): (line index, its date, its amount), and what the reason must name.
DATED = re.compile(r",(\d{8}),(\d\d:\d\d:\d\d),CNY,(-?[\d.]+),")
HOSTILE: dict[str, tuple[list[tuple[int, str, str]], str]] = {
    "a_sum_beyond_64_bits.csv": ([(0, "", "50000000000000000.00"), (1, "", "50000000000000000.00")],
                                 "limits.max_line_fen"),
    "b_row_without_date.csv": ([(0, "-", "")], "交易日期"),
    "c_line_in_2099.csv": ([(0, "20991231", "")], "2099-12-31"),
    "d_misplaced_separator.csv": ([(1, "", '"12,28.79"')], "12,28.79"),
}


def changed(text: str, changes: list[tuple[int, str, str]]) -> str:
    rows = text.split("\r\n")
    data = [i for i, r in enumerate(rows) if DATED.search(r)]
    for k, day, amount in changes:
        m = DATED.search(rows[data[k]])
        assert m is not None
        new_day = "" if day == "-" else day or m[1]
        rows[data[k]] = rows[data[k]].replace(m[0], f",{new_day},{m[2]},CNY,{amount or m[3]},", 1)
    return "\r\n".join(rows)


def test_a_night_with_one_out_of_range_file_of_each_kind_ingests_the_rest_and_writes_its_report(
        tmp_path: Path, seed: Seed) -> None:
    cfg = deployment(tmp_path)
    good = one_good(seed, tmp_path / "inbox").decode("utf-8-sig")
    for name, (change, _) in HOSTILE.items():
        text = changed(good, change)
        assert text != good
        (tmp_path / "inbox" / name).write_bytes(("\ufeff" + text).encode("utf-8"))
    t0 = time.perf_counter()
    proc = ok(recon(cfg, "run", "--as-of", AS_OF), 0, 1)
    wall = time.perf_counter() - t0
    assert "Traceback" not in proc.stderr and "OverflowError" not in proc.stderr
    rejected = tmp_path / "rejected"
    assert sorted(p.name for p in rejected.iterdir() if not p.name.endswith(".reason.txt")) == sorted(HOSTILE)
    for name, (_, named) in HOSTILE.items():
        reason = (rejected / f"{name}.reason.txt").read_text(encoding="utf-8")
        assert named in reason and any(f"第 {n} 行" in reason for n in (9, 10)), reason
    assert [p.name for p in (tmp_path / "archive").rglob("*.csv")] == [GOOD]
    assert list((tmp_path / "inbox").iterdir()) == []
    assert any((tmp_path / "reports" / AS_OF).rglob("*.xlsx")), "the night's report is written"
    assert file_rows_match_files(tmp_path, sqlite_url(tmp_path)) == []
    ok(recon(cfg, "run", "--as-of", "2008-03-31"), 0, 1)  # the next night runs
    assert wall < 120
