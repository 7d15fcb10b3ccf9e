"""Composition root of the desktop app: builds every service once and hands it to the window.

Order: arguments -> logging -> Qt application (icon, translations, theme) -> secret store ->
database -> network log -> API client pool -> controller -> demo simulator -> main window ->
the qasync loop. Nothing else in the app constructs a service; nothing is global.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import paths
from desktop.demo import DemoEnvironment
from desktop.logsetup import setup_logging
from desktop.netlog import NetLog
from desktop.secrets import open_secret_store
from desktop.settings import LANGUAGES, THEMES, Settings, load_settings
from desktop.storage import Database, StorageError
from desktop.ui import theme
from desktop.ui.clients import ClientPool
from desktop.ui.controller import ChatController
from desktop.ui.error_reporter import ErrorReporter
from desktop.ui.i18n import Translations
from desktop.ui.loop import AppLoop
from desktop.ui.main_window import MainWindow
from desktop.ui.screenshot import SCENES, ScreenshotScript
from desktop.ui.services import WindowServices

log = logging.getLogger(__name__)

APP_NAME = "Coze Desktop"
ORG_NAME = "CozeDesktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
UI_STATE_FILE = "ui-state.ini"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="coze-desktop", description="Coze Desktop")
    parser.add_argument("--demo", action="store_true", help="start with the built-in demo bot")
    parser.add_argument("--lang", choices=LANGUAGES, help="UI language for this run")
    parser.add_argument("--theme", choices=THEMES, help="colour scheme for this run")
    parser.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scene", choices=SCENES, default="chat", help=argparse.SUPPRESS)
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def app_icon() -> QIcon:
    """The app icon from the SVG plus the PNG renders (crisp at every size)."""
    icon = QIcon()
    icons = paths.resource_path("icons")
    for size in ICON_SIZES:
        png = icons / f"coze-desktop-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = icons / "coze-desktop.svg"
    if svg.exists():
        icon.addFile(str(svg))
    return icon


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("coze-desktop")
    app.setWindowIcon(app_icon())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    return app


def effective_settings(settings: Settings, args: argparse.Namespace) -> Settings:
    """Command-line overrides for this run (never saved)."""
    changes = {}
    if args.lang:
        changes["language"] = args.lang
    if args.theme:
        changes["theme"] = args.theme
    return dataclasses.replace(settings, **changes) if changes else settings


@dataclasses.dataclass
class App:
    """The built application: window plus the services to shut down."""

    qapp: QApplication
    window: MainWindow
    services: WindowServices
    demo: DemoEnvironment
    reporter: ErrorReporter
    screenshot: ScreenshotScript | None = None


def build(args: argparse.Namespace, qapp: QApplication, log_path: Path | None) -> App:
    """Create every service and the main window (no event loop needed yet)."""
    settings_path = paths.settings_path()
    stored = load_settings(settings_path)
    settings = effective_settings(stored, args)
    translations = Translations(qapp, paths.resource_path("translations"))
    translations.apply(settings.language)
    theme.apply_theme(qapp, settings.theme)
    secrets = open_secret_store()
    db = Database.open(paths.db_path())
    netlog = NetLog()
    clients = ClientPool(netlog, settings.proxy(), trust_env=settings.proxy_mode != "none")
    controller = ChatController(db, secrets, clients)
    demo = DemoEnvironment(db, secrets)
    demo_profile = demo.ensure_profiles() if args.demo else None
    if demo_profile is None:
        demo.refresh_if_present()
    elif not args.screenshot:
        settings = dataclasses.replace(settings, last_profile_id=demo_profile.id)
    services = WindowServices(
        db=db, secrets=secrets, controller=controller, clients=clients, netlog=netlog,
        settings=settings, settings_path=settings_path, translations=translations,
        ui_state_path=paths.config_dir() / UI_STATE_FILE,
        icon_path=paths.resource_path("icons", "coze-desktop-128.png"),
        apply_theme=lambda mode: theme.apply_theme(qapp, mode), demo=demo,
    )  # fmt: skip
    window = MainWindow(services)
    reporter = ErrorReporter(str(log_path or ""), qapp)
    app = App(qapp, window, services, demo, reporter)
    if args.screenshot:
        app.screenshot = ScreenshotScript(window, args.screenshot, args.scene)
    elif demo_profile is not None and window.current_session() is None:
        window.new_session(demo_profile.id)
    return app


async def run(app: App) -> None:
    """Run until the application quits, then stop every task and close what is open."""
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(app.reporter.loop_handler)
    quitting = asyncio.Event()
    # Quit through our own event, not app.quit(): qasync stops the loop when Qt's exec()
    # returns, and the shutdown below must still run on a *running* loop (httpx/anyio need it).
    app.qapp.setQuitOnLastWindowClosed(False)
    app.qapp.lastWindowClosed.connect(quitting.set)
    app.qapp.aboutToQuit.connect(quitting.set)
    app.window.show()
    if app.screenshot is not None:
        app.screenshot.start()
    await quitting.wait()


async def shutdown(app: App) -> None:
    await app.services.controller.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    """GUI entry point: ``coze-desktop [--demo] [--lang en|zh] [--theme light|dark]``."""
    if "--self-test" in (sys.argv[1:] if argv is None else argv):
        from desktop.selftest import main as self_test

        return self_test(sys.argv[1:] if argv is None else argv)
    args = parse_args(sys.argv[1:] if argv is None else argv)
    log_path = setup_logging(paths.log_dir())
    qapp = create_application([])
    try:
        app = build(args, qapp, log_path)
    except StorageError as exc:
        log.error("cannot open the chat history: %s", exc)
        QMessageBox.critical(
            None,
            APP_NAME,
            QCoreApplication.translate(
                "App", "Coze Desktop cannot open its chat history:\n\n{error}"
            ).format(error=exc),
        )
        return 1
    app.reporter.install()
    try:
        asyncio.run(_lifecycle(app), loop_factory=lambda: AppLoop(qapp))
    finally:
        app.reporter.uninstall()
        app.demo.stop()
        app.services.db.close()
    return app.screenshot.exit_code if app.screenshot is not None else 0


async def _lifecycle(app: App) -> None:
    try:
        await run(app)
    finally:
        await shutdown(app)
