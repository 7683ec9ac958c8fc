"""Input repairs shared by both OFX readers: decoding, the body, and the SGML tag-closing pass.

Real OFX files break the assumptions of ofxparse in several ways (see the OFX notes of the corpus):
a QFX with no line breaks runs its header fields together; OFX 2.x files are UTF-8 while ofxparse
decodes them as ASCII; OFX 1.x files declare `ENCODING:USASCII/CHARSET:1252` over UTF-8 bytes;
empty elements (`<FITID></FITID>`, an SGML `<BALAMT>` with no value) make it raise. Everything
here turns the bytes into one normal form that both the ofxparse adapter and the lxml streaming
reader start from, so the two readers cannot disagree about what the file says.

The blank rule (`absent`): an element whose content is empty, or only the line break (and the
indentation) before the next tag, carries no value and is read as absent, as OFX 1.x writers leave
an optional element that way (`<BALAMT>` at the end of a line). Content of spaces on the tag's own
line (`<BALAMT> </BALAMT>`) is a value, and for an amount it is not a number: refused.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reconcile.errors import ParseError

_HEADER_KEYS = "OFXHEADER|DATA|VERSION|SECURITY|ENCODING|CHARSET|COMPRESSION|OLDFILEUID|NEWFILEUID"
# Key:value pairs of the OFX 1.x header; the lookahead on the next key lets a header whose fields
# run together with no line breaks (corpus ofxgo__wellsfargo.qfx) split correctly.
_HEADER_FIELD = re.compile(rf"({_HEADER_KEYS})\s*:\s*(.*?)\s*(?=(?:{_HEADER_KEYS})\s*:|$)", re.IGNORECASE | re.DOTALL)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""", re.IGNORECASE)
_OFX_ROOT = re.compile(r"<OFX\s*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_STMTTRN = re.compile(r"<STMTTRN\s*>", re.IGNORECASE)
_END_TAG = re.compile(r"</([A-Za-z0-9_.]+)\s*>")
_TOKEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9_.]*)\s*(/?)>"  # a tag (OFX tags carry no attributes)
    r"|<!\[CDATA\[(.*?)\]\]>"  # CDATA: its text, taken literally
    r"|<[?!][^>]*>"  # a stray processing instruction or declaration: dropped
    r"|([^<]+)"  # text
    r"|<",  # a lone '<' that starts no tag: text
    re.DOTALL,
)

# OFX 1.x CHARSET values (and the XML encodings seen in 2.x) mapped to Python codecs. Chinese banks
# declare GBK under several names; gb18030 is the superset that decodes all of them.
_CHARSETS = {
    "1252": "cp1252",
    "8859-1": "latin-1",
    "ISO-8859-1": "latin-1",
    "USASCII": "ascii",
    "US-ASCII": "ascii",
    "ASCII": "ascii",
    "936": "gb18030",
    "GBK": "gb18030",
    "GB2312": "gb18030",
    "GB18030": "gb18030",
    "950": "big5",
    "BIG5": "big5",
    "UTF-8": "utf-8",
    "UTF8": "utf-8",
    "UNICODE": "utf-8",
}


@dataclass(frozen=True)
class Prepared:
    """A file in normal form: `body` is the text from `<OFX>` on, with comments removed and line
    ends normalised; `xml` says it came as OFX 2.x XML (and may go to lxml without tag closing)."""

    body: str
    xml: bool
    version: str
    stmttrn_count: int
    declared: str = ""  # the character set the header declares where the bytes are UTF-8 instead


def absent(raw: str | None) -> bool:
    """The blank rule of the module docstring."""
    if raw is None or raw == "":
        return True
    return raw.strip() == "" and "\n" in raw


def present(raw: str | None) -> str | None:
    """The stripped value of an element, or None when the blank rule says it is absent."""
    return None if absent(raw) else (raw or "").strip()


