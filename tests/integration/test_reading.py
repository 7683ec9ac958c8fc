"""jobs/ingest/reading.py: many files read by forked Workers (one fork for many files), results in
name order; a file that fails its reader's limits is refused naming the limit, and the files sent
after it to the same Worker are read by a new one: none lost, none read twice, none out of order."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs import inbox, isolate
from jobs.ingest.reading import PARALLEL_FROM, Reader, Reading
from reconcile.accounts import load_registry
from reconcile.limits import Limits
from reconcile.messages import t
from tests.integration.conftest import ROOT

MB = 1024 * 1024


def _files(folder: Path, names: list[str]) -> list[inbox.InboxFile]:
    out = []
    for name in names:
        p = folder / name
        st = p.stat()
        out.append(inbox.InboxFile(p, st.st_size, st.st_mtime))
    return out


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_a_file_that_exhausts_its_reader_is_refused_and_every_other_file_is_read_once_in_order(
        tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isolate, "WORKER_CALLS", 4)  # Workers are replaced along the way too
    names = [f"f{i:02d}.txt" for i in range(PARALLEL_FROM + 6)]
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(f"not a statement {i}\n".encode())
    hostile = names[9]
    # one line of 40 MB: the tabular reader needs about 14 times that
    (tmp_path / hostile).write_bytes(b"a," * (40 * 512 * 1024) + b"\n")
    limits = Limits(reader_memory_bytes=128 * MB)
    reader = Reader(ROOT / "mappings" / "banks", limits, load_registry(ROOT / "mappings" / "accounts.toml"), "en",
                    workers, lambda _name: None)
    told = [(f.path.name, p) for f, p in reader.each(_files(tmp_path, names), lambda: False)]
    assert [name for name, _ in told] == names
    refusal = t("reject.reader_memory", "en", mb=128, seconds=limits.reader_seconds, detail="")
    by_name = dict(told)
    assert by_name[hostile].error == refusal
    for name, prepared in told:
        if name != hostile:
            assert prepared.error and "limits.reader" not in prepared.error, (name, prepared.error)
            assert prepared.sha256  # read, hashed


def test_a_file_whose_worker_ended_before_it_is_still_read(tmp_path: Path) -> None:
    """The safety net behind the Reader's re-sending: a Reading whose Worker gave up before its call
    reads the file in a child of its own."""
    (tmp_path / "a.txt").write_bytes(b"not a statement\n")
    (f,) = _files(tmp_path, ["a.txt"])
    limits = Limits()
    registry = load_registry(ROOT / "mappings" / "accounts.toml")
    worker: isolate.Worker[object] = isolate.Worker(lambda kind: bytes(kind * MB), (), 64 * MB, 30)
    first, second = worker.send((256,)), worker.send((1,))
    assert worker.result(first) == isolate.Failure("memory")
    args = (f.path, ROOT / "mappings" / "banks", limits, registry, "en")
    got = Reading(f, limits, "en", args, worker=worker, n=second).result()  # type: ignore[arg-type]
    assert got.sha256 and got.error and "limits.reader" not in got.error
