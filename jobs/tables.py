"""Plain-text tables for the console (status, accounts, a parsed file)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from jobs.status import Status
from reconcile.accounts import Registry
from reconcile.departures import describe
from reconcile.messages import CATALOGUE, t
from reconcile.model import Statement
from reconcile.money import format_yuan
from reconcile.places import say_place


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int, right: bool = False) -> str:
    fill = " " * max(0, w - _width(s))
    return fill + s if right else s + fill


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    out = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(_pad(c, widths[i], i in right) for i, c in enumerate(r)) for r in rows]
    return "\n".join(out)


def status_table(st: Status, lang: str) -> str:
    keys = ["account", "entity", "fund", "role", "statements", "lines", "first", "last", "gaps", "balance", "breaks"]
    headers = [t(f"status.{k}", lang) for k in keys]
    rows = []
    for a in st.accounts:
        rows.append([
            a.account, a.entity, t(f"fund.{a.fund}", lang), t(f"role.{a.role}", lang), str(a.statements),
            str(a.lines), a.first_day or "-", a.last_day or "-",
            ", ".join(f"{g[0]}~{g[1]}" if g[0] != g[1] else g[0] for g in a.gaps) or "-",
            format_yuan(a.last_balance_fen) if a.last_balance_fen is not None else "-", str(a.balance_breaks),
        ])
    out = render(headers, rows, right=(4, 5, 9, 10)) + "\n\n" + t("status.files", lang, **st.files)
    if st.warnings:
        more = t("dialect.status.more", lang, shown=len(st.warnings), total=st.warnings_total)
        out += "\n\n" + t("dialect.title", lang) + (more if st.warnings_total > len(st.warnings) else "") + "\n"
        out += render([t("dialect.col.file", lang), t("dialect.col.account", lang), t("dialect.col.warning", lang)],
                      [[w.file_name, w.account, describe(w.departure, lang)] for w in st.warnings])
    return out


def accounts_table(reg: Registry, lang: str) -> str:
    headers = [t("status.account", lang), t("status.name", lang), t("status.entity", lang),
               t("status.fund", lang), t("status.role", lang), t("status.bank", lang), t("status.profile", lang)]
    rows = [[a.number, a.name, a.entity, t(f"fund.{a.fund}", lang), t(f"role.{a.role}", lang), a.bank, a.profile]
            for a in reg.accounts]
    return render(headers, rows)


def statements_text(statements: list[Statement], file_name: str, lang: str) -> str:
    parts = []
    for i, st in enumerate(statements, 1):
        head = t("parse.head", lang, i=i, format=st.format, account=st.account or "?", name=st.account_name,
                 currency=st.currency, start=st.period_start or "?", end=st.period_end or "?",
                 opening=format_yuan(st.opening_fen) if st.opening_fen is not None else "-",
                 closing=format_yuan(st.closing_fen) if st.closing_fen is not None else "-", n=len(st.lines))
        rows = [[ln.booking_date.isoformat(), format_yuan(ln.amount_fen), ln.counterparty_account,
                 ln.counterparty_name, ln.text, ln.remark, ln.bank_ref, _say("parse.status", ln.status.value, lang),
                 say_place(ln.source, lang)] for ln in st.lines]
        notes = "".join(f"\n  {describe(w, lang)}" for w in st.warnings)
        parts.append(head + notes + "\n" + render(
            [t(f"parse.col.{c}", lang) for c in ("date", "amount", "cp_account", "cp_name", "text", "remark", "ref",
                                                  "status", "source")], rows, right=(1,)))
    return "\n\n".join(parts) if parts else t("parse.no_statements", lang, file=file_name)


def findings_table(rows: list[dict[str, object]], lang: str) -> str:
    headers = [t(f"report.col.{c}", lang) for c in ("id", "kind", "severity", "entity", "fund", "period", "amount",
                                                       "days_late", "state", "review", "account")]
    out = []
    for r in rows:
        amount = r["amount_fen"]
        review = r["review"]
        assert isinstance(review, dict)
        out.append([str(r["id"]), _say("report.kind", r["kind"], lang), _say("report.severity", r["severity"], lang),
                    str(r["entity"] or "-"), _say("fund", r["fund"] or "-", lang), str(r["period"] or "-"),
                    format_yuan(amount) if isinstance(amount, int) else "-",
                    str(r["days_late"]) if r["days_late"] is not None else "-", _say("report.state", r["state"], lang),
                    _say("report.review", review["state"], lang), str(r["account"] or "-")])
    return render(headers, out, right=(0, 6, 7)) if out else t("findings.none", lang)


def runs_table(runs: list[dict[str, object]], lang: str) -> str:
    if not runs:
        return t("runs.none", lang)
    headers = [t(f"runs.col.{c}", lang) for c in ("run", "kind", "as_of", "started", "finished", "status", "steps")]
    rows = []
    for r in runs:
        steps = r["steps"]
        assert isinstance(steps, list)
        rows.append([str(r["id"]), _say("runs.kind", r["kind"], lang), str(r["as_of"] or "-"), str(r["started_at"]),
                     str(r["finished_at"] or "-"), _say("run.status", r["status"], lang),
                     " ".join(f"{_say('run.step', s['name'], lang)}:{_say('run.status', s['status'], lang)}"
                              for s in steps) + (f"  {r['error']}" if r["error"] else "")])
    return t("runs.title", lang) + "\n" + render(headers, rows, right=(0,))


def steps_table(steps: Sequence[Any], lang: str) -> str:
    """The steps of one run (`recon run`, `make demo`): step, status, and its counts in words."""
    headers = [t(f"run.col.{c}", lang) for c in ("step", "status", "counts")]
    rows = [[_say("run.step", s.name, lang), _say("run.status", s.status, lang),
             counts_text(s.counts, lang) + (f"  {s.error}" if s.error else "")] for s in steps]
    return render(headers, rows)


def counts_text(counts: dict[str, Any], lang: str) -> str:
    sep = "，" if lang != "en" else ", "
    parts = []
    for k, v in counts.items():
        value = f"（{counts_text(v, lang)}）" if isinstance(v, dict) else _say("run.value", v, lang)
        parts.append(f"{_say('run.count', k, lang)} {value}" if lang == "en" or not isinstance(v, dict)
                     else f"{_say('run.count', k, lang)}{value}")
    return sep.join(parts)


def _say(prefix: str, code: object, lang: str) -> str:
    key = f"{prefix}.{code}"
    return t(key, lang) if key in CATALOGUE else str(code)
