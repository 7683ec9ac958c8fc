"""ZIP archives of statement files (some banks and the OCA camt importer ship camt.053 zipped).

A ZIP is opened only within bounds (`Limits.zip_*`): the member count, each member's size, its
compression ratio and the total are checked from the central directory, then enforced again while
decompressing in chunks, because the directory's sizes are only what the archive claims. A zip
bomb is refused before (or within the first chunk after) its ratio is exceeded, so it costs
milliseconds and a few hundred KB. Nested archives and encrypted members are refused. Member names
are for messages only: they are never used as paths, so '..' or absolute names do no harm.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from parsers.base import ReadContext
from reconcile.errors import ParseError

_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header; an empty archive's end record
_CHUNK = 64 * 1024
# Statement XML compresses 10-30x; a small member (a one-entry file of spaces) can exceed the ratio
# honestly, and cannot be a bomb, so the ratio is judged only above this size.
RATIO_FLOOR_BYTES = 1024 * 1024
_FLAG_ENCRYPTED = 0x1
_FLAG_UTF8 = 0x800


def is_zip(head8: bytes) -> bool:
    """Whether the first bytes are a ZIP archive's."""
    return head8[:4] in _MAGIC


def is_office_document(data: bytes) -> bool:
    """An OOXML workbook (.xlsx) is a ZIP too, but one document: it has [Content_Types].xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "[Content_Types].xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _name(info: zipfile.ZipInfo) -> str:
    """The member name for messages. Chinese Windows tools write GBK names without the UTF-8
    flag, which zipfile decodes as cp437; undo that where it gives valid GBK."""
    name = info.filename
    if not info.flag_bits & _FLAG_UTF8:
        try:
            return name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def _skipped(name: str) -> bool:
    # macOS Finder adds AppleDouble shadows (__MACOSX/..., ._name) that are not statements.
    base = name.rsplit("/", 1)[-1]
    return name.startswith("__MACOSX/") or base.startswith("._")


def members(data: bytes, ctx: ReadContext) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file in the archive, or a ParseError saying which bound it broke."""
    lim = ctx.limits
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ParseError(key="zip.unreadable", detail=str(exc)) from None
    if any(not i.filename for i in infos):
        raise ParseError(key="zip.no_name")
    files = [i for i in infos if not i.is_dir() and not _skipped(i.filename)]
    if len(files) > lim.zip_max_members:
        raise ParseError(key="zip.too_many", values={"n": len(files), "limit": lim.zip_max_members})
    if not files:
        raise ParseError(key="zip.empty")
    declared = 0
    for info in files:
        name = _name(info)
        if info.flag_bits & _FLAG_ENCRYPTED:
            raise ParseError(key="zip.encrypted", where=name)
        _check_size(info.file_size, info.compress_size, name, ctx)
        declared += info.file_size
        if declared > lim.zip_max_total_bytes:
            raise ParseError(key="zip.too_large", values={"limit": lim.zip_max_total_bytes})
    out = []
    total = 0
    for info in files:
        name = _name(info)
        body = _read_member(zf, info, name, ctx, lim.zip_max_total_bytes - total)
        total += len(body)
        if is_zip(body[:8]):
            raise ParseError(key="zip.nested", where=name)
        out.append((name, body))
    return out


def _check_size(size: int, compressed: int, name: str, ctx: ReadContext) -> None:
    lim = ctx.limits
    if size > lim.zip_max_member_bytes:
        raise ParseError(key="zip.member_too_large", values={"size": size, "limit": lim.zip_max_member_bytes},
                         where=name)
    if size > RATIO_FLOOR_BYTES and size > lim.zip_max_ratio * max(compressed, 1):
        raise ParseError(key="zip.ratio", values={"ratio": size // max(compressed, 1), "limit": lim.zip_max_ratio},
                         where=name)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, ctx: ReadContext, room: int) -> bytes:
    """Decompress in chunks, stopping at the first byte past any bound (the directory may lie)."""
    lim = ctx.limits
    cap = min(info.file_size, lim.zip_max_member_bytes, room)
    buf = bytearray()
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                buf += chunk
                if len(buf) > cap:
                    raise ParseError(key="zip.past_size", values={"cap": cap}, where=name)
                _check_size(len(buf), info.compress_size, name, ctx)
    except ParseError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        ValueError,
        EOFError,
        OSError,
    ) as exc:
        # NotImplementedError: a compression method zipfile lacks (deflate64, ...);
        # RuntimeError: encryption noticed late; BadZipFile: CRC or header mismatch.
        raise ParseError(key="zip.member_unreadable", detail=str(exc), where=name) from None
    return bytes(buf)
