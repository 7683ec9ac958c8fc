"""A folder of TOML profiles (bank layouts, journal layouts): read once, cached until a file changes.

Each file holds one profile whose name is the file name without `.toml`; the caller's `parse`
turns the file's table into its profile (and raises ConfigError naming the key it cannot use).
"""

from __future__ import annotations

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
    files = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in folder.glob("*.toml")))
    return _load(files, parse)


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
