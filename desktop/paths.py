"""Where Coze Desktop keeps its files.

Everything the app writes goes under one of four directories: data (the chat
history database), config (settings), logs and cache (what it can rebuild).
``COZE_DESKTOP_HOME`` overrides all of them (``$COZE_DESKTOP_HOME/data``,
``/config``, ``/logs``, ``/cache``) so tests and portable installs never touch
the user's real home; otherwise platformdirs picks the platform's usual places.
Directories are created when first asked for, not at import time.

Read-only resources (icons, translations) live in ``resources/`` at the repo
root, or at the bundle root when frozen by PyInstaller (``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from collections.abc import Callable

APP_NAME = "CozeDesktop"
APP_AUTHOR = "CozeDesktop"
HOME_ENV = "COZE_DESKTOP_HOME"
DB_FILENAME = "history.sqlite3"
SETTINGS_FILENAME = "settings.json"


def home() -> Path:
    """The override root when ``COZE_DESKTOP_HOME`` is set, else the platform data dir."""
    override = _home_override()
    if override is not None:
        return override
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def data_dir(create: bool = True) -> Path:
    """Directory of the chat history database (created on demand unless ``create`` is False)."""
    path = _pick("data", platformdirs.user_data_dir)
    return _ensure(path) if create else path


def config_dir(create: bool = True) -> Path:
    """Directory of the settings file (created on demand unless ``create`` is False)."""
    path = _pick("config", platformdirs.user_config_dir)
    return _ensure(path) if create else path


def log_dir(create: bool = True) -> Path:
    """Directory of log files (created on demand unless ``create`` is False)."""
    path = _pick("logs", platformdirs.user_log_dir)
    return _ensure(path) if create else path


def cache_dir() -> Path:
    """Directory of what the app can rebuild at any time (compiled support code); created
    when first written to."""
    return _pick("cache", platformdirs.user_cache_dir)


def icons_dir() -> Path:
    """Directory of the bots' avatars, fetched once from their ``icon_url`` (created on
    demand)."""
    return _ensure(data_dir() / "icons")


def attachments_dir() -> Path:
    """Directory of the app's copies of small images sent in chats, for their thumbnails
    (created on demand)."""
    return _ensure(data_dir() / "attachments")


def db_path() -> Path:
    """The SQLite chat history file."""
    return data_dir() / DB_FILENAME


def settings_path() -> Path:
    """The JSON settings file."""
    return config_dir() / SETTINGS_FILENAME


def resource_path(*parts: str) -> Path:
    """A path inside ``resources/``, from a checkout or a PyInstaller bundle."""
    return resources_root().joinpath(*parts)


def resources_root() -> Path:
    """``resources/`` at the bundle root when frozen, else at the repository root."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def _home_override() -> Path | None:
    value = os.environ.get(HOME_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _pick(subdir: str, platform_dir: Callable[[str, str], str]) -> Path:
    override = _home_override()
    if override is not None:
        return override / subdir
    return Path(platform_dir(APP_NAME, APP_AUTHOR))


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
