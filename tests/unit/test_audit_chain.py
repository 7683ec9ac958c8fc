"""The audit log's hash chain (reconcile.desk.chain): any changed, removed, inserted or reordered
row is found, and it is the first such row that is named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from reconcile.desk import AuditEntry
from reconcile.desk.chain import GENESIS, entry_hash, verify


def chain(n: int) -> list[AuditEntry]:
    out: list[AuditEntry] = []
    prev = GENESIS
    start = datetime(2008, 6, 1, 9, 0, 0, 123456, tzinfo=UTC)
    for i in range(1, n + 1):
        e = AuditEntry(id=i, at=start + timedelta(minutes=i), actor="wang" if i % 2 else "李科长", address="10.0.0.7",
                       action="finding.acknowledge", target=f"finding:{i}", finding_id=i,
                       before='{"review":"none"}', after='{"review":"acknowledged"}', note=f"意见 {i}",
                       prev_hash=prev, hash="")
        e = replace(e, hash=entry_hash(e))
        out.append(e)
        prev = e.hash
    return out


def test_an_untouched_chain_holds_and_reaches_its_head() -> None:
    rows = chain(8)
    assert verify(rows, (8, rows[-1].hash)) == (8, None)
    assert verify([], (0, GENESIS)) == (0, None)


def test_each_field_changed_in_any_row_names_that_row() -> None:
    rows = chain(6)
    for i in range(6):
        for change in ({"note": "改"}, {"actor": "x"}, {"address": "1.2.3.4"}, {"after": '{"review":"resolved"}'},
                       {"at": rows[i].at + timedelta(microseconds=1)}, {"finding_id": 99}, {"target": "finding:0"}):
            edited = [*rows[:i], replace(rows[i], **change), *rows[i + 1:]]
            _count, broken = verify(edited)
            assert broken is not None and broken.id == rows[i].id and broken.reason == "hash", change


def test_a_row_removed_inserted_or_moved_breaks_the_link_of_the_row_after_it() -> None:
    rows = chain(6)
    _, broken = verify([*rows[:2], *rows[3:]])
    assert broken is not None and (broken.id, broken.reason) == (4, "link")
    _, broken = verify([*rows[:3], rows[1], *rows[3:]])
    assert broken is not None and broken.reason == "link" and broken.id == 2
    _, broken = verify([rows[1], rows[0], *rows[2:]])
    assert broken is not None and broken.id == 2


def test_a_rehashed_forgery_still_breaks_the_next_link_and_a_cut_tail_misses_the_head() -> None:
    rows = chain(5)
    forged = replace(rows[2], note="伪造")
    forged = replace(forged, hash=entry_hash(forged))
    _, broken = verify([*rows[:2], forged, *rows[3:]])
    assert broken is not None and (broken.id, broken.reason) == (4, "link")
    count, broken = verify(rows[:3], (5, rows[-1].hash))
    assert count == 3 and broken is not None and (broken.id, broken.reason) == (3, "head")


def test_naive_and_aware_times_of_the_same_instant_hash_alike() -> None:
    row = chain(1)[0]
    naive = replace(row, at=row.at.replace(tzinfo=None))
    assert entry_hash(naive) == row.hash
