"""The parser contract shared by every format module, and the limits every parser honours
(`Limits`, the core's record of reconcile/limits.py, re-exported here).

A format module exposes a `FORMAT` object with:
- `name`: short format name ("camt", "mt940", "ofx", "tabular");
- `sniff(head: bytes) -> bool`: whether the first bytes look like this format (content, never the
  file name);
- `read(data: bytes, ctx: ReadContext) -> list[Statement]`: every statement in the file, or a
  `ParseError` naming the line or element and what was expected;
- `write(statements, ...) -> bytes`: the same format back (the simulator and the round-trip tests
  use it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from reconcile.limits import Limits
from reconcile.model import Statement

__all__ = ["Format", "Limits", "ReadContext"]  # Limits: the core's record (reconcile/limits.py)


@dataclass(frozen=True)
class ReadContext:
    """What a parser may know besides the bytes: the file name (for messages), a bank profile the
    user named, the registry's bank profiles, the limits, and the reader's language (for the
    messages parsers take from the catalogue)."""

    file_name: str = ""
    profile: str | None = None  # a bank profile named by the user (`recon parse --profile`)
    banks_dir: Path | None = None  # mappings/banks: the tabular layouts
    limits: Limits = field(default_factory=Limits)
    lang: str = "zh"
    as_of: date | None = None  # lines dated after as_of + 1 year are refused (None: today)
    transit_window: int = 2  # working days a line may lie outside its statement's declared period


class Format(Protocol):
    name: str

    def sniff(self, head: bytes) -> bool: ...

    def read(self, data: bytes, ctx: ReadContext) -> list[Statement]: ...
