"""Dialect departures: how a file departs from its format's standard while every amount, sign and
date in it stays unambiguous. A parser that reads such a file anyway says so, once per statement and
kind of departure, with the first place and the count (`dialect: decimal point instead of comma, 39
amounts`); the user reads it in `recon parse`, `recon status`, the report's coverage sheet and the log.

A departure is a record of codes, not of words: `describe` renders it from the catalogue
(`reconcile/messages/dialects.py`, key `dialect.<code>`) in the reader's language, so what the store
keeps can be shown in Chinese or English later. A file whose amounts or signs would be ambiguous is
never a departure: the parser refuses it with a `ParseError` saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reconcile.messages import t
from reconcile.places import say_place


@dataclass(frozen=True, slots=True)
class Departure:
    code: str  # the catalogue key after "dialect.": "mt940.decimal_point", "csv.space_after_quote", ...
    where: str  # the first place in the file: "line 12", "Stmt[1]/Bal[2]"
    count: int = 1  # how many times the statement departs this way
    detail: str = ""  # a value the message names (a tag, a date, an encoding), the same in every language

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "where": self.where, "count": self.count, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class HeldDeparture:
    """A departure of a statement the ledger holds: the file it came from, and its account."""

    file_name: str
    account: str
    statement: int  # 1-based, in its file
    received_at: datetime | None
    departure: Departure

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {"file": self.file_name, "account": self.account, "statement": self.statement,
                **self.departure.to_dict(), "text": describe(self.departure, lang)}


class Departures:
    """Collects the departures of one statement (or one file): one record per code and detail, with
    the first place and the count. Parsers note each occurrence; `records()` gives the result."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], list[object]] = {}

    def note(self, code: str, where: str, detail: str = "", count: int = 1) -> None:
        hit = self._seen.get((code, detail))
        if hit is None:
            self._seen[(code, detail)] = [where, count]
        else:
            hit[1] = int(str(hit[1])) + count

    def extend(self, records: Iterable[Departure]) -> None:
        for d in records:
            self.note(d.code, d.where, d.detail, d.count)

    def records(self) -> tuple[Departure, ...]:
        return tuple(Departure(code, str(where), int(str(n)), detail)
                     for (code, detail), (where, n) in self._seen.items())

    def __bool__(self) -> bool:
        return bool(self._seen)


def describe(d: Departure, lang: str = "zh") -> str:
    """One departure as a sentence: what, how many, where first."""
    plural = d.count != 1  # English plurals ("1 line", "39 amounts"); Chinese has none
    what = t(f"dialect.{d.code}", lang, n=d.count, detail=d.detail, s="s" if plural else "",
             ies="ies" if plural else "y")
    return t("dialect.line", lang, what=what, where=say_place(d.where, lang), n=d.count)


def describe_all(records: Iterable[Departure], lang: str = "zh") -> list[str]:
    return [describe(d, lang) for d in records]


def strict_refusal(file_name: str, departures: Iterable[Departure], lang: str = "zh") -> str | None:
    """The reason `ingest.strict = true` refuses a file that departs from its standard, or None."""
    found = list(dict.fromkeys(departures))
    if not found:
        return None
    text = t("dialect.strict", lang, file=file_name, first=describe(found[0], lang))
    return text + (t("dialect.strict_more", lang, more=len(found) - 1) if len(found) > 1 else "")
