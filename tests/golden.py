"""Golden files: `tests/data/<format>/<file>` beside `<file>.expected` (the JSON of its statements).

Run `pytest --regen-golden` to rewrite the expected files for a human to review in the diff.
An expected file without its input, or an input without its expected file, fails.
"""

from __future__ import annotations

import json
from pathlib import Path

from reconcile.model import Statement, statement_to_dict

DATA = Path(__file__).parent / "data"
EXPECTED_SUFFIX = ".expected"


def inputs(folder: str) -> list[Path]:
    base = DATA / folder
    return sorted(p for p in base.iterdir() if p.is_file() and p.suffix != EXPECTED_SUFFIX)


def orphans(folder: str) -> list[str]:
    """Inputs without an expected file and expected files without an input."""
    base = DATA / folder
    names = {p.name for p in base.iterdir() if p.is_file()}
    bad = []
    for n in names:
        if n.endswith(EXPECTED_SUFFIX):
            if n[: -len(EXPECTED_SUFFIX)] not in names:
                bad.append(f"{n} has no input")
        elif n + EXPECTED_SUFFIX not in names:
            bad.append(f"{n} has no {EXPECTED_SUFFIX} file")
    return sorted(bad)


def render(statements: list[Statement]) -> str:
    return json.dumps([statement_to_dict(s) for s in statements], ensure_ascii=False, indent=1) + "\n"


def check(path: Path, statements: list[Statement], regen: bool) -> None:
    expected = path.with_name(path.name + EXPECTED_SUFFIX)
    got = render(statements)
    if regen:
        expected.write_text(got, encoding="utf-8")
        return
    assert expected.exists(), f"{expected.name} is missing: run pytest --regen-golden and review it"
    assert json.loads(got) == json.loads(expected.read_text(encoding="utf-8"))
