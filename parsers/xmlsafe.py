"""Hardened XML reading with lxml, for every XML reader in the project (camt, OFX 2.x, ...).

Bank files arrive by mail and USB stick; an XML file can be made to read /etc/passwd (external
entity), to cost gigabytes (billion laughs, quadratic blowup) or to call the network (external DTD).
None of that has a use in a bank statement, so this module:

- refuses any document whose prolog holds a DOCTYPE (and with it any ENTITY declaration) before
  libxml2 sees a byte of it: a DTD is never parsed, so no entity is ever defined or expanded;
- parses with `resolve_entities=False`, `load_dtd=False`, `no_network=True`, `huge_tree=False`
  (libxml2's own limits on depth and text size stay on) as a second line of defence;
- caps the document size;
- turns every lxml error into a `ParseError` naming the line.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from lxml import etree

from reconcile.errors import ParseError

# The prolog (XML declaration, comments, processing instructions) of a real file is a few hundred
# bytes; a megabyte of prolog is an attempt to hide a DOCTYPE past a scanner.
MAX_PROLOG_CHARS = 1024 * 1024

PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "load_dtd": False,
    "dtd_validation": False,
    "no_network": True,
    "huge_tree": False,
    # comments and processing instructions are never data; without them every child is an element
    "remove_comments": True,
    "remove_pis": True,
}

_WS = " \t\r\n"


def _prolog_text(data: bytes) -> str:
    """The first bytes of the document as text, decoded far enough to see its markup.

    ASCII-compatible encodings (UTF-8, GBK, GB18030, Latin-1) are read as Latin-1: only ASCII
    markup matters here, and no GBK trail byte is below 0x40, so none can pose as '<', '!' or '-'.
    """
    head = data[: MAX_PROLOG_CHARS * 4]
    if head.startswith(codecs.BOM_UTF8):
        return head[3:].decode("latin-1")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) or head[:4] in (
        b"<\0\0\0",
        b"\0\0\0<",
    ):
        raise ParseError(key="xml.utf32")
    if head.startswith(codecs.BOM_UTF16_LE) or head[:4] == b"<\0?\0":
        return head.decode("utf-16-le", errors="replace").lstrip("\ufeff")
    if head.startswith(codecs.BOM_UTF16_BE) or head[:4] == b"\0<\0?":
        return head.decode("utf-16-be", errors="replace").lstrip("\ufeff")
    return head.decode("latin-1")


def refuse_dtd(data: bytes) -> None:
    """Raise `ParseError` unless the document's prolog is free of any DOCTYPE / DTD / ENTITY.

    Walks the prolog (XMLDecl, comments, PIs, whitespace) up to the root element's start tag. A
    `<!` other than a comment there can only be a DOCTYPE (which carries any ENTITY declaration),
    so it is refused outright, whatever it declares.
    """
    text = _prolog_text(data)
    i, n = 0, min(len(text), MAX_PROLOG_CHARS)
    while i < n:
        c = text[i]
        if c in _WS:
            i += 1
        elif text.startswith("<?", i):
            j = text.find("?>", i + 2, n)
            if j < 0:
                break
            i = j + 2
        elif text.startswith("<!--", i):
            j = text.find("-->", i + 4, n)
            if j < 0:
                break
            i = j + 3
        elif text.startswith("<!", i):
            what = "dtd_decl" if text.startswith("<!DOCTYPE", i) else "markup_decl"
            raise ParseError(key=f"xml.{what}", where=f"offset {i}")
        elif c == "<":
            return  # the root element: no DTD can follow it
        else:
            raise ParseError(key="xml.markup", values={"found": text[i : i + 20]}, where=f"offset {i}")
    if n >= MAX_PROLOG_CHARS:
        raise ParseError(key="xml.long_prolog", values={"limit": MAX_PROLOG_CHARS})
    raise ParseError(key="xml.no_root")


def _syntax_error(exc: Exception) -> ParseError:
    line = getattr(exc, "lineno", None)
    msg = getattr(exc, "msg", None) or str(exc)
    return ParseError(key="xml.not_well_formed", detail=msg, where=f"line {line}" if isinstance(line, int) else "")


def _refuse_declared_dtd(el: Any) -> None:
    docinfo = el.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ParseError(key="xml.dtd")


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise ParseError(key="xml.too_large", values={"size": len(data), "limit": max_bytes})


class SafeEvents:
    """`lxml.etree.iterparse` over bytes with the hardened options.

    Iterate it inside `with events.errors():` (that turns lxml's errors into `ParseError`). The
    iterator is lxml's own, with no Python layer per event: a streaming reader pays for every
    microsecond a million times. The caller clears what it has used (that is what keeps memory
    bounded) and calls `finish()` at the end, which re-checks that no DTD was declared (it cannot
    have been, since `refuse_dtd` ran first; this is the second line of defence).
    """

    def __init__(self, data: bytes, *, tag: Sequence[str] | None, events: Sequence[str], max_bytes: int):
        check_size(data, max_bytes)
        refuse_dtd(data)
        self._context = etree.iterparse(
            io.BytesIO(data), events=tuple(events), tag=list(tag) if tag else None, **PARSER_OPTIONS
        )

    @property
    def root(self) -> Any:
        return self._context.root

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self._context)

    @contextmanager
    def errors(self) -> Iterator[None]:
        try:
            yield
        except etree.Error as exc:
            raise _syntax_error(exc) from None

    def finish(self) -> None:
        if self.root is not None:
            _refuse_declared_dtd(self.root)


def iterparse(
    data: bytes,
    *,
    tag: Sequence[str] | None = None,
    events: Sequence[str] = ("end",),
    max_bytes: int,
) -> SafeEvents:
    """Hardened `iterparse` over `data`; see `SafeEvents`."""
    return SafeEvents(data, tag=tag, events=events, max_bytes=max_bytes)


def fromstring(data: bytes, *, max_bytes: int) -> Any:
    """The whole document as an lxml element, parsed with the hardened options (small files only)."""
    check_size(data, max_bytes)
    refuse_dtd(data)
    parser = etree.XMLParser(**PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.Error as exc:
        raise _syntax_error(exc) from None
    _refuse_declared_dtd(root)
    return root
