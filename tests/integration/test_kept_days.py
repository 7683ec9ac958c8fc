"""The current month kept through the as-of date (store.inputs, engine_inputs.through; issue 18): a
night reads the kept part and only the ledger's lines booked after it, and what it reads is what a
full read gives, line for line, whatever the nights' days: mid-month on random days, a late line
for an earlier day of the month, an end-of-day statement superseding a kept day's intraday lines,
the month's end after kept days, a change of the registry or codes."""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.reconciling import settings
from reconcile.engine.condense import Condenser
from store.db import session_scope
from store.inputs import Inputs, config_digest, load_inputs
from store.models import EngineInputRow, LineRow
from store.snapshot import load_snapshot
from tests.integration.nights import TZ, deliver, one_seed_on_postgres, simulated
from tests.integration.nights import arrivals as arrivals_of


def _read(app: App, as_of: date, digest: str | None = None) -> Inputs:
    """What a night as of `as_of` reads through store.inputs (and keeps); asserted equal to a full read."""
    codes = settings(app.config, app.registry).codes
    with session_scope(app.database()) as session:
        got = load_inputs(session, as_of, Condenser(app.registry, codes), digest or config_digest(app.registry, codes))
    with session_scope(app.database()) as session:
        whole = load_snapshot(session, as_of, Condenser(app.registry, codes))
    assert sorted(got.lines, key=lambda ln: ln.id) == sorted(whole.lines, key=lambda ln: ln.id), as_of
    assert got.condensed == whole.condensed, as_of
    return got


def _ingest(app: App) -> None:
    Ingestor(app.config, app.registry, app.database()).run(progress=False)


def _booked_on(app: App, day: date) -> int:
    with session_scope(app.database()) as s:
        return s.scalar(select(func.count()).select_from(LineRow).where(
            LineRow.booking_date == day, LineRow.superseded_by.is_(None))) or 0


def _through(app: App, month: str) -> set[date | None]:
    with session_scope(app.database()) as s:
        return set(s.scalars(select(EngineInputRow.through).where(EngineInputRow.month == month)))


def _copy(files: list[Path], inbox: Path) -> None:
    inbox.mkdir(exist_ok=True)
    for f in files:
        shutil.copy2(f, inbox / f.name)


def _arrived(f: Path) -> date:
    return datetime.fromtimestamp(f.stat().st_mtime, TZ).date()


@pytest.mark.parametrize("seed", [3, 8])
def test_nights_on_random_days_read_the_ledger_only_after_the_kept_part(tmp_path: Path, db_url: str,
                                                                         seed: int) -> None:
    """Nights on random days of February and March (as-of dates one to three days back, so some
    go back before the day kept), files arriving late: each reads what a full read gives; the
    same night again reads nothing from the ledger; the next day with nothing new stored reads
    that day's lines only."""
    one_seed_on_postgres(db_url, seed, 3)
    rng = random.Random(seed)
    app = simulated(tmp_path, db_url, 3, seed, 400)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    arrivals = arrivals_of(tmp_path / "staged", rng)
    done: set[date] = set()
    nights = [date(2008, 2, 1) + timedelta(days=i) for i in range(60)]
    nights = [n for n in nights if rng.random() < 0.4]
    extended = 0
    for night in nights:
        deliver(arrivals, night, done, inbox)
        _ingest(app)
        as_of = night - timedelta(days=rng.choice([0, 1, 1, 2, 3]))
        got = _read(app, as_of)
        extended += got.extended_months
        again = _read(app, as_of)
        assert (again.built_months, again.extended_months, again.ledger_lines) == (0, 0, 0), as_of
        assert again.kept_months == got.kept_months + got.built_months
        nxt = _read(app, as_of + timedelta(days=1))
        if nxt.built_months == 0:  # the parties refunded the same: only the next day's lines read
            assert nxt.ledger_lines == _booked_on(app, as_of + timedelta(days=1)), as_of
    assert extended, "no kept part was read on"


def test_a_late_line_for_an_earlier_day_of_the_month_rebuilds_the_kept_part(tmp_path: Path, db_url: str) -> None:
    """A day's statement arriving after the night that kept the month through a later day."""
    app = simulated(tmp_path, db_url, 3, 3, 400)
    staged = sorted((tmp_path / "staged").iterdir())
    late = next(f for f in staged if f.name == "camt053_520501621600000102_20080310-20080310.xml")
    _copy([f for f in staged if f is not late and _arrived(f) <= date(2008, 3, 21)], tmp_path / "inbox")
    _ingest(app)
    _read(app, date(2008, 3, 20))
    assert _through(app, "2008-03") == {date(2008, 3, 20)}
    _copy([late], tmp_path / "inbox")
    _ingest(app)
    got = _read(app, date(2008, 3, 21))
    assert got.built_months >= 1 and got.extended_months >= 1
    assert _through(app, "2008-03") == {date(2008, 3, 21)}


def _held_back_end_of_day(tmp_path: Path, db_url: str) -> tuple[App, Path, Path]:
    """Three simulated months, the files that arrived through 18 March ingested, the intraday
    report of 17 March among them but not its end-of-day statement: the app, the intraday report
    and the statement held back."""
    app = simulated(tmp_path, db_url, 3, 3, 400)
    staged = sorted((tmp_path / "staged").iterdir())
    intraday = next(f for f in staged if f.name == "camt052_520501621600000102_20080317-20080317.xml")
    final = next(f for f in staged if f.name == "camt053_520501621600000102_20080317-20080317.xml")
    _copy([f for f in staged if f is not final and (_arrived(f) <= date(2008, 3, 18) or f is intraday)],
          tmp_path / "inbox")
    _ingest(app)
    return app, intraday, final


