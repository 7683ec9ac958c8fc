"""jobs/isolate.py with real forked children: a result comes back; running out of memory, out of
time, dying by a signal or raising are each a `Failure` naming what happened, never the caller's."""

from __future__ import annotations

import faulthandler
import gc
import os
import pickle
import pickletools
import signal
import time
import weakref
from dataclasses import fields
from datetime import date

import pytest

from jobs import isolate
from jobs.isolate import Failure, Worker
from reconcile.departures import Departure
from reconcile.model import PERIOD_FROM, EntryStatus, Line, RefStrength, Statement
from tests.fresh import in_fresh_interpreter

MB = 1024 * 1024


def _value(n: int) -> list[int]:
    return list(range(n))


def _hog() -> bytes:
    return bytes(2048 * MB)


def _sleep() -> None:
    time.sleep(30)


def _segv() -> None:
    faulthandler.disable()  # pytest's handler would print the child's stack on the terminal
    os.kill(os.getpid(), signal.SIGSEGV)


def _raise() -> None:
    raise OverflowError("int too large")


def test_a_result_comes_back_whole() -> None:
    assert Worker.alone(_value, (200_000,), 256 * MB, 30).result(1) == list(range(200_000))


def test_an_allocation_above_the_cap_is_a_memory_failure() -> None:
    assert Worker.alone(_hog, (), 256 * MB, 30).result(1) == Failure("memory")


def test_a_child_past_its_time_is_killed_at_the_deadline() -> None:
    t0 = time.monotonic()
    assert Worker.alone(_sleep, (), 256 * MB, 1).result(1) == Failure("time")
    assert time.monotonic() - t0 < 10


def test_a_child_that_dies_by_a_signal_is_named() -> None:
    assert Worker.alone(_segv, (), 256 * MB, 30).result(1) == Failure("died", "SIGSEGV")


def test_an_unexpected_exception_is_reported_not_raised() -> None:
    got = Worker.alone(_raise, (), 256 * MB, 30).result(1)
    assert isinstance(got, Failure) and got.kind == "died" and "OverflowError" in got.detail


# -- a Worker: one fork for many calls -----------------------------------------------------------------------
_KEPT: list[bytes] = []


def _call(kind: str, n: int = 0) -> int | bytes:
    """What one call of a Worker does, by `kind`: its child's pid, a value, or a hostile call."""
    if kind == "pid":
        return os.getpid()
    if kind == "keep":  # holds n MB in the child beyond the call (a reader that leaves memory behind)
        _KEPT.append(bytes(n * MB))
        return len(_KEPT)
    if kind == "take":  # needs n MB for the call only
        return len(bytes(n * MB))
    if kind == "sleep":
        time.sleep(30)
    if kind == "segv":
        _segv()
    return _hog()


def test_a_worker_gives_each_call_back_in_order_from_one_child() -> None:
    w: Worker[int | bytes] = Worker(_call, (), 256 * MB, 30)
    calls = [w.send(("pid",)) for _ in range(5)]
    pids = [w.result(n) for n in calls]
    assert calls == [1, 2, 3, 4, 5]
    assert len(set(pids)) == 1 and pids[0] not in (os.getpid(), None)
    w.abandon()


def _allowance_above_what_the_child_holds(free_heap_mb: int, too_much_mb: int) -> list[object]:
    """What a Worker forked from a process with `free_heap_mb` of freed heap gives back for: three calls that
    keep 150 MB each, then calls that take 200 MB and `too_much_mb` for themselves."""
    junk = [bytes(100_000) for _ in range(free_heap_mb * 10)]  # below malloc's mmap threshold: on the heap
    pin = bytes(100_000)  # the heap's top stays in use, so the freed chunks below it stay mapped
    del junk
    w: Worker[int | bytes] = Worker(_call, (), 256 * MB, 30)
    got: list[object] = [w.result(w.send(("keep", 150))) for _ in range(3)]
    got += [w.result(w.send(("take", 200))), w.result(w.send(("take", too_much_mb)))]
    w.abandon()
    del pin
    return got


@pytest.mark.parametrize(("free_heap_mb", "too_much_mb"), [(0, 300), (1000, 1400)])
def test_each_call_of_a_worker_gets_the_whole_memory_allowance_above_what_the_child_holds(
        free_heap_mb: int, too_much_mb: int) -> None:
    """The child grows by 450 MB over its cap of one call, and each call still gets its 256 MB; one
    call more is refused. Run in a fresh interpreter, whose heap holds no freed memory but what the case
    frees: a fork inherits its parent's freed heap, which a call may reuse inside its cap. So from a
    clean parent the bound is the allowance (300 MB is refused), and from a parent that freed 1000 MB it
    is the allowance plus that (CI once saw 300 MB pass in a pytest worker that had freed about 1 GB)."""
    got = in_fresh_interpreter(_allowance_above_what_the_child_holds, free_heap_mb, too_much_mb)
    assert got == [1, 2, 3, 200 * MB, Failure("memory")]  # still a bound for each call


@pytest.mark.parametrize(("kind", "failure"), [("hog", Failure("memory")), ("sleep", Failure("time")),
                                               ("segv", Failure("died", "SIGSEGV"))])
def test_a_call_that_fails_its_bound_ends_the_worker_and_the_calls_sent_after_it_are_gone(
        kind: str, failure: Failure) -> None:
    w: Worker[int | bytes] = Worker(_call, (), 256 * MB, 2)
    first, bad, after = w.send(("pid",)), w.send((kind,)), w.send(("pid",))
    t0 = time.monotonic()
    assert isinstance(w.result(first), int)
    assert w.result(bad) == failure
    assert w.result(after) == Failure("gone")
    assert not w.open
    assert time.monotonic() - t0 < 15


