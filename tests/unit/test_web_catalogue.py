"""Every word on the desk's pages comes from the catalogue, in both languages: each key a template
or a view names exists, and no page carries Chinese or English text of its own."""

from __future__ import annotations

import re
from pathlib import Path

from reconcile.desk import ROLES
from reconcile.desk.permissions import ACTIONS
from reconcile.messages import CATALOGUE
from reconcile.messages.web import MESSAGES

WEB = Path(__file__).resolve().parents[2] / "web"
KEY = re.compile(r'''(?:\bw|\bw\.safe|\bt)\(\s*"([a-z_]+(?:\.[a-z_0-9]+)+)"''')


def test_every_key_the_desk_names_is_in_the_catalogue() -> None:
    named = set()
    for path in [*WEB.glob("templates/*.html"), *WEB.glob("*.py")]:
        named |= set(KEY.findall(path.read_text(encoding="utf-8")))
    assert len(named) > 100
    assert sorted(k for k in named if k not in CATALOGUE) == []


def test_the_keys_built_from_codes_exist_for_every_code() -> None:
    codes = {"web.role": ROLES, "web.state": ("open", "closed", "all"),
             "web.signoff": ("open", "prepared", "approved", "revoked"),
             "web.action": ("explain", "assign", "acknowledge", "resolve", "reopen"),
             "web.event": ("opened", "kind", "amount", "closed", "reopened"),
             "web.filter": ("kind", "entity", "fund", "severity", "review"),
             "web.sort": ("severity", "id", "amount", "period", "days_late", "kind", "entity", "first_seen", "review"),
             "audit.broken": ("hash", "link", "head")}
    missing = [f"{p}.{c}" for p, cs in codes.items() for c in cs if f"{p}.{c}" not in CATALOGUE]
    assert missing == [] and "users" in ACTIONS


def test_every_message_of_the_desk_has_both_languages_and_the_same_placeholders() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        if re.search(r"[A-Za-z]{2,}", re.sub(r"{\w+}", "", en)):  # words, not just placeholders
            assert re.search(r"[\u4e00-\u9fff]", zh), key
        assert sorted(re.findall(r"{(\w+)}", zh)) == sorted(re.findall(r"{(\w+)}", en)), key


def test_templates_hold_no_words_of_their_own() -> None:
    for path in WEB.glob("templates/*.html"):
        text = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"<[^>]*>|&\w+;", " ", text)
        leftovers = [w for w in re.findall(r"[\u4e00-\u9fff]+|[A-Za-z]{3,}", text) if w not in ("English", "中文")]
        # (each language's link is named in that language, as language pickers are)
        assert leftovers == [], (path.name, leftovers)
