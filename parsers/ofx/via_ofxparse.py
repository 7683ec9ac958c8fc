"""The ofxparse reader (the owner's choice for files up to `Limits.ofxparse_max_bytes`).

ofxparse is fed the repaired text (repair.py), never the raw bytes:
- its header reader splits each header line on ':' and raises ValueError on a QFX whose header
  runs together on one line (corpus ofxgo__wellsfargo.qfx), and it decodes OFX 2.x files as ASCII
  whatever their XML declaration says: it gets a clean OFX 1.x header declaring UTF-8 instead;
- its tag-closing pre-pass (OfxPreprocessedFile) checks every start tag against a *list* of the
  file's end tags, quadratic on SGML whose leaves are not closed (10k transactions: 22 s); it gets
  text whose tags are all closed already, where each look-up stops within the first STMTTRN;
- with fail_fast=True it raises on empty elements (`<FITID></FITID>`, an empty CURDEF or BALAMT);
  the repair leaves absent elements out, and a STMTTRN with no FITID gets an empty one here.
It runs with fail_fast=True; what it raises becomes a ParseError saying which element was expected.
Values are read from the elements it found, raw, and converted by build.py (TRNAMT text through
`to_fen`, never its Decimal and never a float).
"""

from __future__ import annotations

import re
import warnings
from io import BytesIO
from typing import Any

from bs4.element import NavigableString, Tag
from ofxparse import OfxParser
from ofxparse.ofxparse import OfxParserException

from parsers.ofx import build
from parsers.ofx.repair import Prepared, close_tags
from reconcile.errors import ParseError
from reconcile.model import Statement

# A clean OFX 1.x header: ofxparse decodes the body as UTF-8 only when ENCODING says so.
_HEADER = (
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:UTF-8\r\n"
    "CHARSET:NONE\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
)
_STATUS = re.compile(r"<STATUS>(.*?)</STATUS>", re.DOTALL)
_STATUS_LEAF = {k: re.compile(rf"<{k}>([^<]*)</{k}>") for k in ("CODE", "SEVERITY", "MESSAGE")}
# What ofxparse's messages are about, to say which element was expected.
# (ofxparse's words, the element it wants: the catalogue's parse.ofx.expected.<element>)
_MESSAGES = (
    ("Transaction Amount", "TRNAMT"),
    ("Transaction Date", "DTPOSTED"),
    ("User Date", "DTUSER"),
    ("FIT id", "FITID"),
    ("transaction type", "TRNTYPE"),
    ("ledger balance", "LEDGERBAL"),
    ("balance", "BALAMT"),
)


class _TxnError(Exception):
    def __init__(self, message: str, txn: Tag) -> None:
        super().__init__(message)
        self.txn = txn


class _Parser(OfxParser):
    """ofxparse with the raw element texts kept on its objects, and FITID made optional."""

    fail_fast = True

    @classmethod
    def parseStatement(cls, stmt_ofx: Tag) -> Any:
        st = super().parseStatement(stmt_ofx)
        st.ofx_tag = stmt_ofx
        return st

    @classmethod
    def parseTransaction(cls, txn_ofx: Tag) -> Any:
        if txn_ofx.find("fitid") is None:
            # OFX requires FITID, but banks leave it empty (corpus ofx-v102-empty-tags) and
            # ofxparse then raises "Missing FIT id": give it an empty one; the line gets no bank_ref.
            placeholder = Tag(name="fitid")
            placeholder.append(NavigableString(""))
            txn_ofx.append(placeholder)
        try:
            txn = super().parseTransaction(txn_ofx)
        except OfxParserException as exc:
            raise _TxnError(str(exc), txn_ofx) from exc
        txn.ofx_raw = _leaves(txn_ofx, build.TXN_PATHS)
        return txn


