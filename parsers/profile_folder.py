"""A folder of TOML profiles (bank layouts, journal layouts): read once, cached until a file changes.

Each file holds one profile whose name is the file name without `.toml`; the caller's `parse`
turns the file's table into its profile (and raises ConfigError naming the key it cannot use).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from reconcile.errors import ConfigError


class Named(Protocol):
    @property
    def name(self) -> str: ...


P = TypeVar("P", bound=Named)


def load_folder(folder: Path, parse: Callable[[str, dict[str, Any]], P]) -> dict[str, P]:
    """Every profile in the folder, by name."""
    return _load(_listing(folder), parse)


def _listing(folder: Path) -> tuple[tuple[str, int], ...]:
    """Each `*.toml` of the folder with its modification time, as `folder.glob("*.toml")` and a
    `stat()` each give them (nothing for a folder that is not one, or not readable): by one
    `scandir`, without pathlib's selectors and a `Path` a file. Every file read asks it (the
    statement, journal and plan detectors), so that a profile changed between two files counts."""
    if not folder.is_dir():
        return ()
    try:
        with os.scandir(folder) as entries:
            tomls = [e for e in entries if e.name.endswith(".toml")]
    except PermissionError:
        return ()
    return tuple(sorted((e.path, e.stat().st_mtime_ns) for e in tomls))


@cache
def _load(files: tuple[tuple[str, int], ...], parse: Callable[[str, dict[str, Any]], P]) -> dict[str, P]:
    out: dict[str, P] = {}
    for path, _mtime in files:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(p.name, "(syntax)", f"valid TOML: {exc}") from None
        prof = parse(p.name, data)
        if prof.name != p.stem:
            raise ConfigError(p.name, "name", f"the file name without .toml ({p.stem!r})")
        out[prof.name] = prof
    return out
