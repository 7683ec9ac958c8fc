"""The one table of finding kinds, and one meaning of "serious" (medium severity or above) for the
exit code, the report and the e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime

from reconcile.engine.types import Finding
from reconcile.kinds import KINDS, SERIOUS, SEVERITY, SEVERITY_ORDER, FindingStatus, is_serious, kind_rank
from reconcile.messages import CATALOGUE
from reconcile.reporting.records import ReportData, Reviewed
from reconcile.reporting.summary import finding_order, summarize


def test_serious_is_medium_severity_or_above() -> None:
    assert [s for s in SEVERITY_ORDER if is_serious(s)] == ["medium", "high", "critical"] == list(SERIOUS)
    assert not is_serious("info") and not is_serious("low") and not is_serious("unheard-of")


def test_every_kind_is_listed_once_with_a_known_severity_and_its_words_in_both_languages() -> None:
    codes = [k.code for k in KINDS]
    assert len(codes) == len(set(codes)) == len(SEVERITY)
    for k in KINDS:
        assert k.severity in SEVERITY_ORDER, k
        zh, en = CATALOGUE[k.message]
        assert zh and en, k


def test_the_table_lists_kinds_most_severe_first_so_the_report_order_follows_it() -> None:
    ranks = [SEVERITY_ORDER.index(k.severity) for k in KINDS]
    assert ranks == sorted(ranks, reverse=True)
    assert kind_rank("short_disbursement") == 0 and kind_rank("a_kind_from_a_later_version") == len(KINDS)


def _finding(i: int, kind: str, entity: str) -> Reviewed:
    found = Finding(kind, "remit", entity, "pension", "1", "2008-03", 100, 2, f"{kind}|{i}", SEVERITY[kind])
    return Reviewed(i, found, FindingStatus.OPEN, datetime(2008, 4, 1, tzinfo=UTC))


def test_the_reports_serious_count_per_entity_counts_medium_findings_as_the_exit_code_does() -> None:
    found = [_finding(1, "late", "ZS"), _finding(2, "over", "ZS"), _finding(3, "partial", "LZ")]
    data = ReportData(date(2008, 3, 31), found, [], [], [], [], {}, None)
    rows = {r[0]: r for r in summarize(data, ["ZS", "LZ"]).by_entity.rows}
    assert (rows["ZS"][1], rows["ZS"][2]) == (2, 1)  # late (medium) is serious, over (low) is not
    assert (rows["LZ"][1], rows["LZ"][2]) == (1, 1)


def test_book_findings_take_their_place_among_their_severity_in_the_report() -> None:
    high = [_finding(1, "book_unreconciled", "ZS"), _finding(2, "late", "ZS"), _finding(3, "rejected_file", None)]
    assert [f.finding.kind for f in sorted(high, key=finding_order)] == ["rejected_file", "book_unreconciled", "late"]
