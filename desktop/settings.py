"""Non-secret application settings: a typed, validated dataclass in a JSON file.

The file is saved atomically (temporary file + fsync + ``os.replace``) so a crash
never leaves half a file behind. Loading never raises for bad content: a file
that is not JSON is kept aside as ``settings.json.corrupt`` and defaults are used;
a single bad value falls back to its default. Either way ``Settings.warning``
says what happened, in plain words, so the UI can show it.

Tokens never live here (they go to the OS keyring, see ``desktop.secrets``);
window geometry and splitter state belong to QSettings in the UI layer.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from desktop import paths
from desktop.netlog.masking import mask_url_credentials

log = logging.getLogger(__name__)

Language = Literal["system", "en", "zh"]
Theme = Literal["system", "light", "dark"]
ProxyMode = Literal["system", "none", "custom"]

LANGUAGES: tuple[str, ...] = ("system", "en", "zh")
THEMES: tuple[str, ...] = ("system", "light", "dark")
PROXY_MODES: tuple[str, ...] = ("system", "none", "custom")
PROXY_SCHEMES: tuple[str, ...] = ("http", "https", "socks5", "socks5h")
SETTINGS_VERSION = 1


class SettingsError(ValueError):
    """A settings value is not valid (the message names the field)."""


class ProxyCredentialsError(SettingsError):
    """The proxy URL holds a user name or password, which would be stored in plain text."""


@dataclass
class Settings:
    """User preferences. ``warning`` is load feedback only and is never saved."""

    language: Language = "system"
    theme: Theme = "system"
    proxy_mode: ProxyMode = "system"
    proxy_url: str = field(default="", repr=False)  # may hold proxy credentials
    open_log_on_error: bool = True
    last_profile_id: str = ""
    last_session_id: int | None = None
    warning: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in _SAVED_FIELDS:
            _validate(name, getattr(self, name))

    def proxy(self) -> str | None:
        """The explicit proxy URL for the HTTP client, or None (system or no proxy)."""
        return self.proxy_url if self.proxy_mode == "custom" and self.proxy_url else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready content of the settings file."""
        data: dict[str, Any] = {"version": SETTINGS_VERSION}
        data.update({name: getattr(self, name) for name in _SAVED_FIELDS})
        return data


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)} (got {value!r})")


def _check_proxy_url(value: object) -> None:
    if not isinstance(value, str):
        raise SettingsError("proxy_url must be text")
    if not value:
        return
    parts = urlsplit(value)
    if "@" in parts.netloc:
        raise ProxyCredentialsError(
            "proxy_url must not contain a user name or password (they would be stored in plain "
            "text); set a proxy that needs a password as the system proxy or HTTPS_PROXY instead"
        )
    if parts.scheme not in PROXY_SCHEMES or not parts.hostname:
        raise SettingsError(
            "proxy_url must look like http://host:port or socks5://host:port"
            f" (got {mask_url_credentials(value)!r})"
        )


def _check_type(name: str, value: object, kind: type | tuple[type, ...]) -> None:
    if isinstance(value, bool) and kind is not bool:
        raise SettingsError(f"{name} has the wrong type (got {value!r})")
    if not isinstance(value, kind):
        raise SettingsError(f"{name} has the wrong type (got {value!r})")


def _validate(name: str, value: object) -> None:
    if name == "language":
        _check_choice(name, value, LANGUAGES)
    elif name == "theme":
        _check_choice(name, value, THEMES)
    elif name == "proxy_mode":
        _check_choice(name, value, PROXY_MODES)
    elif name == "proxy_url":
        _check_proxy_url(value)
    elif name == "open_log_on_error":
        _check_type(name, value, bool)
    elif name == "last_profile_id":
        _check_type(name, value, str)
    elif name == "last_session_id" and value is not None:
        _check_type(name, value, int)


_SAVED_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Settings) if f.name != "warning")


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; never raises for missing, corrupt or invalid content."""
    path = path or paths.settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        return _defaults_with(f"Settings could not be read ({exc}); using defaults.")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return _defaults_with(_quarantine(path))
    return _from_dict(data)


def _from_dict(data: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name in _SAVED_FIELDS:
        if name not in data:
            continue
        try:
            _validate(name, data[name])
        except SettingsError as exc:
            problems.append(str(exc))
            continue
        values[name] = data[name]
    settings = Settings(**values)
    if problems:
        settings.warning = "Some settings were invalid and were reset: " + "; ".join(problems)
        log.warning("%s", settings.warning)
    return settings


def _defaults_with(warning: str) -> Settings:
    log.warning("%s", warning)
    settings = Settings()
    settings.warning = warning
    return settings


def _quarantine(path: Path) -> str:
    corrupt = path.with_name(path.name + ".corrupt")
    try:
        os.replace(path, corrupt)
    except OSError as exc:
        return f"The settings file is damaged and could not be moved aside ({exc}); using defaults."
    return f"The settings file was damaged; it was kept as {corrupt.name} and defaults are used."


def save_settings(path: Path | None, settings: Settings) -> None:
    """Write settings atomically: a reader sees the old file or the new one, never half."""
    path = path or paths.settings_path()
    text = json.dumps(settings.to_dict(), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(path, text)


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a synced temporary file and ``os.replace``: the project's
    one atomic file write. ``path`` then holds the old content or the new, never part of it,
    and a failure (raised as ``OSError``) leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable where the OS allows opening a directory (POSIX)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
