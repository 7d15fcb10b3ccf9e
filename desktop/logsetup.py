"""Logging for the desktop app: a rotating file under the log dir, tokens redacted everywhere.

Safe in windowed builds where ``sys.stdout``/``sys.stderr`` are ``None`` (pythonw, PyInstaller
``console=False``): the console handler is only added when there is a console stream.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from desktop.netlog import scrub_text

LOG_FILE = "coze-desktop.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RedactFilter(logging.Filter):
    """Masks anything token-shaped (``pat_…``, ``Bearer …``) in messages and tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = scrub_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO, console: bool = True) -> Path | None:
    """Configure the root logger; returns the log file path (None if it cannot be opened)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_coze_desktop", False):
            root.removeHandler(handler)
            handler.close()
    path: Path | None = log_dir / LOG_FILE
    try:
        assert path is not None
        file_handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        _add(root, file_handler)
    except OSError:
        path = None
    stream = sys.stderr
    if console and stream is not None:
        _add(root, logging.StreamHandler(stream))
    logging.captureWarnings(True)
    return path


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactFilter())
    handler._coze_desktop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
