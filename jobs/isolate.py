"""Running the inbox's readers in a child process under a memory and a time bound.

Some readers run native code (python-calamine for .xlsx/.xls) that can abort the whole process
(a Rust allocation failure is SIGABRT, not an exception) or ask the kernel for gigabytes; and a
pure-Python reader can need several times a file's size. So files are read in a forked child, a
`Worker`: its address space is capped (`RLIMIT_AS`, the interpreter's own size plus
`limits.reader_memory_bytes`) and the parent kills it after `limits.reader_seconds`. A child that
dies, runs out of memory or out of time becomes a `Failure` naming the limit; the parent goes on
with the next file.

A Worker reads one file after another (`ingest` forks once for many files, not once a file): each
call gets the whole time bound from its own start and the whole memory allowance above the child's
size at its start (that size counts heap the parent had freed but kept mapped, which the fork inherits
and a call may reuse: the bound is then the allowance plus that freed heap); a call that fails its
bound ends the child (the files sent after it go to a new one), and a child is replaced after
`WORKER_CALLS` calls so that what a reader leaves behind cannot pile up. `Worker.alone` is a Worker
of one call: the archive check's reader, and the fallback for a file whose Worker ended before it.

A fork (not spawn or forkserver) starts no new interpreter: nothing is executed from the
interpreter's folder, so the child starts for a user who cannot read that folder (`nobody` running
an interpreter under /root/.pyenv), and starting it costs a few milliseconds. When a child cannot
be started at all (no process slots, no memory for the fork), the caller reads in-process.
"""

from __future__ import annotations

import contextlib
import copyreg
import fcntl
import gc
import io
import math
import mmap
import os
import pickle
import resource
import select
import signal
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

WORKER_CALLS = 500  # files a Worker reads before it is replaced by a fresh fork
PIPE_BYTES = 1 << 20  # a Worker's result pipe: small results do not wait for the parent to read them
EXIT_CRASHED = 70  # the child failed outside the reader (should not happen): reported as "died"


@dataclass(frozen=True)
class Failure:
    """Why a child gave no result: `memory` (address-space cap or MemoryError), `time` (killed at
    the deadline) or `died` (a signal, an exit without a result or an unexpected exception;
    `detail` names it)."""

    kind: str
    detail: str = ""


class _Forked:
    """A forked child: killed and reaped once."""

    pid: int
    _status: int | None = None

    def kill(self) -> None:
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def _wait(self) -> int:
        if self._status is None:
            self._status = os.waitpid(self.pid, 0)[1]
        return self._status


def _outcome(payload: bytes) -> Any:
    """What a child sent for one call: the value, or the Failure it reported. Unpickled with the
    cyclic GC off: a province file's lines are thousands of new tuples, which set off collections
    that find nothing to free (a month's unpickling cost about 30% more with them)."""
    was = gc.isenabled()
    gc.disable()
    try:
        kind, value = pickle.loads(payload)
    finally:
        if was:
            gc.enable()
    if kind == "ok":
        return value
    return Failure("memory") if kind == "memory" else Failure("died", str(value))


def _death(status: int, err: Any) -> Failure:
    """Why a child ended without a result, from its exit status and what it wrote on stderr."""
    err.seek(0)
    said = err.read(64 * 1024).decode("utf-8", "replace")
    oom_killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    if "memory allocation of" in said or "MemoryError" in said or oom_killed:
        return Failure("memory")  # a native allocation refused (abort), or the OOM killer
    if os.WIFSIGNALED(status):
        return Failure("died", signal.Signals(os.WTERMSIG(status)).name)
    return Failure("died", f"exit {os.waitstatus_to_exitcode(status)}")


_OPEN_ENDS: set[int] = set()
"""The parent's ends of every live Worker's pipes. A child forked later inherits them and must close
them: a child holding another Worker's request pipe open would keep that Worker from ever seeing the
end of its requests (and the parent waiting for it to exit)."""

_CLOCK = struct.Struct("<dq")  # a Worker's shared page: when its call started, and which call (written in this order)
_HEADER = struct.Struct("<Q")  # a frame on a Worker's pipes: its length, then the pickle


Reducers = dict[type, Callable[[Any], tuple[Any, ...]]]
"""How a Worker's child pickles some types of its results (a pickle dispatch table: `type -> reduce`)."""


