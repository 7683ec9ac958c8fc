"""Binding what a file holds to a registered account, or refusing it with the reason a clerk reads.

A statement takes its account from the file (else from a file-name rule, reconcile/filenames.py),
its period from the file (else from a file-name rule); the account must be registered
(mappings/accounts.toml) and in RMB; a statement that books a held line again with another amount
(a bank's correction) is refused (store/ledger.py, `conflicts`). A book journal is bound by
reconcile/book/binding.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reconcile.accounts import Registry
from reconcile.book.binding import SUBJECTS_FILE, Subjects, bind, load_subjects
from reconcile.book.records import Journal
from reconcile.filenames import FilenameRules
from reconcile.messages import t
from reconcile.model import Statement
from reconcile.money import format_yuan
from store.files import Conflict, Database, conflicts_with


class Rejection(Exception):
    """A file that cannot be a statement of a registered account; carries the user-facing reason."""


class Binder:
    def __init__(self, registry: Registry, rules: FilenameRules, engine: Database, mappings: Path, lang: str) -> None:
        self.registry, self.rules, self.engine, self.mappings, self.lang = registry, rules, engine, mappings, lang
        self._subjects: Subjects | None = None

    def statements(self, statements: Sequence[Statement], name: str,
                   lookup: Callable[[Sequence[tuple[str, Statement]]], list[Conflict]] | None = None,
                   ) -> list[tuple[str, Statement]]:
        """Each statement with its registered account and its period (from the name where the file
        gives none); raises `Rejection` for an unknown account or a bank's correction of held lines
        (looked up by `lookup`, the file's transaction, else in a transaction of its own)."""
        from_name = self.rules.bind(name)
        named = [st if (st.period_start and st.period_end) or from_name.period is None
                 else replace(st, period_start=from_name.period[0], period_end=from_name.period[1])
                 for st in statements]
        bound = [(self._account_of(st, name, from_name.account, i), st) for i, st in enumerate(named)]
        found = lookup(bound) if lookup is not None else conflicts_with(self.engine, bound)
        if found:
            raise Rejection(correction_reason(found, name, self.lang))
        return bound

    def journals(self, journals: Sequence[Journal], name: str) -> list[tuple[str, Journal]]:
        """Each journal with its registered account; raises `Rejection` when none or two are named."""
        if self._subjects is None:
            self._subjects = load_subjects(self.mappings / SUBJECTS_FILE, self.registry)
        from_name = self.rules.bind(name).account
        out = []
        for i, journal in enumerate(journals):
            b = bind(journal, self.registry, self._subjects, from_name)
            if b.problem:
                where = f"{name} journal {i + 1}" + (f" ({journal.source})" if journal.source else "")
                raise Rejection(t(f"reject.book.{b.problem}", self.lang, where=where, account=b.value,
                                  subject=journal.subject or "-"))
            out.append((b.account, journal))
        return out

    def _account_of(self, st: Statement, file_name: str, from_name: str, index: int) -> str:
        where = f"{file_name} statement {index + 1}" + (f" ({st.source})" if st.source else "")
        number = st.account.strip() or from_name
        if not number:
            raise Rejection(t("reject.no_account", self.lang, where=where))
        acct = self.registry.account(number)
        if acct is None:
            raise Rejection(t("reject.unknown_account", self.lang, where=where, account=number))
        if st.currency and st.currency.upper() not in ("CNY", "RMB"):
            raise Rejection(t("reject.currency", self.lang, where=where, currency=st.currency, account=acct.number))
        return acct.number


def correction_reason(found: Sequence[Conflict], name: str, lang: str) -> str:
    """The refusal of a bank's correction: the first three conflicts, each naming both lines."""
    lines = [t("reject.correction" if c.new.bank_ref else "reject.restatement", lang, file=name,
               source=c.new.source or "-", ref=c.new.bank_ref, day=c.new.booking_date.isoformat(),
               amount=format_yuan(c.new.amount_fen),
               held_file=c.held.file_name, held_source=c.held.source or "-",
               held_amount=format_yuan(c.held.amount_fen)) for c in found[:3]]
    if len(found) > 3:
        lines.append(t("reject.correction_more", lang, n=len(found) - 3))
    return "；".join(lines) if lang == "zh" else "; ".join(lines)


def reason_text(name: str, reason: str, sha: str, when: str, lang: str) -> str:
    """The reason file beside a rejected file (`<name>.reason.txt`)."""
    return "\n".join([
        t("reason.header", lang),
        f"{t('reason.file', lang)}: {name}",
        f"{t('reason.reason', lang)}: {reason}",
        f"{t('reason.time', lang)}: {when}",
        f"{t('reason.sha256', lang)}: {sha or '-'}",
        "",
    ])
