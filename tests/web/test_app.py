"""The desk through Flask's test client, on SQLite and PostgreSQL: signing in, the lockout, CSRF,
scopes (another county's finding is 404), every action's audit row, roles, headers and cookies."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from reconcile.desk import AuditFilter
from tests.web.conftest import PASSWORD, Desk, csrf_of, sign_in


def test_a_user_signs_in_sees_the_dashboard_and_signs_out(desk: Desk) -> None:
    c = desk.client()
    assert c.get("/findings").status_code == 303  # to the sign-in page
    r = sign_in(c, "wang")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    page = c.get("/").text
    assert "WANG" in page and "对账概览" in page and "截至 2008-05-31" in page
    r = c.post("/logout", data={"csrf": csrf_of(c)})
    assert r.status_code == 303
    assert c.get("/findings").headers["Location"].startswith("/login")
    last = desk.store.user("wang")
    assert last is not None and last.last_login_at is not None and last.last_login_from == "127.0.0.1"


def test_a_wrong_password_gets_one_message_and_five_in_a_row_lock_the_account(desk: Desk) -> None:
    c = desk.client()
    unknown = sign_in(c, "nobody", "whatever it is")
    for i in range(4):
        r = sign_in(c, "wang", f"wrong {i}")
        assert r.status_code == 401 and r.text.count("用户名或密码错误") == 1
    assert unknown.status_code == 401 and "用户名或密码错误" in unknown.text
    assert sign_in(c, "wang", "wrong again").status_code == 401  # the fifth: locked
    assert sign_in(c, "wang", PASSWORD).status_code == 401  # even the right password, for 15 minutes
    user = desk.store.user("wang")
    assert user is not None and user.locked_until is not None
    assert timedelta(minutes=14) < user.locked_until - datetime.now(UTC) <= timedelta(minutes=15)
    actions = [e.action for e in desk.store.audit(AuditFilter(actor="wang"))]
    assert actions[:5] == ["login.locked"] + ["login.failed"] * 4
    # Fifteen minutes later the right password works again.
    later = datetime.now(UTC) + timedelta(minutes=16)
    got, token, _ = desk.store.sign_in("wang", PASSWORD, "127.0.0.1", later, lock_after=5, lock_minutes=15)
    assert got.user is not None and token


def test_a_form_or_htmx_request_without_the_csrf_token_is_refused_and_changes_nothing(desk: Desk) -> None:
    fid = desk.finding_id("missing", "SC", "2008-05")
    c = desk.client("wang")
    before = len(desk.store.audit(AuditFilter(limit=10_000)))
    assert c.post(f"/findings/{fid}/acknowledge", data={"note": "x"}).status_code == 400
    assert c.post(f"/findings/{fid}/acknowledge", data={"note": "x", "csrf": "forged"}).status_code == 400
    r = c.post(f"/findings/{fid}/acknowledge", data={"note": "x"}, headers={"HX-Request": "true",
                                                                            "X-CSRF-Token": "forged"})
    assert r.status_code == 400 and "页面已过期" in r.text
    assert len(desk.store.audit(AuditFilter(limit=10_000))) == before
    assert desk.store.finding(fid, None).finding.review.state == "none"  # type: ignore[union-attr]
    # The sign-in form needs its own cookie's token too.
    fresh = desk.client()
    assert fresh.post("/login", data={"username": "wang", "password": PASSWORD}).status_code == 400
    # With the token, the HTMX request goes through.
    r = c.post(f"/findings/{fid}/acknowledge", data={"note": "ok"},
               headers={"HX-Request": "true", "X-CSRF-Token": csrf_of(c)})
    assert r.status_code == 303
    assert desk.store.finding(fid, None).finding.review.state == "acknowledged"  # type: ignore[union-attr]


def test_a_county_user_sees_only_its_county_and_another_countys_finding_is_404(desk: Desk) -> None:
    theirs = desk.finding_id("missing", "SC", "2008-05")
    mine = desk.finding_id("short_disbursement", "ZS", "2008-05")
    c = desk.client("zs")
    listed = c.get("/findings?state=all").text
    assert f"/findings/{mine}" in listed and f"/findings/{theirs}" not in listed
    assert "六枝特区" not in listed.split('id="results"')[1] and "水城县" not in listed.split('id="results"')[1]
    assert c.get(f"/findings/{mine}").status_code == 200
    stranger, absent = c.get(f"/findings/{theirs}"), c.get("/findings/999999")
    assert stranger.status_code == absent.status_code == 404
    assert stranger.text.replace(f"/findings/{theirs}", "/x") == absent.text.replace("/findings/999999", "/x")
    csrf = csrf_of(c)
    r = c.post(f"/findings/{theirs}/explain", data={"note": "不是我们的", "csrf": csrf})
    assert r.status_code == 404
    assert desk.store.finding(theirs, None).finding.review.explanation == ""  # type: ignore[union-attr]
    # Asking the queue for another entity by its parameter changes nothing: the scope is the user's.
    assert f"/findings/{theirs}" not in c.get("/findings?entity=SC&state=all").text
    # Nor does a county user's dashboard count other counties.
    page = desk.store.queue(replace(_open(), entity=None), "ZS")
    assert f'id="card-open"><div class="n">{page.total}<' in c.get("/").text.replace("\n", "")


def _open():  # type: ignore[no-untyped-def]
    from reconcile.desk import QueueFilter

    return QueueFilter(state="open")


def test_every_action_is_one_audit_row_and_changes_the_review_state_as_the_cli_does(desk: Desk) -> None:
    fid = desk.finding_id("short_disbursement", "ZS", "2008-05")
    county, city = desk.client("zs"), desk.client("wang")
    steps = [
        (county, "explain", {"note": "5月待遇因系统故障少发，6月补发"}, "finding.explain",
         {"explanation": ""}, {"explanation": "5月待遇因系统故障少发，6月补发"}),
        (city, "assign", {"assignee": "li", "note": "请李科长跟进"}, "finding.assign", {"assignee": ""},
         {"assignee": "li"}),
        (city, "acknowledge", {"note": "已知悉"}, "finding.acknowledge", {"review": "none", "amount_fen": None},
         None),
        (city, "resolve", {"note": "已补发"}, "finding.resolve", None, None),
        (city, "reopen", {"note": "补发不足"}, "finding.reopen", None, {"review": "none", "amount_fen": None}),
    ]
    for client, action, form, name, before, after in steps:
        count = len(desk.store.audit(AuditFilter(finding_id=fid)))
        r = client.post(f"/findings/{fid}/{action}", data={**form, "csrf": csrf_of(client)})
        assert r.status_code == 303, (action, r.status_code)
        rows = desk.store.audit(AuditFilter(finding_id=fid))
        assert len(rows) == count + 1, action
        row = rows[0]
        who = "zs" if client is county else "wang"
        assert (row.action, row.actor, row.address, row.target) == (name, who, "127.0.0.1", f"finding:{fid}")
        assert row.note == form["note"]
        if before is not None:
            assert json.loads(row.before) == before
        if after is not None:
            assert json.loads(row.after) == after
    f = desk.store.finding(fid, None)
    assert f is not None
    assert (f.finding.review.state, f.finding.review.assignee, f.finding.review.by) == ("none", "li", "wang")
    page = city.get(f"/findings/{fid}").text
    assert "5月待遇因系统故障少发" in page and "补发不足" in page and "请李科长跟进" in page
    ack = next(e for e in desk.store.audit(AuditFilter(finding_id=fid)) if e.action == "finding.acknowledge")
    after = json.loads(ack.after)
    assert after["review"] == "acknowledged" and after["amount_fen"] == f.finding.finding.amount_fen


def test_an_explanation_from_the_city_or_an_ack_from_a_county_or_anything_from_an_auditor_is_403(desk: Desk) -> None:
    fid = desk.finding_id("short_disbursement", "ZS", "2008-05")
    for user, action in (("wang", "explain"), ("zs", "acknowledge"), ("zs", "assign"), ("aud", "resolve"),
                         ("aud", "explain")):
        c = desk.client(user)
        assert c.post(f"/findings/{fid}/{action}", data={"note": "x", "csrf": csrf_of(c)}).status_code == 403
    auditor = desk.client("aud")
    assert auditor.get(f"/findings/{fid}").status_code == 200 and auditor.get("/audit").status_code == 200
    admin = desk.client("admin")
    assert admin.get("/findings").status_code == 403 and admin.get(f"/findings/{fid}").status_code == 403
    assert admin.get("/").headers["Location"] == "/users"
    assert desk.client("wang").get("/users").status_code == 403
    assert desk.client("zs").get("/audit").status_code == 403
    assert len(desk.store.audit(AuditFilter(finding_id=fid))) == 0


def test_every_answer_forbids_inline_script_and_frames_and_the_cookie_is_http_only(desk: Desk) -> None:
    c = desk.client()
    r = c.get("/login")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in r.text and " style=" not in r.text and " on" + "click=" not in r.text
    r = sign_in(c, "wang")
    cookie = next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("recon_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = desk.client(https=True)
    r = sign_in(secure, "wang")
    cookie = next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("recon_session="))
    assert "Secure" in cookie and r.headers["Strict-Transport-Security"].startswith("max-age=")
    fid = desk.finding_id("short_disbursement", "ZS", "2008-05")
    for path in ("/", "/findings", f"/findings/{fid}", "/months", "/reports"):
        page = c.get(path)
        assert page.status_code == 200 and "<script>" not in page.text and " style=" not in page.text, path


def test_a_session_idle_longer_than_the_timeout_is_signed_out(desk: Desk) -> None:
    got, token, _ = desk.store.sign_in("wang", PASSWORD, "127.0.0.1", datetime.now(UTC), lock_after=5,
                                       lock_minutes=15)
    assert got.user is not None
    idle = timedelta(minutes=30)
    assert desk.store.resume(token, datetime.now(UTC) + timedelta(minutes=29), idle) is not None
    assert desk.store.resume(token, datetime.now(UTC) + timedelta(minutes=29 + 31), idle) is None
    assert desk.store.resume(token, datetime.now(UTC), idle) is None  # removed, not just refused


def test_a_disabled_user_or_a_new_password_ends_every_session(desk: Desk) -> None:
    c = desk.client("zs")
    assert c.get("/findings").status_code == 200
    admin = desk.client("admin")
    r = admin.post("/users/zs/disable", data={"csrf": csrf_of(admin, "/users")})
    assert r.status_code == 303 and r.headers["Location"] == "/users?done=users.disable_done"
    assert c.get("/findings").status_code == 303
    assert sign_in(desk.client(), "zs").status_code == 401
    admin.post("/users/zs/enable", data={"csrf": csrf_of(admin, "/users")})
    c = desk.client("zs")
    admin.post("/users/zs/passwd", data={"csrf": csrf_of(admin, "/users"), "password": "another secret 2"})
    assert c.get("/findings").status_code == 303
    assert sign_in(desk.client(), "zs", "another secret 2").status_code == 303
    rows = [e.action for e in desk.store.audit(AuditFilter(actor="admin"))]
    assert rows[:3] == ["user.password", "user.enable", "user.disable"]


def test_an_admin_adds_a_user_on_the_users_page_and_a_short_password_is_refused(desk: Desk) -> None:
    admin = desk.client("admin")
    r = admin.post("/users", data={"csrf": csrf_of(admin, "/users"), "username": "liu", "role": "county",
                                   "entity": "LZ", "password": "short"})
    assert r.headers["Location"] == "/users?error=users.password_short"
    assert "密码至少需要 10 个字符" in admin.get(r.headers["Location"]).text
    r = admin.post("/users", data={"csrf": csrf_of(admin, "/users"), "username": "liu", "role": "county",
                                   "entity": "LZ", "password": "long enough pw", "name": "刘会计"})
    assert r.status_code == 303
    listed = admin.get("/users").text
    assert "刘会计" in listed and 'id="u-liu"' in listed
    assert sign_in(desk.client(), "liu", "long enough pw").status_code == 303


def test_what_a_county_writes_is_shown_as_text_never_as_markup(desk: Desk) -> None:
    fid = desk.finding_id("short_disbursement", "ZS", "2008-05")
    county = desk.client("zs")
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>=HYPERLINK("http://x")'
    assert county.post(f"/findings/{fid}/explain", data={"note": hostile, "csrf": csrf_of(county)}).status_code == 303
    for c in (county, desk.client("wang")):
        page = c.get(f"/findings/{fid}").text
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    audit = desk.client("aud").get("/audit").text
    assert "<script>alert(1)" not in audit and "&lt;script&gt;" in audit


def test_the_desk_speaks_english_by_the_same_catalogue(desk: Desk) -> None:
    c = desk.client("wang")
    r = c.get("/lang/en?next=/findings")
    assert r.status_code == 303 and r.headers["Location"] == "/findings"
    page = c.get("/findings").text
    assert "Findings" in page and "Sign out" in page and "问题清单" not in page and "退出" not in page
    assert c.get("/lang/en?next=https://evil.example/").headers["Location"] == "/"