class Worker(_Forked, Generic[T]):
    """One forked child that runs `fn(*fixed, *args)` for each `send(args)`, in order: `result(n)`
    gives call n's value or the `Failure` that ended the child (the calls after it get
    `Failure("gone")`: the caller sends them again to a new Worker). Raises OSError when the fork
    fails. `reducers`: how the child pickles some types of its results (the parent unpickles them
    with whatever they name)."""

    def __init__(self, fn: Callable[..., T], fixed: tuple[Any, ...], memory_bytes: int, seconds: float,
                 reducers: Reducers | None = None) -> None:
        self.seconds = seconds
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - the child's stderr, read if it dies
        self._clock = mmap.mmap(-1, _CLOCK.size)  # shared with the child (MAP_SHARED)
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(res_w, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        parent = os.getpid()
        try:
            self.pid = os.fork()
        except OSError:
            for fd in (req_r, req_w, res_r, res_w):
                os.close(fd)
            self._err.close()
            raise
        if self.pid == 0:  # pragma: no cover - the child; measured through the parent
            for fd in (req_w, res_r, *_OPEN_ENDS):
                os.close(fd)
            _serve(parent, req_r, res_w, self._err.fileno(), self._clock, fn, fixed, memory_bytes, reducers)
        os.close(req_r)
        os.close(res_w)
        _OPEN_ENDS.update((req_w, res_r))
        self._req: int | None = req_w
        self._res = res_r
        self.sent = 0  # calls sent
        self.taken = 0  # results taken
        self.ended: Failure | None = None  # why the child gives no more results
        self._status: int | None = None

    @classmethod
    def alone(cls, fn: Callable[..., T], args: tuple[Any, ...], memory_bytes: int, seconds: float) -> Worker[T]:
        """A Worker for one call, `fn(*args)`, sent at once: its `result(1)`. The arguments are the
        fork's (nothing pickled on the way in); the child ends after the call. Raises OSError when
        the fork fails."""
        worker: Worker[T] = cls(fn, args, memory_bytes, seconds)
        worker.send(())
        worker._close_requests()
        return worker

    @property
    def open(self) -> bool:
        """Whether more calls may be sent: alive, and not yet at its WORKER_CALLS."""
        return self.ended is None and self._req is not None

    def send(self, args: tuple[Any, ...]) -> int:
        """Queue one call; returns its number (1, 2, ...)."""
        assert self._req is not None
        frame = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        self.sent += 1
        with contextlib.suppress(OSError):  # the child is gone: result() says why
            _write_all(self._req, _HEADER.pack(len(frame)) + frame)
        if self.sent >= WORKER_CALLS:
            self._close_requests()  # the child ends after the calls it has
        return self.sent

    def result(self, n: int) -> T | Failure:
        """Call n's result, waiting at most until `seconds` after the call started (then the child is
        killed). Calls are taken in the order they were sent."""
        assert n == self.taken + 1, "results are taken in order"
        self.taken = n
        if self.ended is not None:
            return Failure("gone")
        if not self._started_in_time(n):
            self.kill()
            return self._end(Failure("time"))
        header = self._read(_HEADER.size)
        size = _HEADER.unpack(header)[0] if len(header) == _HEADER.size else -1
        payload = self._read(size) if size >= 0 else b""
        if len(payload) != size:  # the child died
            return self._end(_death(self._wait(), self._err))
        got = _outcome(payload)
        if isinstance(got, Failure):  # the child ends after a failed call
            return self._end(got)
        if self.taken == self.sent and self._req is None:
            self._end(Failure("gone"))  # its last call: reap it
        return got

    def _started_in_time(self, n: int) -> bool:
        """Whether call n's result starts coming before `seconds` after the call started (the child
        notes on the shared page when it starts a call; one not started yet, the child on its way to
        it, is given `seconds` from now)."""
        poller = select.poll()
        poller.register(self._res, select.POLLIN)
        estimate = time.monotonic() + self.seconds
        while True:
            started, on = _CLOCK.unpack(self._clock[:])
            left = (started + self.seconds if on == n else estimate) - time.monotonic()
            if left <= 0:
                return False
            if poller.poll(math.ceil(left * 1000)):
                return True

    def _read(self, size: int) -> bytes:
        """`size` bytes from the result pipe, fewer when it ends (the child died)."""
        return _read_exactly(self._res, size)

    def _end(self, why: Failure) -> Failure:
        self.ended = why
        self._close_requests()
        self._wait()
        os.close(self._res)
        _OPEN_ENDS.discard(self._res)
        self._err.close()
        self._clock.close()
        return why

    def _close_requests(self) -> None:
        if self._req is not None:
            os.close(self._req)
            _OPEN_ENDS.discard(self._req)
            self._req = None

    def abandon(self) -> None:
        """Kill the child and reap it (a stop request: its files wait for the next run)."""
        if self.ended is None:
            self.kill()
            self._end(Failure("gone"))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < size:
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmSize:"))


def _find_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent: loading ctypes in every forked child cost about
    3 ms of CPU per file (measured: 9 ms against 6 ms for an empty child)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _find_prctl()


def _die_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """A child outlives no killed parent: it would hold the parent's runner lock (an inherited flock)
    until it finished reading. Linux: PR_SET_PDEATHSIG; elsewhere nothing."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1


def _exit_after(body: Callable[[], None], err: int) -> None:  # pragma: no cover - runs in the forked child
    """A forked child's whole life: `body`, then exit 0; EXIT_CRASHED when it failed (a MemoryError
    said on its stderr), never back into the parent's code."""
    code = EXIT_CRASHED
    try:
        body()
        code = 0
    except MemoryError:
        os.write(err, b"MemoryError\n")
    finally:
        os._exit(code)


