"""Judging one obligation at the as-of date (docs/DOMAIN.md: Judging).

With due (less absorbed fen), the settlements (date, fen) and D the rolled deadline plus grace:
on_time = fen settled by transfers dated <= D, late = fen settled in (D, A], out = the rest, and
tol the rule's tolerance. The kinds of the `settlement` group exclude each other; where money is
outstanding that is the finding, else lateness, else an excess beyond the tolerance (`over`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from reconcile.engine.types import Obligation


@dataclass(frozen=True)
class Verdict:
    kind: str  # late | partial | missing | over | short_disbursement
    amount_fen: int
    days_late: int | None


def tolerance(due: int, tolerance_fen: int, tolerance_bp: int) -> int:
    """The rule's tolerance in fen: a fixed amount, or basis points of the amount due (rounded down)."""
    return max(tolerance_fen, due * tolerance_bp // 10_000)


def judge(due: int, settlements: list[tuple[date, int]], excess: int, deadline: date, as_of: date, tol: int,
          *, short_kind: str | None = None) -> Verdict | None:
    on_time = sum(a for d, a in settlements if d <= deadline)
    late = sum(a for d, a in settlements if deadline < d <= as_of)
    out = due - on_time - late
    if out > tol:
        if on_time + late == 0:
            return Verdict(short_kind or "missing", due, (as_of - deadline).days)
        return Verdict(short_kind or "partial", out, (as_of - deadline).days)
    if late > 0 and due - on_time > tol:
        running = on_time
        completed = deadline
        for d, a in sorted(settlements):
            running += a if d > deadline else 0
            if d > deadline and due - running <= tol:
                completed = d
                break
        return Verdict("late", late, (completed - deadline).days)
    if excess > tol:
        return Verdict("over", excess, None)
    return None


def view(rule: str, entity: str, fund: str, period: str, account: str, due: int, settlements: list[tuple[date, int]],
         excess: int, deadline: date, as_of: date, verdict: Verdict | None, *, awaiting: bool = False,
         plan_version: int | None = None) -> Obligation:
    """The obligation's row for the late-remittance list, with its arrears in fen-days."""
    on_time = sum(a for d, a in settlements if d <= deadline)
    late = [(d, a) for d, a in sorted(settlements) if deadline < d <= as_of]
    late_fen = sum(a for _, a in late)
    out = max(due - on_time - late_fen, 0)
    fen_days = sum(a * (d - deadline).days for d, a in late) + out * max((as_of - deadline).days, 0)
    status = "awaiting_statement" if awaiting else (verdict.kind if verdict else "ok")
    days = verdict.days_late if verdict else None
    return Obligation(rule, entity, fund, period, account, deadline, due, on_time, late_fen, tuple(late), out,
                          excess, days, fen_days, status, plan_version)


def aged(o: Obligation, judged: date, as_of: date) -> Obligation:
    """A standing judged as of `judged`, as of `as_of`, where no settlement can change any more
    and all were on or before both days: only the amount still out (within the tolerance) ages,
    in fen-days from the deadline."""
    more = o.outstanding_fen * (max((as_of - o.deadline).days, 0) - max((judged - o.deadline).days, 0))
    return replace(o, fen_days=o.fen_days + more) if more else o
