"""Hostile XML: entity bombs, external entities and DTDs are refused before libxml2 reads them."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import pytest

from parsers import xmlsafe
from parsers.base import Limits, ReadContext
from parsers.camt import FORMAT
from reconcile.errors import ParseError

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
BODY = f'<Document xmlns="{NS}"><BkToCstmrStmt><GrpHdr><MsgId>&lol9;</MsgId></GrpHdr></BkToCstmrStmt></Document>'


def billion_laughs() -> bytes:
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?>\n<!DOCTYPE Document [\n{chr(10).join(ents)}\n]>\n{BODY}'.encode()


def refused_quickly(fn: Callable[[], object]) -> ParseError:
    """Runs fn, which must raise ParseError, within generous time and memory bounds."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(ParseError) as exc:
            fn()
    finally:
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < 5, f"took {elapsed:.2f}s"
    assert peak < 100 * 1024 * 1024, f"peak {peak} bytes"
    return exc.value


def test_a_billion_laughs_bomb_is_refused() -> None:
    err = refused_quickly(lambda: FORMAT.read(billion_laughs(), ReadContext()))
    assert "DOCTYPE" in str(err)


def test_an_external_entity_to_a_local_file_is_refused() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<Document xmlns="{NS}">&x;</Document>'
    )
    err = refused_quickly(lambda: FORMAT.read(xxe.encode(), ReadContext()))
    assert "root" not in str(err) and "DOCTYPE" in str(err)


def test_a_plain_dtd_is_refused_even_behind_comments() -> None:
    dtd = (
        '<?xml version="1.0"?><!-- a --><?pi x?><!DOCTYPE Document SYSTEM "http://example.invalid/x.dtd">'
        f'<Document xmlns="{NS}"/>'
    )
    refused_quickly(lambda: FORMAT.read(dtd.encode(), ReadContext()))


def test_a_dtd_in_utf16_is_refused() -> None:
    doc = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><Document xmlns="{NS}">&x;</Document>'
    refused_quickly(lambda: FORMAT.read(doc.encode("utf-16"), ReadContext()))


def test_an_undeclared_entity_is_a_syntax_error() -> None:
    doc = f'<Document xmlns="{NS}"><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>'
    err = refused_quickly(lambda: FORMAT.read(doc.encode(), ReadContext()))
    assert "not well-formed" in str(err)


def test_a_document_over_the_size_limit_is_refused() -> None:
    ctx = ReadContext(limits=Limits(max_xml_bytes=100))
    err = refused_quickly(lambda: FORMAT.read(b"<Document>" + b" " * 200 + b"</Document>", ctx))
    assert "above the limit" in str(err)


def test_a_hidden_doctype_after_a_huge_prolog_is_refused() -> None:
    doc = b"<!--" + b"x" * (xmlsafe.MAX_PROLOG_CHARS + 10) + b"--><!DOCTYPE d><d/>"
    refused_quickly(lambda: xmlsafe.refuse_dtd(doc))


def test_the_hardened_fromstring_refuses_a_dtd_and_reads_plain_xml() -> None:
    refused_quickly(lambda: xmlsafe.fromstring(billion_laughs(), max_bytes=10**6))
    assert xmlsafe.fromstring("<a>六盘水</a>".encode(), max_bytes=100).text == "六盘水"
