"""No English word in what a Chinese user reads (issue 16, item 6).

A small `make demo` (the demo's own code: simulator, nightly job, summary; four months, fewer lines)
is run into a temporary folder; then every word of its zh report (HTML, every CSV, every XLSX
including the 余额调节表 workbooks), of the demo's console output, of the log lines at INFO and above,
of `recon status`, `findings list`, `accounts` and `run`, and of `--help` of every command, is
checked. English is allowed only where it is not ours to translate, and the list says exactly what
that is: the names of formats and standards, codes, file names and paths, element paths, and the
library's own words after a Chinese sentence (`XML 格式不正确：<what the XML library said>`).
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from loguru import logger
from openpyxl import load_workbook

from jobs import demo
from reconcile.messages import CATALOGUE
from tests.e2e.test_cli import COMMANDS, ROOT

# Names of formats, standards, codes and units: proper names, never translated.
ALLOWED = {
    "camt", "MT", "MT940", "MT942", "OFX", "CSV", "TSV", "XLSX", "XLS", "Excel", "XML", "HTML", "JSON", "SQLite",
    "IBAN", "ISO", "SWIFT", "UTF", "GB", "CNY", "ZIP", "SHA", "MB", "DTD", "URL", "BOOK", "PDNG", "INFO",
}
# What the files and the data themselves name (not words of ours): file names and paths, URLs,
# XML/OFX element paths, a bank workbook's sheet names, option names, placeholders, shell commands.
NOT_WORDS = [
    re.compile(r"\S*\brecon\b[^#\n（；]*"),  # a command to type: .venv/bin/recon --config x users add admin
    re.compile(r"\S*/\S*"),  # paths, URLs, element paths (Stmt[1]/Ntry[3])
    re.compile(r"[\w.\-()<>]+(?: \(\d+\))?\.(?:xml|csv|xlsx|xls|sta|ofx|qfx|txt|zip|json|html|toml|db|log)\b"),
    re.compile(r"\b[A-Z]+\[\d+\]"),  # STMTRS[1]
    re.compile(r"\bSheet\d+\b"),
    re.compile(r"(?<![\w-])--?[a-z][\w-]*"),  # --json, -h
    # a key of config.toml the operator sets: ingest.incomplete_wait_minutes, limits.reader_seconds
    re.compile(r"\b(?:paths|database|general|ingest|limits|calendar|rules|book|schedule|retention|email|web)"
               r"(?:\.[a-z_]+)+\b"),
]
LIBRARY_DETAIL = [zh.split("：")[0] for k, (zh, _en) in CATALOGUE.items() if k.startswith("parse.")]
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """The English words in `text`, after what is allowed is taken out."""
    out = []
    for line in text.splitlines():
        for sentence in LIBRARY_DETAIL:  # a library's own words follow a Chinese sentence and a colon
            if sentence and f"{sentence}：" in line:
                line = line.split(f"{sentence}：", 1)[0]
        for pattern in NOT_WORDS:
            line = pattern.sub(" ", line)
        out += [w for w in WORD.findall(line) if w not in ALLOWED and w not in allowed]
    return out


def html_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def xlsx_text(path: Path) -> str:
    wb = load_workbook(path, read_only=True)
    cells = [ws.title for ws in wb.worksheets]
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += [v for v in row if isinstance(v, str)]
    wb.close()
    return "\n".join(cells)


def csv_text(path: Path) -> str:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return "\n".join(cell for row in csv.reader(f) for cell in row)


def recon(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "RECON_LANG"}
    done = subprocess.run([sys.executable, "-m", "jobs.cli", "--config", str(root / "config.toml"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    root = tmp_path_factory.mktemp("demo") / "demo"
    logged: list[str] = []
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sink = None

        def capture() -> None:
            nonlocal sink
            sink = logger.add(lambda m: logged.append(m.record["message"]), level="INFO")

        real_setup = demo.logs.setup

        def setup(*a: object, **kw: object) -> None:
            real_setup(*a, **kw)  # type: ignore[arg-type]
            capture()

        demo.logs.setup = setup
        try:
            assert demo.main(seed=11, months=4, root=root, lines_per_month=1500) == 0
        finally:
            demo.logs.setup = real_setup
            if sink is not None:
                logger.remove(sink)
    return root, out.getvalue(), logged


def report_files(root: Path) -> list[Path]:
    reports = root / "reports"
    return sorted(p for p in reports.rglob("*") if p.suffix in (".html", ".csv", ".xlsx"))


def test_the_zh_report_has_no_english_word(small_demo: tuple[Path, str, list[str]]) -> None:
    root, _, _ = small_demo
    files = report_files(root)
    kinds = {p.suffix for p in files}
    assert kinds == {".html", ".csv", ".xlsx"} and any(p.name.startswith("余额调节表") for p in files)
    found = {}
    for p in files:
        text = {".html": html_text, ".csv": csv_text, ".xlsx": xlsx_text}[p.suffix](p)
        words = english_words(text)
        if words:
            found[str(p.relative_to(root))] = sorted(set(words))[:20]
    assert not found, found


def test_the_report_says_every_finding_s_detail_in_words(small_demo: tuple[Path, str, list[str]]) -> None:
    root, _, _ = small_demo
    findings = csv_text(next((root / "reports").glob("*/findings.csv")))
    assert "说明" in findings and "收款账户" in findings  # misdirected/unexpected/unconfirmed name the receiver


def test_the_demo_s_console_and_log_lines_have_no_english_word(small_demo: tuple[Path, str, list[str]]) -> None:
    _, printed, logged = small_demo
    assert "问题汇总" in printed and "步骤" in printed
    assert english_words(printed) == []
    assert logged and [m for m in logged if english_words(m)] == []


def test_the_commands_speak_chinese(small_demo: tuple[Path, str, list[str]]) -> None:
    root, _, _ = small_demo
    for args in (["status"], ["findings", "list"], ["accounts"], ["reconcile", "--as-of", "2008-04-30"]):
        said = recon(root, *args)
        words = english_words(said, TYPED)  # entity codes (ZS, LPS) are what --entity takes
        assert said.strip() and words == [], (args, sorted(set(words)))


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_of_every_command_speaks_chinese_and_english_on_request(command: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("RECON_LANG", "RECON_CONFIG")}

    def helps(extra_env: dict[str, str]) -> str:
        done = subprocess.run([sys.executable, "-m", "jobs.cli", *command.split(), "--help"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, env={**env, **extra_env})
        assert done.returncode == 0, done.stderr
        return done.stdout

    zh = helps({})
    described = "\n".join(_descriptions(zh))  # option names and metavars are what one types
    words = english_words(described, TYPED)
    assert words == [], sorted(set(words))
    assert "Usage:" in helps({"RECON_LANG": "en"})
    (tmp_path / "config.toml").write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    assert "Usage:" in helps({})  # the config's language
    assert "用法：" in helps({"RECON_LANG": "zh"})


def _descriptions(help_text: str) -> list[str]:
    """The help's sentences: not the usage line, nor an option's or a command's name and metavar."""
    out = []
    for line in help_text.splitlines():
        if line.startswith("用法："):
            continue
        stripped = line.strip()
        if stripped.startswith("-") or re.match(r"^  [a-z]+\s{2,}", line):
            parts = re.split(r"\s{2,}", stripped, maxsplit=1)
            stripped = parts[1] if len(parts) > 1 else ""
        out.append(PLACEHOLDER.sub(" ", NOT_WORDS[1].sub(" ", stripped)))
    return out


