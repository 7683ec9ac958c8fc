"""One CSV file per report table: UTF-8 with a byte-order mark (so Excel reads the Chinese), header
row in the report's language, money as plain decimal yuan, dates ISO; text never a formula and never
a raw control character (reconcile.sinks.for_csv)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from jobs.report.cells import Labels
from jobs.report.files import atomic
from reconcile.reporting.table import Column, Table
from reconcile.sinks import for_csv

BOM_UTF8 = "utf-8-sig"


def write_table(path: Path, table: Table, labels: Labels) -> None:
    write_rows(path, table.columns, table.rows, labels)


def write_rows(path: Path, columns: tuple[Column, ...], rows: Iterable[tuple[object, ...]], labels: Labels) -> int:
    """Write rows as they come (the lines may be millions); returns how many were written."""
    n = 0
    with atomic(path, text=True, encoding=BOM_UTF8) as f:
        w = csv.writer(f)
        w.writerow([for_csv(labels.t(c.key)) for c in columns])
        for row in rows:
            w.writerow([labels.csv(c, v) for c, v in zip(columns, row, strict=True)])
            n += 1
    return n
