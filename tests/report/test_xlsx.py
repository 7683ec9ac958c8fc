"""The spreadsheet (exceptions.xlsx) and the CSV files: sheets, formats, and totals that agree with
the findings and obligations in the database."""

from __future__ import annotations

import json
import stat
from collections import Counter, defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from jobs.report.html import MAX_FINDINGS
from reconcile.messages import t
from store.db import session_scope
from store.models import FindingLineRow, FindingRow, ObligationRow
from store.reporting import ReportReader
from tests.report.conftest import END_OF_JUNE, World

SHEETS = ["概要", "逾期上解清单", "全部未结问题", "明细", "对账单覆盖与余额", "拒收文件", "手续费利息与退回",
          "预算执行与基金缺口"]
MONEY = "¥#,##0.00"


def _header(ws, row: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {c.value: c.column for c in ws[row] if c.value}


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def test_the_spreadsheet_has_its_sheets_formats_and_totals_equal_to_the_database(half_year: World) -> None:
    half_year.ingest(1)
    half_year.ingest(2)
    half_year.reconcile(END_OF_JUNE)
    result = half_year.report(END_OF_JUNE)
    wb = load_workbook(result.folder / "exceptions.xlsx")
    assert wb.sheetnames == SHEETS
    with session_scope(half_year.app.database()) as s:
        rows = list(s.scalars(select(FindingRow).where(FindingRow.state == "open")))
        obligations = {(o.entity, o.fund, o.period): o for o in s.scalars(select(ObligationRow))
                       if o.rule == "remit"}
        line_count = s.scalar(select(func.count()).select_from(FindingLineRow).join(
            FindingRow, FindingRow.id == FindingLineRow.finding_id).where(FindingRow.state == "open"))
    count = Counter(r.kind for r in rows)
    amount: defaultdict[str, int] = defaultdict(int)
    for r in rows:
        amount[r.kind] += r.amount_fen or 0
    label = {t(f"report.kind.{k}"): k for k in count}

    # All open findings: one row each, frozen header, filter, money format, real datetimes.
    ws = wb["全部未结问题"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    head = _header(ws, 1)
    seen: Counter[str] = Counter()
    summed: defaultdict[str, Decimal] = defaultdict(Decimal)
    for row in ws.iter_rows(min_row=2):
        kind = label[row[head["问题类型"] - 1].value]
        seen[kind] += 1
        money = row[head["金额"] - 1]
        if money.value is not None:
            assert money.number_format == MONEY
            summed[kind] += Decimal(str(money.value))
        assert isinstance(row[head["首次发现"] - 1].value, datetime)
        assert row[head["审核状态"] - 1].value == "未审核"
    assert seen == count
    assert {k: summed[k] for k in count} == {k: _yuan(amount[k]) for k in count}

    # The summary's table by kind says the same, with a total.
    ws = wb["概要"]
    top = next(c.row for c in ws["A"] if c.value == "问题类型")
    by_kind = {}
    for row in ws.iter_rows(min_row=top + 1):
        if row[0].value is None:
            break
        by_kind[row[0].value] = (row[1].value, Decimal(str(row[3].value)), row[3].number_format)
    assert by_kind.pop("合计") == (len(rows), _yuan(sum(amount.values())), MONEY)
    assert by_kind == {t(f"report.kind.{k}"): (count[k], _yuan(amount[k]), MONEY) for k in count}

    # The late list: dates are dates, money is money, yuan-days are fen-days / 100 exactly.
    ws = wb["逾期上解清单"]
    assert ws.freeze_panes is not None and ws.auto_filter.ref
    top = int(ws.auto_filter.ref.split(":")[0][1:])
    head = _header(ws, top)
    late_rows = list(ws.iter_rows(min_row=top + 1, max_row=int(ws.auto_filter.ref.split(":")[1][1:])))
    assert len(late_rows) == result.late_remittances == sum(
        1 for o in obligations.values() if o.status in ("late", "partial", "missing"))
    names = {e.name: e.code for e in half_year.registry.entities}
    funds = {t(f"fund.{f}"): f for f in ("pension", "unemployment")}
    for row in late_rows:
        o = obligations[(names[row[head["单位"] - 1].value], funds[row[head["险种"] - 1].value],
                         row[head["所属期"] - 1].value)]
        deadline = row[head["截止日"] - 1]
        assert deadline.is_date and deadline.value.date() == o.deadline
        for col, fen in (("应上解", o.due_fen), ("尚欠金额", o.outstanding_fen), ("逾期上解", o.late_fen)):
            assert row[head[col] - 1].number_format == MONEY
            assert Decimal(str(row[head[col] - 1].value)) == _yuan(fen)
        assert Decimal(str(row[head["逾期元·天"] - 1].value)) == _yuan(o.fen_days)
    assert late_rows[0][head["尚欠金额"] - 1].value >= late_rows[-1][head["尚欠金额"] - 1].value

    # The lines behind the findings, the coverage with frozen header, the rejected file.
    ws = wb["明细"]
    assert ws.freeze_panes == "A2" and ws.max_row - 1 == line_count == result.lines
    assert isinstance(ws.cell(2, _header(ws, 1)["记账日期"]).value, datetime)
    ws = wb["对账单覆盖与余额"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref
    ws = wb["拒收文件"]
    assert [c.value for c in ws[2]][1] == "未知格式的文件.txt" and ws.freeze_panes == "A2"

    # Files: owner and group only; CSVs carry a BOM and the findings' ids.
    assert stat.S_IMODE(result.folder.stat().st_mode) == 0o750
    for path in result.files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    assert not [p for p in result.folder.iterdir() if p.name.startswith(".")]
    raw = (result.folder / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    ids = {line.split(",")[0] for line in raw.decode("utf-8-sig").splitlines()[1:]}
    assert ids == {str(r.id) for r in rows}


def test_beyond_the_sheet_limit_the_lines_go_to_csv_only_and_the_sheet_says_so(reconciled: World) -> None:
    result = reconciled.report(END_OF_JUNE, max_sheet_lines=5)
    assert not result.lines_in_xlsx and result.lines > 5
    ws = load_workbook(result.folder / "exceptions.xlsx")["明细"]
    assert ws.max_row == 1 and "lines.csv" in ws["A1"].value and str(result.lines) in ws["A1"].value
    csv_rows = (result.folder / "lines.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == result.lines + 1


@pytest.mark.parametrize("limit", [1_000_000, 5])
def test_the_lines_behind_the_findings_are_read_once_for_the_csv_the_sheet_and_the_page(
        reconciled: World, monkeypatch: pytest.MonkeyPatch, limit: int) -> None:
    reads: list[int] = []
    real = ReportReader.lines
    monkeypatch.setattr(ReportReader, "lines", lambda self, *a, **k: (reads.append(1), real(self, *a, **k))[1])
    result = reconciled.report(END_OF_JUNE, max_sheet_lines=limit)
    assert len(reads) == 1
    csv_rows = (result.folder / "lines.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == result.lines + 1 and result.lines > 5
    sheet = load_workbook(result.folder / "exceptions.xlsx")["明细"]
    assert sheet.max_row == (result.lines + 1 if result.lines_in_xlsx else 1) and result.lines_in_xlsx == (limit > 5)
    # The page: a block of lines for each finding that has some, with its first lines.
    per_finding = Counter(row.split(",")[0] for row in csv_rows[1:])
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert page.count('class="lines-block"') == min(len(per_finding), MAX_FINDINGS)


def test_the_english_report_labels_every_sheet_and_column_in_english(reconciled: World) -> None:
    result = reconciled.report(END_OF_JUNE, lang="en")
    wb = load_workbook(result.folder / "exceptions.xlsx")
    assert wb.sheetnames == ["Summary", "Late remittances", "Open findings", "Lines", "Coverage and balances",
                             "Rejected files", "Fees, interest, returns", "Budget and fund gap"]
    head = [c.value for c in wb["Open findings"][1]]
    assert "Amount" in head and "Review" in head
    assert {c.value for c in wb["Open findings"]["C"][1:]} >= {"late", "partial", "missing"}
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Late remittances" in page and "逾期上解清单" not in page


def test_the_year_to_date_shows_progress_against_the_collection_targets(reconciled: World) -> None:
    result = reconciled.report(END_OF_JUNE)
    rows = (result.folder / "late_ytd.csv").read_text(encoding="utf-8-sig").splitlines()
    head = rows[0].split(",")
    zs = dict(zip(head, next(r for r in rows if r.startswith("钟山区,养老")).split(","), strict=True))
    # ZS pension: six months of contributions (see world.py) against a year's target of 12 x 120,000.
    assert zs["征缴目标"] == "1440000.00" and zs["本年征缴收入"] == "792000.00" and zs["目标完成率"] == "55.00%"
    assert zs["逾期月数"] == "0" and zs["按时上解率（按金额）"] == "100.00%"
    px = dict(zip(head, next(r for r in rows if r.startswith("盘县,养老")).split(","), strict=True))
    assert px["逾期月数"] == "3" and px["尚欠金额"] == "82500.00"


def test_the_report_is_recorded_with_its_open_findings(reconciled: World) -> None:
    from store.models import ReportRow

    result = reconciled.report(END_OF_JUNE)
    with session_scope(reconciled.app.database()) as s:
        row = s.scalars(select(ReportRow)).one()
        keys = set(s.scalars(select(FindingRow.key).where(FindingRow.state == "open")))
    assert row.as_of == date(2008, 6, 30) and row.path == str(result.folder)
    assert set(json.loads(row.open_keys)) == keys
