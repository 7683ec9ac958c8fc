"""Each stage of a night runs as its own `recon` process, so what a command imports at start-up is
paid every night by every stage: `recon ingest`, `recon reconcile` and `recon report` load only the
libraries their work needs. Alembic (a third of the start-up) only for `recon init` and a new
SQLite database, APScheduler only for `recon serve`, the XLSX writer only for the report, the desk's
web server only for `recon web`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.db import open_database, upgrade
from tests.reliability.helpers import ROOT, write_config

# Run `recon ARGS` as the console script does, then write the modules the process holds.
SCRIPT = """
import json, sys
from jobs.cli import main
try:
    main(sys.argv[2:], prog_name="recon")
finally:
    with open(sys.argv[1], "w", encoding="utf-8") as fh:
        json.dump(sorted(sys.modules), fh)
"""

NEVER = {"alembic", "apscheduler", "flask", "jinja2", "waitress", "pandas", "pyarrow"}
NOT_NEEDED = {
    "ingest": NEVER | {"ofxparse", "bs4"},  # an OFX file's reader loads them (a night's files are camt, MT940)
    "reconcile": NEVER | {"openpyxl", "python_calamine", "lxml", "ofxparse", "bs4", "numpy"},
    "report": NEVER | {"python_calamine", "ofxparse", "bs4"},
}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty deployment whose SQLite database `recon init` has made (a new one is made by the
    first command, with Alembic: not what a night pays)."""
    root = tmp_path_factory.mktemp("startup")
    url = f"sqlite:///{root / 'data' / 'recon.db'}"
    upgrade(open_database(url))
    return write_config(root, url)


def _modules(cfg: Path, *args: str) -> set[str]:
    out = cfg.parent / "modules.json"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(out), "--config", str(cfg), *args],
                          cwd=str(cfg.parent), env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return set(json.loads(out.read_text(encoding="utf-8")))


@pytest.mark.parametrize("stage", ["ingest", "reconcile", "report"])
def test_a_nights_stage_does_not_import_what_it_does_not_use(deployment: Path, stage: str) -> None:
    args = [stage] if stage == "ingest" else [stage, "--as-of", "2008-02-29"]
    held = _modules(deployment, *args)
    assert "sqlalchemy" in held and "jobs.cli" in held  # the command ran and used its database
    loaded = {name for name in held if name.split(".")[0] in NOT_NEEDED[stage]}
    assert not loaded, sorted({name.split(".")[0] for name in loaded})
