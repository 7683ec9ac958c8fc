"""Reading simulated files back through the parsers, as the ingest would: the period from the file
name where the layout declares none, by the file-name rules of the shipped `config.toml`
(`[[ingest.filename_rules]]`, read by `FilenameRules.bind` as jobs/ingest/pipeline.py does)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from parsers import registry
from parsers.base import ReadContext
from reconcile.config import load
from reconcile.filenames import FilenameRules
from reconcile.model import Statement

ROOT = Path(__file__).resolve().parents[2]
BANKS = ROOT / "mappings" / "banks"
RULES = FilenameRules((r.pattern, r.account) for r in load(ROOT / "config.toml", env={}).ingest.filename_rules)
# 日记账: the cashiers' journals
NOT_STATEMENTS = ("plan_", "surplus_schedule", "collection_targets", "日记账_", "budget_")


def statement_files(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.iterdir() if not p.name.startswith(NOT_STATEMENTS))


def period(name: str) -> tuple[date, date]:
    """The first and last day the file's name gives."""
    got = RULES.bind(name).period
    assert got is not None, name
    return got


def read(path: Path) -> list[Statement]:
    ctx = ReadContext(file_name=path.name, banks_dir=BANKS)
    out = []
    for st in registry.read_bytes(path.read_bytes(), ctx):
        if not (st.period_start and st.period_end):
            start, end = period(path.name)
            st = replace(st, period_start=start, period_end=end)
        out.append(st)
    return out
