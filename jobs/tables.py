"""Plain-text tables for the console (status, accounts, a parsed file)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from jobs.status import Status
from reconcile.accounts import Registry
from reconcile.departures import describe
from reconcile.messages import t
from reconcile.model import Statement
from reconcile.money import format_yuan


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
    headers = [t("status.account", lang), "户名" if lang == "zh" else "Name", t("status.entity", lang),
               t("status.fund", lang), t("status.role", lang), "开户行" if lang == "zh" else "Bank",
               "格式" if lang == "zh" else "Profile"]
    rows = [[a.number, a.name, a.entity, t(f"fund.{a.fund}", lang), t(f"role.{a.role}", lang), a.bank, a.profile]
            for a in reg.accounts]
    return render(headers, rows)


def statements_text(statements: list[Statement], file_name: str, lang: str) -> str:
    parts = []
    for i, st in enumerate(statements, 1):
        head = (f"[{i}] {st.format} {st.account or '?'} {st.account_name} {st.currency} "
                f"{st.period_start or '?'}..{st.period_end or '?'} "
                f"opening {format_yuan(st.opening_fen) if st.opening_fen is not None else '-'} "
                f"closing {format_yuan(st.closing_fen) if st.closing_fen is not None else '-'} "
                f"lines {len(st.lines)}")
        rows = [[ln.booking_date.isoformat(), format_yuan(ln.amount_fen), ln.counterparty_account,
                 ln.counterparty_name, ln.text, ln.remark, ln.bank_ref, ln.status.value, ln.source]
                for ln in st.lines]
        notes = "".join(f"\n  {describe(w, lang)}" for w in st.warnings)
        parts.append(head + notes + "\n" + render(
            ["date", "amount", "cp account", "cp name", "text", "remark", "ref", "status", "source"], rows,
            right=(1,)))
    return "\n\n".join(parts) if parts else f"{file_name}: no statements"


def findings_table(rows: list[dict[str, object]], lang: str) -> str:
    headers = ["id", "kind", "severity", "entity", "fund", "period", "amount", "days", "state", "review", "account"]
    out = []
    for r in rows:
        amount = r["amount_fen"]
        review = r["review"]
        assert isinstance(review, dict)
        out.append([str(r["id"]), str(r["kind"]), str(r["severity"]), str(r["entity"] or "-"), str(r["fund"] or "-"),
                    str(r["period"] or "-"), format_yuan(amount) if isinstance(amount, int) else "-",
                    str(r["days_late"]) if r["days_late"] is not None else "-", str(r["state"]),
                    str(review["state"]), str(r["account"] or "-")])
    return render(headers, out, right=(0, 6, 7)) if out else ("没有问题。" if lang == "zh" else "No findings.")


def runs_table(runs: list[dict[str, object]], lang: str) -> str:
    if not runs:
        return "还没有运行记录。" if lang == "zh" else "No runs yet."
    headers = ["run", "kind", "as of", "started", "finished", "status", "steps"]
    rows = []
    for r in runs:
        steps = r["steps"]
        assert isinstance(steps, list)
        rows.append([str(r["id"]), str(r["kind"]), str(r["as_of"] or "-"), str(r["started_at"]),
                     str(r["finished_at"] or "-"), str(r["status"]),
                     " ".join(f"{s['name']}:{s['status']}" for s in steps) + (f"  {r['error']}" if r["error"] else "")])
    title = "最近的运行：" if lang == "zh" else "Recent runs:"
    return title + "\n" + render(headers, rows, right=(0,))
