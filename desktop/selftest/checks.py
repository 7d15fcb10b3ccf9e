"""The checks behind ``--self-test`` (see ``desktop.selftest.runner``): Qt, the window, translations,
storage, keyring and one demo chat on the real qasync loop.

Imported only after the self-test has pointed ``COZE_DESKTOP_HOME`` at a temp dir and chosen the
offscreen platform, so importing Qt here is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets as pysecrets
import sqlite3
import ssl
import sys
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import keyring
import keyring.backend
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtCore import qVersion as qt_version
from PySide6.QtWidgets import QAbstractButton, QPlainTextEdit, QWidget

from desktop import app as desktop_app
from desktop import paths
from desktop.api import tls
from desktop.logsetup import setup_logging
from desktop.secrets import KeyringSecretStore, SecretStore, backend_label
from desktop.selftest.report import (
    CHAT_TIMEOUT_S,
    KEYRING_SERVICE,
    PAINT_TIMEOUT_S,
    QUESTION,
    Check,
)
from desktop.ui.bridge.loop import AppLoop

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from desktop.selftest.report import SelfTest
    from desktop.ui.bridge.controller import TurnFinished

APP_QM = "coze_desktop_zh_CN.qm"


def run_checks(test: SelfTest) -> None:
    """Build the app like a double-click would, then run every check on the qasync loop."""
    setup_logging(paths.log_dir(), console=False)
    qapp = desktop_app.create_application([])
    built: dict[str, desktop_app.App] = {}
    check = test.record("window", lambda c: _build(c, qapp, built))
    if not check.ok:
        return
    app = built["app"]
    try:
        asyncio.run(_async_checks(test, app), loop_factory=lambda: AppLoop(qapp))
    finally:
        _close(app)


def _build(check: Check, qapp: Any, built: dict[str, Any]) -> None:
    args = desktop_app.parse_args(["--demo"])
    built["app"] = app = desktop_app.build(args, qapp, None)
    check.details.update(
        qt=qt_version(),
        platform=qapp.platformName(),
        frozen=bool(getattr(sys, "frozen", False)),
        resources=str(paths.resources_root()),
        object_name=app.window.objectName(),
    )


async def _async_checks(test: SelfTest, app: desktop_app.App) -> None:
    await _show_window(test, app)
    if test.options.startup_probe:
        return
    test.record("translations", lambda c: _translations(c, app))
    test.record("storage", lambda c: _storage(c, app))
    test.record("keyring", lambda c: _keyring(c, app, test.options.require_keyring))
    test.record("tls", _tls)
    test.record("code colouring", _grammars)
    await _record_async(test, "single instance", _single_instance)
    await _record_async(test, "chat", lambda c: asyncio.wait_for(_chat(c, app), CHAT_TIMEOUT_S))
    await app.services.controller.shutdown()


# ---- window ------------------------------------------------------------------------------


class _FirstPaint(QObject):
    """Resolves a future on the first paint event of any widget in ``window``."""

    def __init__(self, window: QWidget, future: asyncio.Future[float]) -> None:
        super().__init__(window)
        self._window = window
        self._future = future

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and not self._future.done()
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._future.set_result(time.time())
        return False


async def _show_window(test: SelfTest, app: desktop_app.App) -> None:
    painted: asyncio.Future[float] = asyncio.get_running_loop().create_future()
    watcher = _FirstPaint(app.window, painted)
    app.qapp.installEventFilter(watcher)
    shown = time.time()
    app.window.show()
    window = test.checks[0]
    try:
        first_paint = await asyncio.wait_for(painted, PAINT_TIMEOUT_S)
    except TimeoutError:
        window.ok, window.error = False, f"main window not painted within {PAINT_TIMEOUT_S:.0f} s"
        return
    finally:
        app.qapp.removeEventFilter(watcher)
    window.details["visible"] = app.window.isVisible()
    test.startup.update(
        selftest_started_s=test.since_start(test.started) or 0.0,
        show_to_first_paint_s=round(first_paint - shown, 3),
        first_paint_s=test.since_start(first_paint) or 0.0,
    )


# ---- translations ------------------------------------------------------------------------


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _translations(check: Check, app: desktop_app.App) -> None:
    qm = paths.resource_path("translations", APP_QM)
    app_tr = QTranslator()
    check.details["app_qm"] = qm.name
    if not app_tr.load(str(qm)) or app_tr.isEmpty():
        check.error = f"{APP_QM} missing or empty in {qm.parent}"
        return
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_tr = QTranslator()
    if not qt_tr.load(QLocale("zh_CN"), "qtbase", "_", qt_dir):
        check.error = f"Qt's qtbase_zh_CN.qm not found in {qt_dir}"
        return
    check.details["qtbase_cancel"] = qt_tr.translate("QPlatformTheme", "Cancel")
    lang = app.services.translations.apply("zh")
    QCoreApplication.processEvents()
    send = app.window.findChild(QAbstractButton, "sendButton")
    label = send.text() if send is not None else ""
    check.details.update(language=lang, send_button=label)
    app.services.translations.apply("en")
    if lang != "zh" or not _has_cjk(label):
        check.error = f"switching to zh did not translate the Send button (got {label!r})"


# ---- storage -----------------------------------------------------------------------------


def _storage(check: Check, app: desktop_app.App) -> None:
    db = app.services.db
    journal = db.query("PRAGMA journal_mode")[0][0]
    integrity = db.integrity_check()
    check.details.update(
        path=str(paths.db_path()),
        in_temp_home=str(paths.home()) in str(paths.db_path()),
        schema_version=db.schema_version,
        journal_mode=journal,
        integrity=integrity,
        sqlite=sqlite3.sqlite_version,
        profiles=len(db.profiles.list()),
    )
    if integrity != "ok" or str(journal).lower() != "wal":
        check.error = f"database not healthy: integrity={integrity}, journal={journal}"


# ---- tls ---------------------------------------------------------------------------------


def _tls(check: Check) -> None:
    """The client's TLS context builds from the system store and certifi (truststore bundled)."""
    context = tls.ssl_context()
    check.details.update(
        trust=tls.trust_source(),
        verify=context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname,
    )
    if check.details["trust"] != "system store + certifi" or not check.details["verify"]:
        check.error = f"TLS trust is {check.details['trust']}, verify={check.details['verify']}"


