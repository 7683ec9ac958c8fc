"""Named points where the reliability tests kill the process, to prove a crash at any moment
leaves a state the next run repairs.

`RECON_CRASH_AT=<point>:<n>` makes the n-th pass through `<point>` send SIGKILL to the process
itself (no cleanup, no finally blocks: as a power cut would). Unset, a point costs one dict
lookup. The environment is read once, here.
"""

from __future__ import annotations

import os
import signal

_TARGET = os.environ.get("RECON_CRASH_AT", "")
_NAME, _, _COUNT = _TARGET.partition(":")
_WANTED = int(_COUNT) if _COUNT.isdigit() else 1
_hits = 0

POINTS = (
    "ingest.read", "ingest.parsed", "ingest.file_row", "ingest.statement", "ingest.before_commit",
    "ingest.on_disk", "ingest.committed", "ingest.moved", "ingest.reject_recorded", "ingest.reason_written",
    "ingest.duplicate_recorded", "reconcile.loaded", "reconcile.computed", "reconcile.merged",
    "reconcile.committed", "report.xlsx", "report.html", "report.recorded", "nightly.step",
)


def point(name: str) -> None:
    global _hits
    if name != _NAME:
        return
    _hits += 1
    if _hits == _WANTED:
        os.kill(os.getpid(), signal.SIGKILL)
