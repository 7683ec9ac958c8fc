"""SIGTERM or SIGINT: the work in hand finishes the current file, then stops. Used by `recon ingest`,
`recon run` and the scheduler (jobs/serve.py); apart from the scheduler so that those commands do
not load APScheduler."""

from __future__ import annotations

import signal
import threading
from types import FrameType

from loguru import logger

from jobs.logs import say

STOP = threading.Event()
SIGNALS: list[int] = []  # the signals that asked for the stop, for the log


def graceful_stop(event: threading.Event) -> None:
    """On SIGTERM or SIGINT set `event`: the work in hand checks it between files and stops.

    The handler only sets the event: it must not log. A signal can arrive while `os.fork()` (a file's
    reader child, jobs/isolate.py) runs loguru's at-fork hooks, which hold every handler's lock; a log
    call from the handler then waits for that lock for ever (seen: `recon ingest` hung after SIGTERM).
    `said_stop` logs the signal afterwards, from the main flow."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        SIGNALS.append(signum)
        event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def said_stop() -> None:
    """Log the signal that asked for the stop (outside the signal handler), once."""
    while SIGNALS:
        logger.info(say("log.signal", signum=SIGNALS.pop(0)))

