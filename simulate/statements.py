"""Statement files as each account's bank sends them, through the parsers' own writers.

camt accounts: a camt.053 per working day, on some days a camt.052 intraday report first; MT940
daily or monthly; OFX monthly; tabular profiles: the month's export, CSV or XLSX as the profile's
bank writes it. Names are `<bank-or-format>_<account>_<YYYYMMDD>-<YYYYMMDD>.<ext>` and every file's
mtime is 09:00 Asia/Shanghai on the working day after its period (an intraday report: 12:00 that
day). The statement faults live here too: a balance break, a missing day (coverage gap), a stale
account, the same file twice, an overlapping statement and a malformed file.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from parsers import camt, mt940, ofx, tabular
from parsers.tabular.profile import Profile, load_profiles
from reconcile.accounts import Account
from reconcile.model import Line, RefStrength, Statement
from simulate.faults import FaultPlan
from simulate.ledger import DayLines
from simulate.world import YM, World, month_end, ym_of, ym_str

TZ = ZoneInfo("Asia/Shanghai")
EXT = {"camt": "xml", "mt940": "sta", "ofx": "ofx"}


def stamp(d: date, hour: int = 9) -> float:
    return datetime.combine(d, time(hour, 0), TZ).timestamp()


def freeze_xlsx(data: bytes, when: date) -> bytes:
    """openpyxl stamps the clock into docProps/core.xml and the ZIP entries: replace both, so the
    same seed gives the same bytes (and a file dropped twice is the same file)."""
    iso = f"{when.isoformat()}T09:00:00Z".encode()
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + iso + rb"\g<2>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, body)
    return buf.getvalue()


@dataclass
class StatementWriter:
    world: World
    out: Path
    banks_dir: Path
    faults: FaultPlan
    files: int = 0
    lines: int = 0
    findings: list[dict[str, object]] = field(default_factory=list)
    no_finding: list[dict[str, object]] = field(default_factory=list)
    held: dict[str, list[DayLines]] = field(default_factory=dict)
    written: dict[str, list[str]] = field(default_factory=dict)  # account -> file names

    def __post_init__(self) -> None:
        self.profiles: dict[str, Profile] = load_profiles(self.banks_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        self.offset: dict[str, tuple[date, int]] = {}
        self.mtime_of: dict[str, float] = {}
        f = self.faults.find("balance_break")
        if f and f.month:
            rng = self.world.rng("break", f.account)
            wds = self.world.workdays(f.month)
            day = wds[len(wds) // 2] if f.account in self.world.daily else date(*f.month, 1)
            self.offset[f.account] = (day, rng.choice((-1, 1)) * rng.randint(1000, 500000))

    def ref_strength(self, a: Account) -> RefStrength:
        if a.profile in EXT:
            return RefStrength.STRONG
        return RefStrength(self.profiles[a.profile].ref_strength)

    # -- one account, one month ---------------------------------------------------------------------
    def emit(self, a: Account, ym: YM, days: list[DayLines], last_day: date | None) -> None:
        days = self._shifted(a, days)
        if self.faults.find("overlapping_statements", account=a.number, month=ym):
            self.held[a.number] = days
        over = self.faults.find("overlapping_statements", account=a.number)
        if over and over.month and ym != over.month and a.number in self.held:
            self._overlap(a, self.held.pop(a.number) + days, ym)
        if a.number in self.world.daily:
            gap = self._gap_day(a, ym, days)
            for dl in days:
                if dl.day != gap:
                    self._daily(a, dl)
        elif days:
            end = last_day if last_day and ym_of(last_day) == ym else month_end(ym)
            st = self._statement(a, date(*ym, 1), end, days[0].opening, days[-1].closing,
                                 [ln for dl in days for ln in dl.lines])
            name = self._write(a, st)
            if self.faults.find("duplicate_file", account=a.number, month=ym):
                stem, ext = name.rsplit(".", 1)
                copy = f"{stem} - 副本.{ext}"
                self._put(copy, (self.out / name).read_bytes(), self.mtime_of[name] + 86400)
                self.no_finding.append({"fault": "duplicate_file", "file": copy, "same_as": name,
                                        "check": "ingest records it as duplicate; line count unchanged"})

    def _shifted(self, a: Account, days: list[DayLines]) -> list[DayLines]:
        """A balance break: from one day on, the bank reports every balance off by the same amount."""
        if a.number not in self.offset:
            return days
        start, x = self.offset[a.number]
        out = []
        for dl in days:
            if dl.day < start:
                out.append(dl)
                continue
            lines = [_with_balance(ln, (ln.balance_fen or 0) + x) for ln in dl.lines]
            out.append(DayLines(dl.day, dl.opening + x, lines))
        if days and ym_of(days[0].day) == ym_of(start):
            self.findings.append(_finding("balance_break", a, ym_str(ym_of(start)), x, fault="balance_break"))
        return out

    def _gap_day(self, a: Account, ym: YM, days: list[DayLines]) -> date | None:
        f = self.faults.find("coverage_gap", account=a.number, month=ym)
        if f is None:
            return None
        quiet = [dl.day for dl in days[:-1] if dl.day.day > 15 and not dl.lines]
        if not quiet:
            self.faults.skipped.append("coverage_gap")
            return None
        day = self.world.rng("gap", a.number).choice(quiet)
        self.findings.append(_finding("coverage_gap", a, ym_str(ym), None, fault="coverage_gap"))
        return day

    def _daily(self, a: Account, dl: DayLines) -> None:
        if a.profile == "camt" and len(dl.lines) >= 2 and self.world.rng("052", a.number, dl.day).random() < 0.15:
            half = dl.lines[: len(dl.lines) // 2]
            st = self._statement(a, dl.day, dl.day, dl.opening, half[-1].balance_fen, half, intraday=True)
            self._write(a, st)
        st = self._statement(a, dl.day, dl.day, dl.opening, dl.closing, dl.lines)
        name = self._write(a, st)
        f = self.faults.find("malformed_file", account=a.number, month=ym_of(dl.day))
        if f and not f.extra.get("done") and dl.day.day >= 10:
            f.extra["done"] = True
            data = (self.out / name).read_bytes()
            broken = name.replace(".", " (1).", 1) if name.count(".") == 1 else f"{name}.1"
            self._put(broken, data[: len(data) * 3 // 5], self.mtime_of[name])
            arrived = datetime.fromtimestamp(self.mtime_of[name], TZ).date()
            self.findings.append({"kind": "rejected_file", "rule": None, "entity": None, "fund": None,
                                  "account": None, "period": ym_str(ym_of(arrived)), "amount_fen": None,
                                  "days_late": None, "fault": "malformed_file", "file": broken})

    def _overlap(self, a: Account, days: list[DayLines], ym: YM) -> None:
        prev = days[0].day
        lo, hi = date(prev.year, prev.month, 16), date(ym[0], ym[1], 15)
        part = [dl for dl in days if lo <= dl.day <= hi]
        if not part:
            return
        st = self._statement(a, lo, hi, part[0].opening, part[-1].closing, [ln for dl in part for ln in dl.lines])
        name = self._write(a, st)
        self.no_finding.append({"fault": "overlapping_statements", "file": name,
                                "check": "its lines are already stored (no line added), no balance_break, "
                                         "coverage unchanged"})

    # -- writing --------------------------------------------------------------------------------------
    def _statement(self, a: Account, start: date, end: date, opening: int, closing: int | None,
                   lines: list[Line], *, intraday: bool = False) -> Statement:
        fmt = "camt.052" if intraday else ("camt.053" if a.profile == "camt" else a.profile)
        return Statement(account=a.number, currency="CNY", period_start=start, period_end=end, opening_fen=opening,
                         closing_fen=closing, lines=tuple(lines), account_name=a.name, format=fmt,
                         intraday=intraday)

    def _write(self, a: Account, st: Statement) -> str:
        assert st.period_start and st.period_end
        span = f"{st.period_start:%Y%m%d}-{st.period_end:%Y%m%d}"
        when = self.world.add_wd(st.period_end, 1)
        mtime = stamp(when)
        if a.profile == "camt":
            msg = "052" if st.intraday else "053"
            data = camt.FORMAT.write([st], message=msg)
            name = f"camt{msg}_{a.number}_{span}.xml"
            if st.intraday:
                mtime = stamp(st.period_end, 12)
        elif a.profile == "mt940":
            data, name = mt940.FORMAT.write([st], message="940"), f"mt940_{a.number}_{span}.sta"
        elif a.profile == "ofx":
            data, name = ofx.write([st], version=2), f"ofx_{a.number}_{span}.ofx"
        else:
            p = self.profiles[a.profile]
            kind = p.layout.get("kind", "csv")
            data = tabular.write([st], a.profile, banks_dir=self.banks_dir, kind=kind)
            if kind == "xlsx":
                data = freeze_xlsx(data, when)
            name = f"{a.profile.split('_')[0]}_{a.number}_{span}.{kind}"
        self._put(name, data, mtime)
        self.lines += len(st.lines) if not st.intraday else 0
        self.written.setdefault(a.number, []).append(name)
        return name

    def _put(self, name: str, data: bytes, mtime: float) -> None:
        path = self.out / name
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
        self.mtime_of[name] = mtime
        self.files += 1


def _with_balance(ln: Line, balance: int) -> Line:
    return ln._replace(balance_fen=balance)


def _finding(kind: str, a: Account, period: str, amount: int | None, *, fault: str) -> dict[str, object]:
    return {"kind": kind, "rule": None, "entity": a.entity, "fund": a.fund, "account": a.number,
            "period": period, "amount_fen": amount, "days_late": None, "fault": fault}
