"""The Flask application: configuration, the request hooks (session, CSRF, headers), the error
pages, and the views of each page (web/views_*.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, render_template, request
from loguru import logger
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.desk.permissions import can
from store.deskstore import DeskStore
from web import security
from web.context import EXTENSION, Desk, Words, desk

HERE = Path(__file__).parent
MAX_BODY = 256 * 1024  # forms only: notes are short; nothing is uploaded


def create_app(cfg: Config, registry: Registry, store: DeskStore, lang: str | None = None) -> Flask:
    app = Flask("web", template_folder=str(HERE / "templates"), static_folder=str(HERE / "static"),
                static_url_path="/static")
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY, SEND_FILE_MAX_AGE_DEFAULT=3600, TEMPLATES_AUTO_RELOAD=False)
    app.jinja_env.autoescape = True  # also for templates whose name does not end in .html
    app.extensions[EXTENSION] = Desk(cfg, registry, store, lang or cfg.general.language)
    if cfg.web.proxy_hops:
        hops = cfg.web.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.before_request(security.load_session)
    app.before_request(security.check_csrf)
    app.after_request(security.headers)
    app.context_processor(_globals)
    app.register_error_handler(HTTPException, _error)
    from web import views_auth, views_desk, views_findings, views_months, views_reports, views_users

    for module in (views_auth, views_desk, views_findings, views_months, views_reports, views_users):
        module.register(app)
    return app


def _globals() -> dict[str, Any]:
    d: Desk = desk()
    lang = g.get("lang", d.lang)
    u = g.get("user")
    return {"w": Words(lang, d.registry, d.config.general.timezone), "user": u, "csrf": g.get("csrf", ""),
            "lang": lang, "can": (lambda action, entity=None: u is not None and can(u, action, entity)),
            "path": request.path}


def _error(exc: HTTPException) -> Any:
    code = exc.code or 500
    if code >= 500:  # the whole story to the log file, a short page to the user
        logger.opt(exception=getattr(exc, "original_exception", None) or exc).error(f"{request.path}: {exc}")
    key = {400: "web.error.400", 403: "web.error.403", 404: "web.error.404", 405: "web.error.405",
           413: "web.error.413"}.get(code, "web.error.500")
    if code == 400 and exc.description == "csrf":
        key = "web.error.csrf"
    return render_template("error.html", code=code, key=key), code
