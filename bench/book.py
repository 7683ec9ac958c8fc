"""Book against bank at province scale: matching a year of 362 accounts, 5M bank lines and as many
journal entries, with the monthly 调节表 of every account, timed (generation apart) with peak memory.

Each account is generated, matched and drawn up in turn, as `jobs.books` does with the store (one
account in memory at a time). Per account, a year of bank lines on working days (amounts from a
skewed distribution with a fifth of them from a few common amounts, so equal amounts meet in the
window), and the cashier's journal: most entries on the bank's day, some 1 to 3 days later, some on
the previous month's last day, one day a month booked as a day's sum, and a few forgotten,
duplicated or wrong.

    .venv/bin/python bench/book.py                      # the province year: 362 accounts, 5M lines
    .venv/bin/python bench/book.py --accounts 20 --lines 50000   # a quick look
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import machine, peak_rss_mb
from reconcile.accounts import Account
from reconcile.book.records import JournalEntry, JournalSpan
from reconcile.book.run import book_account
from reconcile.calendar import WorkCalendar
from reconcile.model import Line, Statement, StoredStatement

COMMON = [10_000, 50_000, 100_000, 123_456, 300_000, 500_000]


def generate(n: int, seed: int, cal: WorkCalendar, days: list[date]) -> tuple[list[JournalEntry], list[Line],
                                                                             list[StoredStatement], JournalSpan]:
    rng = random.Random(seed)
    lines: list[Line] = []
    entries: list[tuple[date, int, int]] = []  # (day, amount, order)
    per_day = n // len(days)
    k = 0
    payroll_days = {d for d in days if d.day in (12, 13)}
    for d in days:
        day_sum = 0
        for _ in range(per_day):
            k += 1
            amount = rng.choice(COMMON) if rng.random() < 0.2 else int(rng.lognormvariate(11, 1.3))
            amount = max(amount, 1) * (1 if rng.random() < 0.7 else -1)
            lines.append(Line(d, amount, counterparty_name="某某公司", text="汇入", bank_ref=f"B{k}", id=k,
                              fingerprint=f"l{k}"))
            if d in payroll_days and amount < 0:
                day_sum += amount  # booked as the day's sum below
                continue
            r = rng.random()
            if r < 0.003:
                continue  # forgotten
            day = d
            if r < 0.02:
                day = d + timedelta(days=rng.randint(1, 3))
            elif r < 0.025 and d.day <= 3:  # the voucher dated the previous month's last day
                day = d.replace(day=1) - timedelta(days=1)
            wrong = 100 if 0.003 <= r < 0.005 else 0
            entries.append((day, amount + wrong, k))
            if 0.005 <= r < 0.008:
                entries.append((day, amount, k))  # booked twice
        if day_sum:
            entries.append((d, day_sum, k))
    entries.sort(key=lambda e: (e[0], e[2]))
    es = [JournalEntry(day, amount, f"记-{i}", "摘要", id=i, fingerprint=f"e{i}")
          for i, (day, amount, _) in enumerate(entries)]
    statements, balance = [], 0
    for m in range(1, 13):
        first, last = date(2008, m, 1), (date(2008, m, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        moved = sum(ln.amount_fen for ln in lines if first <= ln.booking_date <= last)
        statements.append(StoredStatement(Statement("x", period_start=first, period_end=last, opening_fen=balance,
                                                    closing_fen=balance + moved), f"s{m}", "", 0, moved, ""))
        balance += moved
    return es, lines, statements, JournalSpan(date(2007, 12, 1), date(2008, 12, 31), 0, "j")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=362)
    ap.add_argument("--lines", type=int, default=5_000_000, help="bank lines in all")
    args = ap.parse_args()
    cal = WorkCalendar()
    days = cal.workdays(date(2008, 1, 2), date(2008, 12, 31))
    per = args.lines // args.accounts
    matching = generating = cpu = 0.0
    totals = {"lines": 0, "entries": 0, "matches": 0, "months": 0, "balanced": 0, "items": 0, "findings": 0}
    for a in range(args.accounts):
        acct = Account(f"6222{a:012d}", "", (), "X", "pension", "income", "", "")
        t0 = time.perf_counter()
        es, ls, sts, span = generate(per, a, cal, days)
        t1, c1 = time.perf_counter(), time.process_time()
        b = book_account(acct, es, ls, [span], sts, date(2008, 12, 31), cal, 5, 90)
        t2 = time.perf_counter()
        cpu += time.process_time() - c1
        generating += t1 - t0
        matching += t2 - t1
        totals["lines"] += len(ls)
        totals["entries"] += len(es)
        totals["matches"] += len(b.matching.matches)
        totals["months"] += len(b.months)
        totals["balanced"] += sum(m.state == "balanced" for m in b.months)
        totals["items"] += sum(len(m.items) for m in b.months)
        totals["findings"] += len(b.findings)
    print(f"machine: {machine()}")
    print(f"{args.accounts} accounts, {totals['lines']:,} bank lines, {totals['entries']:,} journal entries")
    print(f"{totals['matches']:,} matches; {totals['months']:,} account-months ({totals['balanced']:,} balanced), "
          f"{totals['items']:,} items outstanding over the month ends, {totals['findings']:,} findings")
    print(f"match and draw up: {matching:.1f} s wall, {cpu:.1f} s CPU ({totals['lines'] / max(cpu, 1e-9):,.0f} "
          f"bank lines per CPU second); generating the data: {generating:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (1 min, at the end)")


if __name__ == "__main__":
    main()
