"""Composition root of the desktop app: builds every service once and hands it to the window.

Order: arguments -> logging -> Qt application (translations, theme) -> database -> main window
(built from the database and settings) -> its first frame -> app icon, the system's colour scheme
confirmed, the open chat's messages (painted) -> secret store, network log, API client pool,
controller, demo simulator (the window's ``Backend``, attached to it) -> the qasync loop. The
backend's modules (asyncio, httpx, keyring, qasync) are imported only after the first frame:
nothing runs in between (input waits in Qt's queue), so nothing can use a service before it
exists. ``--demo`` too shows its window first: the demo bot is selected if its profile is already
in the database; the simulator starts, and the demo profiles are created or repointed at its
port, with the backend after the first frame. Nothing else in the app constructs a service;
nothing is global.
"""

from __future__ import annotations

# isort: off
from desktop.ui.kit import qt_startup  # first: Qt, without a per-import source scan
# isort: on

import argparse
import contextlib
import dataclasses
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop import paths
from desktop.logsetup import setup_logging
from desktop.settings import LANGUAGES, THEMES, Settings, load_settings
from desktop.storage import Database, StorageError
from desktop.storage.db import INTERACTIVE_BUSY_TIMEOUT_MS
from desktop.ui.kit import theme
from desktop.ui.kit.i18n import Translations
from desktop.ui.window.first_frame import wait_for_first_frame
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.services import Backend, WindowServices, ui_state

if TYPE_CHECKING:
    import asyncio
    import socket
    from collections.abc import Callable, Sequence

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QWidget

    from desktop.demo import DemoEnvironment
    from desktop.netlog import Exchange, NetLog
    from desktop.storage.models import Profile
    from desktop.ui.bridge.error_reporter import ErrorReporter
    from desktop.ui.window.screenshot import ScreenshotScript

log = logging.getLogger(__name__)

APP_NAME = "Coze Desktop"
ORG_NAME = "CozeDesktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)  # no window manager draws a window icon larger
UI_STATE_FILE = "ui-state.ini"
SYSTEM_DARK_KEY = "theme/systemDark"  # in UI_STATE_FILE: the system's scheme when last asked


