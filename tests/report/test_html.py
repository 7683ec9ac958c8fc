"""The HTML page, as a real browser shows it: headless Chromium renders it, the dumped DOM holds the
heatmap and the late list, and a screenshot is kept in test-output/ for people to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.report.conftest import END_OF_JUNE, ROOT, World

OUTPUT = ROOT / "test-output"


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        reason = "headless Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs it: {reason}")
        pytest.skip(reason)
    return found


def _run(browser: str, profile: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
            "--window-size=1240,1754", *extra, page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)


def test_the_page_shows_the_heatmap_and_the_late_list_in_a_real_browser(reconciled: World, tmp_path: Path) -> None:
    browser = _chromium()
    result = reconciled.report(END_OF_JUNE)
    page = result.folder / "exceptions.html"
    OUTPUT.mkdir(exist_ok=True)
    shot = OUTPUT / "report-2008-06-30.png"
    shot.unlink(missing_ok=True)
    _run(browser, tmp_path / "profile-shot", page, f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
    dom = BeautifulSoup(_run(browser, tmp_path / "profile-dom", page, "--dump-dom").stdout, "html.parser")

    heat = dom.select("section#heatmap table.heat")
    assert [t["data-fund"] for t in heat] == ["pension", "unemployment"]
    pension = {tr.select_one("td.county").get_text(): [td["class"][0] for td in tr.select("td")[1:]]
               for tr in heat[0].select("tbody tr")}
    assert set(pension) == {"钟山区", "六枝特区", "盘县", "水城县"}
    assert pension["水城县"][-2:] == ["st-missing", "st-missing"]
    assert pension["盘县"][-1] == "st-partial" and pension["六枝特区"][2] == "st-late"
    assert dom.select_one("section#heatmap .legend") is not None

    late = dom.select("section#late table.t-late_list tbody tr")
    cells = [[td.get_text() for td in tr.select("td")] for tr in late]
    assert len(cells) == result.late_remittances == 7
    assert cells[0][:3] == ["盘县", "养老", "2008-06"] and cells[0][8] == "82,500.00"  # largest outstanding first
    assert ["水城县", "养老", "2008-05"] in [c[:3] for c in cells]
    assert dom.select_one("section#trend svg rect") is not None

    # Benefit payments come first; every finding links to the lines behind it.
    sections = [s["id"] for s in dom.select("body > section")]
    assert sections[0] == "disbursement" and sections.index("heatmap") < sections.index("late")
    assert "待遇未足额发放" in dom.select_one("section#disbursement").get_text()
    for link in dom.select("section#findings a[href^='#f-']"):
        assert dom.select_one(link["href"]) is not None

    raw = page.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|@import|url\(", raw)
    assert set(re.findall(r"https?://[^\"' )]+", raw)) <= {"http://www.w3.org/2000/svg"}
    assert "@page { size: A4" in raw and "Noto Sans CJK SC" in raw
