"""A test's body run in a fresh interpreter (multiprocessing's spawn), for the tests of the readers'
memory bound. A forked reader inherits its parent's freed-but-mapped heap and may reuse it inside its
cap (jobs/isolate.py), so in a pytest worker that had freed a lot before, a hostile allocation can fit
(CI failed so once); a fresh interpreter holds no freed heap but what the body frees."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def in_fresh_interpreter(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a spawned interpreter: its value, or its exception raised here. `fn` must be a
    module-level function and its arguments picklable."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)
