"""Builds a real main window for tests: tmp SQLite, a secret store, a loopback simulator.

Mirrors ``desktop.app.build`` without the process-wide parts (logging, excepthook, theme), so
each test gets its own services while sharing the session's QApplication and qasync loop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt

from desktop import paths
from desktop.core.clients import ClientPool
from desktop.demo import DemoEnvironment
from desktop.netlog import NetLog
from desktop.paths import resource_path
from desktop.secrets import SecretStore, open_secret_store
from desktop.settings import Settings
from desktop.simulator import DEMO_TOKEN, Simulator
from desktop.storage import Database, Profile
from desktop.ui.bridge.controller import ChatController, TurnFinished
from desktop.ui.kit.i18n import Translations
from desktop.ui.kit.intents import SendIntent
from desktop.ui.profiles.dialog import ProfileDialog
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.services import Backend, WindowServices

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@dataclass
class Shell:
    """A running window and its services."""

    window: MainWindow
    services: WindowServices
    db: Database
    secrets: SecretStore
    controller: ChatController
    sim: Simulator
    qtbot: QtBot
    demo: DemoEnvironment

    def add_profile(
        self, name: str, bot_id: str, token: str | None = DEMO_TOKEN, **fields: Any
    ) -> Profile:
        profile = self.db.profiles.add(
            Profile(
                name=name,
                region="custom",
                base_url=self.sim.base_url,
                bot_id=bot_id,
                user_id="test-user",
                **fields,
            )
        )
        if token:
            self.secrets.set(profile.id, token)
        self.window.refresh_profiles()
        return profile

    def start_chat(self, profile: Profile) -> int:
        session = self.window.new_session(profile.id)
        assert session is not None
        return session.id

    def send(self, text: str, timeout: int = 15_000) -> TurnFinished:
        with self.qtbot.waitSignal(self.controller.turn_finished, timeout=timeout) as blocker:
            self.window.chat.send(SendIntent(text))
        event = blocker.args[0]
        assert isinstance(event, TurnFinished)
        return event

    def run_async(self, coro: Any, timeout: int = 10_000) -> Any:
        task = asyncio.ensure_future(coro)
        self.qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    def close(self) -> None:
        self.controller.stop_all()
        self.window.close()
        self.run_async(self.controller.shutdown())
        self.demo.stop()
        self.db.close()


def make_shell(
    qtbot: QtBot,
    sim: Simulator,
    *,
    db: Database | None = None,
    secrets: SecretStore | None = None,
    settings: Settings | None = None,
    demo_factory: Callable[[], Simulator] | None = None,
) -> Shell:
    db = db or Database.open(paths.db_path())
    secrets = secrets or open_secret_store()
    netlog = NetLog()
    clients = ClientPool(netlog)
    controller = ChatController(db, secrets, clients, poll_interval=0.1)
    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app, resource_path("translations"))
    translations.apply("en")
    demo = DemoEnvironment(db, secrets, demo_factory or (lambda: Simulator(delay_scale=0)))
    services = WindowServices(
        db=db, settings=settings or Settings(language="en"), settings_path=paths.settings_path(),
        translations=translations, ui_state_path=paths.config_dir() / "ui-state.ini",
        backend=Backend(secrets=secrets, controller=controller, clients=clients, netlog=netlog,
                        demo=demo),
    )  # fmt: skip
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    return Shell(window, services, db, secrets, controller, sim, qtbot, demo)


def open_profile_dialog(shell: Shell) -> ProfileDialog:
    """Clicks the welcome page's "add a bot" button; the profile dialog it opens."""
    shell.qtbot.mouseClick(shell.window.welcome.add_button, Qt.MouseButton.LeftButton)
    dialog = shell.window.findChild(ProfileDialog, "profileDialog")
    assert isinstance(dialog, ProfileDialog)
    return dialog


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]