# ---- code colouring -----------------------------------------------------------------------


def _grammars(check: Check) -> None:
    """Every tree-sitter grammar loads with its highlight query (a bundle ships them as data)."""
    from desktop.ui.chat.render import syntax_tree

    loaded = [name for name in syntax_tree.GRAMMARS if syntax_tree.grammar_for(name) is not None]
    check.details.update(grammars=loaded)
    missing = sorted(set(syntax_tree.GRAMMARS) - set(loaded))
    if missing:
        check.error = "code colouring grammars did not load: " + ", ".join(missing)


# ---- single instance ---------------------------------------------------------------------


async def _single_instance(check: Check) -> None:
    """The guard a real start runs (lock, local server, a second start's raise request), on a
    directory of its own: its Qt module is loaded only after the first frame, so building the
    window does not prove the bundle holds it."""
    from desktop.ui.window import single_instance

    where = paths.data_dir() / "selftest-instance"
    where.mkdir(parents=True, exist_ok=True)
    lock = single_instance.claim(where)
    raised: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    holder = QObject()

    def on_raise() -> None:
        if not raised.done():
            raised.set_result(True)

    try:
        server = single_instance.listen(where, holder, on_raise)
        asked = await asyncio.to_thread(single_instance.ask_to_raise, where, 5.0)
        check.details.update(locked=lock is not None, listening=server is not None, asked=asked)
        if lock is None or server is None or not asked:
            check.error = "the single-instance guard did not work (lock, server or raise request)"
            return
        check.details["raised"] = await asyncio.wait_for(raised, 5.0)
    finally:
        holder.deleteLater()
        if lock is not None:
            lock.unlock()


