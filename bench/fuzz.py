"""Mutation fuzzing of every reader: only `ParseError` may come out, within a time and memory bound.

Seeds are the valid files of tests/data/<format>/ (plus a few written here: bank CSV/XLSX exports,
a zipped camt, the plan and schedule templates); each input is a seed with one to four mutations
(bit flips, boundary bytes and tokens, truncations, insertions, deletions, duplicated spans, and
for ZIP-based seeds a mutation of one member re-zipped). The suite runs a few hundred inputs per
format through hypothesis (tests/reliability/test_fuzz_parsers.py); this command runs many more:

    .venv/bin/python bench/fuzz.py                   # 2,000 inputs per format
    .venv/bin/python bench/fuzz.py -n 20000 --seed 3 # more, another sequence
    .venv/bin/python bench/fuzz.py --format camt --format schedule
    .venv/bin/python bench/fuzz.py --atheris camt -- -atheris_runs=50000   # coverage-guided (atheris)

It prints the inputs tried per format and every failure, each input saved under --out
(default test-output/fuzz/) so `recon parse FILE` reproduces it.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
BANKS = ROOT / "mappings" / "banks"
FORMATS = ("camt", "ofx", "mt940", "csv", "xlsx", "zip", "schedule", "hostile", "draft")
TIME_LIMIT_S = 5.0  # per input, under tracemalloc (3-5x slower) on a loaded machine; uncapped runs take < 0.5 s
MEMORY_LIMIT_B = 100 * 1024 * 1024  # tracemalloc peak per input
HOSTILE_TIME_S = 1.0  # bombs and external entities: refused within a second

# Values that sit on a boundary of some reader: XML markup, OFX and MT940 tags, separators, signs,
# huge and odd numbers, impossible dates, encodings' special bytes.
TOKENS: tuple[bytes, ...] = (
    b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\x80", b"\xc0\xaf", b"\xe5", b"\r", b"\n", b"\r\n", b"\t",
    b",", b";", b'"', b"'", b"<", b">", b"&", b"&amp;", b"&#0;", b"&#x110000;", b"]]>", b"<![CDATA[", b"<!--",
    b"<!DOCTYPE x [<!ENTITY a \"b\">]>", b"<?xml version='1.0' encoding='utf-16'?>", b"xmlns:x='urn:x'",
    b"<Ntry>", b"</Ntry>", b"<Amt Ccy=\"CNY\">", b"<STMTTRN>", b"</STMTTRN>", b"<TRNAMT>", b"OFXHEADER:100",
    b":20:", b":25:", b":28C:", b":60F:", b":61:", b":62F:", b":86:", b"{4:", b"-}", b"C", b"D", b"RC", b"RD",
    b"0", b"-0", b"-", b"+", b".", b"..", b"1e308", b"NaN", b"inf", b"9" * 40, b"-9223372036854775809",
    b"18446744073709551616", b"0.001", b"1,234,567.89", b"(1.00)", b"2008-02-30", b"20081399", b"0000-00-00",
    b"9999-12-31", b"31/12/1899", b"24:00:00", b"CNY", b"USD", b"RMB",
    "交易日期".encode(),
    b"\xbd\xbb\xd2\xd7", b"=cmd|' /C calc'!A0", b"%s%n", b" " * 64,
)


class Source(Protocol):
    """What the mutator needs from a random source (random.Random, hypothesis' randoms())."""

    def randrange(self, start: int, stop: int = ...) -> int: ...

    def random(self) -> float: ...

    def choice(self, seq: Any) -> Any: ...


# -- seeds ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes


@cache
def seeds(fmt: str) -> tuple[Seed, ...]:
    """The valid files every input of `fmt` starts from."""
    def files(folder: str, *suffixes: str) -> list[Seed]:
        return [Seed(p.name, p.read_bytes()) for p in sorted((DATA / folder).iterdir())
                if p.suffix in suffixes and not p.name.endswith(".expected")]

    if fmt == "camt":
        return tuple(files("camt", ".xml"))
    if fmt == "ofx":
        return tuple(files("ofx", ".ofx", ".qfx"))
    if fmt == "mt940":
        return tuple(files("mt940", ".sta", ".940", ".942"))
    if fmt == "csv":
        return (*files("tabular", ".csv", ".tsv"), Seed("icbc.csv", _written("icbc_historydetail", "csv")),
                Seed("boc.csv", _written("boc_corp", "csv")), Seed("ccb_html.xls", *[
                    s.data for s in files("tabular", ".xls") if "html" in s.name]))
    if fmt == "xlsx":
        return (*[s for s in files("tabular", ".xlsx", ".xls") if "html" not in s.name],
                Seed("abc.xlsx", _written("abc_zhanghumingxi", "xlsx")))
    if fmt == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for s in files("camt", ".xml")[:2]:
                z.writestr(s.name, s.data)
        return (Seed("camt.zip", buf.getvalue()),)
    if fmt == "schedule":
        from parsers import schedules

        out = [Seed(p.name, p.read_bytes()) for p in sorted((ROOT / "mappings" / "templates").glob("*.csv"))
               if schedules.detect(p.read_bytes())]  # the templates that are plans or schedules (not the journal)
        return (*out, Seed("payment_plan.xlsx", _xlsx_of(out[1].data if len(out) > 1 else out[0].data)))
    if fmt == "hostile":
        return hostile_seeds()
    if fmt == "draft":  # `recon profile draft` on the layouts no profile fits, and on known ones
        return (*files("drafts", ".csv"), *files("tabular", ".csv", ".tsv"))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


CAMT_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def hostile_seeds() -> tuple[Seed, ...]:
    """Files made to hurt: entity bombs, external entities, a DTD behind comments, deep nesting, a ZIP
    bomb, a ZIP in a ZIP, a workbook whose shared strings are a bomb. Each must be refused (ParseError)
    within 1 s and 100 MB, and so must every mutation of them."""
    body = f'<Document xmlns="{CAMT_NS}"><BkToCstmrStmt><GrpHdr><MsgId>&e;</MsgId></GrpHdr></BkToCstmrStmt></Document>'
    laughs = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    billion = f'<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY e0 "lol">{laughs}<!ENTITY e "&e9;">]>{body}'
    xxe = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>{body}'
    remote = f'<?xml version="1.0"?><!-- x --><!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">{body}'
    deep = f'<Document xmlns="{CAMT_NS}">' + "<a>" * 100_000 + "</a>" * 100_000 + "</Document>"
    ofx = ('<?xml version="1.0"?><!DOCTYPE OFX [<!ENTITY e SYSTEM "file:///etc/shadow">]>'
           "<?OFX OFXHEADER=\"200\" VERSION=\"211\"?><OFX><SIGNONMSGSRSV1>&e;</SIGNONMSGSRSV1></OFX>")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("statement.xml", b"<" + b" " * (64 * 1024 * 1024))
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner.zip", bomb.getvalue())
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY e0 "lol">{laughs}]>'
                   '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e9;</t></si></sst>')
    return (Seed("billion_laughs.xml", billion.encode()), Seed("xxe.xml", xxe.encode()),
            Seed("remote_dtd.xml", remote.encode()), Seed("deep.xml", deep.encode()), Seed("xxe.ofx", ofx.encode()),
            Seed("zip_bomb.zip", bomb.getvalue()), Seed("nested.zip", nested.getvalue()),
            Seed("laughs.xlsx", xlsx.getvalue()))


