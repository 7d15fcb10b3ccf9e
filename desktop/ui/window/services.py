"""What the composition root hands to the main window: services, settings and hooks.

Two parts, built at two moments by ``desktop.app``: the window's own needs (database, settings,
translations, paths) exist before the first frame; the ``Backend`` (secret store, API clients,
controller, network log, demo) is attached right after it, because building it imports asyncio,
httpx and keyring and probes the keyring. Nothing can use the backend before it is attached:
the main loop does not run in between.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from PySide6.QtCore import QSettings

from desktop.settings import Settings, save_settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from desktop.core.clients import ClientPool
    from desktop.core.log_history import LogHistory
    from desktop.netlog import NetLog
    from desktop.secrets import SecretStore
    from desktop.storage.db import Database
    from desktop.storage.models import Profile
    from desktop.ui.bridge.controller import ChatController
    from desktop.ui.kit.i18n import Translations

log = logging.getLogger(__name__)


class DemoLauncher(Protocol):
    """Creates the demo profiles (starting the embedded simulator) and returns "Demo bot"."""

    def ensure_profiles(self) -> Profile: ...


def ui_state(path: Path) -> QSettings:
    """The window's saved state at ``path`` (``WindowServices.ui_state_path``, an ini file):
    geometry, docks, and the system's colour scheme when last asked."""
    return QSettings(str(path), QSettings.Format.IniFormat)


class BackendMissingError(RuntimeError):
    """A backend service was used before ``desktop.app`` attached it (a wiring bug)."""


class Backend(NamedTuple):
    """The services built after the first frame."""

    secrets: SecretStore
    controller: ChatController
    clients: ClientPool
    netlog: NetLog
    demo: DemoLauncher | None = None
    log_history: LogHistory | None = None  # the network log's earlier runs, on disk


def _no_theme(_mode: str) -> bool:
    return False


class WindowServices:
    """Everything the window uses; built once by ``desktop.app``. Mutable (the settings and the
    backend are replaced), so not a named tuple like ``Backend``; a plain class, not a
    dataclass, because it is defined on the way to the first frame (first-frame rule 3)."""

    __slots__ = ("apply_theme", "backend", "db", "icon_path", "settings", "settings_path",
                 "translations", "ui_state_path")  # fmt: skip

    def __init__(
        self, *, db: Database, settings: Settings, settings_path: Path,
        translations: Translations, ui_state_path: Path, icon_path: Path | None = None,
        apply_theme: Callable[[str], bool] = _no_theme, backend: Backend | None = None,
    ) -> None:  # fmt: skip
        self.db = db
        self.settings = settings
        self.settings_path = settings_path
        self.translations = translations
        self.ui_state_path = ui_state_path
        self.icon_path = icon_path
        self.apply_theme = apply_theme
        self.backend = backend

    @property
    def attached(self) -> bool:
        return self.backend is not None

    def require_backend(self) -> Backend:
        if self.backend is None:
            raise BackendMissingError("the window's backend services are not attached yet")
        return self.backend

    @property
    def secrets(self) -> SecretStore:
        return self.require_backend().secrets

    @property
    def controller(self) -> ChatController:
        return self.require_backend().controller

    @property
    def clients(self) -> ClientPool:
        return self.require_backend().clients

    @property
    def netlog(self) -> NetLog:
        return self.require_backend().netlog

    @property
    def demo(self) -> DemoLauncher | None:
        return self.backend.demo if self.backend is not None else None

    def language(self) -> str:
        """The effective UI language: "en" or "zh"."""
        return self.translations.language

    def remember(self, **changes: Any) -> None:
        """Update and save settings (e.g. last profile/session); never raises for disk errors."""
        if all(getattr(self.settings, key) == value for key, value in changes.items()):
            return
        self.settings = dataclasses.replace(self.settings, **changes)
        self.save()

    def save(self) -> None:
        try:
            save_settings(self.settings_path, self.settings)
        except OSError:
            log.exception("could not save settings")
