"""The streaming OFX reader: lxml's pull parser over the file, each STMTTRN dropped once read.

Used for files above `Limits.ofxparse_max_bytes` (and by the tests on every file, to hold it to
the ofxparse reader). OFX 2.x XML goes to lxml as it is; if it is not well-formed, and for OFX 1.x
SGML always, it goes through the tag-closing pass of repair.py first. Memory stays bounded by one
STMTTRN (plus the lines read), not by the file.

Hardened: no DTD is loaded, no entity is resolved, nothing is fetched from the network, and a
DOCTYPE or ENTITY declaration refuses the file before lxml sees it (repair.prepare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree

from parsers.ofx import build
from parsers.ofx.repair import Prepared, close_tags
from reconcile.errors import ParseError
from reconcile.model import Line, Statement

_CHUNK = 1 << 20  # characters of XML text fed to lxml at a time
_BATCH = 1 << 18  # characters of tag-closed text gathered before a feed


class _NotWellFormed(Exception):
    pass


def read(prep: Prepared) -> list[Statement]:
    if prep.xml and not _LOWER_TAG.search(prep.body):
        # lxml matches tag names exactly and OFX 2.x writes them upper case; a file that does not
        # is read the SGML way, where the tag-closing pass upper-cases them.
        try:
            return _run(_xml_chunks(prep.body), direct=True, prep=prep)
        except _NotWellFormed:
            pass  # an OFX 2.x file that is not XML after all: read it the SGML way
    return _run(_closed_chunks(prep.body), direct=False, prep=prep)


def _xml_chunks(body: str) -> Iterator[bytes]:
    for i in range(0, len(body), _CHUNK):
        yield body[i : i + _CHUNK].encode("utf-8")


def _closed_chunks(body: str) -> Iterator[bytes]:
    buf: list[str] = []
    size = 0
    for piece in close_tags(body):
        buf.append(piece)
        size += len(piece)
        if size >= _BATCH:
            yield "".join(buf).encode("utf-8")
            buf.clear()
            size = 0
    if buf:
        yield "".join(buf).encode("utf-8")


# Only these elements raise events: the others are read through them (and are many: filtering
# them in lxml instead of in Python makes the reader several times faster).
_EVENT_TAGS = (*build.STATEMENT_TAGS, "STMTTRN", "STATUS", "DTSTART", "DTEND")
_LOWER_TAG = re.compile(r"</?[a-z]")


def _parser() -> etree.XMLPullParser:
    return etree.XMLPullParser(
        events=("start", "end"),
        tag=_EVENT_TAGS,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )


def _run(chunks: Iterable[bytes], *, direct: bool, prep: Prepared) -> list[Statement]:
    parser = _parser()
    out: list[Statement] = []
    cur: build.RawStatement | None = None
    lines: list[Line] = []
    seen: dict[str, int] = {}
    status_n = 0
    total = 0

    def events() -> Iterator[tuple[str, etree._Element]]:
        try:
            for chunk in chunks:
                parser.feed(chunk)
                yield from parser.read_events()
            parser.close()
            yield from parser.read_events()
        except etree.XMLSyntaxError as exc:
            if direct:
                raise _NotWellFormed from exc
            raise ParseError(key="ofx.not_well_formed", detail=str(exc)) from None

    for event, el in events():
        tag = el.tag
        if event == "start":
            if tag in build.STATEMENT_TAGS:
                seen[tag] = seen.get(tag, 0) + 1
                cur, lines = build.RawStatement(tag, seen[tag]), []
            continue
        if tag == "STMTTRN":
            if cur is not None:
                where = f"{cur.where}/STMTTRN[{len(lines) + 1}]"
                leaves = _leaves(el, build.TXN_PATHS)
                cur.note_currency(leaves, where)
                lines.append(build.line(leaves, where))
            _drop(el)  # read: the tree keeps no transactions
        elif tag in ("DTSTART", "DTEND") and cur is not None and _parent_tag(el) == "BANKTRANLIST":
            (cur.starts if tag == "DTSTART" else cur.ends).append(_text(el))
        elif tag == "STATUS":
            status_n += 1
            leaf = _leaves(el, frozenset({"CODE", "SEVERITY", "MESSAGE"}))
            build.check_status(f"STATUS[{status_n}]", leaf.get("CODE"), leaf.get("SEVERITY"), leaf.get("MESSAGE"))
        elif tag in build.STATEMENT_TAGS and cur is not None:
            cur.leaves = _leaves(el, build.STMT_PATHS)
            out.append(build.statement(cur, tuple(lines), prep.version))
            total += len(lines)
            cur, lines = None, []
            _drop(el)
    build.check_count(total, prep.stmttrn_count)
    return out


def _parent_tag(el: etree._Element) -> str:
    parent = el.getparent()
    return parent.tag.upper() if parent is not None and isinstance(parent.tag, str) else ""


def _text(el: etree._Element) -> str:
    # All text below, as BeautifulSoup's get_text() gives it to the ofxparse reader.
    return el.text or "" if len(el) == 0 else "".join(el.itertext())


def _leaves(el: etree._Element, paths: frozenset[str]) -> dict[str, str | None]:
    """Raw texts of the child leaves of `el`, and of leaves one aggregate down, by path."""
    out: dict[str, str | None] = {}
    down = build.aggregates(paths)
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = child.tag.upper()
        if name in paths and name not in out:
            out[name] = _text(child)
        if name in down:
            for grand in child:
                if isinstance(grand.tag, str):
                    path = f"{name}/{grand.tag.upper()}"
                    if path in paths and path not in out:
                        out[path] = _text(grand)
    return out


def _drop(el: etree._Element) -> None:
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)