def prepare(data: bytes) -> Prepared:
    """Decode the bytes and cut out the body. Raises ParseError for what no reader may accept."""
    text, xml, version = _decode(data)
    if _DECLARATION.search(text):
        # A DOCTYPE or ENTITY declaration is how entity-expansion and external-entity attacks
        # start; OFX never needs one.
        raise ParseError(key="ofx.doctype")
    if "<!--" in text:
        # XML comments hide elements from every reader alike; remove them before looking for the
        # root and counting STMTTRN (corpus ocabsi__test_ofx_wrong.ofx comments out half a
        # transaction).
        text = _COMMENT.sub("", text)
    m = _OFX_ROOT.search(text)
    if m is None:
        raise ParseError(key="ofx.no_root")
    body = text[m.start() :]
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")  # as XML parsers see line ends
    return Prepared(body, xml, version, len(_STMTTRN.findall(body)), _mismatch(data))


def _mismatch(data: bytes) -> str:
    """The declared character set of an OFX 1.x file whose non-ASCII bytes are UTF-8 all the same
    (read as UTF-8: a departure worth saying, corpus asgrim__ofxdata-bb.ofx), else ""."""
    if data.isascii() or _is_xml(data) or data.startswith(codecs.BOM_UTF8):
        return ""
    head = data[: data.find(b"<")] if b"<" in data[:4096] else data[:4096]
    fields = {k.upper(): v.upper() for k, v in _HEADER_FIELD.findall(head.decode("latin-1"))}
    if fields.get("ENCODING") in ("UTF-8", "UNICODE") or not fields:
        return ""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return f"ENCODING:{fields.get('ENCODING', '?')} CHARSET:{fields.get('CHARSET', '?')}"


def _decode(data: bytes) -> tuple[str, bool, str]:
    """The file's text, whether it is OFX 2.x XML, and its declared OFX version."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        return _decode_as(data, "utf-8"), _is_xml(data), _version(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode_as(data, "utf-16")
        return text, text.lstrip().lower().startswith("<?xml"), _version(text.encode("utf-8", "replace"))
    xml = _is_xml(data)
    declared = ""
    if xml:
        m = _XML_DECL.match(data)
        declared = m.group(1).decode("ascii").upper() if m else "UTF-8"
    else:
        head = data[: data.find(b"<")] if b"<" in data[:4096] else data[:4096]
        fields = {k.upper(): v for k, v in _HEADER_FIELD.findall(head.decode("latin-1"))}
        enc = fields.get("ENCODING", "").upper()
        declared = "UTF-8" if enc in ("UTF-8", "UNICODE") else fields.get("CHARSET", "1252").upper()
    try:
        # UTF-8 first whatever the header says: ASCII is a subset of it, a Windows-1252 or GBK
        # text is almost never valid UTF-8 by accident, and files that declare USASCII/1252 over
        # UTF-8 bytes are real (corpus asgrim__ofxdata-bb.ofx).
        return data.decode("utf-8"), xml, _version(data)
    except UnicodeDecodeError as exc:
        codec = _CHARSETS.get(declared)
        if codec is None:
            try:
                codec = codecs.lookup(declared).name
            except LookupError:
                raise ParseError(key="ofx.charset", values={"declared": declared, "byte": exc.start}) from None
        if codec in ("utf-8", "ascii"):
            codec = "utf-8"
        return _decode_as(data, codec), xml, _version(data)


def _decode_as(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ParseError(key="ofx.encoding", values={"codec": codec, "byte": exc.start},
                         where=f"byte {exc.start}") from None


def _is_xml(data: bytes) -> bool:
    return data[:200].lstrip().lower().startswith(b"<?xml")


def _version(data: bytes) -> str:
    head = data[:4096]
    m = re.search(rb"""VERSION\s*[:=]\s*["']?(\d+)""", head[: head.find(b"<OFX")] if b"<OFX" in head else head)
    return m.group(1).decode("ascii") if m else ""


