"""`recon web`: the desk served by waitress, a production WSGI server in pure Python, until
SIGTERM or SIGINT. Idle sessions are purged at start."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

from loguru import logger
from waitress.server import create_server

from reconcile.accounts import Registry
from reconcile.config import Config
from reconcile.messages import t
from store.deskstore import DeskStore
from web.app import create_app


def serve(cfg: Config, registry: Registry, store: DeskStore, lang: str | None = None, *, host: str | None = None,
          port: int | None = None) -> None:
    app = create_app(cfg, registry, store, lang)
    host = host or cfg.web.host
    port = cfg.web.port if port is None else port
    purged = store.purge_sessions(datetime.now(UTC), timedelta(minutes=cfg.web.idle_minutes))
    logger.info(t("log.desk", lang or cfg.general.language, url=f"http://{host}:{port}", purged=purged))
    print(t("web.serving", lang or cfg.general.language, url=f"http://{host}:{port}"), flush=True)
    server = create_server(app, host=host, port=port, threads=cfg.web.threads, ident="recon")

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:  # SIGTERM or SIGINT: stop taking requests and end with exit code 0
        logger.info(t("log.desk_stopped", lang or cfg.general.language))
    finally:
        server.close()
