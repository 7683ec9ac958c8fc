"""Parser throughput: lines per second for each format beside the floor of the library alone,
measured in the same process on the same file, each case in a fresh process for its peak memory.

    .venv/bin/python bench/parse.py            # every format at 100k lines, camt also at 1M
    .venv/bin/python bench/parse.py --quick    # 20k lines, for a smoke run

Floors: lxml.etree.iterparse(tag=...) with clear() for camt and OFX XML; a regex pass for MT940;
pandas.read_csv(engine="pyarrow", dtype=str) for CSV; python-calamine for XLSX. Times are CPU
seconds of this process (medians of three), so a busy machine does not count against either side.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, peak_rss_mb, statement


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median CPU time (`time.process_time`) of `repeat` runs, and the last result: on a shared
    machine the wall time measures the other processes' load, the CPU time this one's work."""
    times = []
    result = None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    times.sort()
    return times[len(times) // 2], result

ROOT = Path(__file__).resolve().parents[1]
BANKS = ROOT / "mappings" / "banks"


def _file(fmt: str, n: int) -> bytes:
    st = statement(n)
    if fmt == "camt":
        from parsers.camt.writer import write

        return write([st])
    if fmt == "ofx":
        from parsers.ofx.writer import write as w

        return w([st], version=2)
    if fmt == "mt940":
        from parsers.mt940.writer import write as w2

        return w2([st])
    if fmt == "csv":
        from parsers.tabular.writer import write as w3

        return w3([st], "icbc_historydetail", banks_dir=BANKS, kind="csv")
    if fmt == "xlsx":
        from parsers.tabular.writer import write as w4

        return w4([st], "abc_zhanghumingxi", banks_dir=BANKS, kind="xlsx")
    raise ValueError(fmt)


def _floor(fmt: str, data: bytes) -> int:
    if fmt in ("camt", "ofx"):
        from lxml import etree

        tag = "{*}Ntry" if fmt == "camt" else "STMTTRN"
        n = 0
        for _, el in etree.iterparse(io.BytesIO(data), tag=tag, resolve_entities=False, no_network=True):
            n += 1
            el.clear()
        return n
    if fmt == "mt940":
        return sum(1 for _ in re.finditer(rb"^:61:(.*)$", data, re.M))
    if fmt == "csv":
        import pandas as pd

        text_start = data.index(b"\n", data.index(b"\n") + 1) + 1  # after the marker and header lines
        frame = pd.read_csv(io.BytesIO(data[text_start:]), engine="pyarrow", dtype=str, header=None,
                            encoding="gb18030")
        return len(frame)
    if fmt == "xlsx":
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return len(book.get_sheet_by_index(0).to_python())
    raise ValueError(fmt)


def one(fmt: str, n: int) -> dict[str, object]:
    from parsers import registry
    from parsers.base import Limits, ReadContext

    data = _file(fmt, n)
    # The random statement's running balance passes the default bound on one amount at 100k lines.
    ctx = ReadContext(file_name=f"bench.{fmt}", banks_dir=BANKS, limits=Limits(max_xml_bytes=4 << 30,
                                                                                  max_file_bytes=4 << 30,
                                                                                  max_line_fen=10**15))
    floor_s, floor_n = timed(lambda: _floor(fmt, data), 3)
    read_s, sts = timed(lambda: registry.read_bytes(data, ctx), 3 if n <= 200_000 else 1)
    lines = sum(len(s.lines) for s in sts)
    assert lines == n, (fmt, lines, n)
    return {"format": fmt, "lines": n, "bytes": len(data), "floor_s": round(floor_s, 3), "read_s": round(read_s, 3),
            "floor_lps": int(floor_n / floor_s), "read_lps": int(n / read_s), "ratio": round(floor_s / read_s, 2),
            "peak_rss_mb": round(peak_rss_mb())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=2, metavar=("FORMAT", "LINES"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--formats", default="camt,ofx,mt940,csv,xlsx", help="comma-separated subset")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], int(args.one[1]))))
        return
    n = 20_000 if args.quick else 100_000
    cases = [(f, n) for f in args.formats.split(",")]
    if not args.quick and "camt" in cases[0]:
        cases.append(("camt", 1_000_000))
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} (CPU seconds, medians of 3)\n")
    print("| format | lines | file MB | floor lines/s | parser lines/s | parser / floor | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for fmt, lines in cases:
        out = subprocess.run([sys.executable, __file__, "--one", fmt, str(lines)], capture_output=True, text=True)
        if out.returncode:
            print(f"| {fmt} | {lines} | failed: {out.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(out.stdout)
        print(f"| {fmt} | {lines:,} | {r['bytes'] / 1e6:.1f} | {r['floor_lps']:,} | {r['read_lps']:,} | "
              f"{r['ratio']:.0%} | {r['peak_rss_mb']} |", flush=True)


if __name__ == "__main__":
    main()
