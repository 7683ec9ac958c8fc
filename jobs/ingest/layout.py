"""Where each file goes: the archive layout and the rejected folder.

- a statement file: `archive/<account>/<yyyy>/<mm>/` of the last day its statements cover
  (`_unknown` without an account, today's month without a period);
- a book journal: beside its account's statements, the same way;
- a plan, surplus schedule, collection-target or budget file: `archive/_plans/<yyyy>/<mm>/` of the
  day it arrived;
- a duplicate: beside the first file of the same bytes (`archive/_duplicates/` when that has none);
- a refused file: `rejected/`, with `<name>.reason.txt` beside it.

A target is never an existing file nor one promised to a file not moved yet (`inbox.unique_target`)
and its name is made safe (`inbox.safe_name`). It is decided before the database commit and stored
with the file's row; the file moves there once its group is on the disk (pipeline.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from jobs import inbox
from reconcile.book.records import Journal
from reconcile.model import Statement


class ArchiveLayout:
    def __init__(self, archive: Path, rejected: Path) -> None:
        self.archive, self.rejected = archive, rejected
        self.promised: set[Path] = set()  # targets decided for files not moved yet

    def moved(self) -> None:
        """The files promised a target have moved there (or stay for the next run): forget them."""
        self.promised.clear()

    def statement_file(self, name: str, account: str, statements: Sequence[Statement], today: date) -> Path:
        return self._account_month(name, account or "_unknown", [st.covered_period() for st in statements], today)

    def journal_file(self, name: str, account: str, journals: Sequence[Journal], today: date) -> Path:
        return self._account_month(name, account, [j.covered_period() for j in journals], today)

    def schedule_file(self, name: str, today: date) -> Path:
        return self._target(self.archive / "_plans" / f"{today.year:04d}" / f"{today.month:02d}", name)

    def duplicate_file(self, name: str, first_archive_path: str) -> Path:
        folder = Path(first_archive_path).parent if first_archive_path else self.archive / "_duplicates"
        return self._target(folder, name)

    def rejected_file(self, name: str) -> Path:
        return self._target(self.rejected, name)

    def _account_month(self, name: str, account: str, periods: Sequence[tuple[date, date] | None],
                       today: date) -> Path:
        days = [p[1] for p in periods if p is not None]
        day = max(days) if days else today
        return self._target(self.archive / inbox.safe_name(account) / f"{day.year:04d}" / f"{day.month:02d}", name)

    def _target(self, folder: Path, name: str) -> Path:
        target = inbox.unique_target(folder, inbox.safe_name(name), self.promised)
        self.promised.add(target)
        return target


def made_room(target: Path) -> Path:
    """`target`, with its folder created."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o770)
    return target
