"""Misplaced income in the report: the finding's kind and its detail speak the reader's language
(the catalogue, zh by default and en by option), with its severity and the payer named."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

from jobs.app import App
from jobs.report import write_report
from tests.examples.harness import HERE, cut_registry, run_case


def test_the_report_lists_misplaced_income_in_chinese_and_in_english(project: Path) -> None:
    folder = HERE / "misplaced_income"
    expected, found = run_case(folder, project)
    assert found == expected
    case = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))
    app = App(str(project / "config.toml"))
    registry = cut_registry(app.registry, case["accounts"])
    now = datetime(2008, 5, 1, 8, tzinfo=UTC)
    zh = write_report(app.config, registry, app.database(), case["as_of"], "zh", now=now)
    page = (zh.folder / "exceptions.html").read_text(encoding="utf-8")
    assert page.count("收入未存入收入户") >= 2  # the two misplaced credits (and the summary by kind)
    assert "缴款方" in page and "应存入收入户" in page and "六盘水市某某煤业有限公司" in page
    assert "misplaced_income" not in page and "belongs_in" not in page
    en = write_report(app.config, registry, app.database(), case["as_of"], "en", now=now)
    text = (en.folder / "exceptions.html").read_text(encoding="utf-8")
    assert "misplaced income" in text and "payer" in text and "belongs in income account" in text
