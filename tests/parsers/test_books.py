"""Bank journal exports (银行存款日记账): golden files, refusals naming the row, write -> read round
trips for every layout, and recognition by content (never a statement, a plan or a schedule)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import books, schedules
from reconcile.book.records import Journal, JournalEntry, journal_to_dict
from reconcile.errors import ParseError
from tests.corpus import CORPUS, SHARED
from tests.golden import DATA, EXPECTED_SUFFIX, inputs, orphans

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", inputs("books"), ids=lambda p: p.name)
def test_journal_samples_read_as_their_golden_files(path: Path, regen: bool) -> None:
    got = json.dumps([journal_to_dict(j) for j in books.read(path.read_bytes(), path.name)], ensure_ascii=False,
                     indent=1) + "\n"
    expected = path.with_name(path.name + EXPECTED_SUFFIX)
    if regen:
        expected.write_text(got, encoding="utf-8")
    assert expected.exists(), f"{expected.name} is missing: run pytest --regen-golden and review it"
    assert json.loads(got) == json.loads(expected.read_text(encoding="utf-8"))


def test_every_journal_sample_has_its_golden_file_and_the_reverse() -> None:
    assert orphans("books") == []


def test_the_documented_plain_template_reads_as_documented() -> None:
    (j,) = books.read((ROOT / "mappings" / "templates" / "bank_journal.csv").read_bytes(), "bank_journal.csv")
    assert (j.format, j.account, j.opening_fen, j.closing_fen) == ("book:plain", "2409011100000100", 5_000_000,
                                                                   5_000_000)
    assert [(e.entry_date.isoformat(), e.amount_fen, e.voucher) for e in j.entries] == [
        ("2008-01-02", 1_234_567, "0001"), ("2008-01-18", -1_500, "0002"), ("2008-01-24", -1_233_067, "0003")]


HEAD = "银行存款日记账\n科目,1002 银行存款\n期间,2008-03-01至2008-03-31\n日期,凭证号,摘要,收入,支出,余额\n"
OPENING = ",,期初余额,,,100.00\n"


@pytest.mark.parametrize(("body", "line", "says"), [
    ("2008-03-02,1,x,abc,,100.00\n", 6, "收入: expected an amount, found 'abc'"),
    ("2008-03-02,1,x,10.00,5.00,105.00\n", 6, "found both"),
    ("2008-03-02,1,x,,,100.00\n", 6, "expected an amount in 借方/收入 or 贷方/支出"),
    ("2008-04-02,1,x,10.00,,110.00\n", 6, "lies outside the period"),
    ("2008-03-32,1,x,10.00,,110.00\n", 6, "日期: expected a date"),
    ("2008-03-02,1,x,10.00,,111.00\n", 6, "余额 111.00 does not follow from the rows above (expected 110.00)"),
    ("2008-03-02,1,x,10.00,,110.00\n,,本月合计,10.00,1.00,110.00\n", 7, "本月合计: 借方 10.00, 贷方 1.00"),
    ("2008-03-02,1,x,10.123,,110.12\n", 6, "digits beyond the fen"),
])
def test_a_journal_that_cannot_be_read_right_is_refused_naming_the_row(body: str, line: int, says: str) -> None:
    with pytest.raises(ParseError) as err:
        books.read((HEAD + OPENING + body).encode(), "j.csv")
    assert err.value.render().startswith(f"j.csv, line {line}: ")
    assert says.replace("收入", "借方") in err.value.render() or says in err.value.render()


def test_a_date_without_a_year_anywhere_is_refused() -> None:
    text = "银行存款日记账\n日期,凭证号,摘要,收入,支出,余额\n,,期初余额,,,0.00\n03-02,1,x,1.00,,1.00\n"
    with pytest.raises(ParseError, match="line 4: the date has no year"):
        books.read(text.encode(), "j.csv")


def test_a_journal_with_neither_an_opening_row_nor_balances_is_refused() -> None:
    text = "银行存款日记账\n期间,2008年3月\n日期,凭证号,摘要,收入,支出,余额\n2008-03-02,1,x,1.00,,\n"
    with pytest.raises(ParseError, match="expected a 期初余额 row or a 余额 column"):
        books.read(text.encode(), "j.csv")


def test_an_unknown_direction_word_is_refused() -> None:
    text = ("银行存款日记账\n期间,2008年3月\n日期,凭证号,摘要,金额,收支,余额\n,,期初余额,,,0.00\n"
            "2008-03-02,1,x,1.00,转,1.00\n")
    with pytest.raises(ParseError, match="line 5: 收支: expected one of"):
        books.read(text.encode(), "j.csv")


def test_an_opening_balance_may_come_from_the_first_running_balance() -> None:
    text = "银行存款日记账\n期间,2008年3月\n日期,凭证号,摘要,收入,支出,余额\n2008-03-02,1,x,1.00,,51.00\n"
    (j,) = books.read(text.encode(), "j.csv")
    assert (j.opening_fen, j.closing_fen) == (5_000, 5_100)


LAYOUTS = [("yonyou_u8", "xlsx", None), ("yonyou_u8", "csv", None), ("kingdee_kis", "csv", None),
           ("kingdee_kis", "xlsx", None), ("plain", "csv", None),
           ("plain", "xlsx", ["日期", "凭证号", "摘要", "金额", "收支", "余额"])]
TEXT = st.text(alphabet="收到养老保险费上解拨付手续利息退回（）-0123456789ab", min_size=1, max_size=20).map(str.strip)


@st.composite
def journals(draw: st.DrawFn) -> Journal:
    start = date(2008, draw(st.integers(1, 12)), 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    days = sorted(draw(st.lists(st.integers(0, (end - start).days), max_size=25)))
    entries = tuple(JournalEntry(start + timedelta(days=k), draw(st.integers(-10**11, 10**11).filter(bool)),
                                 f"记-{n + 1}", draw(TEXT) or "摘要", "") for n, k in enumerate(days))
    opening = draw(st.integers(-10**10, 10**11))
    return Journal("100201 银行存款—测试户", "2409011100000100", "测试单位", start, end, opening, entries)


@pytest.mark.parametrize(("profile", "kind", "header"), LAYOUTS)
@settings(max_examples=15, deadline=None)
@given(j=journals())
def test_every_layout_writes_what_it_reads(profile: str, kind: str, header: list[str] | None, j: Journal) -> None:
    data = books.write([j], profile, header=header, kind=kind)
    assert books.detect(data)
    (got,) = books.read(data, "j")
    assert (got.subject, got.account, got.period_start, got.period_end, got.opening_fen, got.closing_fen) == (
        j.subject, j.account, j.period_start, j.period_end, j.opening_fen, j.closing_fen)
    assert [(e.entry_date, e.amount_fen, e.voucher, e.text) for e in got.entries] == [
        (e.entry_date, e.amount_fen, e.voucher, e.text) for e in j.entries]


def _statement_files() -> list[Path]:
    own = [p for folder in ("tabular", "camt", "mt940", "ofx") for p in (DATA / folder).iterdir()
           if p.is_file() and p.suffix != EXPECTED_SUFFIX]
    shared = [p for p in (*CORPUS.rglob("*"), *(SHARED / "fixtures").rglob("*"))
              if p.is_file() and p.suffix not in (".md", ".json")]  # the real files, read in place
    return own + shared + sorted((ROOT / "mappings" / "templates").glob("*.csv"))


def test_no_statement_plan_or_schedule_is_taken_for_a_journal_and_no_journal_for_a_plan() -> None:
    files = _statement_files()
    # The project's own samples alone are more than 20; the shared corpus, when present, adds a
    # hundred real files (absent, as in a fresh clone, the test runs on the project's own).
    assert len(files) > (40 if (CORPUS / "expected.json").exists() else 20)
    taken = [p.name for p in files if p.name != "bank_journal.csv" and books.detect(p.read_bytes())]
    assert taken == []
    for p in (*inputs("books"), ROOT / "mappings" / "templates" / "bank_journal.csv"):
        assert books.detect(p.read_bytes()), p.name
        assert schedules.detect(p.read_bytes()) is None, p.name


SAMPLES = [*inputs("books"), ROOT / "mappings" / "templates" / "bank_journal.csv"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_mutated_journals_are_read_or_refused_with_a_parse_error_quickly(sample: Path, data: st.DataObject) -> None:
    import time

    raw = bytearray(sample.read_bytes())
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(raw) - 1))
        how = data.draw(st.sampled_from(("flip", "cut", "dup")))
        if how == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif how == "cut":
            del raw[at:at + data.draw(st.integers(1, 64))]
        else:
            raw[at:at] = raw[at:at + data.draw(st.integers(1, 200))] * data.draw(st.integers(1, 20))
    started = time.perf_counter()
    books.detect(bytes(raw))
    try:
        books.read(bytes(raw), sample.name)
    except ParseError as exc:
        assert exc.render().startswith(sample.name)
    assert time.perf_counter() - started < 5