def header_fields(data: bytes) -> dict[str, str]:
    """The OFX 1.x header as a dict (tests and diagnostics)."""
    head = data[: data.find(b"<")] if b"<" in data else data
    return {k.upper(): v for k, v in _HEADER_FIELD.findall(head.decode("latin-1"))}


def close_tags(body: str) -> Iterator[str]:
    """Well-formed XML from OFX 1.x SGML (or from XML), piece by piece, in one linear pass.

    SGML OFX omits the end tags of elements (leaves) and keeps those of aggregates. A start tag
    followed by text is a leaf and ends at the next tag unless that is its own end tag. A start tag
    followed only by whitespace is an aggregate, unless its name is never closed anywhere in the
    file, in which case it is an empty leaf (ofxparse's rule, kept with a set, not a list: the list
    made ofxparse quadratic). End tags close every element opened since their own start tag; an
    end tag with no open start tag is dropped (corpus reds__ally_transactions.qfx closes
    BANKTRANLIST twice). Absent elements (the blank rule) are left out, so no reader ever meets
    `<FITID></FITID>`. Text is unescaped as HTML (as ofxparse's BeautifulSoup does: `&amp;`,
    `&nbsp;`, a bare `&`) and escaped again as XML.
    """
    closed = {m.upper() for m in _END_TAG.findall(body)}
    stack: list[str] = []
    pending: str | None = None  # a start tag seen with only whitespace after it so far
    pending_ws = ""
    leaf: str | None = None  # a start tag followed by text: a leaf whose end tag may be omitted
    leaf_text: list[str] = []

    def flush_leaf() -> str:
        nonlocal leaf
        name, leaf = leaf, None
        text = "".join(leaf_text)
        leaf_text.clear()
        return f"<{name}>{_xml_text(text)}</{name}>" if not absent(text) else ""

    for m in _TOKEN.finditer(body):
        slash, name, selfclose, cdata, text = m.group(1, 2, 3, 4, 5)
        if name is not None:
            name = name.upper()
            if slash:  # an end tag
                if leaf is not None:
                    same = leaf == name
                    yield flush_leaf()
                    if same:
                        continue
                if pending is not None:
                    was, pending = pending, None
                    if was == name:
                        if not absent(pending_ws):
                            yield f"<{name}>{pending_ws}</{name}>"
                        continue
                    # `<X>` then `</Y>`: X held no value; leave it out and go on closing Y.
                if name in stack:
                    while stack:
                        top = stack.pop()
                        yield f"</{top}>"
                        if top == name:
                            break
                continue
            # a start tag
            if leaf is not None:
                yield flush_leaf()
            if pending is not None:
                if pending in closed:
                    stack.append(pending)
                    yield f"<{pending}>"
                # else: an SGML leaf left without a value (corpus asgrim__ofxdata-selfclose.ofx)
                pending = None
            if selfclose:
                continue  # `<X/>`: an XML empty element, absent
            pending, pending_ws = name, ""
            continue
        if cdata is not None:
            piece = html.escape(cdata, quote=False)  # literal; escaped so unescaping restores it
        elif text is not None:
            piece = text
        elif m.group(0) == "<":
            piece = "<"
        else:
            continue  # a processing instruction or declaration inside the body: nothing to read
        if pending is not None:
            if piece.strip() == "":
                pending_ws += piece
                continue
            leaf, pending = pending, None
            leaf_text.append(pending_ws + piece)
        elif leaf is not None:
            leaf_text.append(piece)
        elif piece.strip():
            yield _xml_text(piece)  # stray text between aggregates: kept as tail text, harmless
    if leaf is not None:
        yield flush_leaf()
    if pending is not None and pending in closed:
        stack.append(pending)
        yield f"<{pending}>"
    while stack:
        yield f"</{stack.pop()}>"


def _xml_text(text: str) -> str:
    return html.escape(html.unescape(text), quote=False)
