"""Fees, interest, returns and refunds are listed in the report (docs/DOMAIN.md: Classes of lines; listed,
never findings; issue 12, deliver 6): the simulated inbox's answer key names a bank fee and a
refund that must not be findings; the report of the uninterrupted reference run lists them, in
the CSV, in their own sheet of exceptions.xlsx and in a section of exceptions.html."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from openpyxl import load_workbook

from reconcile.messages import t
from reconcile.money import plain_yuan
from tests.reliability.helpers import AS_OF, Seed


def test_the_report_lists_the_fees_and_refunds_the_answer_key_says_are_no_findings(seed: Seed) -> None:
    base = seed.inbox.parent
    key = json.loads((base / "answer_key.json").read_text(encoding="utf-8"))
    wanted = [x for x in key["no_finding_faults"] if x["fault"] in ("bank_fees", "contribution_refund")
              and x["date"] <= AS_OF]
    assert any(x["fault"] == "bank_fees" for x in wanted), "the simulated months hold a bank fee"
    folder = base / "reference" / "reports" / AS_OF
    with (folder / "classed_lines.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    label = {t(f"report.line_class.{c}"): c for c in ("fee", "interest", "interest_day", "return", "refund")}
    listed = {(label[r["类别"]], r["账号"], r["记账日期"], r["金额"]) for r in rows}
    for x in wanted:
        cls = "fee" if x["fault"] == "bank_fees" else "refund"
        assert (cls, x["account"], x["date"], plain_yuan(-x["amount_fen"])) in listed, x
    assert "fee" in {label[r["类别"]] for r in rows}
    assert all(Decimal(r["金额"]) < 0 for r in rows if label[r["类别"]] in ("fee", "refund"))

    ws = load_workbook(folder / "exceptions.xlsx")[t("report.sheet.classed")]
    amounts = [r[5] for r in ws.iter_rows(min_row=3, values_only=True) if r[5] is not None]
    assert len(amounts) == len(rows) and all(isinstance(a, (int, float, Decimal)) for a in amounts)
    page = (folder / "exceptions.html").read_text(encoding="utf-8")
    assert 'id="classed"' in page and t("report.line_class.fee") in page
