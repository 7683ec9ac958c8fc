"""A folder of profiles is listed by one scandir (`profile_folder._listing`): the files and times
`folder.glob("*.toml")` and a `stat()` each give, and a profile changed between two reads counts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from parsers.profile_folder import _listing, load_folder

ROOT = Path(__file__).resolve().parents[2]


def _globbed(folder: Path) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.glob("*.toml")))


def test_the_listing_is_what_glob_and_stat_give(tmp_path: Path) -> None:
    for name in ("b.toml", "a.toml", ".hidden.toml", "X.TOML", "notes.txt", "a.toml.bak", ".toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.toml").write_text("", encoding="utf-8")
    for folder in (tmp_path, tmp_path / "sub", tmp_path / "missing", tmp_path / "notes.txt",
                   ROOT / "mappings" / "banks", ROOT / "mappings" / "books"):
        assert _listing(folder) == _globbed(folder), folder
    assert [Path(p).name for p, _ in _listing(tmp_path)] == [".hidden.toml", ".toml", "a.toml", "b.toml", "dir.toml"]


class _P:
    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name, self.data = name.removesuffix(".toml"), data


def test_a_profile_changed_between_two_reads_is_read_again(tmp_path: Path) -> None:
    f = tmp_path / "one.toml"
    f.write_text("v = 1\n", encoding="utf-8")
    assert load_folder(tmp_path, _P)["one"].data == {"v": 1}
    f.write_text("v = 2\n", encoding="utf-8")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 1_000_000))
    assert load_folder(tmp_path, _P)["one"].data == {"v": 2}
