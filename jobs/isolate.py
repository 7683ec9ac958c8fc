"""Running one file's reader in a child process under a memory and a time bound.

Some readers run native code (python-calamine for .xlsx/.xls) that can abort the whole process
(a Rust allocation failure is SIGABRT, not an exception) or ask the kernel for gigabytes; and a
pure-Python reader can need several times a file's size. So each file is read in a forked child:
its address space is capped (`RLIMIT_AS`, the interpreter's own size plus
`limits.reader_memory_bytes`) and the parent kills it after `limits.reader_seconds`. A child that
dies, runs out of memory or out of time becomes a `Failure` naming the limit; the parent goes on
with the next file.

A fork (not spawn or forkserver) starts no new interpreter: nothing is executed from the
interpreter's folder, so the child starts for a user who cannot read that folder (`nobody` running
an interpreter under /root/.pyenv), and starting it costs a few milliseconds. When a child cannot
be started at all (no process slots, no memory for the fork), the caller reads in-process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

EXIT_CRASHED = 70  # the child failed outside the reader (should not happen): reported as "died"


@dataclass(frozen=True)
class Failure:
    """Why a child gave no result: `memory` (address-space cap or MemoryError), `time` (killed at
    the deadline) or `died` (a signal, an exit without a result or an unexpected exception;
    `detail` names it)."""

    kind: str
    detail: str = ""


class Child(Generic[T]):
    """One forked reader: started at once, its result collected by `result()`."""

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...], memory_bytes: int, seconds: float) -> None:
        self.seconds = seconds
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - the child's stderr, read if it dies
        r, w = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()  # OSError (EAGAIN, ENOMEM) goes to the caller: it reads in-process
        if self.pid == 0:  # pragma: no cover - the child; measured through the parent
            _child(parent, r, w, self._err.fileno(), fn, args, memory_bytes)
        os.close(w)
        self.started = time.monotonic()
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._drain, args=(r,), daemon=True)
        self._reader.start()
        self._status: int | None = None

    def _drain(self, fd: int) -> None:
        try:
            while chunk := os.read(fd, 1 << 20):
                self._chunks.append(chunk)
        finally:
            os.close(fd)

    def result(self) -> T | Failure:
        """Wait for the child (at most until its deadline, then kill it) and return what it read."""
        self._reader.join(max(0.0, self.started + self.seconds - time.monotonic()))
        timed_out = self._reader.is_alive()
        if timed_out:
            self.kill()
            self._reader.join()
        status = self._wait()
        try:
            if timed_out:
                return Failure("time")
            payload = b"".join(self._chunks)
            self._chunks.clear()
            if payload:
                kind, value = pickle.loads(payload)
                if kind == "ok":
                    return value
                return Failure("memory") if kind == "memory" else Failure("died", str(value))
            self._err.seek(0)
            said = self._err.read(64 * 1024).decode("utf-8", "replace")
            oom_killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            if "memory allocation of" in said or "MemoryError" in said or oom_killed:
                return Failure("memory")  # a native allocation refused (abort), or the OOM killer
            if os.WIFSIGNALED(status):
                return Failure("died", signal.Signals(os.WTERMSIG(status)).name)
            return Failure("died", f"exit {os.waitstatus_to_exitcode(status)}")
        finally:
            self._err.close()

    def kill(self) -> None:
        if self._status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def _wait(self) -> int:
        if self._status is None:
            self._status = os.waitpid(self.pid, 0)[1]
        return self._status

    def abandon(self) -> None:
        """Kill the child and reap it (a stop request: its file waits for the next run)."""
        self.kill()
        self._wait()
        self._reader.join()
        self._err.close()


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


def _child(parent: int, r: int, w: int, err: int, fn: Callable[..., Any], args: tuple[Any, ...],
           memory_bytes: int) -> None:  # pragma: no cover - runs in the forked child
    code = EXIT_CRASHED
    try:
        os.close(r)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        os.dup2(err, 2)
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(EXIT_CRASHED)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop (graceful stop)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = _vm_bytes() + memory_bytes
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        try:
            payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except BaseException as exc:  # a reader's bug (or a Rust panic): reported, never a traceback
            payload = pickle.dumps(("error", f"{type(exc).__name__}: {str(exc)[:300]}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(w, view):]
        code = 0
    except MemoryError:
        code = EXIT_CRASHED
        os.write(err, b"MemoryError\n")
    finally:
        os._exit(code)
