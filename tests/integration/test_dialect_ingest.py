"""A file in a dialect goes all the way: ingested to the fen, its warning stored with the statement,
shown by `recon status`, on the report's coverage sheet and in the log; with `ingest.strict = true`
the same file is rejected with the departure named (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from jobs.app import App
from jobs.ingest import Ingestor
from jobs.report import write_report
from jobs.status import status
from store.db import session_scope, upgrade
from store.models import LineRow, StatementWarningRow
from tests.integration.conftest import write_config
from tests.integration.files import ZS_PENSION_INCOME

# A legacy MT940 export: '.' for the decimal comma throughout (4 amounts).
LEGACY = (f":20:STMT0304\n:25:{ZS_PENSION_INCOME}\n:28C:1/1\n:60F:C080303CNY1000.00\n"
          ":61:0803040304C250.5NTRFNONREF//A1\n:86:上解\n:61:0803050305D0.75NCHGNONREF//A2\n:86:手续费\n"
          ":62F:C080305CNY1249.75\n-\n").encode()
SAID = "方言：以小数点代替 SWIFT 规定的小数逗号，共 4 个金额（首见于 第 4 行）"


def app_for(project: Path) -> App:
    app = App(str(project / "config.toml"))
    upgrade(app.database(checked=False))
    return app


def test_a_dialect_file_is_stored_to_the_fen_and_its_warning_is_kept_shown_reported_and_logged(
        project: Path) -> None:
    app = app_for(project)
    (project / "inbox" / "legacy.sta").write_bytes(LEGACY)
    report = Ingestor(app.config, app.registry, app.database()).run(progress=False)
    assert (report.ingested, report.rejected, report.added) == (1, 0, 2)
    with session_scope(app.database()) as s:
        assert sorted(s.scalars(select(LineRow.amount_fen))) == [-75, 25050]
        stored = [(w.account, w.code, w.place, w.count) for w in s.scalars(select(StatementWarningRow))]
    assert stored == [(ZS_PENSION_INCOME, "mt940.decimal_point", "line 4", 4)]

    st = status(app.database(), app.registry)
    assert [(w.file_name, w.account) for w in st.warnings] == [("legacy.sta", ZS_PENSION_INCOME)]
    assert st.to_dict("zh")["warnings"][0]["text"] == SAID  # type: ignore[index]

    assert SAID in (project / "logs" / "recon.log").read_text(encoding="utf-8")

    result = write_report(app.config, app.registry, app.database(), date(2008, 3, 31))
    rows = list(csv.reader(io.StringIO((result.folder / "dialect_warnings.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][2:] == [ZS_PENSION_INCOME, "legacy.sta", SAID]
    sheet = load_workbook(result.folder / "exceptions.xlsx", read_only=True)["对账单覆盖与余额"]
    assert SAID in [c for row in sheet.iter_rows(values_only=True) for c in row]


def test_strict_mode_rejects_the_same_file_naming_the_departure_and_stores_nothing(tmp_path: Path,
                                                                                    db_url: str) -> None:
    write_config(tmp_path, db_url, "strict = true\n")
    (tmp_path / "inbox").mkdir()
    app = app_for(tmp_path)
    (tmp_path / "inbox" / "legacy.sta").write_bytes(LEGACY)
    report = Ingestor(app.config, app.registry, app.database()).run(progress=False)
    assert (report.ingested, report.rejected) == (0, 1)
    reason = (tmp_path / "rejected" / "legacy.sta.reason.txt").read_text(encoding="utf-8")
    assert "ingest.strict = true" in reason and SAID in reason
    with session_scope(app.database()) as s:
        assert s.scalars(select(LineRow)).first() is None
        assert s.scalars(select(StatementWarningRow)).first() is None


def test_a_layout_no_profile_fits_is_rejected_with_the_header_found_and_the_command_that_drafts_one(
        project: Path) -> None:
    app = app_for(project)
    sample = Path(__file__).resolve().parents[1] / "data" / "drafts" / "cmbc_corp_mingxi.csv"
    (project / "inbox" / "民生.csv").write_bytes(sample.read_bytes())
    report = Ingestor(app.config, app.registry, app.database(), lang="en").run(progress=False)
    assert report.rejected == 1
    reason = (project / "rejected" / "民生.csv.reason.txt").read_text(encoding="utf-8")
    assert "no bank profile fits this layout: header row at line 13: 交易时间 | 交易流水号 |" in reason
    assert "draft a profile for it: recon profile draft 民生.csv --name NAME" in reason
