"""jobs.report.cells.Labels keeps each code's label and each place's words once said: what it says
again is what it says the first time, for values of any type (True is not 1)."""

from __future__ import annotations

from pathlib import Path

from jobs.report.cells import Labels
from reconcile.accounts import load_registry
from reconcile.places import say_place
from reconcile.reporting.table import CODE_KINDS, Column

MAPPINGS = Path(__file__).resolve().parents[2] / "mappings"


def test_a_label_said_again_is_the_label_said_first() -> None:
    registry = load_registry(MAPPINGS / "accounts.toml")
    values: list[object] = [True, 1, "1", False, 0, "0", "late", "missing", "ZS", "LPS", "income", "high", "x"]
    for lang in ("zh", "en"):
        labels, fresh = Labels(lang, registry), Labels(lang, registry)
        for kind in CODE_KINDS:
            col = Column("k", kind, 8)
            first = [labels.text(col, v) for v in values]
            assert [labels.text(col, v) for v in values] == first
            assert first == [fresh.code(kind, v) for v in values]
        col = Column("k", "where", 8)
        places = ["f.csv:line 12", "x.xlsx:sheet 明细 row 3", "a.xml:Stmt[1]/Ntry[2]", "line 1", "z.zip:ZIP member a b"]
        assert [labels.text(col, p) for p in places * 2] == [say_place(p, lang) for p in places * 2]
