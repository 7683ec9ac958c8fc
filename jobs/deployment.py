"""The config.toml of a deployment kept in one folder: its inbox, archive, rejected files, reports
and logs under that folder, files ingested as soon as they are seen, statement files named by the
simulator's rule. The demo (jobs/demo.py) and the benchmarks (bench/) write theirs with it."""

from __future__ import annotations

from pathlib import Path

# The simulator's file names: ..._<account>_<yyyymmdd>-<yyyymmdd>.<ext> (TOML basic string).
FILENAME_RULE = '"(?:^|_)(?P<account>[0-9][0-9-]{9,30})_(?P<start>\\\\d{8})-(?P<end>\\\\d{8})"'


def write_config(folder: Path, url: str, mappings: Path, *, workers: int | None = None,
                 big_files: bool = False, title: str = "") -> Path:
    """`folder`/config.toml: the database at `url` (an SQLite path may be relative to `folder`), the
    mappings of `mappings`; `workers`: ingest.workers; `big_files`: limits of 2 GB a file; `title`:
    a comment on the first line. Returns the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    comment = f"# {title}\n" if title else ""
    workers_line = "" if workers is None else f"workers = {workers}\n"
    limits = "\n[limits]\nmax_file_bytes = 2147483648\nmax_xml_bytes = 2147483648\n" if big_files else ""
    cfg = folder / "config.toml"
    cfg.write_text(f"""{comment}[paths]
inbox = "inbox"
archive = "archive"
rejected = "rejected"
reports = "reports"
logs = "logs"
mappings = "{mappings}"

[database]
url = "{url}"

[ingest]
settle_seconds = 0
{workers_line}[[ingest.filename_rules]]
pattern = {FILENAME_RULE}
{limits}""", encoding="utf-8")
    return cfg