def _written(profile: str, kind: str) -> bytes:
    from bench.common import statement
    from parsers.tabular.writer import write

    return write([statement(12)], profile, banks_dir=BANKS, kind=kind)


def _xlsx_of(csv_bytes: bytes) -> bytes:
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig"))):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- mutations -----------------------------------------------------------------------------------------
def _span(data: bytes, rnd: Source) -> tuple[int, int]:
    if not data:
        return 0, 0
    start = rnd.randrange(0, len(data))
    length = rnd.choice((1, 2, 4, 8, 16, 64, 256, 4096))
    return start, min(len(data), start + length)


def _flip(data: bytes, rnd: Source) -> bytes:
    if not data:
        return data
    i = rnd.randrange(0, len(data))
    return data[:i] + bytes([data[i] ^ (1 << rnd.randrange(0, 8))]) + data[i + 1:]


def _boundary_byte(data: bytes, rnd: Source) -> bytes:
    if not data:
        return data
    i = rnd.randrange(0, len(data))
    return data[:i] + bytes([rnd.choice((0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x20, 0x30, 0x39, 0x2D))]) + data[i + 1:]


def _truncate(data: bytes, rnd: Source) -> bytes:
    return data[: rnd.randrange(0, len(data) + 1)]


def _insert(data: bytes, rnd: Source) -> bytes:
    i = rnd.randrange(0, len(data) + 1)
    if rnd.random() < 0.7:
        blob = rnd.choice(TOKENS)
    else:
        blob = bytes(rnd.randrange(0, 256) for _ in range(rnd.choice((1, 3, 17, 200))))
    return data[:i] + blob * rnd.choice((1, 1, 1, 2, 50)) + data[i:]