async def _record_async(
    test: SelfTest, name: str, body: Callable[[Check], Awaitable[None]]
) -> None:
    """``test.record`` for a check that awaits."""
    check = Check(name)
    began = time.perf_counter()
    try:
        await body(check)
    except Exception as exc:  # noqa: BLE001 - any failure is the check's result, in the report
        check.error = check.error or f"{type(exc).__name__}: {exc}"
    check.ok = not check.error
    check.seconds = round(time.perf_counter() - began, 3)
    test.checks.append(check)


# ---- keyring -----------------------------------------------------------------------------


def _keyring(check: Check, app: desktop_app.App, required: bool) -> None:
    store: SecretStore = app.services.secrets
    backend = keyring.get_keyring()
    check.details.update(
        backend=backend_label(backend),
        store=store.backend_name,
        persistent=store.persistent,
        viable=sorted(backend_label(b) for b in keyring.backend.get_all_keyring()),
        warning=store.warning,
        roundtrip=None,
    )
    if store.persistent:
        check.details["roundtrip"] = _roundtrip()
        if not check.details["roundtrip"]:
            check.error = "a secret written to the keyring did not read back"
    elif required:
        check.error = f"no usable keyring backend ({check.details['backend']})"


def _roundtrip() -> bool:
    store = KeyringSecretStore(service=KEYRING_SERVICE)
    secret = "selftest_" + pysecrets.token_hex(8)
    store.set("roundtrip", secret)
    try:
        return store.get("roundtrip") == secret
    finally:
        store.delete("roundtrip")


# ---- chat --------------------------------------------------------------------------------


async def _chat(check: Check, app: desktop_app.App) -> None:
    window = app.window
    edit = window.findChild(QPlainTextEdit, "composer")
    send = window.findChild(QAbstractButton, "sendButton")
    if edit is None or send is None:
        check.error = "composer or sendButton not found in the main window"
        return
    finished: asyncio.Future[TurnFinished] = asyncio.get_running_loop().create_future()

    def on_finished(event: TurnFinished) -> None:
        if not finished.done():
            finished.set_result(event)

    window.controller.turn_finished.connect(on_finished)
    edit.setPlainText(QUESTION)
    started = time.perf_counter()
    send.click()
    event = await finished
    _describe_turn(check, app, event, time.perf_counter() - started)


def _describe_turn(check: Check, app: desktop_app.App, event: TurnFinished, took: float) -> None:
    message = event.message
    exchanges = app.services.netlog.exchanges()
    check.details.update(
        question=QUESTION,
        status=message.status,
        answer_chars=len(message.content),
        answer_start=message.content[:80],
        reasoning_chars=len(message.reasoning),
        tools=len(message.tools),
        follow_ups=list(message.follow_ups),
        conversation_id=event.conversation_id,
        ttft_ms=message.ttft_ms,
        turn_seconds=round(took, 3),
        requests=[f"{ex.method} {urlsplit(ex.url).path} -> {ex.status}" for ex in exchanges],
        sse_events=sum(ex.event_count for ex in exchanges),
        chat_view_messages=_chat_view_count(app),
        modules=sorted(m for m in ("httpx", "httpx_sse", "qasync", "httpcore") if m in sys.modules),
    )
    if event.error is not None or message.status != "complete" or not message.content:
        check.error = f"demo turn ended {message.status}: {event.error or 'empty answer'}"


def _chat_view_count(app: desktop_app.App) -> int:
    view = app.window.findChild(QWidget, "chatView")
    count = getattr(view, "message_count", None)
    return int(count()) if callable(count) else -1


def _close(app: desktop_app.App) -> None:
    """Close the window and services; remove the demo tokens the run stored in the keyring."""
    for profile in app.services.db.profiles.list():
        with contextlib.suppress(Exception):  # the keyring went away: nothing left to clean
            app.services.secrets.delete(profile.id)
    app.window.hide()
    app.demo.stop()
    app.services.db.close()