def test_the_time_bound_counts_from_the_start_of_the_call_not_from_when_it_was_sent() -> None:
    """Calls queued behind slow ones are not charged for the waiting: four calls of 0.7 s each in a
    1.5 s bound all come back (taken only after the last one has finished)."""
    w: Worker[None] = Worker(time.sleep, (), 256 * MB, 1.5)
    calls = [w.send((0.7,)) for _ in range(4)]
    time.sleep(3.2)
    assert [w.result(n) for n in calls] == [None] * 4
    w.abandon()


def test_a_worker_takes_no_more_calls_after_worker_calls_and_ends_after_the_last(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolate, "WORKER_CALLS", 3)
    w: Worker[int | bytes] = Worker(_call, (), 256 * MB, 30)
    calls = [w.send(("pid",)) for _ in range(3)]
    assert not w.open
    assert len({w.result(n) for n in calls}) == 1
    assert w.ended == Failure("gone")  # reaped


def _statements() -> list[Statement]:
    lines = tuple(Line(date(2008, 3, 1 + i % 28), (-1) ** i * (i + 1) * 100,
                       value_date=date(2008, 3, 2) if i % 2 else None,
                       counterparty_account=f"6222 {i}", counterparty_name="张三", text="工资\x1f", bank_ref=f"R{i}",
                       ref_strength=RefStrength.STRONG if i % 3 else RefStrength.WEAK, balance_fen=i or None,
                       source=f"line {i}", status=EntryStatus.PDNG if i == 4 else EntryStatus.BOOK, reversal=i == 5,
                       details_count=i % 2)
                  for i in range(40))
    return [Statement("2406070109000012345", period_start=date(2008, 3, 1), period_end=date(2008, 3, 31),
                      opening_fen=5, closing_fen=None, lines=lines, format="camt.053", intraday=True, source="Stmt[1]",
                      extra={PERIOD_FROM: "balances"}, warnings=(Departure("camt.x", "Stmt[1]", 2, "d"),)),
            Statement("1", lines=())]


def _read_statements() -> list[Statement]:
    return _statements()


def test_a_readers_statements_come_back_equal_in_every_field_sent_as_columns() -> None:
    """The reader's Worker pickles a statement's lines as columns (jobs/ingest/reading.py), not a `Line`
    object each; the parent gets them back equal in every field, those `==` leaves out too (extra,
    warnings). Fails before: no STATEMENT_REDUCERS (every line one NEWOBJ)."""
    from jobs.ingest.reading import STATEMENT_REDUCERS

    w: Worker[list[Statement]] = Worker(_read_statements, (), 256 * MB, 30, STATEMENT_REDUCERS)
    got = w.result(w.send(()))
    w.abandon()
    assert isinstance(got, list)
    want = _statements()
    assert got == want
    for a, b in zip(got, want, strict=True):
        assert [getattr(a, f.name) for f in fields(Statement)] == [getattr(b, f.name) for f in fields(Statement)]
        assert all(type(ln) is Line for ln in a.lines) and type(a.lines) is tuple
        assert [tuple(ln) for ln in a.lines] == [tuple(ln) for ln in b.lines]
    frame = isolate.dumps(("ok", want), STATEMENT_REDUCERS)
    assert sum(op.name == "NEWOBJ" for op, _arg, _pos in pickletools.genops(frame)) < 5  # not one a line


# -- the cyclic GC: off while a child reads and while the parent unpickles ---------------------------------
class _Cycle:
    def __init__(self) -> None:
        self.me = self


_CYCLE: list[weakref.ref[_Cycle]] = []


def _gc_seen(kind: str) -> tuple[bool, int, bool]:
    """What a call sees of the cyclic GC: whether it runs, how many objects are frozen, and whether
    the cycle an earlier call dropped (`kind` "cycle") is still alive."""
    if kind == "cycle":
        c = _Cycle()
        _CYCLE.append(weakref.ref(c))
        del c
    return gc.isenabled(), gc.get_freeze_count(), any(ref() is not None for ref in _CYCLE)


def test_a_workers_calls_run_without_the_cyclic_gc_and_their_cycles_are_freed_after_each() -> None:
    """A call runs with the GC off, the objects the child was forked with frozen (out of its
    collections), and the cyclic garbage it leaves is collected before the next call. Fails before:
    the calls saw the GC on and nothing frozen."""
    w: Worker[tuple[bool, int, bool]] = Worker(_gc_seen, (), 256 * MB, 30)
    first = w.result(w.send(("cycle",)))
    second = w.result(w.send(("look",)))
    w.abandon()
    assert isinstance(first, tuple) and isinstance(second, tuple)
    assert first[:1] == second[:1] == (False,)
    assert first[1] > 1000 and second[1] > 1000  # the interpreter's and pytest's objects, as forked
    assert first[2] is True  # the cycle lives during its call (GC off) ...
    assert second[2] is False  # ... and is gone by the next one
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the parent's GC untouched


class _GcOnWhenUnpickled:
    def __reduce__(self) -> tuple[object, tuple[()]]:
        return gc.isenabled, ()  # unpickled as the GC's state at that moment


@pytest.mark.parametrize("enabled", [True, False])
def test_the_parent_unpickles_a_result_with_the_gc_off_and_leaves_it_as_it_was(enabled: bool) -> None:
    """Fails before: the result was unpickled with the GC on."""
    payload = pickle.dumps(("ok", _GcOnWhenUnpickled()))
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert isolate._outcome(payload) is False
        assert gc.isenabled() is enabled
        with pytest.raises(pickle.UnpicklingError):
            isolate._outcome(b"not a pickle")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
