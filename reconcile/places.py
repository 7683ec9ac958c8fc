"""Saying where in a file, in the user's language.

The parsers write a place in one small grammar: `line N`, `sheet NAME row N`, `row N`, `column N`,
`byte N`, `offset N`, `ZIP member NAME`, and element paths (`Stmt[1]/Ntry[3]`, `STMTRS[1]/STMTTRN[2]`)
that are the format's own names. `say_place` words the grammar through the catalogue (`place.*`) and
leaves everything else (names, element paths) as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reconcile.messages import t

_PATTERNS = (
    ("place.sheet_row", re.compile(r"\bsheet (?P<sheet>.+?) row (?P<n>\d+)\b")),
    ("place.line", re.compile(r"\bline (?P<n>\d+)\b")),
    ("place.row", re.compile(r"\brow (?P<n>\d+)\b")),
    ("place.column", re.compile(r"\bcolumn (?P<n>\d+)\b")),
    ("place.byte", re.compile(r"\bbyte (?P<n>\d+)\b")),
    ("place.offset", re.compile(r"\boffset (?P<n>\d+)\b")),
    ("place.member", re.compile(r"\bZIP member (?P<name>\S.*)$")),
)


def say_place(where: str, lang: str) -> str:
    """`where` in `lang` ("line 12" is 第 12 行 in Chinese); English is the grammar itself."""
    if lang == "en" or not where:
        return where
    for key, pattern in _PATTERNS:
        where = pattern.sub(_sayer(key, lang), where)
    return where


def _sayer(key: str, lang: str) -> Callable[[re.Match[str]], str]:
    return lambda m: t(key, lang, **m.groupdict())
