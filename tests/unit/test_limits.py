"""One `Limits` record (reconcile/limits.py) for config and parsers, and the file-size check once,
where a file's bytes are read (jobs/prepare.read_bounded), in the catalogue's one wording."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import parsers.base
from jobs.prepare import read_bounded
from reconcile import config
from reconcile.errors import ParseError
from reconcile.limits import Limits


def test_the_configuration_and_the_parsers_share_one_limits_record(tmp_path: Path) -> None:
    assert parsers.base.Limits is Limits
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text("[limits]\nmax_file_bytes = 1000\nzip_max_ratio = 50\n", encoding="utf-8")
    lim = config.load(cfg_file, env={}).limits
    assert lim == Limits(max_file_bytes=1000, zip_max_ratio=50)


def test_a_file_above_the_file_size_limit_is_refused(tmp_path: Path) -> None:  # was tests/parsers/test_ofx_repairs
    f = tmp_path / "a.ofx"
    f.write_bytes(b"<OFX></OFX>")
    with pytest.raises(ParseError, match="above the limit"):
        read_bounded(f, Limits(max_file_bytes=5))
    assert read_bounded(f, Limits(max_file_bytes=11)) == b"<OFX></OFX>"


def test_a_huge_file_is_refused_by_its_size_in_one_wording_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "sparse.csv"
    with open(f, "wb") as fh:
        fh.truncate(3 << 30)  # 3 GiB of holes: reading it would take 512 MiB at the default limit
    with pytest.raises(ParseError) as err:
        read_bounded(f, Limits())
    said = f"file is {3 << 30} bytes, above the limit of {512 << 20} bytes (limits.max_file_bytes)"
    assert err.value.text("en") == said
    assert err.value.text("zh") == f"文件大小 {3 << 30} 字节，超过上限 {512 << 20} 字节（limits.max_file_bytes）"


def test_what_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="not a regular file"):
        read_bounded(fifo, Limits())


def test_limits_too_large_is_the_bound() -> None:
    lim = Limits(max_file_bytes=10)
    assert lim.too_large(10) is None
    refusal = lim.too_large(11)
    assert refusal is not None and refusal.values == {"size": 11, "limit": 10}
