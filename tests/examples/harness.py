"""Worked examples: `tests/examples/<case>/case.toml` holds hand-written statements, plans,
`as_of` and the expected findings of one case the normative section of docs/DOMAIN.md decides.

The statements are written as camt.053 files into a fresh inbox, ingested, and reconciled on a
registry cut down to the accounts the case names, through the same code `recon run` uses.

case.toml:
    as_of = 2008-03-31
    accounts = ["ZS.pension.income", "LPS.pension.income", "LPS.pension.fiscal"]
    [[statement]]
    account = "ZS.pension.income"        # entity.fund.role of the registry
    period = [2008-03-01, 2008-03-31]
    opening = "0.00"
    lines = [["2008-03-03", "1000.00", "employer", "缴费"], ...]   # date, signed yuan, counterparty, text
    [[plan]]  month, entity, fund, amount, submitted, approved, version
    [[surplus]] entity, fund, amount, due, account
    [[expected]] kind, rule, entity, fund, account, period, amount ("yuan"), days_late
A counterparty is another account of the case (entity.fund.role), a registered external's name,
"employer" (a made-up outside payer), "nobody" (no counterparty at all), or any other text, taken
as an outside party's name with no account number.
"""

from __future__ import annotations

import csv
import io
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import run_reconcile
from parsers.camt.writer import write as write_camt
from reconcile.accounts import Account, Registry
from reconcile.model import Line, RefStrength, Statement
from reconcile.money import plain_yuan, to_fen
from store.db import session_scope, upgrade
from store.findings import listing

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
EMPLOYER = ("6222020200112233445", "六盘水市某某建筑工程有限公司")


def cases() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if (p / "case.toml").exists())


def alias_of(registry: Registry, alias: str) -> Account:
    entity, fund, role = alias.split(".")
    return next(a for a in registry.accounts if (a.entity, a.fund, a.role) == (entity, fund, role))


def cut_registry(full: Registry, aliases: list[str]) -> Registry:
    keep = [alias_of(full, a) for a in aliases]
    return replace(full, accounts=tuple(keep))


def _line(registry: Registry, row: list[Any], n: int) -> Line:
    day, amount, party, text = (row + [""] * 4)[:4]
    remark = row[4] if len(row) > 4 else ""
    cp_account, cp_name = "", ""
    if party == "employer":
        cp_account, cp_name = EMPLOYER
    elif party == "nobody":
        pass
    elif party.count(".") == 2 and party.split(".")[2] in ("income", "expense", "fiscal", "legacy_fiscal"):
        acct = alias_of(registry, party)
        cp_account, cp_name = acct.number, acct.name
    else:
        ext = next((x for x in registry.externals if party in (x.name, *x.aliases)), None)
        cp_account, cp_name = (ext.number, ext.name) if ext else ("", party)
    d = day if isinstance(day, date) else date.fromisoformat(day)
    return Line(d, to_fen(str(amount)), value_date=d, counterparty_account=cp_account, counterparty_name=cp_name,
                text=text, remark=remark, bank_ref=f"R{d:%Y%m%d}{n:05d}", ref_strength=RefStrength.STRONG)


def build_inbox(case: dict[str, Any], registry: Registry, inbox: Path) -> None:
    for i, st in enumerate(case.get("statement", [])):
        acct = alias_of(registry, st["account"])
        lines = tuple(_line(registry, row, i * 1000 + n) for n, row in enumerate(st.get("lines", [])))
        opening = to_fen(str(st.get("opening", "0.00")))
        closing = opening + sum(ln.amount_fen for ln in lines) + to_fen(str(st.get("closing_error", "0.00")))
        start, end = st["period"]
        statement = Statement(account=acct.number, currency="CNY", period_start=start, period_end=end,
                              opening_fen=opening, closing_fen=closing, lines=lines, account_name=acct.name)
        (inbox / f"camt053_{i:02d}_{acct.number}.xml").write_bytes(write_camt([statement]))
    if case.get("plan"):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["month", "entity", "fund", "amount", "submitted", "approved", "version"])
        for p in case["plan"]:
            w.writerow([p["month"], p["entity"], p["fund"], plain_yuan(to_fen(str(p["amount"]))), p["submitted"],
                        p.get("approved", ""), p.get("version", "")])
        (inbox / "plans.csv").write_text(buf.getvalue(), encoding="utf-8")
    if case.get("surplus"):
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["entity", "fund", "amount", "due", "account"])
        for x in case["surplus"]:
            w.writerow([x["entity"], x["fund"], plain_yuan(to_fen(str(x["amount"]))), x["due"],
                        alias_of(registry, x["account"]).number])
        (inbox / "surplus.csv").write_text(buf.getvalue(), encoding="utf-8")


def expected_of(case: dict[str, Any], registry: Registry) -> list[dict[str, object]]:
    out = []
    for e in case.get("expected", []):
        account = e.get("account")
        out.append({
            "kind": e["kind"], "rule": e.get("rule"), "entity": e.get("entity"), "fund": e.get("fund"),
            "account": alias_of(registry, account).number if account else None, "period": e.get("period"),
            "amount_fen": to_fen(str(e["amount"])) if "amount" in e else None, "days_late": e.get("days_late"),
        })
    return sorted(out, key=_order)


def _order(f: dict[str, object]) -> tuple[str, ...]:
    return tuple(str(f[k]) for k in ("kind", "rule", "entity", "fund", "account", "period", "amount_fen", "days_late"))


def run_case(folder: Path, project: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(expected, found) for one case, both sorted, in the answer key's fields."""
    case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    app = App(str(project / "config.toml"))
    full = app.registry
    registry = cut_registry(full, case["accounts"])
    build_inbox(case, full, project / "inbox")
    upgrade(app.database(checked=False))
    report = Ingestor(app.config, full, app.database()).run(progress=False)
    assert report.rejected == 0, report.rejected_names
    run_reconcile(app.config, registry, app.database(), case["as_of"])
    with session_scope(app.database()) as s:
        rows = listing(s, status="open")
        found = sorted((r.finding.answer_fields() for r in rows), key=_order)
    return expected_of(case, full), found