def test_an_end_of_day_statement_supersedes_the_intraday_lines_of_a_kept_day(tmp_path: Path, db_url: str) -> None:
    """The intraday report of 17 March is kept with the month's part; its end-of-day statement
    arrives after and supersedes its lines: none of them is read again."""
    app, intraday, final = _held_back_end_of_day(tmp_path, db_url)
    before = _read(app, date(2008, 3, 18))
    intraday_lines = [ln for ln in before.lines if ln.file_name == intraday.name]
    intraday_days = [dc for dc in before.condensed if dc.first.file_name == intraday.name]
    assert intraday_lines or intraday_days, "the intraday report's lines are kept"
    _copy([final], tmp_path / "inbox")
    _ingest(app)
    after = _read(app, date(2008, 3, 18))
    assert after.built_months >= 1
    assert not [ln for ln in after.lines if ln.file_name == intraday.name]


def test_a_statement_with_no_line_on_a_kept_day_supersedes_its_intraday_lines(tmp_path: Path, db_url: str) -> None:
    """The end-of-day statement of 17 and 18 March, its lines all booked on the 18th, arrives after
    the night that kept the month through the 17th: no line of it is booked on a kept day, yet it
    supersedes the kept intraday lines of the 17th."""
    app, intraday, final = _held_back_end_of_day(tmp_path, db_url)
    before = _read(app, date(2008, 3, 17))
    assert [ln for ln in before.lines if ln.file_name == intraday.name]
    xml = final.read_text(encoding="utf-8").replace("<ToDtTm>2008-03-17T23:59:59", "<ToDtTm>2008-03-18T23:59:59")
    xml = xml.replace("<BookgDt><Dt>2008-03-17</Dt>", "<BookgDt><Dt>2008-03-18</Dt>")
    assert "<BookgDt><Dt>2008-03-18</Dt>" in xml and "2008-03-18T23:59:59" in xml
    (tmp_path / "inbox" / "camt053_520501621600000102_20080317-20080318.xml").write_text(xml, encoding="utf-8")
    _ingest(app)
    with session_scope(app.database()) as s:
        assert not s.scalar(select(func.count()).select_from(LineRow).where(
            LineRow.file_id == select(func.max(LineRow.file_id)).scalar_subquery(),
            LineRow.booking_date <= date(2008, 3, 17)))
    after = _read(app, date(2008, 3, 18))
    assert after.built_months == 1
    assert not [ln for ln in after.lines if ln.file_name == intraday.name]


def test_the_month_end_after_kept_days_keeps_the_month_whole(tmp_path: Path, db_url: str) -> None:
    """The kept part read on to the month's end is the month kept whole; a night for an earlier
    day reads the month again (kept through that day), and the next month starts a new part."""
    app = simulated(tmp_path, db_url, 3, 5, 400)
    staged = sorted((tmp_path / "staged").iterdir())
    _copy([f for f in staged if _arrived(f) <= date(2008, 2, 21)], tmp_path / "inbox")
    _ingest(app)
    first = _read(app, date(2008, 2, 20))
    assert _through(app, "2008-02") == {date(2008, 2, 20)}
    end = _read(app, date(2008, 2, 29))  # nothing stored since: the kept part read on to the month's end
    assert end.built_months == 0 and end.extended_months == len([k for k in _months(app) if k[1] == "2008-02"])
    assert end.ledger_lines == sum(_booked_on(app, date(2008, 2, d)) for d in range(21, 30))
    assert _through(app, "2008-02") == {None}
    assert end.kept_months == first.kept_months + first.built_months
    february = len([k for k in _months(app) if k[1] == "2008-02"])
    back = _read(app, date(2008, 2, 10))  # a reconcile for an earlier day: the month kept past it read again
    assert (back.built_months, back.extended_months) == (february, 0)
    assert _through(app, "2008-02") == {date(2008, 2, 10)}
    _copy([f for f in staged if date(2008, 2, 21) < _arrived(f) <= date(2008, 3, 4)], tmp_path / "inbox")
    _ingest(app)
    _read(app, date(2008, 3, 3))
    assert _through(app, "2008-03") == {date(2008, 3, 3)}


def test_a_registry_change_rebuilds_the_kept_days(tmp_path: Path, db_url: str) -> None:
    """Another registry or codes (their digest): every month and part of one is read again, and
    again on the way back."""
    app = simulated(tmp_path, db_url, 3, 4, 400, into="inbox")
    _ingest(app)
    first = _read(app, date(2008, 3, 12))
    kept = len(_months(app))
    assert kept == first.built_months and _through(app, "2008-03") == {date(2008, 3, 12)}
    other = _read(app, date(2008, 3, 12), digest="another registry")
    assert (other.kept_months, other.built_months, other.extended_months) == (0, kept, 0)
    back = _read(app, date(2008, 3, 13))
    assert (back.kept_months, back.built_months) == (0, kept)


def _months(app: App) -> list[tuple[str, str]]:
    with session_scope(app.database()) as s:
        return [(a, m) for a, m in s.execute(select(EngineInputRow.account, EngineInputRow.month))]
