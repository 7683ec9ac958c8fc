"""`recon simulate`: a deterministic world of bank statements, plans and schedules for the pooled
funds, with injected faults and the answer key a correct reconciler must reproduce.

Modules: `world` (registry, calendar, deadlines, seeded randomness), `names` and `flows` (who pays
what), `lots` and `plans` (the rules as the answer key reads them), `faults` (what goes wrong where),
`ledger`, `actors` and `payments` (the books and what each account holder does), `months` (the
month loop), `statements` and `documents` (the files), `answer` (the key), `province` (a
generated ~90-county registry for the benchmarks).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reconcile.accounts import load_registry
from reconcile.calendar import WorkCalendar
from reconcile.config import Config
from simulate import answer, book_answer, budgets, documents, province
from simulate.faults import FaultPlan, place
from simulate.months import Sim
from simulate.statements import stamp
from simulate.world import World, next_ym

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LINES = {"city": 50_000, "province": 420_000}


@dataclass
class SimulationSummary:
    out: Path
    answer_key: Path
    registry: Path
    as_of: date
    months: int
    accounts: int
    files: int
    lines: int
    findings: int
    faults: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    fault_plan: FaultPlan | None = field(default=None, repr=False)


def simulate(
    start: str,
    months: int,
    seed: int,
    scale: str = "city",
    out: Path = Path("demo/inbox"),
    answer_key: Path | None = None,
    registry_out: Path | None = None,
    fault_rate: float | Mapping[str, float] = 0.02,
    *,
    lines_per_month: int | None = None,
    mappings: Path | None = None,
    config: Config | None = None,
) -> SimulationSummary:
    """Write `months` months of files from `start` (YYYY-MM) into `out` (the inbox) and the answer key.

    `answer_key` defaults to `answer_key.json` beside `out` and may not lie inside it; `registry_out`
    (default `accounts.toml` beside `out`) receives the generated registry at province scale (at city
    scale a copy of mappings/accounts.toml, only when given). `fault_rate` is the chance per eligible
    slot of another fault of each kind (a mapping gives a rate per kind); every kind is injected at
    least once where the period has room. `lines_per_month` sets the volume (city 50,000, province
    420,000).
    """
    if scale not in DEFAULT_LINES:
        raise ValueError(f"scale must be 'city' or 'province', not {scale!r}")
    if months < 1:
        raise ValueError("months must be at least 1")
    out = Path(out)
    answer_key = Path(answer_key) if answer_key else out.parent / "answer_key.json"
    if answer_key.resolve().is_relative_to(out.resolve()):
        raise ValueError(f"the answer key {answer_key} must not lie inside the inbox {out}")
    mappings = Path(mappings) if mappings else PROJECT_ROOT / "mappings"
    cfg = config or Config()
    y, m = (int(x) for x in start.split("-"))
    yms = [next_ym((y, m), i) for i in range(months)]
    lines = lines_per_month or DEFAULT_LINES[scale]
    if scale == "province":
        registry_path = Path(registry_out) if registry_out else out.parent / "accounts.toml"
        registry_path.parent.mkdir(parents=True, exist_ok=True)
        registry_path.write_text(province.registry_toml(seed), encoding="utf-8")
    else:
        registry_path = mappings / "accounts.toml"
        if registry_out:
            Path(registry_out).write_bytes(registry_path.read_bytes())
            registry_path = Path(registry_out)
    registry = load_registry(registry_path)
    cal = WorkCalendar(cfg.calendar.extra_holidays, cfg.calendar.extra_workdays)
    world = World(registry, cal, cfg.rules, seed, yms)
    world.daily = frozenset(a.number for i, a in enumerate(registry.accounts)
                            if a.profile == "camt" or (a.profile == "mt940" and i % 2 == 0))
    faults = place(world, fault_rate)
    out.mkdir(parents=True, exist_ok=True)
    sim = Sim(world, faults, out, mappings / "banks", lines)
    sim.run()
    book_rate = float(fault_rate) if isinstance(fault_rate, int | float) else float(fault_rate.get("book", 0.0))
    sim.cashiers.finish(out, cfg.book.match_days, book_rate / 2, shifted=next(iter(sim.writer.offset), ""))
    documents.write_plans(world, sim.plans, out)
    documents.write_schedule(world, sim.surplus, out)
    targets = budgets.targets(sim)
    documents.write_targets(world, targets, out)
    budget_force = budgets.write_budgets(sim, out)
    key = answer.build(sim)
    book = book_answer.build(sim.cashiers, world, sim.writer.written, sim.writer.offset, cfg.book.match_days,
                             cfg.book.stale_days)
    key["findings"] = sorted([*key["findings"], *book.findings], key=answer.sort_key)  # type: ignore[misc]
    key["no_finding_faults"] = [*key["no_finding_faults"], *book.no_finding]  # type: ignore[misc]
    key["book"] = book.months
    key.update(budgets.answer(sim, budget_force, targets))  # budget execution and the gap rule
    answer_key.parent.mkdir(parents=True, exist_ok=True)
    answer_key.write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    when = stamp(world.add_wd(world.as_of, 1))
    for path in {answer_key, registry_path} - {mappings / "accounts.toml"}:
        os.utime(path, (when, when))
    counts: dict[str, int] = {}
    for f in faults.faults:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    for kind, _account, _what in sim.cashiers.placed:
        counts[kind] = counts.get(kind, 0) + 1
    files = sum(1 for _ in out.iterdir())
    return SimulationSummary(out, answer_key, registry_path, world.as_of, months, len(registry.accounts), files,
                             sim.writer.lines, len(key["findings"]), counts,  # type: ignore[arg-type]
                             sorted(set(faults.skipped) | set(sim.cashiers.skipped)), faults)


__all__ = ["SimulationSummary", "simulate"]
