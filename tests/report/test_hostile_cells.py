"""Report files that cannot be turned against their readers (issue 12, defects 3 and 8): a
counterparty, a rejected file's name or a review note that looks like a formula, or holds a control
character (raw or as the OOXML escape `_x001B_`), is text in exceptions.xlsx, neutralised in every
CSV and shown escaped in the HTML page; numbers stay numbers; the report is written at all."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook
from sqlalchemy import select, update

from jobs.ingest import Ingestor
from reconcile.desk import Actor
from store.db import session_scope
from store.models import FindingLineRow, FindingRow, LineRow
from store.review import act
from tests.report.conftest import END_OF_JUNE, World

LINK = '=HYPERLINK("http://evil.example/x","点击查看")'
NOTE = "=cmd|' /C calc'!A0"
NAMES = [LINK, "某公司_x001B_", "某公司\x1b[31m红色", "+86 0858", "-1+2", "@SUM(A1:A9)", "\t制表", "\r回车"]
FILE_NAME = "=1+1\x1b]0;pwn\x07.csv"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _poison(w: World) -> int:
    """Hostile counterparties on lines behind open findings, a rejected file with a hostile name,
    a review note that is a formula; returns the number of lines changed."""
    with session_scope(w.app.database()) as s:
        ids = list(s.scalars(select(FindingLineRow.line_id).join(FindingRow, FindingRow.id == FindingLineRow.finding_id)
                             .where(FindingRow.state == "open").order_by(FindingLineRow.line_id).limit(len(NAMES))))
        for line_id, name in zip(ids, NAMES, strict=False):
            s.execute(update(LineRow).where(LineRow.id == line_id).values(counterparty_name=name, text=name))
        finding = s.scalars(select(FindingRow.id).where(FindingRow.state == "open").limit(1)).one()
        act(s, Actor("张三", "cli", None, "cli"), finding, "acknowledge", datetime.now(UTC), note=NOTE + "\x1b[2J")
    (w.root / "inbox" / FILE_NAME).write_bytes(b"not a statement\n")
    Ingestor(w.app.config, w.app.registry, w.app.database()).run(progress=False)
    return len(ids)


def test_hostile_text_is_never_a_formula_nor_a_raw_control_character_in_any_report_file(reconciled: World) -> None:
    assert _poison(reconciled) == len(NAMES)
    result = reconciled.report(END_OF_JUNE)  # before the fix: IllegalCharacterError, no report at all

    wb = load_workbook(result.folder / "exceptions.xlsx")
    texts, negatives = [], 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert not RAW_CONTROL.search(c.value), f"{ws.title}!{c.coordinate}: {c.value!r}"
                    assert "_x001B_" not in c.value and "_x001b_" not in c.value
                    texts.append(c.value)
                elif isinstance(c.value, (int, float, Decimal)) and c.value < 0:
                    negatives += 1
    joined = "\n".join(texts)
    assert LINK in joined, "the counterparty is shown, as text"
    assert "某公司\\x1b" in joined and "\\x1b[31m红色" in joined, "control characters shown escaped"
    assert NOTE in joined and "=1+1\\x1b]0;pwn\\x07.csv" in joined, "the review note and the file name as text"
    assert negatives > 0, "debits stay numbers in the spreadsheet"

    csvs = sorted(result.folder.glob("*.csv"))
    seen = []
    for path in csvs:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not RAW_CONTROL.search(cell), f"{path.name}: {cell!r}"
                    assert not cell.startswith(FORMULA) or _number(cell), f"{path.name}: {cell!r}"
                    seen.append(cell)
    assert any(c.startswith("'" + LINK) for c in seen), "the counterparty, quoted"
    assert "'" + NOTE + "\\x1b[2J" in seen and "'=1+1\\x1b]0;pwn\\x07.csv" in seen
    assert any(c.startswith("-") and _number(c) for c in seen), "negative amounts stay plain numbers in CSV"

    page = (result.folder / "exceptions.html").read_text(encoding="utf-8")
    assert not RAW_CONTROL.search(page) and "\\x1b[31m红色" in page
    assert "=HYPERLINK(&quot;http://evil.example/x&quot;" in page
