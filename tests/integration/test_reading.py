"""jobs/ingest/reading.py: many files read by forked Workers (one fork for many files), results in
name order; a file that fails its reader's limits is refused naming the limit, and the files sent
after it to the same Worker are read by a new one: none lost, none read twice, none out of order."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobs import inbox, isolate
from jobs.ingest import reading
from jobs.ingest.reading import PARALLEL_FROM, Reader, Reading, readers
from reconcile.accounts import load_registry
from reconcile.limits import Limits
from reconcile.messages import t
from tests.fresh import in_fresh_interpreter
from tests.integration.conftest import ROOT

MB = 1024 * 1024


def _files(folder: Path, names: list[str]) -> list[inbox.InboxFile]:
    out = []
    for name in names:
        p = folder / name
        st = p.stat()
        out.append(inbox.InboxFile(p, st.st_size, st.st_mtime))
    return out


def _read_with_a_hostile_file(folder: Path, workers: int) -> tuple[list[tuple[str, str | None, str]], str]:
    """In a fresh interpreter (tests/fresh.py): what a Reader says of each file of a folder with one file
    that needs about 560 MB to read, under 128 MB; and the refusal it should say."""
    isolate.WORKER_CALLS = 4  # Workers are replaced along the way too (a fresh interpreter: set for it alone)
    names = [f"f{i:02d}.txt" for i in range(PARALLEL_FROM + 6)]
    for i, name in enumerate(names):
        (folder / name).write_bytes(f"not a statement {i}\n".encode())
    # one line of 40 MB: the tabular reader needs about 14 times that
    (folder / names[9]).write_bytes(b"a," * (40 * 512 * 1024) + b"\n")
    limits = Limits(reader_memory_bytes=128 * MB)
    reader = Reader(ROOT / "mappings" / "banks", limits, load_registry(ROOT / "mappings" / "accounts.toml"), "en",
                    workers, lambda _name: None)
    told = [(f.path.name, p.error, p.sha256) for f, p in reader.each(_files(folder, names), lambda: False)]
    return told, t("reject.reader_memory", "en", mb=128, seconds=limits.reader_seconds, detail="")


@pytest.mark.parametrize("workers", [0, 1, 2])
def test_a_file_that_exhausts_its_reader_is_refused_and_every_other_file_is_read_once_in_order(
        tmp_path: Path, workers: int) -> None:
    told, refusal = in_fresh_interpreter(_read_with_a_hostile_file, tmp_path, workers)
    names = [f"f{i:02d}.txt" for i in range(PARALLEL_FROM + 6)]
    assert [name for name, _, _ in told] == names
    hostile = names[9]
    for name, error, sha256 in told:
        if name == hostile:
            assert error == refusal
        else:
            assert error and "limits.reader" not in error, (name, error)
            assert sha256  # read, hashed


def _read_after_the_worker_ended(folder: Path) -> tuple[object, str, str | None]:
    """In a fresh interpreter: a Worker's first call fails its memory bound; what a Reading whose call
    was queued behind it gives."""
    (folder / "a.txt").write_bytes(b"not a statement\n")
    (f,) = _files(folder, ["a.txt"])
    limits = Limits()
    registry = load_registry(ROOT / "mappings" / "accounts.toml")
    worker: isolate.Worker[object] = isolate.Worker(lambda kind: bytes(kind * MB), (), 64 * MB, 30)
    first, second = worker.send((256,)), worker.send((1,))
    failed = worker.result(first)
    args = (f.path, ROOT / "mappings" / "banks", limits, registry, "en")
    got = Reading(f, limits, "en", args, worker=worker, n=second).result()  # type: ignore[arg-type]
    return failed, got.sha256, got.error


def test_a_file_whose_worker_ended_before_it_is_still_read(tmp_path: Path) -> None:
    """The safety net behind the Reader's re-sending: a Reading whose Worker gave up before its call
    reads the file in a child of its own."""
    failed, sha256, error = in_fresh_interpreter(_read_after_the_worker_ended, tmp_path)
    assert failed == isolate.Failure("memory")
    assert sha256 and error and "limits.reader" not in error


@pytest.mark.parametrize(("configured", "machine", "expected"), [
    (None, 2, 2), (None, 8, 2), (None, 1, 1),  # unset: two on two cores or more, one on one
    (1, 2, 1), (0, 8, 0), (4, 1, 4),  # set: as set, whatever the machine
])
def test_unset_workers_read_with_two_children_on_two_cores_and_one_on_one(
        configured: int | None, machine: int, expected: int) -> None:
    assert readers(configured, machine) == expected


def test_a_reader_left_unset_starts_two_workers_on_two_cores_and_one_on_one_or_for_a_few_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision as a run takes it: the Workers a Reader forks for the same files, by the cores it
    is told it has and the files it is given (below PARALLEL_FROM, one reads them all); every file
    read once, in order, either way."""
    names = [f"f{i:02d}.txt" for i in range(PARALLEL_FROM + 2)]
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(f"not a statement {i}\n".encode())
    started: list[int] = []

    class Counted(isolate.Worker):  # type: ignore[type-arg]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            started.append(self.pid)

    monkeypatch.setattr(isolate, "Worker", Counted)
    registry = load_registry(ROOT / "mappings" / "accounts.toml")
    for machine, given, workers in ((1, names, 1), (2, names, 2), (4, names, 2), (2, names[: PARALLEL_FROM - 1], 1)):
        monkeypatch.setattr(reading, "cores", lambda machine=machine: machine)
        started.clear()
        reader = Reader(ROOT / "mappings" / "banks", Limits(), registry, "en", None, lambda _name: None)
        told = [f.path.name for f, p in reader.each(_files(tmp_path, given), lambda: False) if p.sha256]
        assert told == given
        assert len(started) == workers, (machine, len(given))
