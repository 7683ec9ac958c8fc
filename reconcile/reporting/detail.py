"""A finding's detail in words: the engine stores a dict of codes and values, the catalogue says them.

One renderer for the report (HTML, XLSX, CSV) and the review desk. For each key `k` of the dict:
- `report.detail.<k>` is its wording; with `{value}` in it the value goes there, else the value follows
  the name (a bare name where the value is `True`);
- a code value (or each code in a list) is said by `report.detail.<k>.<code>` where that key exists,
  by `report.reason.<code>` for `reason` and `book.side.<code>` for `side`;
- `*_fen` integers are yuan; `None` is the catalogue's "none"; a dict maps entities to values.
Every key the engine writes has its wording (tests/report/test_chinese.py checks it).
"""

from __future__ import annotations

from collections.abc import Callable

from reconcile.messages import CATALOGUE, t
from reconcile.money import format_yuan

CODE_PREFIXES = {"reason": "report.reason.", "side": "book.side."}


def describe_detail(detail: dict[str, object], lang: str, entity: Callable[[str], str] = str) -> str:
    """The detail dict as one line of text in `lang`; `entity` names an entity code."""
    parts = [_part(k, detail[k], lang, entity) for k in sorted(detail)]
    return ("; " if lang == "en" else "；").join(p for p in parts if p)


def _part(k: str, v: object, lang: str, entity: Callable[[str], str]) -> str:
    key = f"report.detail.{k}"
    value = _value(k, v, lang, entity)
    if key not in CATALOGUE:
        return f"{k} {value}".strip()
    if "{value}" in CATALOGUE[key][0]:
        return t(key, lang, value=value)
    return f"{t(key, lang)} {value}".strip()


def _value(k: str, v: object, lang: str, entity: Callable[[str], str]) -> str:
    if isinstance(v, bool):
        return "" if v else t("report.yesno.no", lang)
    if v is None:
        return t("report.none", lang)
    if k.endswith("_fen") and isinstance(v, int):
        return format_yuan(v)
    if isinstance(v, list):
        return ("、" if lang != "en" else ", ").join(_code(k, x, lang) for x in v)
    if isinstance(v, dict):
        return ("，" if lang != "en" else ", ").join(f"{entity(str(a))} {_value(k, b, lang, entity)}"
                                                    for a, b in v.items())
    return _code(k, v, lang)


def _code(k: str, v: object, lang: str) -> str:
    for key in (f"report.detail.{k}.{v}", f"{CODE_PREFIXES.get(k, '-')}{v}"):
        if key in CATALOGUE:
            return t(key, lang)
    return str(v)