def _typed() -> set[str]:
    """The codes an option takes: its choices, and the codes `--fund`, `--entity`/`--scope`, `--kind` and
    `--profile` take."""
    import click

    from jobs.cli import main
    from jobs.helptext import walk
    from reconcile.accounts import load_registry
    from reconcile.kinds import KINDS

    registry = load_registry(ROOT / "mappings" / "accounts.toml")
    codes = {f.code for f in registry.funds} | {e.code for e in registry.entities} | {k.code for k in KINDS}
    codes |= {w for a in registry.accounts for w in WORD.findall(a.profile)}  # --profile icbc_historydetail
    for _, cmd in walk(main, "main"):
        codes |= {c for p in cmd.params if isinstance(p.type, click.Choice) for c in map(str, p.type.choices)}
    return codes


# Help only: placeholders (FILE, ACCOUNT, YYYY-MM, $RECON_CONFIG, SIGTERM), config keys
# (general.language), the web server's name, and the option codes.
PLACEHOLDER = re.compile(r"\$?\b[A-Z][A-Z_]+\b|\b[a-z_]+\.[a-z_]+\b|\bwaitress\b")
TYPED = _typed()


def test_every_command_and_option_has_its_help_in_the_catalogue() -> None:
    import click

    from jobs.cli import main
    from jobs.helptext import walk

    missing = [f"help.{path}" for path, _ in walk(main, "main") if f"help.{path}" not in CATALOGUE]
    missing += [f"help.{path}.{p.name}" for path, cmd in walk(main, "main") for p in cmd.params
                if isinstance(p, click.Option) and f"help.{path}.{p.name}" not in CATALOGUE]
    assert missing == []