def _replace_token(data: bytes, rnd: Source) -> bytes:
    """Overwrite a span with a boundary token: a number, a date, markup."""
    a, b = _span(data, rnd)
    return data[:a] + rnd.choice(TOKENS) + data[b:]


def _delete(data: bytes, rnd: Source) -> bytes:
    a, b = _span(data, rnd)
    return data[:a] + data[b:]


def _duplicate(data: bytes, rnd: Source) -> bytes:
    a, b = _span(data, rnd)
    at = rnd.randrange(0, len(data) + 1)
    return data[:at] + data[a:b] * rnd.choice((1, 2, 10, 100)) + data[at:]


def _swap_lines(data: bytes, rnd: Source) -> bytes:
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data
    i, j = rnd.randrange(0, len(lines)), rnd.randrange(0, len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


BYTE_MUTATIONS: tuple[Callable[[bytes, Source], bytes], ...] = (
    _flip, _boundary_byte, _truncate, _insert, _replace_token, _delete, _duplicate, _swap_lines,
)


def _inner(data: bytes, rnd: Source) -> bytes:
    """A ZIP-based file (xlsx, zipped camt): mutate one member and zip it again, so the mutation
    reaches the reader behind the container."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = [(i, z.read(i)) for i in z.infolist()]
    except Exception:  # a member already broken by an earlier mutation: leave the bytes as they are
        return data
    if not members:
        return data
    k = rnd.randrange(0, len(members))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for n, (info, body) in enumerate(members):
            if n == k:
                body = rnd.choice(BYTE_MUTATIONS)(body, rnd)
            out.writestr(info.filename, body)
    return buf.getvalue()


def mutate(data: bytes, rnd: Source) -> bytes:
    """One to four mutations of `data`."""
    zipped = data[:2] == b"PK"
    for _ in range(rnd.choice((1, 1, 1, 2, 2, 3, 4))):
        op = _inner if zipped and rnd.random() < 0.6 else rnd.choice(BYTE_MUTATIONS)
        data = op(data, rnd)
    return data


# -- the check -----------------------------------------------------------------------------------------
class Hang(Exception):
    """An input ran past the time bound."""


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise Hang in the main thread after `seconds` (a Python-level loop; a C call returns first)."""
    def alarm(_sig: int, _frame: object) -> None:
        raise Hang(f"over {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@cache
def _registry() -> Any:
    from reconcile.accounts import load_registry

    return load_registry(ROOT / "mappings" / "accounts.toml")


def read_any(fmt: str, data: bytes, name: str = "fuzz") -> None:
    """What ingest does with a file's bytes: the schedule sniffer, then the schedule or statement reader."""
    from parsers import registry, schedules
    from parsers.base import ReadContext

    stage = "schedules.detect"
    try:
        kind = schedules.detect(data)  # ingest asks this of every file first: it may not raise at all
        if fmt == "schedule" or kind is not None:
            stage = "schedules.read"
            schedules.read(data, name, _registry())
        if fmt == "draft":
            stage = "draft"
            _draft_and_read(data, name)
        elif fmt != "schedule":
            stage = "registry.read_bytes"
            registry.read_bytes(data, ReadContext(file_name=name, banks_dir=BANKS))
    except BaseException as exc:
        exc.add_note(f"in {stage}")
        raise


def _draft_and_read(data: bytes, name: str) -> None:
    """What `recon profile draft` does: draft a profile from the file (it must load as a profile:
    a ConfigError here is a failure), then read the file with it."""
    import tempfile

    from parsers.base import ReadContext
    from parsers.tabular import FORMAT as TABULAR
    from parsers.tabular.draft import draft
    from parsers.tabular.draft_text import check, render
    from parsers.tabular.profile import load_profiles

    d = draft(data, "fuzzed", load_profiles(BANKS), name)
    text = render(d)
    check(d, text)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "fuzzed.toml").write_text(text, encoding="utf-8")
        TABULAR.read(data, ReadContext(file_name=name, profile="fuzzed", banks_dir=Path(tmp)))


def where(exc: BaseException) -> str:
    """The stage of ingest and the deepest project frame an exception came from."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if str(ROOT) in f.filename and "bench" not in f.filename]
    at = f"{Path(frames[-1].filename).relative_to(ROOT)}:{frames[-1].lineno}" if frames else "?"
    return "; ".join([*getattr(exc, "__notes__", []), at])


@dataclass(frozen=True)
class Outcome:
    failure: str  # "" when the input was read or refused with ParseError
    seconds: float
    peak_bytes: int


def check(fmt: str, data: bytes, *, time_limit: float = TIME_LIMIT_S, memory_limit: int = MEMORY_LIMIT_B,
          trace_memory: bool = True) -> Outcome:
    """Read `data` as ingest would; anything but success or ParseError, a hang or a memory peak above the
    bound is a failure."""
    from reconcile.errors import ParseError

    started = time.process_time()  # CPU seconds: the bound holds on a loaded machine too (a hang is wall-clock)
    if trace_memory:
        tracemalloc.start()
    failure = ""
    try:
        with time_bound(time_limit * 5):
            read_any(fmt, data)
    except ParseError:
        pass
    except Hang as exc:
        failure = f"hang: {exc}"
    except RecursionError:
        failure = "RecursionError"
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException is a BaseException: a Rust panic in a reader
        failure = f"{type(exc).__name__}: {str(exc)[:200]} ({where(exc)})"
    finally:
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        if trace_memory:
            tracemalloc.stop()
    seconds = time.process_time() - started
    if not failure and seconds > time_limit:
        failure = f"slow: {seconds:.2f} s of CPU for {len(data)} bytes (bound {time_limit} s)"
    if not failure and peak > memory_limit:
        failure = f"memory: peak {peak / 1e6:.1f} MB for {len(data)} bytes (bound {memory_limit / 1e6:.0f} MB)"
    return Outcome(failure, seconds, peak)


def warm_up(fmt: str) -> None:
    """Read every seed once (imports, profile loading), so the first input's time is its own; a seed
    must read without error."""
    from reconcile.errors import ParseError

    for s in seeds(fmt):
        try:
            read_any(fmt, s.data, s.name)
        except ParseError as exc:
            if fmt != "hostile":
                raise AssertionError(f"seed {s.name} does not read: {exc}") from exc
        else:
            if fmt == "hostile":
                raise AssertionError(f"hostile seed {s.name} was read as a statement")


# -- the sandbox: a worker process per run, so no input can take the caller down -------------------
NATIVE_HEADROOM_B = 1024 * 1024 * 1024  # RLIMIT_AS above the warmed-up worker: a hard stop for native code


def _vm_bytes() -> int:
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) * 1024 for ln in fh if ln.startswith("VmSize:"))


def serve() -> None:
    """The worker: reads (format, bytes) requests on stdin, answers one JSON line each on stdout.

    Memory: tracemalloc bounds Python's allocations; ru_maxrss growth bounds native ones (C, Rust)
    per input; RLIMIT_AS stops a runaway allocation before it takes the machine (the worker dies,
    the caller records it and starts another)."""
    import json
    import resource

    for fmt in FORMATS:
        warm_up(fmt)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_vm_bytes() + NATIVE_HEADROOM_B, hard))
    stdin, stdout = sys.stdin.buffer, sys.stdout
    stdout.write("ready\n")
    stdout.flush()
    while True:
        header = stdin.readline()
        if not header:
            return
        fmt, size, trace = header.decode().split()
        data = stdin.read(int(size))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        bound = HOSTILE_TIME_S if fmt == "hostile" else TIME_LIMIT_S
        got = check(fmt, data, trace_memory=trace == "1", time_limit=bound)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
        failure = got.failure
        if not failure and grown > MEMORY_LIMIT_B:
            failure = f"memory: resident set grew {grown / 1e6:.0f} MB for {len(data)} bytes (native allocation)"
        stdout.write(json.dumps({"failure": failure, "seconds": got.seconds, "peak": max(got.peak_bytes, grown)}))
        stdout.write("\n")
        stdout.flush()


class Sandbox:
    """Checks inputs in a worker process under a wall-clock bound the caller enforces (a hang in C
    code too) and a memory cap; a worker that dies or hangs is a failure, and the next input gets a
    fresh worker."""

    def __init__(self, time_limit: float = TIME_LIMIT_S, *, trace_memory: bool = True) -> None:
        self.time_limit, self.trace_memory = time_limit, trace_memory
        self.proc: subprocess.Popen[bytes] | None = None
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the sandbox
        self.tried = 0

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"}
        self.stderr.close()
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's stderr, read when it dies
        proc = subprocess.Popen([sys.executable, "-c", "from bench.fuzz import serve; serve()"], cwd=str(ROOT),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        assert proc.stdout is not None
        line = self._line(proc, 120)
        if line != b"ready\n":
            proc.kill()
            raise RuntimeError(f"fuzz worker did not start: {line!r}")
        return proc

    @staticmethod
    def _line(proc: subprocess.Popen[bytes], timeout: float) -> bytes | None:
        """One line from the worker, or None when it did not answer within `timeout`."""
        import selectors

        assert proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                return None
        return proc.stdout.readline()

    def check(self, fmt: str, data: bytes) -> Outcome:
        import json

        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        proc = self.proc
        assert proc.stdin is not None
        self.tried += 1
        started = time.perf_counter()
        try:
            proc.stdin.write(f"{fmt} {len(data)} {int(self.trace_memory)}\n".encode() + data)
            proc.stdin.flush()
        except BrokenPipeError:
            pass
        line = self._line(proc, self.time_limit * 5 + 5)
        if line:
            r = json.loads(line)
            return Outcome(r["failure"], r["seconds"], r["peak"])
        proc.kill()
        code = proc.wait()
        self.proc = None
        seconds = time.perf_counter() - started
        if line is None:
            return Outcome(f"hang: no answer after {seconds:.1f} s (worker killed)", seconds, 0)
        self.stderr.seek(0)
        said = [ln for ln in self.stderr.read().decode(errors="replace").splitlines() if ln.strip()]
        last = next((ln for ln in said if "allocation" in ln or "Error" in ln), said[-1] if said else "")
        return Outcome(f"worker died (exit {code}): {last.strip()[:200] or 'a native crash'}", seconds, 0)

    def close(self) -> None:
        self.stderr.close()
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# -- the command ---------------------------------------------------------------------------------------
def run(fmt: str, n: int, seed: int, out: Path, sandbox: Sandbox) -> tuple[int, list[str]]:
    rnd = random.Random(f"{fmt}:{seed}")
    pool = seeds(fmt)
    failures: list[str] = []
    for i in range(n):
        s = rnd.choice(pool)
        data = mutate(s.data, rnd)
        got = sandbox.check(fmt, data)
        if got.failure:
            out.mkdir(parents=True, exist_ok=True)
            path = out / f"{fmt}-{seed}-{i}-{s.name}"
            path.write_bytes(data)
            failures.append(f"{fmt} #{i} from {s.name}: {got.failure} -> {path}")
            print(failures[-1], flush=True)
    return n, failures


def atheris_main(fmt: str, argv: list[str]) -> None:  # pragma: no cover - needs atheris
    """Coverage-guided fuzzing of one format with atheris (libFuzzer): seeds as the corpus."""
    import tempfile

    import atheris

    with atheris.instrument_imports():
        import parsers.registry
        import parsers.schedules  # noqa: F401

    corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{fmt}-"))
    for s in seeds(fmt):
        (corpus / s.name).write_bytes(s.data)

    def one(data: bytes) -> None:
        got = check(fmt, data, trace_memory=False)
        if got.failure:
            raise AssertionError(got.failure)

    atheris.Setup([sys.argv[0], *argv, str(corpus)], one)
    atheris.Fuzz()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--inputs", type=int, default=2000, help="inputs per format (default 2000)")
    ap.add_argument("--format", action="append", choices=FORMATS, help="only this format (repeatable)")
    ap.add_argument("--seed", type=int, default=1, help="the random sequence (same seed, same inputs)")
    ap.add_argument("--out", type=Path, default=ROOT / "test-output" / "fuzz", help="where failing inputs go")
    ap.add_argument("--no-memory", action="store_true",
                    help="skip tracemalloc (faster; native memory is still bounded)")
    ap.add_argument("--atheris", choices=FORMATS, help="coverage-guided fuzzing of one format with atheris")
    args, rest = ap.parse_known_args(argv)
    if args.atheris:
        atheris_main(args.atheris, [a for a in rest if a != "--"])
        return 0
    total, failed = 0, []
    started = time.perf_counter()
    with Sandbox(trace_memory=not args.no_memory) as sandbox:
        for fmt in args.format or FORMATS:
            t0 = time.perf_counter()
            n, failures = run(fmt, args.inputs, args.seed, args.out, sandbox)
            total += n
            failed += failures
            print(f"{fmt:<9} {n:>8,} inputs tried, {len(failures)} failed, {time.perf_counter() - t0:.1f} s",
                  flush=True)
    print(f"total     {total:>8,} inputs tried, {len(failed)} failed, {time.perf_counter() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
