"""Content sniffing for the tabular reader: which container a file is, and how its text is encoded.

Bank exports lie about their extension (research §0.3: a `.xls` that is GBK TSV or HTML, a `.CSV`
that is an OLE2 workbook), so only the bytes decide. Text is decoded in the order the research
recommends: a BOM (UTF-8, UTF-16), then strict UTF-8, then GB18030 (a superset of GBK and GB2312).
"""

from __future__ import annotations

import codecs
import re
from typing import Literal

Kind = Literal["xls", "xlsx", "html", "text"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<table|<head|<meta|<body|<\?xml[^>]*>\s*<html)", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
# A few control bytes are normal in text (tab, CR, LF, form feed); NUL and the rest mean binary.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def kind(head: bytes) -> Kind:
    """The container the leading bytes show: OLE2 workbook, OOXML (ZIP) workbook, HTML, or text."""
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    stripped = head.lstrip(codecs.BOM_UTF8)
    if _HTML.match(stripped[:1024]):
        return "html"
    return "text"


def looks_tabular(head: bytes) -> bool:
    """Whether the tabular reader should try these bytes (the registry asks it last)."""
    k = kind(head)
    if k != "text":
        return True
    if not head.strip():
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    # Cut at the sniff window's end may split a multi-byte character: judge only whole lines.
    return _BINARY.search(head) is None


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) by BOM, then strict UTF-8, then GB18030. Raises UnicodeDecodeError."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a <meta> tag, with GB2312/GBK widened to GB18030."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in {"gb2312", "gbk", "gb_2312-80", "cp936", "x-gbk"}:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None
