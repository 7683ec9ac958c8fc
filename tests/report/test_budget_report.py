"""Budget execution and the gap rule in the report: the page (tables, notes, one inline SVG curve
per fund), the workbook's sheet and the CSVs, in Chinese and in English, and a county's own report.

Figures of the half year in tests/report/world.py, ZS pension: contributions 6.6 x 120,000.00 =
792,000.00; benefits paid 4.8 x 500,000.00 = 2,400,000.00 (May's payroll is 80%); target
1,440,000.00. The budget dropped here: income 1,584,000.00, expense 4,800,000.00: both 50.00%
executed at 30 June 2008, day 182 of 366 (49.73% of the year).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from jobs.ingest import Ingestor
from jobs.report import write_county_reports
from tests.report.conftest import END_OF_JUNE, World

BUDGET = ("年度,单位,险种,收入预算,支出预算,版本,批准日期\n"
          "2008,钟山区,基本养老保险基金,1584000.00,4800000.00,1,2008-01-10\n"
          "2008,钟山区,基本养老保险基金,9999999.00,9999999.00,2,2008-07-15\n")  # approved after the report's day


def with_budget(w: World) -> World:
    (w.root / "inbox" / "2008年预算.csv").write_text(BUDGET, encoding="utf-8")
    Ingestor(w.app.config, w.app.registry, w.app.database()).run(progress=False)
    return w


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_csvs_give_budget_execution_and_the_gap_with_who_covers_it(reconciled: World) -> None:
    result = with_budget(reconciled).report(END_OF_JUNE)
    zs = next(r for r in rows(result.folder / "budget_execution.csv") if r["单位"] == "钟山区" and r["险种"] == "养老")
    assert (zs["预算版本"], zs["收入预算"], zs["实际收入"], zs["收入执行率"]) == (
        "1", "1584000.00", "792000.00", "50.00%")
    assert (zs["支出预算"], zs["实际支出"], zs["支出执行率"], zs["时间进度"]) == (
        "4800000.00", "2400000.00", "50.00%", "49.73%")
    gap = next(r for r in rows(result.folder / "fund_gap.csv") if r["单位"] == "钟山区" and r["险种"] == "养老")
    assert (gap["口径"], gap["截止日期"], gap["基金收入"], gap["待遇支出"], gap["收支缺口"]) == (
        "年初至今", "2008-06-30", "792000.00", "2400000.00", "1608000.00")
    assert (gap["征缴目标"], gap["征缴收入"], gap["目标完成率"], gap["缺口承担方"]) == (
        "1440000.00", "792000.00", "55.00%", "同级政府筹资")
    others = [r for r in rows(result.folder / "fund_gap.csv") if r["单位"] != "钟山区"]
    assert others and all(r["单位"] in ("六枝特区", "盘县", "水城县") for r in others)  # counties only, never the city


def test_the_page_has_the_tables_notes_and_one_curve_per_fund_without_external_assets(reconciled: World) -> None:
    result = with_budget(reconciled).report(END_OF_JUNE)
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="budget"'):]
    section = section[: section.index("</section>")]
    assert "预算执行情况" in section and "基金收支缺口与调剂" in section
    assert "2008 年尚未结束" in section and "年初至今" in section
    assert section.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # pension and unemployment
    assert 'class="curve" data-fund="pension"' in section and "累计预算与累计实际" in section
    assert "1,584,000.00" in section and "同级政府筹资" in section
    assert "src=" not in section and "href=" not in section.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_workbook_sheet_holds_both_tables_with_exact_money(reconciled: World) -> None:
    result = with_budget(reconciled).report(END_OF_JUNE)
    ws = load_workbook(result.folder / "exceptions.xlsx")["预算执行与基金缺口"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "预算执行情况" and any(r[0] == "基金收支缺口与调剂（按县、险种、年度）" for r in values)
    zs = next(r for r in values if r[0] == "钟山区" and r[1] == "养老" and r[3] == 1)
    assert str(zs[4]) == "1584000" and str(zs[5]) == "792000" and ws.cell(values.index(zs) + 1, 5).number_format \
        == "¥#,##0.00"


def test_the_english_report_says_it_all_in_english(reconciled: World) -> None:
    result = with_budget(reconciled).report(END_OF_JUNE, lang="en")
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="budget"'):]
    section = section[: section.index("</section>")]
    assert "Budget execution" in section and "county government" in section and "year to date" in section
    assert "预算" not in section.replace("市府办发〔2007〕127号", "")
    head = next(csv.reader((result.folder / "fund_gap.csv").open(encoding="utf-8-sig")))
    assert "Gap covered by" in head and "Target completion" in head


def test_without_a_budget_file_the_page_says_so_and_still_shows_the_actuals(reconciled: World) -> None:
    result = reconciled.report(END_OF_JUNE)
    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "尚未收到 2008 年的预算文件" in page
    zs = next(r for r in rows(result.folder / "budget_execution.csv") if r["单位"] == "钟山区" and r["险种"] == "养老")
    assert (zs["收入预算"], zs["实际收入"], zs["收入执行率"]) == ("", "792000.00", "")


def test_a_countys_own_report_holds_only_its_own_rows(reconciled: World) -> None:
    w = with_budget(reconciled)
    w.report(END_OF_JUNE)
    write_county_reports(w.app.config, w.registry, w.app.database(), END_OF_JUNE, entities=["ZS"])
    folder = w.app.config.path("reports") / END_OF_JUNE.isoformat() / "counties" / "ZS"
    assert {r["单位"] for r in rows(folder / "budget_execution.csv")} == {"钟山区"}
    assert {r["单位"] for r in rows(folder / "fund_gap.csv")} == {"钟山区"}
