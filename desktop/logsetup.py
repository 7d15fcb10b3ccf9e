"""Logging for the desktop app: a rotating file under the log dir, tokens redacted everywhere.

The file rotates at ``MAX_BYTES`` keeping ``BACKUPS`` old files (``coze-desktop.log.1`` is the
newest), as ``logging.handlers.RotatingFileHandler`` does; that module is not used because it
imports ``socket`` and ``pickle`` for its network handlers, a cost paid before the first frame.

Safe in windowed builds where ``sys.stdout``/``sys.stderr`` are ``None`` (pythonw, PyInstaller
``console=False``): the console handler is only added when there is a console stream.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from desktop.netlog.masking import scrub_text

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


class RotatingFile(logging.FileHandler):
    """Appends to ``path``; before a record would take it past ``max_bytes`` the file is renamed
    to ``path.1`` (older ones shift to ``.2`` … ``.backups``, the oldest dropped)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._should_roll(record):
                self._roll()
        except Exception:  # noqa: BLE001 - a logging failure must never reach the app (handleError reports it)
            self.handleError(record)
            return
        super().emit(record)

    def _should_roll(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        pos = self.stream.tell()
        return bool(pos) and pos + len(self.format(record)) + 1 >= self.max_bytes

    def _roll(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for i in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{i}"):
                os.replace(f"{base}.{i}", f"{base}.{i + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.remove(base)
        self.stream = self._open()


def setup_logging(
    log_dir: Path | None, level: int = logging.INFO, console: bool = True
) -> Path | None:
    """Configure the root logger; returns the log file path (None if it cannot be opened, or
    ``log_dir`` is None: the console only)."""
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_coze_desktop", False):
            root.removeHandler(handler)
            handler.close()
    path: Path | None = log_dir / LOG_FILE if log_dir is not None else None
    try:
        if path is not None:
            _add(root, RotatingFile(path, MAX_BYTES, BACKUPS))
    except OSError:
        path = None
    stream = sys.stderr
    if console and stream is not None:
        _add(root, logging.StreamHandler(stream))
    logging.captureWarnings(True)
    return path


def log_file() -> Path | None:
    """The file the app logs to now (None before ``setup_logging`` or when it could not open)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, "_coze_desktop", False) and isinstance(handler, RotatingFile):
            return Path(handler.baseFilename)
    return None


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactFilter())
    handler._coze_desktop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
