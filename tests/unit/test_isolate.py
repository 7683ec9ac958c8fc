"""jobs/isolate.py with real forked children: a result comes back; running out of memory, out of
time, dying by a signal or raising are each a `Failure` naming what happened, never the caller's."""

from __future__ import annotations

import faulthandler
import os
import signal
import time

from jobs.isolate import Child, Failure

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
    assert Child(_value, (200_000,), 256 * MB, 30).result() == list(range(200_000))


def test_an_allocation_above_the_cap_is_a_memory_failure() -> None:
    assert Child(_hog, (), 256 * MB, 30).result() == Failure("memory")


def test_a_child_past_its_time_is_killed_at_the_deadline() -> None:
    t0 = time.monotonic()
    assert Child(_sleep, (), 256 * MB, 1).result() == Failure("time")
    assert time.monotonic() - t0 < 10


def test_a_child_that_dies_by_a_signal_is_named() -> None:
    assert Child(_segv, (), 256 * MB, 30).result() == Failure("died", "SIGSEGV")


def test_an_unexpected_exception_is_reported_not_raised() -> None:
    got = Child(_raise, (), 256 * MB, 30).result()
    assert isinstance(got, Failure) and got.kind == "died" and "OverflowError" in got.detail
