"""One record per concept: a stored finding is the engine's finding plus its review (no field
copied), the kinds, severities and review states are enums with their order and catalogue key, and
the JSON and e-mail shapes are made from the record."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jobs.notify import email_line
from jobs.reconciling import finding_json
from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import RulesConfig
from reconcile.engine.codes import load_codes
from reconcile.engine.context import Settings, Snapshot
from reconcile.engine.run import reconcile_all
from reconcile.engine.types import CollectionTarget, Finding, Obligation, PaymentPlan, RejectedFile, SurplusItem
from reconcile.kinds import KINDS, REVIEW_STATES, SEVERITY_ORDER, FindingStatus, Kind, ReviewState, Severity
from reconcile.messages import CATALOGUE
from reconcile.reporting import records
from reconcile.reporting.records import Review, Reviewed

ROOT = Path(__file__).resolve().parents[2]


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def test_a_reviewed_finding_holds_the_finding_and_its_review_and_copies_no_field_of_either() -> None:
    assert _names(Reviewed) & _names(Finding) == set()
    assert _names(Reviewed) & _names(Review) == set()  # its status (open, closed) is not named as the review's state
    assert _names(Reviewed) == {"id", "status", "first_seen_at", "closed_at", "finding", "review"}  # its life, no more
    assert {f.type for f in fields(Reviewed) if f.name in ("finding", "review")} == {"Finding", "Review"}


def test_the_core_records_are_frozen() -> None:
    for cls in (Finding, Obligation, PaymentPlan, SurplusItem, CollectionTarget, RejectedFile, Review, Reviewed):
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]


def test_severities_kinds_and_review_states_equal_their_stored_codes_and_carry_order_and_words() -> None:
    assert Severity.MEDIUM == "medium" and Kind.LATE == "late" and ReviewState.NONE == "none"
    assert FindingStatus.OPEN == "open" and FindingStatus.CLOSED == "closed"
    assert [s.rank for s in SEVERITY_ORDER] == list(range(len(SEVERITY_ORDER)))
    assert [k.rank for k in KINDS] == list(range(len(KINDS)))
    assert [r.code for r in sorted(REVIEW_STATES, key=lambda r: r.rank)] == ["none", "acknowledged", "resolved"]
    assert Kind.LATE.severity is Severity.MEDIUM and Kind("leak").severity is Severity.CRITICAL
    for member in (*SEVERITY_ORDER, *KINDS, *REVIEW_STATES, *FindingStatus):
        zh, en = CATALOGUE[member.message]
        assert zh and en, member


def test_a_rejected_file_is_one_record_whose_day_is_its_arrival_in_the_configured_zone() -> None:
    assert not hasattr(records, "RejectedRecord")  # the report reads the engine's record, not a copy
    late = RejectedFile(3, "bad.csv", "ab" * 32, datetime(2008, 3, 31, 17, tzinfo=UTC), "unreadable",
                        "rejected/bad.csv")
    assert late.received_on(ZoneInfo("Asia/Shanghai")) == date(2008, 4, 1)
    assert late.received_on(UTC) == date(2008, 3, 31)
    registry = load_registry(ROOT / "mappings" / "accounts.toml")
    codes = load_codes(ROOT / "mappings" / "codes.toml")

    def found(zone: ZoneInfo | None, as_of: date) -> list[tuple[object, str | None]]:
        s = Settings(registry, RulesConfig(), WorkCalendar(), codes, *([zone] if zone else []))
        result = reconcile_all(Snapshot(as_of, [], [], rejected=[late]), s)
        return [(f.detail["file"], f.period) for f in result.findings if f.kind == "rejected_file"]

    assert found(None, date(2008, 3, 31)) == []  # Asia/Shanghai by default: it came on 1 April
    assert found(None, date(2008, 4, 1)) == [("bad.csv", "2008-04")]
    assert found(ZoneInfo("UTC"), date(2008, 3, 31)) == [("bad.csv", "2008-03")]


def _reviewed() -> Reviewed:
    found = Finding("partial", "remit", "ZS", "pension", "1", "2008-03", 12345, 4, "partial|k", "high",
                    {"due_fen": 20000}, ("a.csv:3",))
    review = Review(ReviewState.ACKNOWLEDGED, "已核实", "张三", datetime(2008, 4, 2, 9, tzinfo=UTC))
    return Reviewed(7, found, FindingStatus.OPEN, datetime(2008, 4, 1, tzinfo=UTC), None, review)


def test_the_json_of_a_stored_finding_is_made_from_the_record() -> None:
    assert finding_json(_reviewed()) == {
        "id": 7, "kind": "partial", "rule": "remit", "entity": "ZS", "fund": "pension", "account": "1",
        "period": "2008-03", "amount_fen": 12345, "days_late": 4, "key": "partial|k", "severity": "high",
        "state": "open", "closed_at": None,
        "review": {"state": "acknowledged", "note": "已核实", "by": "张三", "at": "2008-04-02T09:00:00+00:00"},
        "lines": ["a.csv:3"], "detail": {"due_fen": 20000},
    }


def test_the_email_line_of_a_finding_is_made_from_the_record() -> None:
    assert email_line(_reviewed()) == "  #7 [high] partial ZS pension 2008-03 ¥123.45"
