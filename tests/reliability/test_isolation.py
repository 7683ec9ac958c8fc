"""Issue 12: one file never stops the night. Each file is read in a child process under
`limits.reader_memory_bytes` and `limits.reader_seconds`; a file that exhausts, outlives or kills its
reader is rejected with the limit named, and the run goes on. A run that dies anyway is named by the
next one; a new SQLite deployment needs no `recon init`; `recon parse` reads only regular files.

Every test here failed on main before the fix (see RELIABILITY.md, issue 12)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from tests.integration.conftest import ROOT, pg_schema
from tests.reliability.helpers import AS_OF, Seed, file_rows_match_files, ok, recon, sqlite_url, write_config
from tests.reliability.test_hostile import GOOD, one_good

_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
    '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>',
}


def xfd_workbook() -> bytes:
    """1.5 KB: a workbook whose sheet holds a cell at A1 and one at XFD1048576, the last of the
    sheet. python-calamine asks for the whole 16384 x 1048576 grid (hundreds of GB) and aborts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _PARTS.items():
            z.writestr(name, text)
    return buf.getvalue()


def one_line_csv(mb: int) -> bytes:
    """A CSV of one line of `mb` MB (defect 11: the tabular reader needs about 14 times its size)."""
    return b"a," * (mb * 512 * 1024) + b"\n"


def measured(cfg: Path, *args: str, limit_kb: int = 16_000_000) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """recon under an address-space cap (so a reader that runs away cannot take the machine), with
    its wall time and the peak resident set of it and its reader children (wait4, bytes)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECON_")} | {"PYTHONPATH": str(ROOT),
                                                                                  "RUST_BACKTRACE": "0"}
    cmd = ["bash", "-c", f'ulimit -v {limit_kb}; exec "$@"', "recon", sys.executable, "-m", "jobs.cli",
           "--config", str(cfg), *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=str(cfg.parent), env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        proc = subprocess.CompletedProcess(cmd, os.waitstatus_to_exitcode(status), out.read().decode(),
                                           err.read().decode(errors="replace"))
    return proc, wall, usage.ru_maxrss * 1024


def reason(root: Path, name: str) -> str:
    return (root / "rejected" / f"{name}.reason.txt").read_text(encoding="utf-8")


def runs(cfg: Path) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(ok(recon(cfg, "status", "--json")).stdout)["runs"]
    return data


# -- defect 1 and defect 11: a file that exhausts or outlives its reader ------------------------------------
HOSTILE = {
    # name: (bytes, [limits] lines, the key the reason must name)
    "xfd.xlsx": (xfd_workbook, "", "limits.reader_memory_bytes"),
    "oneline.csv": (lambda: one_line_csv(40), "reader_memory_bytes = 134217728", "limits.reader_memory_bytes"),
    "slow.csv": (lambda: one_line_csv(40), "reader_seconds = 1", "limits.reader_seconds"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_file_that_exhausts_or_outlives_its_reader_is_rejected_naming_the_limit_and_the_night_goes_on(
        tmp_path: Path, seed: Seed, name: str) -> None:
    make, limits, key = HOSTILE[name]
    cfg = write_config(tmp_path, sqlite_url(tmp_path), extra=f"[limits]\n{limits}\n")
    ok(recon(cfg, "init"))
    (tmp_path / "inbox" / name).write_bytes(make())
    one_good(seed, tmp_path / "inbox", "zz_" + GOOD)  # behind the hostile file in name order
    proc, wall, rss = measured(cfg, "run", "--as-of", AS_OF)
    ok(proc)
    assert "Traceback" not in proc.stderr
    assert key in reason(tmp_path, name), reason(tmp_path, name)
    assert [p.name for p in (tmp_path / "archive").rglob("*") if p.is_file()] == ["zz_" + GOOD]
    assert list((tmp_path / "inbox").iterdir()) == []
    assert any(p.name.endswith(".xlsx") for p in (tmp_path / "reports" / AS_OF).iterdir()), "the report is written"
    assert file_rows_match_files(tmp_path, sqlite_url(tmp_path)) == []
    assert wall < 60, f"{name}: {wall:.1f} s"
    assert rss < 600 * 1024 * 1024 or name == "slow.csv", f"{name}: {rss / 1e6:.0f} MB resident"
    print(f"{name} ({len(make()) / 1e6:.3f} MB): run {wall:.1f} s, peak resident {rss / 1e6:.0f} MB")


def test_the_crafted_workbook_aborts_the_reader_not_the_run_under_the_default_limits(tmp_path: Path) -> None:
    """Alone in the inbox, with the defaults: `recon ingest` exits 1 (a rejection), not 134 (SIGABRT)."""
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    (tmp_path / "inbox" / "xfd.xlsx").write_bytes(xfd_workbook())
    proc, _, _ = measured(cfg, "ingest", "--no-progress")
    ok(proc, 1)
    assert "2048 MB" in reason(tmp_path, "xfd.xlsx")


# -- a run that dies anyway -------------------------------------------------------------------------------
def test_a_run_killed_while_reading_a_file_is_marked_failed_by_the_next_run_which_names_the_file(
        tmp_path: Path, seed: Seed) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    ok(recon(cfg, "init"))
    one_good(seed, tmp_path / "inbox", "a_" + GOOD)
    one_good(seed, tmp_path / "inbox", "b_" + GOOD)
    killed = recon(cfg, "run", "--as-of", AS_OF, env={"RECON_CRASH_AT": "ingest.read:1"})
    assert killed.returncode == -9, killed.stderr
    assert [r["status"] for r in runs(cfg)] == ["running"]
    ok(recon(cfg, "run", "--as-of", AS_OF))
    second, first = runs(cfg)
    assert second["status"] == "done"
    assert first["status"] == "failed" and first["finished_at"]
    assert "a_" + GOOD in str(first["error"]) and "ingest" in str(first["error"]), first["error"]


# -- a new deployment -------------------------------------------------------------------------------------
def test_ingest_on_a_new_sqlite_deployment_creates_the_database_without_recon_init(tmp_path: Path,
                                                                                    seed: Seed) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    one_good(seed, tmp_path / "inbox")
    proc = ok(recon(cfg, "ingest", "--no-progress"))
    assert "已创建" in proc.stderr
    assert list((tmp_path / "inbox").iterdir()) == []
    assert (tmp_path / "data" / "recon.db").stat().st_mode & 0o007 == 0, "no permission bits for others"


@pytest.mark.postgres
def test_ingest_on_a_new_postgresql_schema_asks_for_recon_init_in_chinese(tmp_path: Path,
                                                                           pg_available: str | None) -> None:
    if pg_available:
        pytest.skip(pg_available)
    with pg_schema() as url:
        cfg = write_config(tmp_path, url)
        proc = ok(recon(cfg, "ingest", "--no-progress"), 3)
    assert "recon init" in proc.stderr and "请先运行" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# -- recon parse ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_recon_parse_refuses_what_is_not_a_regular_file_at_once(tmp_path: Path, kind: str) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path))
    target = tmp_path / "pipe.csv"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path(kind)
    t0 = time.perf_counter()
    proc = recon(cfg, "parse", str(target), timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert "不是普通文件" in proc.stderr
    assert time.perf_counter() - t0 < 20


def test_recon_parse_reads_at_most_max_file_bytes(tmp_path: Path) -> None:
    cfg = write_config(tmp_path, sqlite_url(tmp_path), extra="[limits]\nmax_file_bytes = 1000\n")
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" * 1000)
    proc = recon(cfg, "parse", str(big))
    assert proc.returncode == 1 and "limits.max_file_bytes" in proc.stderr, proc.stderr
