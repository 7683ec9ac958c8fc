"""What is new and what was resolved since the previous report, and the review state of each
finding: acknowledged findings are not new."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from sqlalchemy import select

from reconcile.desk import Actor
from store.db import session_scope
from store.models import FindingRow
from store.review import act
from tests.report.conftest import END_OF_JUNE, END_OF_MAY, World


def _csv(path) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _finding(w: World, kind: str, entity: str, period: str) -> FindingRow:
    with session_scope(w.app.database()) as s:
        return s.scalars(select(FindingRow).where(FindingRow.kind == kind, FindingRow.entity == entity,
                                                  FindingRow.period == period)).one()


def test_a_finding_acknowledged_before_the_report_is_not_counted_as_new(half_year: World) -> None:
    half_year.ingest(1)
    half_year.reconcile(END_OF_MAY)
    missing = _finding(half_year, "missing", "SC", "2008-05")
    with session_scope(half_year.app.database()) as s:
        act(s, Actor("张科长", "city"), missing.id, "acknowledge", datetime(2008, 6, 1, 9, tzinfo=UTC),
            note="已督促水城县补缴")
        open_count = len(list(s.scalars(select(FindingRow).where(FindingRow.state == "open"))))
    result = half_year.report(END_OF_MAY)
    assert result.open_findings == open_count
    assert result.new == open_count - 1
    new_ids = {r["编号"] for r in _csv(result.folder / "new.csv")}
    assert str(missing.id) not in new_ids and len(new_ids) == open_count - 1
    row = next(r for r in _csv(result.folder / "findings.csv") if r["编号"] == str(missing.id))
    assert row["审核状态"] == "已知悉" and row["审核意见"] == "已督促水城县补缴" and row["新增"] == "否"
    kinds = {r["问题类型"]: r for r in _csv(result.folder / "summary_kind.csv")}
    assert kinds["未到账"]["数量"] == "1" and kinds["未到账"]["新增"] == "0"
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "已知悉" in page


def test_the_next_report_lists_a_finding_closed_between_the_two_reports_as_resolved(half_year: World) -> None:
    half_year.ingest(1)
    half_year.reconcile(END_OF_MAY)
    first = half_year.report(END_OF_MAY)
    # ZS's May statement has not arrived: its May remittance is awaiting the statement.
    waiting = _finding(half_year, "awaiting_statement", "ZS", "2008-05")
    assert str(waiting.id) in {r["编号"] for r in _csv(first.folder / "findings.csv")}
    assert first.resolved == 0

    half_year.ingest(2)  # the statement arrives (ZS remitted on time), with June's
    half_year.reconcile(END_OF_JUNE)
    second = half_year.report(END_OF_JUNE)
    resolved = _csv(second.folder / "resolved.csv")
    assert str(waiting.id) in {r["编号"] for r in resolved}
    assert second.resolved == len(resolved) >= 1
    # Findings already open in the first report are not new in the second; June's are.
    new = {(r["问题类型"], r["单位"], r["所属期"]) for r in _csv(second.folder / "new.csv")}
    assert ("未到账", "水城县", "2008-05") not in new
    assert ("未到账", "水城县", "2008-06") in new
    assert ("待遇未足额发放", "钟山区", "2008-06") in new
    page = (second.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "上次报告：截至 2008-05-31" in page
