"""The inputs besides statements, in the layouts of mappings/templates: payment plans (one file per
entity submission, CSV or XLSX, English or Chinese headers), the surplus schedule and the
collection targets. Amounts in yuan with two decimals, dates YYYY-MM-DD.
"""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from datetime import date
from pathlib import Path

from reconcile.money import plain_yuan
from simulate.months import SimSurplus
from simulate.plans import Plans, SimPlan
from simulate.statements import freeze_xlsx, stamp
from simulate.world import YM, World, ym_str

PLAN_EN = ["month", "entity", "fund", "amount", "submitted", "approved", "version"]
PLAN_ZH = ["月份", "单位", "险种", "金额", "上报日期", "审批日期", "版本"]
STYLES = ("csv-en", "csv-zh", "xlsx-en", "xlsx-zh")


def _table(rows: list[list[str]], kind: str, when: date) -> bytes:
    if kind == "csv":
        buf = io.StringIO(newline="")
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        return buf.getvalue().encode("utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf2 = io.BytesIO()
    wb.save(buf2)
    return freeze_xlsx(buf2.getvalue(), when)


def _put(path: Path, data: bytes, day: date) -> None:
    path.write_bytes(data)
    t = stamp(day)
    os.utime(path, (t, t))


def write_plans(world: World, plans: Plans, out: Path) -> list[str]:
    subs: dict[tuple[str, YM, int], list[SimPlan]] = defaultdict(list)
    for rows in plans.rows.values():
        for r in rows:
            subs[(r.entity, r.month, r.version)].append(r)
    names = []
    for (entity, ym, version), rows in sorted(subs.items()):
        style = STYLES[world.rng("plan-style", entity).randrange(len(STYLES))]
        kind, lang = style.split("-")
        ent = world.registry.entity(entity)
        table = [PLAN_ZH if lang == "zh" else PLAN_EN]
        for r in sorted(rows, key=lambda r: r.fund):
            fund = world.registry.fund(r.fund)
            table.append([ym_str(ym), ent.name if lang == "zh" else entity, fund.name if lang == "zh" else r.fund,
                          plain_yuan(r.amount_fen), r.submitted.isoformat(), r.approved.isoformat(), str(version)])
        approved = max(r.approved for r in rows)
        name = f"plan_{entity}_{ym[0]:04d}{ym[1]:02d}_v{version}.{kind}"
        _put(out / name, _table(table, kind, approved), world.add_wd(approved, 1))
        names.append(name)
    return names


def write_schedule(world: World, surplus: list[SimSurplus], out: Path) -> str | None:
    if not surplus:
        return None
    rows = [["entity", "fund", "amount", "due", "account"]]
    for s in surplus:
        rows.append([s.entity, s.fund, plain_yuan(s.amount_fen), s.due.isoformat(), s.account])
    name = "surplus_schedule.csv"
    _put(out / name, _table(rows, "csv", world.start), world.start)
    return name


def write_targets(world: World, yearly: dict[tuple[int, str, str], int], out: Path) -> str:
    rows = [["年度", "单位", "险种", "目标金额"]]
    for (year, entity, fund), fen in sorted(yearly.items()):
        rows.append([str(year), world.registry.entity(entity).name, world.registry.fund(fund).name, plain_yuan(fen)])
    name = "collection_targets.csv"
    _put(out / name, _table(rows, "csv", world.start), world.start)
    return name