DEFAULT_ARGS = {"demo": False, "lang": None, "theme": None, "screenshot": None, "scene": "chat"}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line; a start without arguments (a double-click) or with ``--demo`` alone
    (the README's first command) gets ``DEFAULT_ARGS`` without building the parser, whose
    set-up looks up message catalogues on disk (2-5 ms)."""
    if all(arg == "--demo" for arg in argv):
        return argparse.Namespace(**{**DEFAULT_ARGS, "demo": bool(argv)})
    parser = argument_parser()
    args, _qt_args = parser.parse_known_args(list(argv))
    if args.screenshot is not None:  # the screenshot module (and its scenes) only when asked
        from desktop.ui.window.screenshot import SCENES

        if args.scene not in SCENES:
            parser.error(f"--scene: choose from {', '.join(SCENES)}")
    return args


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coze-desktop", description="Coze Desktop")
    parser.add_argument("--demo", action="store_true", help="start with the built-in demo bot")
    parser.add_argument("--lang", choices=LANGUAGES, help="UI language for this run")
    parser.add_argument("--theme", choices=THEMES, help="colour scheme for this run")
    parser.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scene", default="chat", help=argparse.SUPPRESS)
    return parser


def app_icon() -> QIcon:
    """The app icon from its PNG renders, set after the first frame, so ``QIcon`` (and its
    80-value ``ThemeIcon`` enum) loads only then. Not the SVG: that loads Qt's SVG module
    (1.4 MiB, 3 ms), and the 512 px render is decoded for nothing (installers and the desktop
    file use their own copies)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    icons = paths.resource_path("icons")
    for size in ICON_SIZES:
        png = icons / f"coze-desktop-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = theme.new_application([sys.argv[0], *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("coze-desktop")
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


class App(NamedTuple):
    """The built application: window plus the services to shut down. (Records like this are
    named tuples: defining a dataclass costs about 1 ms, and these are defined before the first
    frame.)"""

    qapp: QApplication
    window: MainWindow
    services: WindowServices
    demo: DemoEnvironment
    reporter: ErrorReporter
    screenshot: ScreenshotScript | None = None


class Startup(NamedTuple):
    """What exists at the first frame: the window, built from the database and settings."""

    args: argparse.Namespace
    qapp: QApplication
    window: MainWindow
    services: WindowServices
    log_path: Path | None
    demo_profile: Profile | None = None  # --demo: the demo bot's profile, if already saved
    system_dark: bool | None = None  # the scheme remembered from the last start (None: none)
    warnings: tuple[str, ...] = ()  # start-up problems the window shows (settings reset...)


class FolderProblem(NamedTuple):
    """A folder the app could not create or write: ``what`` is "logs" or "config"."""

    what: str
    path: Path
    error: str


def usable_folder(what: str, get: Callable[..., Path], problems: list[FolderProblem]) -> Path:
    """``get()`` (which creates the folder); when it cannot be created, its path uncreated and
    the problem noted (the window says so; nothing is written there this run)."""
    try:
        return get()
    except OSError as exc:
        path = get(create=False)
        problems.append(FolderProblem(what, path, exc.strerror or str(exc)))
        return path


def problem_text(problem: FolderProblem) -> str:
    translate = QCoreApplication.translate
    if problem.what == "logs":
        text = translate("App", "The log folder {path} cannot be written ({error}): this run "
                                "logs to the terminal only.")  # fmt: skip
    else:
        text = translate("App", "The settings folder {path} cannot be written ({error}): "
                                "settings changed in this run are not kept.")  # fmt: skip
    return text.format(path=problem.path, error=problem.error)


def start_warnings(problems: Sequence[FolderProblem], settings: Settings) -> tuple[str, ...]:
    """What the window tells at start (after the translations are loaded)."""
    texts = [problem_text(problem) for problem in problems]
    if settings.warning:
        texts.append(
            QCoreApplication.translate("App", "Settings: {warning}").format(
                warning=settings.warning
            )
        )
    return tuple(texts)


def build_window(
    args: argparse.Namespace,
    qapp: QApplication,
    log_path: Path | None,
    problems: Sequence[FolderProblem] = (),
) -> Startup:
    """Settings, translations, theme, database and the main window: all its first frame needs."""
    found = list(problems)
    config = usable_folder("config", paths.config_dir, found)
    settings_path = config / paths.SETTINGS_FILENAME
    settings = effective_settings(load_settings(settings_path), args)
    translations = Translations(qapp, paths.resource_path("translations"))
    translations.apply(settings.language)
    ui_state_path = config / UI_STATE_FILE
    system_dark = remembered_dark(ui_state_path)
    theme.apply_start_theme(qapp, settings.theme, system_dark)
    db = Database.open(paths.db_path())
    db.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT_MS)  # a locked history never stalls the window
    services = WindowServices(
        db=db, settings=settings, settings_path=settings_path,
        translations=translations, ui_state_path=ui_state_path,
        icon_path=paths.resource_path("icons", "coze-desktop-128.png"),
        apply_theme=lambda mode: theme.apply_theme(qapp, mode),
    )  # fmt: skip
    demo_profile = saved_demo_profile(services.db) if args.demo else None
    if demo_profile is not None and not args.screenshot:
        services.settings = demo_start_settings(services.db, settings, demo_profile)
    first_demo = is_first_demo(args, demo_profile)
    window = MainWindow(services, demo_starting=first_demo)  # no welcome page flashed first
    warnings = start_warnings(found, settings)
    return Startup(args, qapp, window, services, log_path, demo_profile, system_dark, warnings)


def demo_start_settings(db: Database, settings: Settings, demo: Profile) -> Settings:
    """``--demo`` opens on the demo bot: the remembered chat and picker ("All bots" too) when
    that chat is a demo chat, else the demo bot with its newest chat."""
    from desktop.demo import is_demo_profile

    last = db.sessions.get(settings.last_session_id) if settings.last_session_id else None
    profile = db.profiles.get(last.profile_id) if last is not None else None
    if profile is not None and is_demo_profile(profile):
        return settings
    return dataclasses.replace(settings, last_profile_id=demo.id, last_session_id=None)


def is_first_demo(args: argparse.Namespace, demo_profile: Profile | None) -> bool:
    """``--demo`` with no demo profile saved yet (a screenshot run makes its own at once)."""
    return bool(args.demo) and demo_profile is None and not args.screenshot


def saved_demo_profile(db: Database) -> Profile | None:
    """The "Demo bot" profile of an earlier ``--demo`` run (its port is refreshed later)."""
    from desktop.demo import DEMO_PROFILE_NAME, is_demo_profile

    profile = db.profiles.by_name(DEMO_PROFILE_NAME)
    return profile if profile is not None and is_demo_profile(profile) else None


def remembered_dark(ui_state_path: Path) -> bool | None:
    """Whether the system's scheme was dark when last asked (None: never asked)."""
    value = ui_state(ui_state_path).value(SYSTEM_DARK_KEY)
    return None if value is None else str(value).lower() == "true"


def confirm_theme(start: Startup) -> None:
    """Check the start-up theme against the system's scheme and remember that for next time."""
    dark = theme.settle_theme(start.qapp, start.services.settings.theme)
    if dark is not None and dark != start.system_dark:
        state = ui_state(start.services.ui_state_path)
        state.setValue(SYSTEM_DARK_KEY, dark)
        state.sync()