def read(prep: Prepared, file_name: str = "") -> list[Statement]:
    text = "".join(close_tags(prep.body))
    for i, m in enumerate(_STATUS.finditer(text), 1):
        leaf = {k: (x.group(1) if (x := rx.search(m.group(1))) else None) for k, rx in _STATUS_LEAF.items()}
        build.check_status(f"STATUS[{i}]", leaf["CODE"], leaf["SEVERITY"], leaf["MESSAGE"])
    try:
        with warnings.catch_warnings():
            # ofxparse 0.21 calls bs4's deprecated findAll; the warning is ofxparse's, not ours.
            warnings.simplefilter("ignore", DeprecationWarning)
            ofx = _Parser.parse(BytesIO((_HEADER + text).encode("utf-8")), fail_fast=True)
    except _TxnError as exc:
        raise _explain(str(exc), _txn_where(exc.txn)) from None
    except (OfxParserException, ValueError, IndexError, AttributeError, TypeError, ArithmeticError) as exc:
        # ArithmeticError covers decimal.InvalidOperation from ofxparse's toDecimal.
        explained = _explain(f"{type(exc).__name__}: {exc}", "")
        raise ParseError(key="ofx.unreadable", detail=explained.text("en")) from None
    accounts = [a for a in ofx.accounts if getattr(a, "statement", None) is not None]
    tags = sorted(
        (a.statement.ofx_tag for a in accounts if hasattr(a.statement, "ofx_tag")),
        key=lambda t: (t.sourceline or 0, t.sourcepos or 0),
    )
    by_tag = {id(a.statement.ofx_tag): a.statement for a in accounts if hasattr(a.statement, "ofx_tag")}
    out: list[Statement] = []
    seen: dict[str, int] = {}
    total = 0
    for tag in tags:
        kind = tag.name.upper()
        if kind not in build.STATEMENT_TAGS:
            continue  # ACCTINFORS and the like: not a statement
        seen[kind] = seen.get(kind, 0) + 1
        raw = build.RawStatement(kind, seen[kind], _leaves(tag, build.STMT_PATHS))
        for lst in tag.find_all("banktranlist", recursive=False):
            for child in lst.find_all(["dtstart", "dtend"], recursive=False):
                (raw.starts if child.name == "dtstart" else raw.ends).append(child.get_text())
        txns = by_tag[id(tag)].transactions
        for i, t in enumerate(txns, 1):
            raw.note_currency(t.ofx_raw, f"{raw.where}/STMTTRN[{i}]")
        lines = tuple(build.line(t.ofx_raw, f"{raw.where}/STMTTRN[{i}]") for i, t in enumerate(txns, 1))
        total += len(lines)
        out.append(build.statement(raw, lines, prep.version))
    build.check_count(total, prep.stmttrn_count)
    return out


def _leaves(tag: Tag, paths: frozenset[str]) -> dict[str, str | None]:
    """Raw texts of the child leaves of `tag`, and of leaves one aggregate down, by path."""
    out: dict[str, str | None] = {}
    down = build.aggregates(paths)
    for child in tag.children:
        if not isinstance(child, Tag):
            continue
        name = child.name.upper()
        if name in paths and name not in out:
            out[name] = child.get_text()
        if name not in down:
            continue
        for grand in child.children:
            if isinstance(grand, Tag):
                path = f"{name}/{grand.name.upper()}"
                if path in paths and path not in out:
                    out[path] = grand.get_text()
    return out


def _txn_where(txn: Tag) -> str:
    """STMTRS[n]/STMTTRN[m] of a transaction; computed only on the error path (it is linear)."""
    parent = txn.find_parent(["stmtrs", "ccstmtrs"])
    if parent is None:
        return "STMTTRN"
    kind = parent.name
    n = len(parent.find_all_previous(kind)) + 1
    m = next((i for i, t in enumerate(parent.find_all("stmttrn"), 1) if t is txn), 0)
    return f"{kind.upper()}[{n}]/STMTTRN[{m}]"


def _explain(message: str, where: str) -> ParseError:
    """ofxparse's complaint, said as the element it wanted where its words name one."""
    message = " ".join(message.split())
    for needle, element in _MESSAGES:
        if needle.lower() in message.lower():
            return ParseError(key=f"ofx.expected.{element}", values={"message": message}, where=where)
    return ParseError(key="ofx.library", values={"message": message}, where=where)
