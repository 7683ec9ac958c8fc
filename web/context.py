"""What every request of the desk needs: the configuration, the registry, the store, and the
signed-in user with the page's language; and the words and numbers in that language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g

from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.desk import User
from reconcile.messages import CATALOGUE, t
from reconcile.money import format_yuan
from reconcile.places import say_place
from reconcile.reporting.detail import describe_detail
from reconcile.reporting.records import Reviewed
from store.deskstore import DeskStore

EXTENSION = "recon"


@dataclass(frozen=True)
class Desk:
    config: Config
    registry: Registry
    store: DeskStore
    lang: str  # the default language

    @property
    def counties(self) -> list[str]:
        return [e.code for e in self.registry.counties]

    @property
    def funds(self) -> list[str]:
        return [f.code for f in self.registry.funds]


def desk() -> Desk:
    d: Desk = current_app.extensions[EXTENSION]
    return d


def user() -> User | None:
    u: User | None = g.get("user")
    return u


def now() -> datetime:
    return datetime.now(UTC)


def address() -> str:
    from flask import request

    return (request.remote_addr or "")[:64]


class Words:
    """The catalogue and the codes' labels in one language, for the templates (`w`)."""

    def __init__(self, lang: str, registry: Registry, timezone: str) -> None:
        self.lang = lang
        self.tz = ZoneInfo(timezone)
        self.entities = {e.code: e.name for e in registry.entities}

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def safe(self, key: str, **values: object) -> str:
        """A message whose values may be missing (an error key passed back in an address): the
        missing ones are left out, and an unknown key is no message at all."""
        if key not in CATALOGUE:
            return ""
        zh, en = CATALOGUE[key]
        return (en if self.lang == "en" else zh).format_map(_Blank(values))

    def code(self, kind: str, value: object) -> str:
        """A code's label: a finding kind, severity, review state, rule, status, fund, entity, role."""
        if value is None or value == "":
            return ""
        code = str(value)
        if kind == "entity":
            return self.entities.get(code, code)
        for key in (f"web.{kind}.{code}", f"report.{kind}.{code}", f"{kind}.{code}"):
            if key in CATALOGUE:
                return t(key, self.lang)
        return code

    def sentence(self, f: Reviewed) -> str:
        """The finding in one sentence: who, which fund and month, what, how much, how late."""
        x = f.finding
        parts = [self.code("entity", x.entity), self.code("fund", x.fund), x.period or "", self.code("rule", x.rule)]
        text = self("web.finding.sentence", who=" ".join(p for p in parts if p), kind=self.code("kind", x.kind))
        if x.amount_fen is not None:
            text += self("web.finding.sentence_amount", amount=format_yuan(x.amount_fen))
        if x.days_late:
            text += self("web.finding.sentence_days", days=x.days_late)
        return text

    def detail(self, detail: dict[str, object]) -> str:
        return describe_detail(detail, self.lang, lambda code: self.code("entity", code))

    def place(self, where: str) -> str:
        return say_place(where, self.lang)

    def yuan(self, fen: int | None) -> str:
        return "" if fen is None else format_yuan(fen)

    def when(self, moment: datetime | None, seconds: bool = False) -> str:
        if moment is None:
            return ""
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""
