"""The audit log's hash chain: each row's hash covers its own fields and the previous row's hash,
so changing, removing or inserting a row anywhere breaks every later link. `verify` walks the rows
in order and names the first one that does not hold.

The row is hashed as canonical JSON (sorted keys, no spaces, UTF-8) of its fields with the time in
UTC ISO form to the microsecond; `before` and `after` are hashed as the exact text stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from reconcile.desk import AuditEntry

GENESIS = "0" * 64


def canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def utc_text(moment: datetime) -> str:
    """SQLite gives back naive times; the store writes UTC."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(*, id: int, at: datetime, actor: str, address: str, action: str, target: str,
             finding_id: int | None, before: str, after: str, note: str, prev_hash: str) -> str:
    body = canonical({"id": id, "at": utc_text(at), "actor": actor, "address": address, "action": action,
                      "target": target, "finding_id": finding_id, "before": before, "after": after, "note": note,
                      "prev": prev_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def entry_hash(e: AuditEntry) -> str:
    return row_hash(id=e.id, at=e.at, actor=e.actor, address=e.address, action=e.action, target=e.target,
                    finding_id=e.finding_id, before=e.before, after=e.after, note=e.note, prev_hash=e.prev_hash)


@dataclass(frozen=True)
class Broken:
    """The first row that does not hold, and why (`hash`: its content was changed; `link`: the row
    before it was changed, removed or inserted; `head`: rows after it were removed)."""

    id: int
    reason: str


def verify(entries: Iterable[AuditEntry], head: tuple[int, str] | None = None) -> tuple[int, Broken | None]:
    """Walk the chain in id order; returns (rows checked, the first broken row or None). `head` is
    the (last id, last hash) the store keeps beside the log: a log cut short does not reach it."""
    prev, count, last_id = GENESIS, 0, 0
    for e in entries:
        count += 1
        if e.prev_hash != prev:
            return count, Broken(e.id, "link")
        if entry_hash(e) != e.hash:
            return count, Broken(e.id, "hash")
        prev, last_id = e.hash, e.id
    if head is not None and head != (last_id, prev) and not (head[0] == 0 and count == 0):
        return count, Broken(last_id, "head")
    return count, None
