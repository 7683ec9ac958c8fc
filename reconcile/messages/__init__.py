"""Every word a user reads, in Chinese and English: one catalogue, kept in one module per area.

`t(key, lang, **values)`; Chinese is the default. Reports, the CLI, the log, the parsers' reasons and
the review desk all use it. An area's module holds `MESSAGES: {key: (zh, en)}`; a key defined in two
areas is an error at import time, so the areas never shadow each other.
"""

from __future__ import annotations

from reconcile.messages import (
    book,
    budget,
    dialects,
    general,
    helptexts,
    ingest,
    misplaced,
    parse,
    parse_formats,
    profiles,
    report,
    run,
    status,
    web,
)

AREAS = (general, ingest, status, report, dialects, profiles, web, book, misplaced, budget, parse, parse_formats, run,
         helptexts)


def _merge() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        for key, pair in area.MESSAGES.items():
            if key in out:
                raise KeyError(f"message {key!r} is defined twice ({area.__name__})")
            out[key] = pair
    return out


CATALOGUE: dict[str, tuple[str, str]] = _merge()


def t(key: str, lang: str = "zh", **values: object) -> str:
    zh, en = CATALOGUE[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
