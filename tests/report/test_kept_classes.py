"""The report's classed lines kept account by account (jobs.report.classing) are those of the whole
ledger: read cold, taken from the cache the night after (no kept month decoded), and classed again
where a late statement changed an account's kept months (the two-year ledger of test_window: a
return in January 2009 of a payment of December 2008, a refund in February 2009 of what a party
paid in May 2008, and the statements of November 2008 and January 2009 arriving late)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import store.classing
from jobs.reconciling import run_reconcile, settings
from jobs.report.classing import NAME, kept_classes
from reconcile.engine.condense import Condenser
from reconcile.engine.run import classed_lines
from reconcile.reporting.window import report_window
from store.inputs import config_digest
from store.reporting import reading
from store.snapshot import load_snapshot
from tests.report.test_window import Ledger

AS_OF = date(2009, 2, 27)  # January kept whole by the reconcile, February through the 27th


def _both(ledger: Ledger, cache: Path) -> tuple[object, object]:
    s = settings(ledger.app.config, ledger.registry)
    window = report_window(AS_OF)
    kept = config_digest(ledger.registry, s.codes)
    with reading(ledger.app.database()) as r:
        months = r.classing(window, kept)
        mine = None if months is None else kept_classes(months, window, s, Condenser(ledger.registry, s.codes), kept,
                                                        cache)
        whole = load_snapshot(r._session, AS_OF, Condenser(ledger.registry, s.codes))
    return mine, [x for x in classed_lines(whole, s) if x.booking_date >= window.start]


def test_the_kept_classes_are_those_of_the_whole_ledger_cold_warm_and_after_a_late_statement(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = Ledger(project)
    cache = project / "cache"
    decoded: list[str] = []
    real = store.classing.KeptAccount.lines

    def counted(self: store.classing.KeptAccount) -> object:
        decoded.append(self.account)
        return real(self)

    monkeypatch.setattr(store.classing.KeptAccount, "lines", counted)
    ledger.ingest(1)
    run_reconcile(ledger.app.config, ledger.registry, ledger.app.database(), AS_OF)
    mine, whole = _both(ledger, cache)
    assert mine == whole and (cache / NAME).is_file()
    assert {x.cls for x in whole} == {"fee", "interest", "refund"}  # the return's payment is in the late December
    assert decoded.count(ledger.account.number) == 2  # its months, and the year before (the refund)
    decoded.clear()
    mine, whole = _both(ledger, cache)  # the next report, nothing changed: taken from the cache
    assert mine == whole and decoded == []
    ledger.ingest(2)  # November 2008 and January 2009 arrive: the account's kept months change
    run_reconcile(ledger.app.config, ledger.registry, ledger.app.database(), AS_OF)
    mine, whole = _both(ledger, cache)
    assert mine == whole and ledger.account.number in decoded
    assert {x.cls for x in whole} == {"fee", "interest", "return", "refund"}


def test_without_the_last_reconciles_reading_the_caller_reads_the_snapshot(project: Path) -> None:
    ledger = Ledger(project)
    ledger.ingest(1)
    run_reconcile(ledger.app.config, ledger.registry, ledger.app.database(), AS_OF)
    ledger.ingest(2)  # stored since the reconcile
    assert _both(ledger, project / "cache")[0] is None
