"""Findings about statements and accounts: balance breaks, coverage gaps, stale accounts, and the
files that could not be read."""

from __future__ import annotations

from datetime import date, timedelta

from reconcile.accounts import Account
from reconcile.coverage import BalanceBreak, Coverage, chain_breaks, coverage
from reconcile.engine.carry import StatementsCarry
from reconcile.engine.context import Settings
from reconcile.engine.findings import Outcome, simple
from reconcile.engine.types import Finding, RejectedFile
from reconcile.model import StoredStatement


def check_statements(s: Settings, as_of: date, statements: dict[str, list[StoredStatement]],
                     coverage: dict[str, Coverage], rejected: list[RejectedFile],
                     before: dict[str, StatementsCarry] | None = None) -> Outcome:
    """Balance breaks, coverage gaps, stale accounts and unreadable files (no obligations).
    `statements` per account; `before`: for the accounts whose statements begin at the restart day,
    what those before it gave (reconcile.engine.carry)."""
    out: list[Finding] = []
    before = before or {}
    for acct in s.registry.accounts:
        earlier = before.get(acct.number)
        if earlier is not None:
            out.extend(earlier.findings)
        out.extend(break_findings(acct, chain_breaks(statements.get(acct.number, []),
                                                     earlier.link if earlier else None)[0]))
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


def break_findings(acct: Account, breaks: list[BalanceBreak]) -> list[Finding]:
    """The balance_break findings of an account's breaks, one a statement (its first break)."""
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for b in breaks:
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
    return out


def statements_at(s: Settings, as_of: date, cut: date, statements: dict[str, list[StoredStatement]],
                  before: dict[str, StatementsCarry], since: date | None) -> dict[str, StatementsCarry]:
    """What each account's statements beginning before `cut` give, for the next run
    (reconcile.engine.carry): `statements` are the run's, from `since` (the kept state's restart
    day) for the accounts in `before`, all of them for the others. None for an account when one
    of them ends on or after `cut` (the next run's statements would not all come after them), or
    when `cut` is before `since` for an account read from there, or `cut` after `as_of`."""
    out: dict[str, StatementsCarry] = {}
    if cut > as_of:
        return out
    for acct in s.registry.accounts:
        earlier = before.get(acct.number)
        if earlier is not None and since is not None and cut < since:
            continue
        mine = [st for st in statements.get(acct.number, []) if st.period_start < cut and not st.statement.intraday]
        if any(st.period_end >= cut for st in mine):
            continue
        breaks, link = chain_breaks(mine, earlier.link if earlier else None)
        out[acct.number] = StatementsCarry(
            coverage(acct.number, mine, s.calendar, earlier.coverage if earlier else None), link,
            (*(earlier.findings if earlier else ()), *break_findings(acct, breaks)))
    return out
