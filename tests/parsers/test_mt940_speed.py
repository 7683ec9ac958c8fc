"""Throughput of the MT940 reader on a 100k-line file, against two regex floors (run with -s to see
the figures; `-m slow` selects it):

- bare: `re.finditer` over the ':61:' lines of the decoded text, doing nothing with them;
- same work: the same pass plus what every reader must do per line to give a `Statement`
  (`to_fen` on the amount, the booking date, one `Line`).

The bare floor is no target a reader producing `Line`s can reach in Python: `to_fen` and building a
frozen `Line` cost about ten times the regex scan per statement line. The test guards against the
reader falling far behind the same-work floor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from parsers.base import ReadContext
from parsers.mt940 import FORMAT
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import to_fen

_BARE = re.compile(r"^:61:(.*)$", re.M)
_WORK = re.compile(r"^:61:(\d\d)(\d\d)(\d\d)(?:\d{4})?(R?[CD])[A-Z]?(\d+,\d*)", re.M)


def hundred_thousand_lines() -> bytes:
    """Daily statements of one account, 100 lines each; every :61: is followed by a :86: of two
    lines with Chinese text: 3 lines per statement line, close to 100,000 lines in all."""
    sts, day, k, balance = [], date(2023, 1, 1), 0, 0
    while len(sts) < 326:
        body = []
        for _ in range(100):
            k += 1
            body.append(
                Line(
                    booking_date=day,
                    value_date=day,
                    amount_fen=(k * 7919) % 2_000_000_000 - 1_000_000_000,
                    counterparty_account=f"6228480{k:012d}",
                    counterparty_name="六盘水市钟山区社会保险事业局",
                    text=f"跨行汇款 {k}号 {day:%Y年%m月}城镇职工基本养老保险基金上解款（按月结算，含利息）",
                    remark=f"{k}号 {day:%Y年%m月}城镇职工基本养老保险基金上解款（按月结算，含利息）",
                    bank_ref=f"2023{k:016d}",
                    ref_strength=RefStrength.STRONG,
                    type_code="NTRF",
                )
            )
        opening, balance = balance, balance + sum(ln.amount_fen for ln in body)
        sts.append(Statement(account="52050162360000000123", currency="CNY", period_start=day,
                             period_end=day, opening_fen=opening, closing_fen=balance, lines=tuple(body)))  # fmt: skip
        day += timedelta(days=1)
    return FORMAT.write(sts)


def bare_regex(data: bytes) -> int:
    return sum(1 for _ in _BARE.finditer(data.decode("utf-8")))


def same_work_regex(data: bytes) -> int:
    out = []
    for m in _WORK.finditer(data.decode("utf-8")):
        fen = to_fen(m.group(5), decimal=",")
        day = date(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)))
        out.append(Line(booking_date=day, amount_fen=-fen if m.group(4) in ("D", "RC") else fen))
    return len(out)


def reader(data: bytes) -> int:
    return sum(len(st.lines) for st in FORMAT.read(data, ReadContext()))


def best_times(data: bytes, funcs: list[Callable[[bytes], int]], rounds: int = 5) -> list[float]:
    """Best of `rounds` per function, the functions interleaved so that load spikes hit all."""
    best = [float("inf")] * len(funcs)
    for _ in range(rounds):
        for i, f in enumerate(funcs):
            t = time.perf_counter()
            f(data)
            best[i] = min(best[i], time.perf_counter() - t)
    return best


@pytest.mark.slow
def test_the_reader_keeps_pace_with_a_regex_pass_doing_the_same_work_at_100k_lines() -> None:
    data = hundred_thousand_lines()
    lines = data.count(b"\n")
    assert 99_000 <= lines <= 101_000
    assert bare_regex(data) == same_work_regex(data) == reader(data) == 32_600
    bare, work, ours = best_times(data, [bare_regex, same_work_regex, reader])
    print(
        f"\nMT940 {lines} lines: bare regex {lines / bare:,.0f} lines/s, same-work regex "
        f"{lines / work:,.0f} lines/s, reader {lines / ours:,.0f} lines/s "
        f"({bare / ours:.0%} of bare, {work / ours:.0%} of same-work)"
    )
    assert work / ours >= 0.3
