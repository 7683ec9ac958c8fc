"""A report table: typed columns (whose labels are message keys) and rows of plain values.

Cell values by column kind: `money` and `fen_days` integer fen (fen-days: shown as 元·天 with two
decimals), `percent` integer basis points (1/100 of a percent), `date`/`datetime` real dates,
`int` integers, `text` strings; code kinds (`kind`, `rule`, `status`, `severity`, `review`, `fund`,
`role`, `entity`, `reason`, `yesno`, `gap_state`, `covered_by`, `line_class`) hold codes the writers
translate; `detail` holds a finding's detail dict; `warning` a dialect `Departure` the writers describe;
`where` a place in a file (reconcile.places says it in the report's language). None is an empty cell;
in an `entity` column, `NO_ENTITY` stands for the findings that belong to no entity (a file that
could not be read), said as `report.entity.none`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reconcile.reporting.window import Window

MONEY_KINDS = ("money", "fen_days")
CODE_KINDS = ("kind", "rule", "status", "severity", "review", "fund", "role", "entity", "reason", "yesno",
              "gap_state", "covered_by", "line_class")
NO_ENTITY = "(none)"  # the entity cell of a row about no entity (a registry code of that name would win)


@dataclass(frozen=True)
class Column:
    key: str  # message key of the header: "report.col.<name>"
    kind: str = "text"
    width: int = 12  # characters, for spreadsheets


@dataclass
class Table:
    name: str  # file stem of its CSV, e.g. "late_list"
    title: str  # message key of its heading
    columns: tuple[Column, ...]
    rows: list[tuple[object, ...]] = field(default_factory=list)
    window: Window | None = None  # a table that lists history lists this window (its note says so)

    def column(self, name: str) -> int:
        """The index of the column whose key ends with `name`."""
        return next(i for i, c in enumerate(self.columns) if c.key.rsplit(".", 1)[-1] == name)


def col(name: str, kind: str = "text", width: int = 12) -> Column:
    return Column(f"report.col.{name}", kind, width)


def basis_points(part: int, whole: int) -> int | None:
    """part / whole in basis points, rounded half up, in integers; None when whole is 0."""
    if whole <= 0:
        return None
    return (part * 10_000 * 2 + whole) // (whole * 2)


def format_percent(bp: int) -> str:
    sign = "-" if bp < 0 else ""
    whole, frac = divmod(abs(bp), 100)
    return f"{sign}{whole}.{frac:02d}%"
