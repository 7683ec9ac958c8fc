"""The answer key: complete for every injected fault, and backed by what the files show."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import pytest

from reconcile.accounts import load_registry
from reconcile.errors import ParseError
from reconcile.model import Line, Statement
from simulate import SimulationSummary, simulate
from simulate.cashiers import BOOK_FAULTS
from simulate.cashiers import NO_FINDING as BOOK_NO_FINDING
from simulate.faults import ALL_KINDS
from tests.simulate.conftest import LOW
from tests.simulate.readback import read, statement_files

FIELDS = {"kind", "rule", "entity", "fund", "account", "period", "amount_fen", "days_late", "fault"}
NO_FINDING = {"duplicate_file", "overlapping_statements", "contribution_refund"}


def _lines(summary: SimulationSummary) -> dict[str, list[Line]]:
    out: dict[str, list[Line]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for path in statement_files(summary.out):
        try:
            statements: list[Statement] = read(path)
        except ParseError:
            continue
        for st in statements:
            if st.intraday or (st.account, str(st.period_start)) in seen or "副本" in path.name:
                continue
            if st.period_start and st.period_end and st.period_start.day == 16 and st.period_end.day == 15:
                continue  # the overlapping statement repeats lines held elsewhere
            seen.add((st.account, str(st.period_start)))
            out[st.account].extend(st.booked)
    return out


def test_every_finding_has_exactly_the_listed_fields_and_names_its_fault(key: dict) -> None:
    assert set(key) == {"as_of", "findings", "no_finding_faults", "book", "budget", "gap"}
    assert key["as_of"] == "2008-03-31"
    for f in key["findings"]:
        assert set(f) == FIELDS
        assert f["fault"] in (*ALL_KINDS, *BOOK_FAULTS)
        assert f["amount_fen"] is None or isinstance(f["amount_fen"], int)
    assert key["findings"] == sorted(key["findings"], key=lambda f: [str(f[k]) for k in ("kind", "rule", "entity")])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_fault_kind_is_injected_and_answered_for_several_seeds(tmp_path: Path, seed: int) -> None:
    s = simulate("2008-01", 3, seed, "city", tmp_path / "inbox", lines_per_month=600)
    import json

    k = json.loads(Path(s.answer_key).read_text(encoding="utf-8"))
    assert s.skipped == []
    answered = {f["fault"] for f in k["findings"]} | {f["fault"] for f in k["no_finding_faults"]}
    assert {*ALL_KINDS, *BOOK_FAULTS, *BOOK_NO_FINDING} - answered == set()
    kinds = {f["kind"] for f in k["findings"]}
    assert kinds >= {"late", "partial", "missing", "over", "split", "awaiting_statement", "unconfirmed",
                     "misdirected", "unexpected", "leak", "short_disbursement", "duplicate_payment",
                     "balance_break", "coverage_gap", "stale_account", "late_plan", "rejected_file"}


def test_transfer_findings_are_lines_in_the_senders_statements(quarter: SimulationSummary, key: dict) -> None:
    lines = _lines(quarter)
    registry = load_registry(quarter.registry)
    for f in key["findings"]:
        if f["kind"] not in ("misdirected", "unexpected", "leak", "unconfirmed", "duplicate_payment"):
            continue
        debits = [ln for ln in lines[f["account"]] if ln.amount_fen == -f["amount_fen"]
                  and ln.booking_date.strftime("%Y-%m") == f["period"]]
        assert debits, f
        receiver = registry.account(debits[0].counterparty_account)
        credits = [ln for ln in lines.get(receiver.number if receiver else "", [])
                   if ln.amount_fen == f["amount_fen"] and ln.counterparty_account == f["account"]]
        if f["kind"] == "leak":
            assert receiver is None and debits[0].counterparty_name
        elif f["kind"] == "unconfirmed":
            assert receiver is not None and credits == []
        else:
            assert receiver is not None and credits, f
        if f["kind"] == "misdirected":
            sender = registry.account(f["account"])
            assert receiver is not None and sender is not None
            assert (receiver.fund, receiver.entity) != (sender.fund, registry.entities[0].code)


def _plans(out: Path) -> dict[tuple[str, str, str], int]:
    """The plan in force per (entity, fund, month): the highest version."""
    from openpyxl import load_workbook

    registry_names = {"六盘水市": "LPS", "钟山区": "ZS", "六枝特区": "LZ", "盘县": "PX", "水城县": "SC",
                      "基本养老保险基金": "pension", "失业保险基金": "unemployment"}
    best: dict[tuple[str, str, str], tuple[int, int]] = {}
    for p in sorted(out.glob("plan_*")):
        if p.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
        else:
            rows = [[str(c) for c in r] for r in load_workbook(p, read_only=True).active.iter_rows(values_only=True)]
        for month, entity, fund, amount, _s, _a, version in rows[1:]:
            k = (registry_names.get(entity, entity), registry_names.get(fund, fund), month)
            fen = int(amount.replace(".", ""))
            if k not in best or int(version) > best[k][0]:
                best[k] = (int(version), fen)
    return {k: v[1] for k, v in best.items()}


def test_payrolls_stay_within_two_percent_below_the_plan_where_no_fault_was_injected(
        quarter: SimulationSummary, key: dict) -> None:
    plans = _plans(Path(quarter.out))
    registry = load_registry(quarter.registry)
    lines = _lines(quarter)
    faulted = {(f["entity"], f["fund"], f["period"]) for f in key["findings"] if f["rule"] == "disburse"}
    checked = 0
    for a in registry.accounts:
        if a.role != "expense":
            continue
        paid: dict[str, int] = defaultdict(int)
        for ln in lines[a.number]:
            benefit = ln.amount_fen < 0 and registry.account(ln.counterparty_account) is None
            if (benefit and "手续费" not in ln.text) or "退回" in ln.text:
                paid[ln.booking_date.strftime("%Y-%m")] -= ln.amount_fen
        for month in ("2008-01", "2008-02", "2008-03"):
            plan = plans.get((a.entity, a.fund, month))
            if plan is None or (a.entity, a.fund, month) in faulted:
                continue
            assert plan * 98 // 100 <= paid[month] <= plan, (a.number, month, plan, paid[month])
            checked += 1
    assert checked >= 20


def test_a_low_volume_option_keeps_the_line_count_small(quarter: SimulationSummary) -> None:
    assert quarter.lines < LOW * 3 * 1.3
    assert quarter.faults.get("late_remittance", 0) >= 1


def test_every_transfer_between_pooled_accounts_has_both_legs_unless_a_fault_says_otherwise(
        quarter: SimulationSummary, key: dict) -> None:
    from reconcile.calendar import WorkCalendar

    cal = WorkCalendar()
    lines = _lines(quarter)
    registry = load_registry(quarter.registry)
    unconfirmed = {(f["account"], f["amount_fen"]) for f in key["findings"] if f["kind"] == "unconfirmed"}
    missing = []
    pairs = 0
    for sender, own in lines.items():
        returned = {ln.amount_fen for ln in own if "退汇" in ln.text}
        for ln in own:
            receiver = registry.account(ln.counterparty_account)
            if ln.amount_fen >= 0 or receiver is None:
                continue
            if (sender, -ln.amount_fen) in unconfirmed or -ln.amount_fen in returned:
                continue
            twins = [c for c in lines[receiver.number] if c.amount_fen == -ln.amount_fen
                     and registry.account(c.counterparty_account) == registry.account(sender)
                     and c.booking_date in (ln.booking_date, cal.add_workdays(ln.booking_date, 1))]
            pairs += 1
            if not twins:
                missing.append((sender, ln.booking_date, ln.amount_fen))
    assert missing == []
    assert pairs > 50
