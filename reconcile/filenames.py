"""What a statement file's name says: the file-name rules of `[[ingest.filename_rules]]`.

Some banks put the account or the period only in the download's name (`<account>_<YYYYMMDD>-<YYYYMMDD>`):
a rule is a regular expression whose named groups `account`, `start` and `end` (YYYYMMDD) are read,
with an optional account template (`"{account}"`-style, filled from the groups). The period a rule
gives covers a statement that declares none (docs/DOMAIN.md, Coverage). Pure: a name in, a
`NameBinding` out; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class NameBinding:
    """What the rules read from one file name."""

    account: str = ""  # from the first rule that gives one (a template or an `account` group); "" for none
    period: tuple[date, date] | None = None  # from the first rule with a valid `start` <= `end`
    read: tuple[tuple[str, str], ...] = ()  # every group every matching rule read, and each template's account:
    # two files of equal bytes are the same statement only when their names read the same


class FilenameRules:
    """The configured rules, in order: `(pattern, account template)` pairs."""

    def __init__(self, rules: Iterable[tuple[str, str]] = ()) -> None:
        self._rules = [(re.compile(pattern), template) for pattern, template in rules]

    def bind(self, name: str) -> NameBinding:
        account: str | None = None
        period: tuple[date, date] | None = None
        read: list[tuple[str, str]] = []
        for pattern, template in self._rules:
            m = pattern.search(name)
            if m is None:
                continue
            groups = m.groupdict()
            read += sorted((k, v) for k, v in groups.items() if v)
            if template:
                read.append(("account", template.format(**groups)))
            if account is None and (template or "account" in groups):
                account = (template or "{account}").format(**groups)
            if period is None and groups.get("start") and groups.get("end"):
                period = _period(groups["start"], groups["end"])
        return NameBinding(account or "", period, tuple(read))


def _period(start: str, end: str) -> tuple[date, date] | None:
    try:
        first = datetime.strptime(start, "%Y%m%d").date()
        last = datetime.strptime(end, "%Y%m%d").date()
    except ValueError:
        return None
    return (first, last) if first <= last else None
