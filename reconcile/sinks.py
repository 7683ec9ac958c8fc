"""Text on its way out: one function per sink (spreadsheet, CSV, HTML, console, log), so that no
string from a bank file, a file name or a review note can be turned against its reader.

- Control characters (C0, DEL, C1) are never written raw: they are shown escaped, `\\x1b`, so a
  file name holding ESC, OSC or CR cannot move the cursor, recolour the terminal or spoof a log
  line, and openpyxl never meets a character it refuses (IllegalCharacterError). In a workbook the
  OOXML escape `_x001B_` would turn back into the character when Excel reads it: it is shown
  escaped the same way.
- A spreadsheet cell that begins with = + - @ tab or carriage return is text, never a formula
  (OWASP, CSV injection): a string cell in XLSX, a leading ' in CSV. Numbers stay numbers.
"""

from __future__ import annotations

import re
from html import escape

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps tab and newline
_CONTROL_BUT_TAB = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_OOXML_CONTROL = re.compile(r"_x00(?:[01][0-9A-Fa-f]|7[Ff])_|_x009[0-9A-Fa-f]_|_x008[0-9A-Fa-f]_")


def _shown(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def _ooxml_shown(match: re.Match[str]) -> str:
    return f"\\x{int(match.group()[2:6], 16):02x}"


def printable(text: str) -> str:
    """Every control character shown escaped (`\\x1b`), newlines and tabs included: one line."""
    return _CONTROL.sub(_shown, text)


def for_console(text: str) -> str:
    """A message for the terminal: our own line breaks and tabs stay, every other control
    character is shown escaped (no escape sequence reaches the terminal, no CR rewrites a line)."""
    return _CONTROL_BUT_LAYOUT.sub(_shown, text)


def for_log(text: str) -> str:
    """A log message: one record, one line (a CR or newline in a file name cannot forge a record)."""
    return _CONTROL_BUT_TAB.sub(_shown, text)


def for_html(text: str) -> str:
    """Text for an HTML page: control characters shown escaped, then HTML-escaped."""
    return escape(for_console(text))


def for_csv(text: str) -> str:
    """A text cell of a CSV file: control characters shown escaped (layout kept: the csv module
    quotes a cell with a line break), and a leading ' when a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_START):
        text = "'" + text
    return for_console(text)


def for_xlsx(text: str) -> str:
    """A string cell of a workbook (the caller marks it a string, data type "s", never a formula):
    control characters other than tab and newline shown escaped, and so is their OOXML escape."""
    return _CONTROL_BUT_LAYOUT.sub(_shown, _OOXML_CONTROL.sub(_ooxml_shown, text))


__all__ = ["FORMULA_START", "for_console", "for_csv", "for_html", "for_log", "for_xlsx", "printable"]