def build_backend(services: WindowServices) -> tuple[Backend, DemoEnvironment]:
    """Secret store (probes the keyring), network log, client pool, controller, demo."""
    from desktop.core.clients import ClientPool
    from desktop.core.log_history import HISTORY_FILE, LogHistory
    from desktop.demo import DemoEnvironment
    from desktop.netlog import NetLog
    from desktop.secrets import open_secret_store
    from desktop.ui.bridge.controller import ChatController

    settings = services.settings
    secrets = open_secret_store()
    netlog = NetLog()
    history = LogHistory(paths.data_dir() / HISTORY_FILE)  # read by ``start_loop_work``
    history.attach(netlog)
    clients = ClientPool(netlog, settings.proxy(), trust_env=settings.proxy_mode != "none")
    controller = ChatController(services.db, secrets, clients)
    demo = DemoEnvironment(services.db, secrets)
    backend = Backend(secrets=secrets, controller=controller, clients=clients, netlog=netlog,
                      demo=demo, log_history=history)  # fmt: skip
    return backend, demo


def attach_services(start: Startup) -> App:
    """Build the backend and attach it to the window (after its first frame): the app is
    complete. With ``--demo`` the simulator starts here and the demo bot gets its chat."""
    from desktop.ui.bridge.error_reporter import ErrorReporter

    window = start.window
    start.qapp.setWindowIcon(app_icon())  # every window's icon, the main one included: after
    confirm_theme(start)  # its first frame (reading 9 image files and the system's colour scheme
    if window.show_history():  # is not part of it); the conversation, painted before the
        wait_for_first_frame(window)  # backend is built: read while asyncio, httpx, keyring load
    backend, demo = build_backend(start.services)
    window.attach(backend)
    screenshot = None
    if start.args.demo:
        open_demo(start, demo)
    elif demo.refresh_if_present():  # demo profiles point at this run's simulator port
        window.refresh_profiles()
    if start.warnings:
        window.show_start_warnings(start.warnings)
    history = str(start.services.db.path or "")
    reporter = ErrorReporter(str(start.log_path or ""), start.qapp, history_path=history)
    start.services.controller.bug_found.connect(reporter.report_bug)
    if start.args.screenshot:
        from desktop.ui.window.screenshot import ScreenshotScript

        screenshot = ScreenshotScript(window, start.args.screenshot, start.args.scene)
    return App(start.qapp, window, start.services, demo, reporter, screenshot)


def open_demo(start: Startup, demo: DemoEnvironment) -> None:
    """``--demo``: the demo profiles, pointed at this run's simulator, and a chat with the demo
    bot (a first ``--demo`` selects the bot now, as the welcome page's "Try the demo" does)."""
    window = start.window
    if is_first_demo(start.args, start.demo_profile):
        try:
            window.dialogs.start_demo()
        finally:
            window.demo_start_over()
        return
    profile = demo.ensure_profiles()
    window.refresh_profiles()
    if not start.args.screenshot and window.current_session() is None:
        window.new_session(profile.id)


def build(args: argparse.Namespace, qapp: QApplication, log_path: Path | None) -> App:
    """Create every service and the main window (no event loop needed yet)."""
    return attach_services(build_window(args, qapp, log_path))


async def run(app: App) -> None:
    """Run until the application quits, then stop every task and close what is open."""
    import asyncio

    loop = asyncio.get_running_loop()
    loop.set_exception_handler(app.reporter.loop_handler)
    quitting = asyncio.Event()
    # Quit through our own event, not app.quit(): qasync stops the loop when Qt's exec()
    # returns, and the shutdown below must still run on a *running* loop (httpx/anyio need it).
    app.qapp.setQuitOnLastWindowClosed(False)
    app.qapp.lastWindowClosed.connect(quitting.set)
    app.qapp.aboutToQuit.connect(quitting.set)
    app.window.show()
    undo_sigterm = close_on_sigterm(app.window)
    start_loop_work(app)
    if app.screenshot is not None:
        app.screenshot.start()
    try:
        await quitting.wait()
    finally:
        undo_sigterm()


def start_loop_work(app: App) -> None:
    """Work that needs the running loop: started by ``run``, not while the app is being built
    (a task made before ``asyncio.run`` belongs to no running loop and never runs)."""
    app.window.chat.send_queued()  # a message sent before the backend was up goes now
    app.services.controller.refresh_bots(app.window.profiles())  # the bots' faces
    restore_log_history(app)


