"""Which registry account a journal export belongs to (docs/DOMAIN.md, *Book against bank*; issue 15).

In this order, the first that answers wins:
1. an account number the title block names (账号), or a run of 10 or more digits in the 科目 text:
   a registered number binds; a 账号 that is not registered is refused;
2. the 科目 as `mappings/book_subjects.toml` lists it (whole text, its code, or its name);
3. the name or an alias of exactly one registered account inside the 科目 text;
4. a file-name rule (`[[ingest.filename_rules]]`), as for statements.
Two ways that name different accounts are refused rather than guessed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reconcile.accounts import Registry, normalize_number
from reconcile.book.records import Journal
from reconcile.errors import ConfigError

SUBJECTS_FILE = "book_subjects.toml"
_SPACE = re.compile(r"[\s\u3000]+")
_DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "―": "-", "_": "-", "（": "(", "）": ")"})
_CODE = re.compile(r"^([0-9][0-9.]*)[\s\-]*(.*)$")
_LONG_NUMBER = re.compile(r"\d[\d\-\s]{8,}\d")


def squash(text: str) -> str:
    """Subject text as compared: no spaces, one kind of dash and bracket, casefolded."""
    return _SPACE.sub("", text.translate(_DASHES)).casefold()


def split_subject(text: str) -> tuple[str, str]:
    """("100201", "银行存款-工行") from "100201 银行存款—工行"; ("", text) without a leading code."""
    m = _CODE.match(squash(text))
    return (m.group(1), m.group(2)) if m else ("", squash(text))


@dataclass(frozen=True)
class Subjects:
    """`mappings/book_subjects.toml`: 科目 (whole text, code or name) -> account number."""

    by_text: dict[str, str]

    def account(self, subject: str) -> str | None:
        if not subject.strip():
            return None
        code, name = split_subject(subject)
        for key in (squash(subject), code, name):
            if key and key in self.by_text:
                return self.by_text[key]
        return None


def load_subjects(path: Path, registry: Registry) -> Subjects:
    """Load the subjects file; a missing file means no subjects are listed. Every account named must
    be registered, and a subject may name only one account."""
    if not path.is_file():
        return Subjects({})
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "(syntax)", f"valid TOML ({exc})") from None
    if set(raw) - {"subject"}:
        raise ConfigError(name, ", ".join(sorted(set(raw) - {"subject"})), "only [[subject]] tables")
    out: dict[str, str] = {}
    for i, t in enumerate(raw.get("subject", [])):
        at = f"subject[{i}]"
        if not isinstance(t, dict) or set(t) - {"account", "subjects"}:
            raise ConfigError(name, at, "a table with account and subjects")
        acct = registry.account(str(t.get("account", "")))
        if acct is None:
            raise ConfigError(name, f"{at}.account", f"a registered account number, found {t.get('account')!r}")
        names = t.get("subjects", [])
        if not isinstance(names, list) or not names or not all(isinstance(s, str) and s.strip() for s in names):
            raise ConfigError(name, f"{at}.subjects", "a non-empty array of 科目 codes or names")
        for s in names:
            key = squash(s)
            if out.get(key, acct.number) != acct.number:
                raise ConfigError(name, f"{at}.subjects", f"{s!r} names another account already ({out[key]})")
            out[key] = acct.number
    return Subjects(out)


@dataclass(frozen=True)
class Binding:
    """The account, and how it was found; or a `problem` code with the value it concerns."""

    account: str = ""
    how: str = ""  # number | subject | name | file_name
    problem: str = ""  # unknown_account | ambiguous | conflict | no_account
    value: str = ""


def _squashed_names(registry: Registry) -> list[tuple[str, tuple[str, ...]]]:
    """Each account's number with its name and aliases squashed, those of 4 characters or more: what
    a 科目 text is searched for. Squashed once per registry (`Registry.memo`), not once per journal
    (362 accounts of a province, two names each, twice per journal was most of a journal's binding)."""
    return registry.memo("_squashed_names", lambda: [
        (a.number, tuple(sq for n in (a.name, *a.aliases) if len(sq := squash(n)) >= 4)) for a in registry.accounts])


def bind(journal: Journal, registry: Registry, subjects: Subjects, file_account: str = "") -> Binding:
    found: list[tuple[str, str]] = []
    if journal.account:
        acct = registry.account(journal.account)
        if acct is None:
            return Binding(problem="unknown_account", value=journal.account)
        found.append(("number", acct.number))
    else:
        for run in _LONG_NUMBER.findall(journal.subject):
            acct = registry.account(normalize_number(run))
            if acct is not None:
                found.append(("number", acct.number))
                break
    by_subject = subjects.account(journal.subject)
    if by_subject:
        found.append(("subject", by_subject))
    if not found:
        text = squash(journal.subject)
        hits = sorted({number for number, names in _squashed_names(registry) if text and any(
            n in text for n in names)})
        if len(hits) > 1:
            return Binding(problem="ambiguous", value=", ".join(hits))
        if hits:
            found.append(("name", hits[0]))
    if not found and file_account:
        acct = registry.account(file_account)
        if acct is None:
            return Binding(problem="unknown_account", value=file_account)
        found.append(("file_name", acct.number))
    if not found:
        return Binding(problem="no_account", value=journal.subject)
    numbers = {n for _, n in found}
    if len(numbers) > 1:
        return Binding(problem="conflict", value=", ".join(f"{how} {n}" for how, n in found))
    return Binding(found[0][1], found[0][0])
