"""A `Draft` as the TOML text of a bank profile, with a comment on every choice saying why it was
made, so the one line to change (if any) is easy to find. The text is checked by the same loader
as every profile before it is written (`check`)."""

from __future__ import annotations

import json
import tomllib

from parsers.tabular.draft import Choice, Draft
from parsers.tabular.profile import Profile, parse_profile


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)  # a JSON string is a TOML basic string


def _line(c: Choice) -> str:
    why = " ".join(c.why.split())
    return f"{c.key} = {_value(c.value)}" + (f"  # {why}" if why else "")


def _section(title: str, choices: list[Choice], extra: list[str] | None = None) -> list[str]:
    if not choices and not extra:
        return []
    return ["", f"[{title}]", *(_line(c) for c in choices), *(extra or [])]


def render(d: Draft) -> str:
    where = f"the first data row at {d.where}" if d.headerless else f"the header row at {d.where}"
    out = [
        f"# Drafted by `recon profile draft` from {d.file_name or 'a file'} ({where}).",
        "# Every choice says why in its comment; a 'guessed' one is worth a look. Check what the draft",
        "# reads (the command prints it) against the bank's own counts and totals, then correct the line",
        "# that is wrong. mappings/banks/README.md documents every key.",
        f"name = {_value(d.name)}",
        'bank = ""  # the bank, for people reading this file',
        f"description = {_value(f'drafted from {d.file_name}' if d.file_name else 'drafted')}",
    ]
    out += _section("detect", d.detect)
    notes = [f"# {' '.join(c.why.split())}" + (f": {_value(c.value)}" if c.value else "") for c in d.unmapped]
    out += _section("columns", d.columns, notes)
    out += _section("amount", d.amount)
    out += _section("dates", d.dates)
    out += _section("preamble", d.preamble)
    out += _section("ref", d.ref)
    out += _section("currency", d.currency)
    out += _section("status", d.status)
    layout = [Choice("no_header", True, "the file has no header row")] if d.headerless else []
    if d.encoding:
        layout.append(Choice("encoding", d.encoding, "the file's encoding (the reader detects it by itself)"))
    if d.delimiter:
        layout.append(Choice("delimiter", d.delimiter, "the file's delimiter (the reader detects it by itself)"))
    layout.append(Choice("kind", d.kind, "what the writer produces for tests and the simulator"))
    if d.header:
        layout.append(Choice("header", d.header, "the whole header row as the bank writes it"))
    out += _section("layout", layout)
    return "\n".join(out) + "\n"


def check(d: Draft, text: str) -> Profile:
    """The profile the text loads as, by the loader every profile goes through (ConfigError if not)."""
    return parse_profile(f"{d.name}.toml", tomllib.loads(text))
