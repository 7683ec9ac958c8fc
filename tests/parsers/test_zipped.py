"""ZIP archives of statements: bounded reading, zip bombs, nesting and encryption refused."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache

import pytest

from parsers import zipped
from parsers.base import Limits, ReadContext
from reconcile.errors import ParseError
from tests import corpus

CTX = ReadContext(file_name="x.zip")


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return buf.getvalue()


@cache
def gigabyte_of_zeros() -> bytes:
    """1 GiB of zeros, deflated (about 1 MB), built in chunks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, z.open("bomb.xml", "w") as f:
        chunk = bytes(1 << 20)
        for _ in range(1024):
            f.write(chunk)
    return buf.getvalue()


def refused_quickly(fn: Callable[[], object]) -> ParseError:
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


def test_is_zip_knows_the_magic() -> None:
    assert zipped.is_zip(b"PK\x03\x04\x14\x00\x00\x00")
    assert zipped.is_zip(make_zip({})[:8])
    assert not zipped.is_zip(b"<?xml ve")


def test_members_come_back_in_order_with_their_names() -> None:
    data = make_zip({"a.xml": b"<a/>", "目录/对账单.xml": "六盘水".encode(), "dir/": b""})
    assert zipped.members(data, CTX) == [("a.xml", b"<a/>"), ("目录/对账单.xml", "六盘水".encode())]


def test_names_with_dot_dot_or_absolute_paths_are_only_names() -> None:
    data = make_zip({"../../etc/passwd": b"x", "/abs/file.xml": b"y"})
    assert [n for n, _ in zipped.members(data, CTX)] == ["../../etc/passwd", "/abs/file.xml"]


def test_a_zip_bomb_is_refused_from_the_central_directory() -> None:
    bomb = gigabyte_of_zeros()  # built before the clock starts
    err = refused_quickly(lambda: zipped.members(bomb, CTX))
    assert "bomb.xml" in str(err)


def test_a_zip_bomb_that_lies_about_its_size_is_refused_while_decompressing() -> None:
    data = bytearray(gigabyte_of_zeros())
    # claim 1 MiB uncompressed in the central directory (offset 24 of its file header)
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = struct.pack("<I", 1 << 20)
    err = refused_quickly(lambda: zipped.members(bytes(data), CTX))
    assert "bomb.xml" in str(err)


def test_the_ratio_is_enforced_while_decompressing() -> None:
    data = make_zip({"z.xml": bytes(4 << 20)})
    err = refused_quickly(lambda: zipped.members(data, ReadContext(limits=Limits(zip_max_ratio=50))))
    assert "ratio" in str(err)


def test_member_count_and_total_limits_hold() -> None:
    data = make_zip({f"{i}.xml": b"<a/>" for i in range(5)})
    refused_quickly(lambda: zipped.members(data, ReadContext(limits=Limits(zip_max_members=4))))
    refused_quickly(lambda: zipped.members(data, ReadContext(limits=Limits(zip_max_total_bytes=10))))
    refused_quickly(lambda: zipped.members(data, ReadContext(limits=Limits(zip_max_member_bytes=3))))


def test_a_zip_inside_a_zip_is_refused() -> None:
    err = refused_quickly(lambda: zipped.members(make_zip({"inner.zip": make_zip({"a.xml": b"<a/>"})}), CTX))
    assert "inside a ZIP" in str(err)


def test_an_encrypted_member_is_refused() -> None:
    data = bytearray(make_zip({"a.xml": b"<a/>"}, zipfile.ZIP_STORED))
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set the encryption flag bit
        at = data.find(sig)
        flags = struct.unpack_from("<H", data, at + off)[0]
        struct.pack_into("<H", data, at + off, flags | 1)
    err = refused_quickly(lambda: zipped.members(bytes(data), CTX))
    assert "encrypted" in str(err)


def test_a_broken_archive_or_an_empty_one_is_a_parse_error() -> None:
    refused_quickly(lambda: zipped.members(b"PK\x03\x04garbage", CTX))
    refused_quickly(lambda: zipped.members(make_zip({}), CTX))
    data = bytearray(make_zip({"a.xml": b"<a>some content here</a>"}, zipfile.ZIP_STORED))
    data[data.find(b"some")] ^= 0xFF  # CRC mismatch
    refused_quickly(lambda: zipped.members(bytes(data), CTX))


def test_macos_shadow_files_are_skipped() -> None:
    data = make_zip({"s.xml": b"<a/>", "__MACOSX/._s.xml": b"\0\5\26\7"})
    assert [n for n, _ in zipped.members(data, CTX)] == ["s.xml"]


def test_the_corpus_zip_holds_two_camt_statements_with_six_entries() -> None:
    corpus.require_corpus()
    from parsers.camt import FORMAT

    data = (corpus.CORPUS / "camt/ocabsi__test-camt053.zip").read_bytes()
    parts = zipped.members(data, CTX)
    assert [n for n, _ in parts] == ["test-camt053_02.xml", "test-camt053_03.xml"]
    lines = [ln for _, body in parts for st in FORMAT.read(body, CTX) for ln in st.lines]
    assert (len(lines), sum(ln.amount_fen for ln in lines)) == (6, 11402)
