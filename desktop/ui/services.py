"""What the composition root hands to the main window: services, settings and hooks."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from desktop.netlog import NetLog
from desktop.secrets import SecretStore
from desktop.settings import Settings, save_settings
from desktop.storage.models import Profile
from desktop.ui.clients import ClientPool
from desktop.ui.controller import ChatController
from desktop.ui.i18n import Translations

log = logging.getLogger(__name__)


class DemoLauncher(Protocol):
    """Creates the demo profiles (starting the embedded simulator) and returns "Demo bot"."""

    def ensure_profiles(self) -> Profile: ...


@dataclass
class WindowServices:
    """Everything the window uses; built once by ``desktop.app``."""

    db: Any
    secrets: SecretStore
    controller: ChatController
    clients: ClientPool
    netlog: NetLog
    settings: Settings
    settings_path: Path
    translations: Translations
    ui_state_path: Path
    icon_path: Path | None = None
    apply_theme: Callable[[str], bool] = lambda _mode: False
    demo: DemoLauncher | None = None

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
