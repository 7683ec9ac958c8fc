"""`recon profile draft FILE [--name NAME]`: write a draft bank profile for a new layout, then read the
file with it and say what it reads (lines, sums, first and last dates, balances), so the clerk can
check the draft against the bank's own totals before the first file of the layout goes to the inbox.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parsers.base import ReadContext
from parsers.tabular import FORMAT as TABULAR
from parsers.tabular.draft import draft
from parsers.tabular.draft_text import check, render
from parsers.tabular.profile import load_profiles
from reconcile.departures import describe
from reconcile.errors import ParseError
from reconcile.messages import t
from reconcile.model import Statement
from reconcile.money import format_yuan

NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


class DraftRefused(Exception):
    """The draft cannot be written: a bad name, or a profile of that name exists (usage errors)."""


@dataclass(frozen=True)
class Drafted:
    path: Path
    statements: list[Statement]  # what the draft reads from the file (empty when it cannot yet)
    error: str  # why the draft cannot read the file yet ("" when it can)


def default_name(file: Path) -> str:
    """A profile name from the file's name: 'ICBC-Export 2024.csv' -> 'icbc_export_2024'; a name
    with no Latin letters (中文.csv) gets 'bank_' and a short hash of it."""
    slug = re.sub(r"[^a-z0-9]+", "_", file.stem.lower()).strip("_")[:40]
    if not slug or not slug[0].isalpha():
        digest = hashlib.sha256(file.stem.encode("utf-8")).hexdigest()[:8]
        slug = f"bank_{slug or digest}"[:40]
    return slug


def draft_profile(file: Path, banks_dir: Path, name: str | None, *, force: bool = False,
                  lang: str = "zh") -> Drafted:
    name = name or default_name(file)
    if not NAME.fullmatch(name):
        raise DraftRefused(t("profile.draft.bad_name", lang, name=name))
    target = banks_dir / f"{name}.toml"
    if target.exists() and not force:
        raise DraftRefused(t("profile.draft.exists", lang, path=target))
    data = file.read_bytes()
    known = {k: p for k, p in load_profiles(banks_dir).items() if k != name}
    d = draft(data, name, known, file.name)
    text = render(d)
    check(d, text)  # the loader every profile goes through: a draft it refuses is never written
    _write(target, text)
    try:
        statements = TABULAR.read(data, ReadContext(file_name=file.name, profile=name, banks_dir=banks_dir,
                                                    lang=lang))
    except ParseError as exc:
        return Drafted(target, [], exc.render(lang))
    return Drafted(target, statements, "")


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary(result: Drafted, file: Path, name: str, lang: str) -> list[str]:
    """What the draft reads, in the words of the catalogue, for the clerk to check."""
    out = [t("profile.draft.written", lang, path=result.path)]
    if result.error:
        return [*out, t("profile.draft.refused", lang, error=result.error),
                t("profile.draft.fix", lang, file=file.name, name=name)]
    out.append(t("profile.draft.reads", lang, file=file.name))
    none = t("profile.draft.none", lang)
    for i, st in enumerate(result.statements, 1):
        ins = [ln.amount_fen for ln in st.lines if ln.amount_fen > 0]
        outs = [ln.amount_fen for ln in st.lines if ln.amount_fen < 0]
        out.append(t("profile.draft.statement", lang, i=i, account=st.account or none, name=st.account_name or none,
                     currency=st.currency, start=st.period_start or none, end=st.period_end or none))
        out.append(t("profile.draft.lines", lang, n=len(st.lines), n_in=len(ins), sum_in=format_yuan(sum(ins)),
                     n_out=len(outs), sum_out=format_yuan(sum(outs)),
                     net=format_yuan(sum(ln.amount_fen for ln in st.lines))))
        if st.lines:
            days = [ln.booking_date for ln in st.lines]
            out.append(t("profile.draft.dates", lang, first=min(days), last=max(days)))
        running = [ln.balance_fen for ln in st.lines if ln.balance_fen is not None]
        if st.opening_fen is not None or st.closing_fen is not None or running:
            out.append(t("profile.draft.balances", lang,
                         opening=none if st.opening_fen is None else format_yuan(st.opening_fen),
                         closing=none if st.closing_fen is None else format_yuan(st.closing_fen),
                         first=format_yuan(running[0]) if running else none,
                         last=format_yuan(running[-1]) if running else none))
        out += ["  " + describe(w, lang) for w in st.warnings]
    out.append(t("profile.draft.check", lang, file=file.name, name=name))
    return out