def restore_log_history(app: App) -> None:
    """Read the network log of earlier runs on a worker thread (the window is up; reading a
    few MB of JSON must not hold it), then put it before this run's requests."""
    import asyncio

    backend = app.services.backend
    if backend is None or backend.log_history is None:
        return
    history, netlog = backend.log_history, backend.netlog
    future = asyncio.get_running_loop().run_in_executor(None, history.read)
    future.add_done_callback(lambda done: _restored(netlog, done))


def _restored(netlog: NetLog, done: asyncio.Future[list[Exchange]]) -> None:
    if done.cancelled():
        return
    error = done.exception()
    if error is not None:
        log.warning("could not read the network log of earlier runs: %s", error)
        return
    count = netlog.restore(done.result())
    log.info("network log: %d request(s) of earlier runs restored", count)


def close_on_sigterm(window: QWidget) -> Callable[[], None]:
    """SIGTERM closes the window as the user would: a live answer is stopped like the Stop
    button does (marked stopped, cancel sent), the draft and state are saved, and the app quits
    with 0. Python runs a signal handler only when it next gets control, so the signal also
    writes to a socket Qt watches (``signal.set_wakeup_fd``). Returns the undo."""
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier, QTimer

    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, window)
    notifier.activated.connect(lambda *_: _drain(receiver))
    previous_fd = signal.set_wakeup_fd(sender.fileno())

    def on_term(_signum: int, _frame: object) -> None:
        log.warning("SIGTERM: stopping what runs and closing the window")
        QTimer.singleShot(0, window.close)

    previous = signal.signal(signal.SIGTERM, on_term)
    log.info("SIGTERM now closes the window")

    def undo() -> None:
        signal.signal(signal.SIGTERM, previous)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        receiver.close()
        sender.close()

    return undo


def _drain(receiver: socket.socket) -> None:
    with contextlib.suppress(OSError):
        receiver.recv(512)


async def shutdown(app: App) -> None:
    await app.services.controller.shutdown()


def main(argv: Sequence[str] | None = None) -> int:
    """GUI entry point: ``coze-desktop [--demo] [--lang en|zh] [--theme light|dark]``."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    problems: list[FolderProblem] = []
    logs = usable_folder("logs", paths.log_dir, problems)
    log_path = setup_logging(logs if not problems else None)
    if log_path is None and not problems:
        problems.append(FolderProblem("logs", logs, "cannot open the log file"))
    qapp = create_application([])
    from desktop.ui.window import single_instance

    try:
        lock = single_instance.claim(paths.data_dir())  # before the database is opened
    except OSError as exc:
        return history_unusable(StorageError(f"{exc.strerror or exc}", "io"))
    if lock is None:
        return second_start()
    try:
        start = build_window(args, qapp, log_path, problems)
    except StorageError as exc:
        return history_unusable(exc)
    wait_for_first_frame(start.window)  # on screen first; then the slower services
    qt_startup.resume_collector()
    app = attach_services(start)
    app.reporter.install()
    single_instance.listen(paths.data_dir(), start.window, lambda: bring_to_front(start.window))
    try:
        return _run_loop(app)
    finally:
        lock.unlock()


def history_unusable(exc: StorageError) -> int:
    """The history cannot be opened at all: say so with its file, and what to do; status 1."""
    from PySide6.QtWidgets import QMessageBox

    where = paths.db_path() if exc.kind != "io" else paths.data_dir(create=False)
    log.error("cannot open the chat history %s: %s", where, exc)
    text = QCoreApplication.translate(
        "App", "Coze Desktop cannot open its chat history:\n\n{error}\n\nFile: {path}"
    ).format(error=exc, path=where)
    if exc.kind == "corrupt":
        text += "\n\n" + QCoreApplication.translate(
            "App", "Quit, rename or move that file (it is kept for recovery) and start again "
            "for a fresh history."
        )  # fmt: skip
    QMessageBox.critical(None, APP_NAME, text)
    return 1


def second_start() -> int:
    """Another window has this history open: ask it to come to the front, open nothing."""
    from desktop.ui.window import single_instance

    where = paths.data_dir()
    if single_instance.ask_to_raise(where):
        log.info("Coze Desktop is already running on %s: raised its window", where)
        sys.stdout.write("Coze Desktop is already running: raised its window.\n")
        return 0
    log.error("Coze Desktop is already running on %s but did not answer", where)
    sys.stderr.write(
        "Coze Desktop is already running on this chat history but did not answer; "
        "close it (or end its process) and start again.\n"
    )
    return 1


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` (restored if minimised) above the others."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


def _run_loop(app: App) -> int:
    import asyncio

    from desktop.ui.bridge.loop import AppLoop

    try:
        asyncio.run(_lifecycle(app), loop_factory=lambda: AppLoop(app.qapp))
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
