"""Findings about statements and accounts: balance breaks, coverage gaps, stale accounts, and the
files that could not be read."""

from __future__ import annotations

from datetime import date, timedelta

from reconcile.coverage import Coverage, balance_breaks
from reconcile.engine.context import Settings
from reconcile.engine.findings import Outcome, simple
from reconcile.engine.types import Finding, RejectedFile
from reconcile.model import StoredStatement


def check_statements(s: Settings, as_of: date, statements: list[StoredStatement],
                     coverage: dict[str, Coverage], rejected: list[RejectedFile]) -> Outcome:
    """Balance breaks, coverage gaps, stale accounts and unreadable files (no obligations)."""
    out: list[Finding] = []
    by_account: dict[str, list[StoredStatement]] = {}
    for st in statements:
        by_account.setdefault(st.statement.account, []).append(st)
    for acct in s.registry.accounts:
        mine = by_account.get(acct.number, [])
        seen: set[tuple[str, int]] = set()
        for b in balance_breaks(mine):
            if b.reason == "running":
                continue
            st = b.statement
            key = (st.file_sha256, st.index_in_file)
            if key in seen:
                continue
            seen.add(key)
            out.append(simple("balance_break", f"{acct.number}|{st.file_sha256}|{st.index_in_file}",
                              entity=acct.entity, fund=acct.fund, account=acct.number,
                              period=st.period_end.strftime("%Y-%m"), amount=b.difference_fen,
                              lines=[st.file_name], reason=b.reason))
        cov = coverage.get(acct.number)
        if cov is None or cov.last_day is None:
            continue
        for first, last in cov.gaps:
            if first > as_of:
                continue
            out.append(simple("coverage_gap", f"{acct.number}|{first.isoformat()}", entity=acct.entity,
                              fund=acct.fund, account=acct.number, period=first.strftime("%Y-%m"),
                              missing_from=first.isoformat(), missing_to=min(last, as_of).isoformat()))
        behind = len(s.calendar.workdays(cov.last_day + timedelta(days=1), as_of)) if cov.last_day < as_of else 0
        if behind > s.rules.stale_working_days:
            out.append(simple("stale_account", acct.number, entity=acct.entity, fund=acct.fund, account=acct.number,
                              period=cov.last_day.strftime("%Y-%m"), last_day=cov.last_day.isoformat(),
                              working_days_behind=behind))
    seen_files: set[str] = set()
    arrived = sorted(((f.received_on(s.zone), f) for f in rejected), key=lambda x: (x[0], x[1].name))
    for day, f in arrived:
        file_key = f.sha256 or f"name:{f.name}"  # bytes that could not be read: known by their name
        if day <= as_of and file_key not in seen_files:  # the same bytes rejected again: one finding
            seen_files.add(file_key)
            out.append(simple("rejected_file", file_key, period=day.strftime("%Y-%m"), file=f.name,
                              reason=f.reason, lines=[f.name]))
    return Outcome(out)

