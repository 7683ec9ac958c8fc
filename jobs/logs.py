"""Logging: loguru to the console (stderr) and to rotating files in the configured logs folder.

Every record's message goes through `reconcile.sinks.for_log`: a file name holding ESC, OSC or CR
never reaches the terminal or the file raw, and never forges a second record."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from loguru import logger

from reconcile.messages import t
from reconcile.sinks import for_log

_configured = False
_lang = "zh"


def say(key: str, **values: object) -> str:
    """A log line from the catalogue, in the language `setup` was given (the config's, or --lang)."""
    return t(key, _lang, **values)


def clean(record: Any) -> None:
    """The patcher of every record: its message, control characters shown escaped."""
    record["message"] = for_log(record["message"])


def setup(logs_dir: Path | None, *, verbose: bool = False, lang: str = "zh") -> None:
    global _configured, _lang
    _lang = lang
    logger.remove()
    logger.configure(patcher=clean)
    logger.add(sys.stderr, level="DEBUG" if verbose else "INFO", format="<level>{level: <7}</level> {message}")
    if logs_dir is not None:
        try:
            logs_dir.mkdir(parents=True, exist_ok=True, mode=0o770)
            os.chmod(logs_dir, 0o770)
            logger.add(
                logs_dir / "recon.log", level="DEBUG", rotation="10 MB", retention=30, encoding="utf-8",
                enqueue=False, format="{time:YYYY-MM-DD HH:mm:ss.SSS} {level: <7} {process} {message}",
            )
            (logs_dir / "recon.log").touch(exist_ok=True)
            os.chmod(logs_dir / "recon.log", 0o660)
        except OSError as exc:
            logger.warning(say("log.logs_unwritable", folder=logs_dir, error=exc.strerror))
    _configured = True
