"""Month sign-off (maker-checker) revoked by a changed finding, the audit chain checked by
`recon audit verify`, the reports each scope may download, and the queue's filters and pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

from jobs.report import write_county_reports
from reconcile.desk import AuditFilter, QueueFilter
from store.db import session_scope
from tests.report.conftest import END_OF_JUNE
from tests.web.conftest import Desk, csrf_of, second_night

ROOT = Path(__file__).resolve().parents[2]


def recon(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECON_CONFIG": str(root / "config.toml")}
    return subprocess.run([sys.executable, "-m", "jobs.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, input=stdin)


def ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'class="fid">#(\d+)<', html)]


def _month(desk: Desk, fund: str, period: str):  # type: ignore[no-untyped-def]
    return next(m for m in desk.store.months([fund], None) if m.signoff.period == period).signoff


def test_a_month_is_prepared_and_approved_by_two_people_and_revoked_when_a_finding_of_it_changes(desk: Desk) -> None:
    wang, li = desk.client("wang"), desk.client("li")
    r = wang.post("/months/pension/2008-05/prepare", data={"csrf": csrf_of(wang, "/months"), "note": "五月已核"})
    assert r.status_code == 303 and _month(desk, "pension", "2008-05").state == "prepared"
    # The preparer cannot approve: maker-checker; a city accountant may not approve at all.
    assert wang.post("/months/pension/2008-05/approve", data={"csrf": csrf_of(wang, "/months")}).status_code == 403
    boss_wang = desk.client("li")
    r = boss_wang.post("/months/pension/2008-05/approve", data={"csrf": csrf_of(boss_wang, "/months")})
    assert r.status_code == 303 and _month(desk, "pension", "2008-05").state == "approved"
    s = _month(desk, "pension", "2008-05")
    assert (s.prepared_by, s.approved_by) == ("wang", "li")
    # A supervisor who prepared a month cannot approve it either.
    li.post("/months/unemployment/2008-05/prepare", data={"csrf": csrf_of(li, "/months")})
    r = li.post("/months/unemployment/2008-05/approve", data={"csrf": csrf_of(li, "/months")})
    assert r.headers["Location"].startswith("/months?error=months.same_person")
    assert "编制人不能批准自己编制的月度确认" in li.get(r.headers["Location"]).text
    untouched = _month(desk, "pension", "2008-04")
    assert untouched.state == "open"
    # The next night, ZS's May statement arrives: the May pension remittance awaiting it closes.
    waiting = desk.finding_id("awaiting_statement", "ZS", "2008-05")
    second_night(desk)
    s = _month(desk, "pension", "2008-05")
    assert s.state == "revoked" and s.revoked_at is not None
    reason = json.loads(s.revoke_reason)
    assert reason["as_of"] == END_OF_JUNE.isoformat()
    assert {"finding": waiting, "event": "closed"} in reason["changes"]
    revoke = next(e for e in desk.store.audit(AuditFilter(actor="recon")) if e.action == "month.revoke"
                  and e.target == "month:pension:2008-05")
    assert json.loads(revoke.before)["state"] == "approved" and json.loads(revoke.after)["state"] == "revoked"
    assert _month(desk, "unemployment", "2008-05").state in ("prepared", "revoked")
    page = wang.get("/months").text
    assert "已撤销" in page and f"/findings/{waiting}" in page
    # Revoked: it can be prepared and approved again.
    wang.post("/months/pension/2008-05/prepare", data={"csrf": csrf_of(wang, "/months")})
    desk.client("zhao").post("/months/pension/2008-05/approve", data={"csrf": csrf_of(desk.client("zhao"), "/months")})
    assert _month(desk, "pension", "2008-05").state in ("prepared", "approved")


def test_recon_audit_verify_finds_the_first_row_that_was_edited(desk: Desk) -> None:
    fid = desk.finding_id("missing", "SC", "2008-05")
    c = desk.client("wang")
    for action in ("acknowledge", "reopen", "resolve"):
        c.post(f"/findings/{fid}/{action}", data={"csrf": csrf_of(c), "note": action})
    root = desk.world.root
    done = recon(root, "audit", "verify")
    assert done.returncode == 0 and "哈希链完整" in done.stdout, done.stderr
    rows = desk.store.audit(AuditFilter(finding_id=fid))
    target = rows[1]  # the reopen, in the middle of the chain
    with session_scope(desk.world.app.database()) as s:
        s.execute(text("UPDATE audit_log SET note = :n WHERE id = :i"), {"n": "改过的意见", "i": target.id})
    done = recon(root, "audit", "verify")
    assert done.returncode == 1 and f"第 {target.id} 行" in done.stdout and "哈希不符" in done.stdout
    with session_scope(desk.world.app.database()) as s:
        s.execute(text("UPDATE audit_log SET note = :n WHERE id = :i"), {"n": target.note, "i": target.id})
    assert recon(root, "audit", "verify").returncode == 0
    with session_scope(desk.world.app.database()) as s:  # remove it instead: the next row's link breaks
        s.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": target.id})
    done = recon(root, "--lang", "en", "audit", "verify")
    assert done.returncode == 1 and f"breaks at row {rows[0].id}" in done.stdout
    listed = recon(root, "audit", "list", "--finding", str(fid), "--json")
    assert [r["action"] for r in json.loads(listed.stdout)] == ["finding.resolve", "finding.acknowledge"]


def test_the_cli_review_commands_write_the_same_audit_log_as_the_desk(desk: Desk) -> None:
    fid = desk.finding_id("missing", "SC", "2008-05")
    root = desk.world.root
    done = recon(root, "findings", "ack", str(fid), "--by", "张科长", "--note", "已督促补缴")
    assert done.returncode == 0 and "已记录" in done.stdout
    assert recon(root, "findings", "ack", str(fid), "--by", " ").returncode == 2
    assert recon(root, "findings", "ack", "99999", "--by", "张科长").returncode == 1
    assert recon(root, "findings", "ack", "9" * 23, "--by", "张科长").returncode == 2  # was OverflowError, exit 3
    row = desk.store.audit(AuditFilter(finding_id=fid))[0]
    assert (row.action, row.actor, row.address, row.note) == ("finding.acknowledge", "张科长", "cli", "已督促补缴")
    assert "已督促补缴" in desk.client("wang").get(f"/findings/{fid}").text
    assert recon(root, "findings", "reopen", str(fid), "--by", "张科长").returncode == 0
    assert desk.store.finding(fid, None).finding.review.state == "none"  # type: ignore[union-attr]


def test_recon_users_adds_from_standard_input_lists_and_disables(desk: Desk) -> None:
    root = desk.world.root
    done = recon(root, "users", "add", "chen", "--role", "county", "--entity", "PX", stdin="a long password\n")
    assert done.returncode == 0, done.stderr
    assert recon(root, "users", "add", "chen2", "--role", "county", stdin="a long password\n").returncode == 2
    assert recon(root, "users", "add", "chen3", "--role", "city", stdin="short\n").returncode == 2
    assert recon(root, "users", "add", "chen4", "--role", "county", "--entity", "XX",
                 stdin="a long password\n").returncode == 2
    listed = json.loads(recon(root, "users", "list", "--json").stdout)
    chen = next(u for u in listed if u["username"] == "chen")
    assert (chen["role"], chen["entity"], chen["active"]) == ("county", "PX", True)
    assert recon(root, "users", "passwd", "chen", stdin="another long one\n").returncode == 0
    assert recon(root, "users", "disable", "chen").returncode == 0
    assert not next(u for u in json.loads(recon(root, "users", "list", "--json").stdout)
                    if u["username"] == "chen")["active"]
    with session_scope(desk.world.app.database()) as s:
        stored = s.execute(text("SELECT password_hash FROM users WHERE username = 'chen'")).scalar_one()
    assert stored.startswith("$argon2id$") and "another long one" not in stored
    log = "".join(p.read_text(encoding="utf-8") for p in (root / "logs").glob("*.log"))
    assert "another long one" not in log and "a long password" not in log
    actions = [e.action for e in desk.store.audit(AuditFilter(limit=10))]
    assert actions[:3] == ["user.disable", "user.password", "user.add"]


def test_county_staff_download_their_own_countys_report_and_the_city_the_whole(desk: Desk) -> None:
    wrote = write_county_reports(desk.world.app.config, desk.world.app.registry, desk.world.app.database(),
                                 END_OF_JUNE.replace(month=5, day=31))
    assert wrote == ["SC", "ZS"]
    zs, city = desk.client("zs"), desk.client("wang")
    listing = zs.get("/reports").text
    assert "/reports/2008-05-31/exceptions.xlsx" in listing
    mine = zs.get("/reports/2008-05-31/findings.csv").get_data().decode("utf-8-sig")
    whole = city.get("/reports/2008-05-31/findings.csv").get_data().decode("utf-8-sig")
    assert "钟山区" in mine and "水城县" not in mine and "水城县" in whole
    page = zs.get("/reports/2008-05-31/exceptions.html")
    assert page.status_code == 200 and "sandbox" in page.headers["Content-Security-Policy"]
    for bad in ("/reports/2008-05-31/..%2Fconfig.toml", "/reports/..%2F..%2Fconfig.toml/x.csv",
                "/reports/2008-05-31/counties", "/reports/2008-05-31/nothing.csv"):
        assert zs.get(bad).status_code == 404, bad


def test_the_queue_filters_counts_sorts_and_pages_in_links_that_can_be_sent(desk: Desk) -> None:
    everything = desk.store.queue(QueueFilter(state="open", per_page=1000), None)
    assert everything.total > 5
    kinds = dict(everything.facets["kind"])
    assert sum(kinds.values()) == everything.total
    kind, n = max(kinds.items(), key=lambda kv: kv[1])
    chosen = desk.store.queue(QueueFilter(state="open", kind=kind), None)
    # A facet counts under the other filters: the kind facet still offers every kind, the others
    # count only the chosen kind's findings.
    assert dict(chosen.facets["kind"]) == kinds and chosen.total == n
    assert sum(dict(chosen.facets["entity"]).values()) == n == sum(dict(chosen.facets["severity"]).values())
    explained = desk.store.queue(QueueFilter(state="all", review="explained"), None)
    assert explained.total == 0 and explained.findings == ()
    c = desk.client("wang")
    page = c.get(f"/findings?kind={kind}").text
    assert f"共 {n} 项" in page
    app_cfg = desk.world.app.config
    from tests.web.conftest import sign_in
    from web import create_app

    app = create_app(replace(app_cfg, web=replace(app_cfg.web, page_size=2)), desk.world.app.registry, desk.store)
    small = app.test_client()
    sign_in(small, "wang")
    first = small.get("/findings?sort=amount&dir=desc").text
    assert "第 1 / " in first and 'rel="next"' in first
    second = small.get("/findings?sort=amount&dir=desc&page=2").text
    amounts = desk.store.queue(QueueFilter(state="open", sort="amount", per_page=4), None).findings
    assert ids(first) == [f.id for f in amounts[:2]] and ids(second) == [f.id for f in amounts[2:4]]
    new = c.get("/findings?new=1").text
    assert f"共 {desk.store.queue(QueueFilter(new=True), None).total} 项" in new
    partial = c.get(f"/findings?kind={kind}", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and 'id="main"' in partial.text
