"""The simulated files: deterministic, readable by our parsers, balanced and chained, named and
dated as the ingest expects."""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.errors import ParseError
from simulate import SimulationSummary, simulate
from tests.simulate.readback import period, read, statement_files

TZ = ZoneInfo("Asia/Shanghai")


def _tree(root: Path) -> dict[str, tuple[bytes, float]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime) for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_the_same_seed_gives_byte_identical_files_and_mtimes(tmp_path: Path) -> None:
    for run in ("a", "b"):
        simulate("2008-09", 2, 5, "city", tmp_path / run / "inbox", lines_per_month=400)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert any(name.endswith(".xlsx") for name in a)


def test_another_seed_gives_other_files(tmp_path: Path) -> None:
    simulate("2008-09", 1, 5, "city", tmp_path / "a" / "inbox", lines_per_month=300)
    simulate("2008-09", 1, 6, "city", tmp_path / "b" / "inbox", lines_per_month=300)
    assert (tmp_path / "a" / "answer_key.json").read_bytes() != (tmp_path / "b" / "answer_key.json").read_bytes()


def test_every_statement_adds_up_and_chains_with_the_previous_one_except_the_injected_break(
        quarter: SimulationSummary, key: dict) -> None:
    by_account = defaultdict(list)
    unreadable = []
    for path in statement_files(quarter.out):
        try:
            statements = read(path)
        except ParseError:
            unreadable.append(path.name)
            continue
        for st in statements:
            if not st.intraday:
                by_account[st.account].append((path.name, st))
    assert len(unreadable) == 1 and "(1)" in unreadable[0]
    breaks = []
    for account, items in by_account.items():
        items.sort(key=lambda x: (x[1].period_start, x[1].period_end))
        previous = None
        for name, st in items:
            total = sum(ln.amount_fen for ln in st.booked)
            if st.opening_fen is not None and st.closing_fen is not None:
                assert st.opening_fen + total == st.closing_fen, name
            running = st.opening_fen
            for ln in st.booked:
                if running is not None and ln.balance_fen is not None:
                    running += ln.amount_fen
                    assert ln.balance_fen == running, (name, ln.source)
            if (previous is not None and st.period_start > previous.period_end and st.opening_fen is not None
                    and previous.closing_fen is not None and st.opening_fen != previous.closing_fen):
                breaks.append((account, st.period_end.strftime("%Y-%m"), st.opening_fen - previous.closing_fen))
            if previous is None or st.period_end >= previous.period_end:
                previous = st
    expected = [(f["account"], f["period"], f["amount_fen"]) for f in key["findings"] if f["kind"] == "balance_break"]
    assert breaks == expected


def test_every_registered_account_has_statements_for_the_whole_period(quarter: SimulationSummary, key: dict) -> None:
    registry = load_registry(quarter.registry)
    names = [p.name for p in statement_files(quarter.out)]
    stale = {f["account"] for f in key["findings"] if f["kind"] == "stale_account"}
    for a in registry.accounts:
        mine = [n for n in names if f"_{a.number}_" in n]
        last = max(period(n)[1] for n in mine)
        assert last < date(2008, 3, 31) if a.number in stale else last == date(2008, 3, 31), a.number


def test_file_names_carry_the_period_and_the_mtime_is_nine_oclock_the_next_working_day(
        quarter: SimulationSummary) -> None:
    cal = WorkCalendar()
    for path in statement_files(quarter.out):
        end = period(path.name)[1]
        stamp = datetime.fromtimestamp(os.stat(path).st_mtime, TZ)
        if path.name.startswith("camt052"):
            assert (stamp.date(), stamp.hour) == (end, 12)
        elif "副本" not in path.name:
            assert (stamp.date(), stamp.hour, stamp.minute) == (cal.add_workdays(end, 1), 9, 0), path.name


def test_the_answer_key_never_sits_inside_the_inbox(tmp_path: Path, quarter: SimulationSummary) -> None:
    assert not Path(quarter.answer_key).resolve().is_relative_to(Path(quarter.out).resolve())
    with pytest.raises(ValueError, match="inside the inbox"):
        simulate("2008-01", 1, 1, "city", tmp_path / "inbox", tmp_path / "inbox" / "key.json", lines_per_month=100)
    assert not (tmp_path / "inbox").exists()


def test_plan_schedule_and_target_files_follow_the_templates(quarter: SimulationSummary) -> None:
    names = sorted(p.name for p in Path(quarter.out).iterdir())
    assert any(n.startswith("plan_") and n.endswith(".csv") for n in names)
    assert any(n.startswith("plan_") and n.endswith(".xlsx") for n in names)
    schedule = (Path(quarter.out) / "surplus_schedule.csv").read_text(encoding="utf-8").splitlines()
    assert schedule[0] == "entity,fund,amount,due,account"
    targets = (Path(quarter.out) / "collection_targets.csv").read_text(encoding="utf-8").splitlines()
    assert targets[0] == "年度,单位,险种,目标金额"
    budget = (Path(quarter.out) / "budget_v1.csv").read_text(encoding="utf-8").splitlines()
    assert budget[0] == "年度,单位,险种,月份,收入预算,支出预算,版本,批准日期"
    assert (Path(quarter.out) / "budget_revised.xlsx").read_bytes()[:2] == b"PK"


def test_the_generated_province_registry_loads_with_about_ninety_counties(tmp_path: Path) -> None:
    from simulate import province

    path = tmp_path / "accounts.toml"
    path.write_text(province.registry_toml(3), encoding="utf-8")
    registry = load_registry(path)
    counties = [e for e in registry.entities if e.level == "county"]
    assert 85 <= len(counties) <= 95
    assert sum(1 for a in registry.accounts if a.role == "legacy_fiscal") == 2
    profiles = {a.profile for a in registry.accounts}
    assert {"camt", "mt940", "ofx"} <= profiles
    assert province.registry_toml(3) == province.registry_toml(3)


def test_every_pooled_account_has_a_journal_for_each_month_in_the_three_layouts(quarter: SimulationSummary) -> None:
    from parsers import books

    registry = load_registry(quarter.registry)
    journals = sorted(p for p in Path(quarter.out).iterdir() if p.name.startswith("日记账_"))
    formats = set()
    for a in registry.accounts:
        mine = [p for p in journals if f"_{a.number}_" in p.name and "副本" not in p.name and "季度" not in p.name]
        assert len(mine) == (0 if a.role == "legacy_fiscal" else 3), a.number
        for p in mine:
            (j,) = books.read(p.read_bytes(), p.name)
            formats.add(j.format)
            assert j.period_start and j.period_start == period(p.name)[0]
    assert formats == {"book:yonyou_u8", "book:kingdee_kis", "book:plain"}
