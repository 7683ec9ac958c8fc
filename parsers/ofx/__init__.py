"""OFX / QFX bank (STMTRS) and credit-card (CCSTMTRS) statements, OFX 1.x SGML and 2.x XML.

Files up to `Limits.ofxparse_max_bytes` are read with ofxparse (via_ofxparse.py), larger ones with
the lxml streaming reader (stream.py); both start from the same repaired text (repair.py) and
build statements the same way (build.py). Each STMTRS/CCSTMTRS is one Statement.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from parsers.base import ReadContext
from parsers.ofx import stream
from parsers.ofx.repair import Prepared, prepare
from parsers.ofx.writer import write as _write
from reconcile.departures import Departures
from reconcile.errors import ParseError
from reconcile.model import Statement

Reader = Literal["auto", "ofxparse", "stream"]
_INVESTMENT = re.compile(r"<INVSTMTRS\s*>", re.IGNORECASE)
_STATEMENT = re.compile(r"<(?:CC)?STMTRS\s*>", re.IGNORECASE)
_XML_DECL = re.compile(rb"<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*)*", re.DOTALL)


class _OfxFormat:
    name = "ofx"

    def sniff(self, head: bytes) -> bool:
        """OFX by content: an OFX 1.x header (`OFXHEADER:`), an OFX 2.x processing instruction
        (`<?OFX`) after the XML declaration, or a bare `<OFX>` root (headerless QFX), possibly
        after a BOM and blank lines. A camt XML file has an XML declaration but no `<?OFX`/`<OFX>`."""
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            head = head.decode("utf-16", "replace").encode("utf-8", "replace")
        s = head.removeprefix(codecs.BOM_UTF8).lstrip()
        if s[:5].lower() == b"<?xml":
            m = _XML_DECL.match(s)
            s = s[m.end() :] if m else s
        u = s[:16].upper()
        return u.startswith((b"OFXHEADER", b"<?OFX", b"<OFX>")) or re.match(rb"<OFX\s", u) is not None

    def read(self, data: bytes, ctx: ReadContext, *, reader: Reader = "auto") -> list[Statement]:
        """Every statement in an OFX file. `reader` forces one of the two readers (tests)."""
        try:
            prep = prepare(data)
            if _INVESTMENT.search(prep.body):
                raise ParseError(key="ofx.investment")
            use = reader
            if use == "auto":
                use = "ofxparse" if len(data) <= ctx.limits.ofxparse_max_bytes else "stream"
            if use == "ofxparse":
                from parsers.ofx import via_ofxparse  # ofxparse and BeautifulSoup: loaded for an OFX file only

                statements = via_ofxparse.read(prep)
            else:
                statements = stream.read(prep)
            if not statements and not _STATEMENT.search(prep.body):
                raise ParseError(key="ofx.no_statement")
            return [_noted(st, prep) for st in statements]
        except ParseError as exc:
            raise exc.located(ctx.file_name) from None

    def write(self, statements: Sequence[Statement], *, version: int = 2) -> bytes:
        return _write(statements, version=version)


def _noted(st: Statement, prep: Prepared) -> Statement:
    """The statement with its departures from OFX: transactions without the required FITID (read,
    without a bank reference), a header charset the bytes contradict (read as UTF-8)."""
    notes = Departures()
    for ln in st.lines:
        if not ln.bank_ref:
            notes.note("ofx.no_fitid", ln.source)
    if prep.declared:
        notes.note("ofx.charset", "header", detail=prep.declared)
    return replace(st, warnings=notes.records()) if notes else st


FORMAT = _OfxFormat()
write = FORMAT.write

__all__ = ["FORMAT", "write"]
