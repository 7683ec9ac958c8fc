"""The console: every line `recon` prints goes through `reconcile.sinks.for_console` (a file name
or a note holding ESC, OSC or CR cannot drive the terminal); JSON keeps its own escapes."""

from __future__ import annotations

import json
import re

import click

from reconcile.sinks import for_console

_JSON_RAW = re.compile(r"[\x7f-\x9f]")  # the controls json.dumps leaves raw (DEL and C1)


def echo(text: object = "", *, err: bool = False) -> None:
    click.echo(for_console(str(text)), err=err)


def echo_json(data: object) -> None:
    """Pretty JSON, Chinese as it is; control characters as JSON escapes (\\u001b), so it still parses."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    click.echo(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
