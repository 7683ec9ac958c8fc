"""The reconcile job pauses Python's cyclic garbage collector while it reads and runs the rules
(jobs.reconciling.collector_paused): it must be back on afterwards, after an error too, and left
off when it was off before."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from jobs.reconciling import collector_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_off_inside_and_on_again_after(collector_on: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error(collector_on: None) -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a rule failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on: None) -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
