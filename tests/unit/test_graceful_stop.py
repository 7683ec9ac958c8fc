"""The SIGTERM/SIGINT handler only sets the stop: it must never wait for the log.

A signal can arrive while `os.fork()` (each file's reader child, jobs/isolate.py) runs loguru's
at-fork hooks, which hold every handler's lock until the fork is done. A handler that logged then
waited for that lock for ever: `recon ingest` hung after SIGTERM in about one run of three
(tests/integration/test_scheduler.py, the SIGTERM-during-ingest test). Here the lock is held as the
fork hook holds it, and the handler must still return at once.
"""

from __future__ import annotations

import io
import signal
import threading

from loguru import logger

from jobs.stopping import SIGNALS, graceful_stop, said_stop


def test_the_stop_handler_returns_while_the_log_is_locked() -> None:
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    event = threading.Event()
    sink = logger.add(io.StringIO(), level="INFO")
    handler = logger._core.handlers[sink]  # type: ignore[attr-defined]
    try:
        graceful_stop(event)
        stop = signal.getsignal(signal.SIGTERM)
        assert callable(stop)
        handler._lock.acquire()  # what loguru's before-fork hook does
        try:
            t = threading.Thread(target=stop, args=(signal.SIGTERM, None), daemon=True)
            t.start()
            t.join(5)
            assert not t.is_alive(), "the handler waits for the log's lock"
            assert event.is_set()
        finally:
            handler._lock.release()
        said_stop()  # the signal is logged afterwards, from the main flow
        assert not SIGNALS
    finally:
        logger.remove(sink)
        for s, h in before.items():
            signal.signal(s, h)
