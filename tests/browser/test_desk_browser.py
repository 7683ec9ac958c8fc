"""The desk in a real browser: the machine's Chromium driven by Playwright against `recon web`
started as a subprocess on a free loopback port. A county user signs in, sees only its county and
writes an explanation; a supervisor sees it and acknowledges; a month is prepared and approved by
two people. Screenshots of the dashboard, the queue and a finding page go to test-output/.
Skipped with the reason where Chromium is missing, except under CI=true."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.deskstore import DeskStore
from tests.integration.conftest import write_config
from tests.report.conftest import END_OF_MAY, _world
from tests.web.conftest import PASSWORD, add_people

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}: the browser tests need Debian's chromium package")
    root = tmp_path_factory.mktemp("desk")
    write_config(root, f"sqlite:///{root / 'data' / 'recon.db'}")
    (root / "inbox").mkdir()
    w = _world(root)
    w.ingest(1)
    w.reconcile(END_OF_MAY)
    w.report(END_OF_MAY)
    add_people(DeskStore(w.app.database()), frozenset(e.code for e in w.app.registry.entities if e.level == "county"))
    port = _free_port()
    env = {**os.environ, "RECON_CONFIG": str(root / "config.toml")}
    proc = subprocess.Popen([sys.executable, "-m", "jobs.cli", "web", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    said = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"recon web did not start: {said}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            assert proc.wait(timeout=20) == 0  # SIGTERM: a clean stop, exit code 0
        finally:
            if proc.poll() is None:
                proc.kill()


@pytest.fixture(scope="module")
def browser(served: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _page(browser, url: str, user: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(url + "/")
    return page, problems


def test_a_county_explains_a_supervisor_acknowledges_and_two_people_sign_a_month_off(served: str, browser) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    county, county_problems = _page(browser, served, "zs")
    assert "钟山区" in county.inner_text("#who")
    county.click("text=问题清单")
    county.wait_for_url(served + "/findings")
    results = county.inner_text("#results")
    assert "钟山区" in results and "水城县" not in results and "六枝特区" not in results and "盘州市" not in results
    # Filtering with HTMX swaps the page in place and puts the filter in the address.
    county.select_option("select[name=state]", "all")
    county.wait_for_url("**/findings?*state=all*")
    assert "水城县" not in county.inner_text("#results")
    county.click("#results a.fid >> nth=0")
    county.wait_for_url("**/findings/*")
    finding_url = county.url
    county.fill("#form-explain textarea[name=note]", "五月养老待遇因系统故障少发，六月已补发。")
    county.click("#form-explain button")
    county.wait_for_selector("#explanation")
    assert "六月已补发" in county.inner_text("#explanation")
    assert "情况说明" in county.inner_text("#audit")
    county.screenshot(path=str(SHOTS / "desk-finding.png"), full_page=True)

    boss, boss_problems = _page(browser, served, "li")
    boss.screenshot(path=str(SHOTS / "desk-dashboard.png"), full_page=True)
    assert "对账概览" in boss.inner_text("h1")
    boss.goto(served + "/findings")
    boss.screenshot(path=str(SHOTS / "desk-queue.png"), full_page=True)
    assert "水城县" in boss.inner_text("#results")  # the city sees every county
    boss.goto(finding_url)
    assert "六月已补发" in boss.inner_text("#explanation")
    boss.fill("#form-acknowledge input[name=note]", "已知悉，请县局留存补发凭证")
    boss.click("#form-acknowledge button")
    boss.wait_for_selector("#form-reopen")
    assert "已知悉" in boss.inner_text("#review-state")
    assert "请县局留存补发凭证" in boss.inner_text("#discussion")

    accountant, accountant_problems = _page(browser, served, "wang")
    accountant.goto(served + "/months")
    accountant.fill("#prepare-pension-2008-05 input[name=note]", "五月养老已对平")
    accountant.click("#prepare-pension-2008-05 button")
    expect(accountant.locator("#state-pension-2008-05")).to_contain_text("已编制")
    boss.goto(served + "/months")
    boss.click("#approve-pension-2008-05 button")
    # The approval posts a form and the page is replaced: expect() retries until the new page shows it, where a
    # script that reads the element once can run between the two pages and find nothing (it failed so in CI).
    expect(boss.locator("#state-pension-2008-05")).to_contain_text("已批准")
    row = boss.inner_text("#m-pension-2008-05")
    assert "WANG" not in row and "wang" in row and "li" in row
    for problems in (county_problems, boss_problems, accountant_problems):
        assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == [], problems
    for name in ("desk-dashboard.png", "desk-queue.png", "desk-finding.png"):
        assert (SHOTS / name).stat().st_size > 10_000
