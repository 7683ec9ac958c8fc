"""One `Limits` record (reconcile/limits.py) for config and parsers."""

from __future__ import annotations

from pathlib import Path

import parsers.base
from reconcile import config
from reconcile.limits import Limits


def test_the_configuration_and_the_parsers_share_one_limits_record(tmp_path: Path) -> None:
    assert parsers.base.Limits is Limits
    cfg_file = tmp_path / "config.toml"
    cfg_file.write_text("[limits]\nmax_file_bytes = 1000\nzip_max_ratio = 50\n", encoding="utf-8")
    lim = config.load(cfg_file, env={}).limits
    assert lim == Limits(max_file_bytes=1000, zip_max_ratio=50)
