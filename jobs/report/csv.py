"""One CSV file per report table: UTF-8 with a byte-order mark (so Excel reads the Chinese), header
row in the report's language, money as plain decimal yuan, dates ISO; text never a formula and never
a raw control character (reconcile.sinks.for_csv)."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from jobs.report.cells import Labels
from jobs.report.files import atomic
from reconcile.reporting.table import Column, Table
from reconcile.sinks import for_csv

BOM_UTF8 = "utf-8-sig"


def write_table(path: Path, table: Table, labels: Labels) -> None:
    write_rows(path, table.columns, table.rows, labels)


def write_rows(path: Path, columns: tuple[Column, ...], rows: Iterable[tuple[object, ...]], labels: Labels) -> int:
    """Write rows as they come (the lines may be millions); returns how many were written."""
    with rows_csv(path, columns, labels) as out:
        for row in rows:
            out.write(row)
    return out.count


class RowsCsv:
    """A CSV file open for rows one at a time (`rows_csv`), counting them."""

    def __init__(self, f: IO[str], columns: tuple[Column, ...], labels: Labels) -> None:
        self._writer, self._columns, self._labels = csv.writer(f), columns, labels
        self._writer.writerow([for_csv(labels.t(c.key)) for c in columns])
        self.count = 0

    def write(self, row: tuple[object, ...]) -> None:
        self._writer.writerow([self._labels.csv(c, v) for c, v in zip(self._columns, row, strict=True)])
        self.count += 1


@contextlib.contextmanager
def rows_csv(path: Path, columns: tuple[Column, ...], labels: Labels) -> Iterator[RowsCsv]:
    """`path` with its header row, open for rows written as another writer reads them (the report's
    lines go to this file and to the workbook from one reading); in place when the block ends."""
    with atomic(path, text=True, encoding=BOM_UTF8) as f:
        yield RowsCsv(f, columns, labels)
