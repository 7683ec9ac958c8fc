"""reconcile.sinks: what each output sink makes of hostile text (issue 12, defects 3, 8 and 13)."""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reconcile.sinks import for_console, for_csv, for_html, for_log, for_xlsx, printable

HOSTILE = ["=HYPERLINK(\"http://evil\",\"点击查看\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
           "=cmd|' /C calc'!A0", "某公司\x1b[31m", "某公司_x001B_", "\x1b]0;title\x07", "a\rb", "\x00\x7f\x9b"]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_csv_cells_never_start_a_formula_and_hold_no_control_character() -> None:
    for text in HOSTILE:
        cell = for_csv(text)
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert not RAW_CONTROL.search(cell), repr(cell)
    assert for_csv("=1+1") == "'=1+1" and for_csv("-5") == "'-5" and for_csv("普通") == "普通"


def test_xlsx_text_is_accepted_by_openpyxl_and_has_no_ooxml_escape_of_a_control() -> None:
    for text in HOSTILE:
        cell = for_xlsx(text)
        assert not ILLEGAL_CHARACTERS_RE.search(cell) and not RAW_CONTROL.search(cell), repr(cell)
        assert not re.search(r"_x00[01][0-9A-Fa-f]_", cell), cell
    assert for_xlsx("某公司_x001B_") == "某公司\\x1b"
    assert for_xlsx("某公司\x1b") == "某公司\\x1b"
    assert for_xlsx("_x0041_ stays") == "_x0041_ stays"


def test_console_log_and_html_show_controls_escaped() -> None:
    name = "a\x1b]8;;http://evil\x07b\rc.csv"
    assert for_console(name) == "a\\x1b]8;;http://evil\\x07b\\x0dc.csv"
    assert for_console("line one\nline two\tcol") == "line one\nline two\tcol"
    assert for_log("x\ny\rz") == "x\\x0ay\\x0dz", "one record, one line"
    assert printable("\t") == "\\x09"
    assert for_html("<b>\x1b</b>") == "&lt;b&gt;\\x1b&lt;/b&gt;"