def _child_setup(parent: int, err: int) -> None:  # pragma: no cover - runs in the forked child
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(err, 2)
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(EXIT_CRASHED)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop (graceful stop)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _cap_memory(memory_bytes: int) -> None:  # pragma: no cover - runs in the forked child
    """The address space capped at the child's size now plus `memory_bytes`, as the soft limit (raised
    again for the Worker's next call)."""
    _, limit = resource.getrlimit(resource.RLIMIT_AS)
    cap = _vm_bytes() + memory_bytes
    if limit != resource.RLIM_INFINITY:
        cap = min(cap, limit)
    resource.setrlimit(resource.RLIMIT_AS, (cap, limit))


def dumps(value: Any, reducers: Reducers | None = None) -> bytes:
    """`value` pickled as a Worker's child sends it: with `reducers` for their types."""
    if not reducers:
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **reducers}
    pickler.dump(value)
    return out.getvalue()


def _call(fn: Callable[..., Any], args: tuple[Any, ...],
          reducers: Reducers | None = None) -> tuple[bytes, bool]:  # pragma: no cover - in the child
    """One call's pickled outcome, and whether it succeeded. The cyclic GC is off during the call
    and what it left is collected after: a reader makes a statement's lines as hundreds of thousands
    of new tuples and lists, which set off collections that find nothing to free (the readers leave
    a few dozen cyclic objects a file: lxml's and bs4's), about 6% of a province month's reading."""
    gc.disable()
    try:
        return dumps(("ok", fn(*args)), reducers), True
    except MemoryError:
        return pickle.dumps(("memory", None)), False
    except BaseException as exc:  # a reader's bug (or a Rust panic): reported, never a traceback
        return pickle.dumps(("error", f"{type(exc).__name__}: {str(exc)[:300]}")), False
    finally:
        gc.enable()
        gc.collect(0)  # what the call allocated and still holds is all young: only that is looked at


def _serve(parent: int, req: int, res: int, err: int, clock: mmap.mmap, fn: Callable[..., Any],
           fixed: tuple[Any, ...], memory_bytes: int,
           reducers: Reducers | None) -> None:  # pragma: no cover - runs in the forked child
    """A Worker's child: each call as it comes, until the requests end or a call fails."""
    def body() -> None:
        _child_setup(parent, err)
        gc.freeze()  # the parent's objects, as forked, are never the child's garbage: its collections skip them
        n = 0
        while len(header := _read_exactly(req, _HEADER.size)) == _HEADER.size:
            args = pickle.loads(_read_exactly(req, _HEADER.unpack(header)[0]))
            n += 1
            os.ftruncate(err, 0)  # what a dying call says, not what earlier calls said
            os.lseek(err, 0, os.SEEK_SET)
            _cap_memory(memory_bytes)
            clock[:] = _CLOCK.pack(time.monotonic(), n)
            payload, ok = _call(fn, (*fixed, *args), reducers)
            _write_all(res, _HEADER.pack(len(payload)) + payload)
            if not ok:
                return

    _exit_after(body, err)
