"""The shared corpus of real statement files, read in place from ../shared/corpus (never copied).

Tests that use it skip with a notice when the folder is absent.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RECON_CORPUS", ROOT.parent / "shared" / "corpus"))
SHARED = CORPUS.parent


def require_corpus() -> Path:
    if not (CORPUS / "expected.json").exists():
        pytest.skip(f"corpus not found at {CORPUS}: conformance tests skipped")
    return CORPUS


@cache
def expected() -> dict[str, Any]:
    if not (CORPUS / "expected.json").exists():
        return {}
    files: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
    return files


@cache
def malformed() -> frozenset[str]:
    """Files whose SOURCES.md note marks them MALFORMED."""
    src = CORPUS / "SOURCES.md"
    if not src.exists():
        return frozenset()
    out = set()
    for row in src.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in row.split("|")]
        if len(cells) > 3 and "MALFORMED" in row and "/" in cells[1]:
            out.add(cells[1])
    return frozenset(out)


def names(fmt: str) -> list[str]:
    """Corpus file names of one format folder (ofx, camt, mt940, csv); empty without the corpus."""
    return sorted(k for k, v in expected().items() if v["format"] == fmt or k.startswith(fmt + "/"))
