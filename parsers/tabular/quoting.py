"""A CSV dialect: spaces or tabs after the closing quote of a field, before the delimiter.

Some banks pad a quoted amount after its closing quote (`"-1.00"<TAB>,`). RFC 4180 allows nothing
there, and Python's csv module in strict mode refuses the file. The padding is outside the quotes,
so it is no part of any value: removing it changes no amount, sign or date. The reader calls
`unpad` only after a strict parse failed, re-parses the result strictly, and notes the departure
with its count and first line; anything else broken stays refused.

The scan goes field by field with a few anchored regular expressions (one Python step per field,
on the failure path only): a quoted field is only recognised where a field starts, so a quote
inside an unquoted cell (`Firma"`) is left alone, and an unclosed quote ends the scan (the strict
parse then refuses the file as before).
"""

from __future__ import annotations

import re
from itertools import compress, repeat
from operator import contains

_QUOTED = re.compile(r'"(?:[^"]|"")*"')
_SEP = re.compile(r"\r\n|\n|\r")


def stray_quotes(text: str, delim: str, rows: list[list[str]], lines: list[int]) -> tuple[int, int]:
    """Cells that are not quoted yet hold a quote (`;Firma";`: RFC 4180 allows none there; the csv
    module keeps it as text): how many, and the 1-based line of the first. Only the records whose
    parsed cells hold a quote at all are walked field by field (a file without quotes inside its
    values costs one join per row); `lines[i]` is the physical line row i starts on."""
    # in C: the rows whose joined cells hold a quote (a Python step a row cost 2% of a CSV statement's read)
    suspects = list(compress(range(len(rows)), map(contains, map("".join, rows), repeat('"'))))
    if not suspects:
        return 0, 0
    offsets = [0, *(m.end() for m in _SEP.finditer(text))]  # where each physical line starts
    d = re.escape(delim)
    rest = re.compile(rf"[^{d}\r\n]*")
    count = first = 0
    for i in suspects:
        line = lines[i]
        pos = offsets[line - 1] if line - 1 < len(offsets) else len(text)
        while pos < len(text):  # one record: fields until a line break outside quotes
            quoted = text.startswith('"', pos)
            if quoted:
                q = _QUOTED.match(text, pos)
                if q is None:
                    break
                pos = q.end()
            m = rest.match(text, pos)
            if m is not None and not quoted and '"' in m.group(0):
                count += 1
                first = first or line
            pos = m.end() if m is not None else pos
            if not text.startswith(delim, pos):
                break
            pos += len(delim)
    return count, first


def unpad(text: str, delim: str) -> tuple[str, int, int]:
    """`text` without the padding after closing quotes; the number of cells unpadded and the
    1-based line of the first (0 when there was none)."""
    d = re.escape(delim)
    blanks = " " if delim == "\t" else " \t"  # a tab that is the delimiter is no padding
    pad = re.compile(rf"[{blanks}]+(?={d}|\r|\n|$)")
    rest = re.compile(rf"[^{d}\r\n]*")
    cuts: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        if text.startswith('"', pos):
            q = _QUOTED.match(text, pos)
            if q is None:
                break  # an unclosed quote: not this dialect
            pos = q.end()
            p = pad.match(text, pos)
            if p is not None:
                cuts.append((pos, p.end()))
                pos = p.end()
        m = rest.match(text, pos)
        pos = m.end() if m is not None else pos
        if text.startswith(delim, pos):
            pos += len(delim)
            continue
        s = _SEP.match(text, pos)
        if s is None:
            break
        pos = s.end()
    if not cuts:
        return text, 0, 0
    out, kept = [], 0
    for a, b in cuts:
        out.append(text[kept:a])
        kept = b
    out.append(text[kept:])
    return "".join(out), len(cuts), text.count("\n", 0, cuts[0][0]) + 1
