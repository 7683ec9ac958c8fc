"""Reading simulated files back through the parsers, as the ingest would: the period from the file
name where the layout declares none (the default `ingest.filename_rules` entry)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from parsers import registry
from parsers.base import ReadContext
from reconcile.model import Statement

BANKS = Path(__file__).resolve().parents[2] / "mappings" / "banks"
PERIOD = re.compile(r"(?P<start>\d{8})-(?P<end>\d{8})")
# 日记账: the cashiers' journals
NOT_STATEMENTS = ("plan_", "surplus_schedule", "collection_targets", "日记账_", "budget_")


def statement_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.iterdir() if not p.name.startswith(NOT_STATEMENTS))


def read(path: Path) -> list[Statement]:
    ctx = ReadContext(file_name=path.name, banks_dir=BANKS)
    out = []
    for st in registry.read_bytes(path.read_bytes(), ctx):
        if not (st.period_start and st.period_end):
            m = PERIOD.search(path.name)
            assert m, path.name
            st = replace(st, period_start=datetime.strptime(m["start"], "%Y%m%d").date(),
                         period_end=datetime.strptime(m["end"], "%Y%m%d").date())
        out.append(st)
    return out
