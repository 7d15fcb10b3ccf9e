"""The real entry point end to end (``python -m desktop --demo --screenshot`` in a subprocess),
and the start-up steps of ``desktop.app.main`` in process."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from desktop.simulator import DEMO_TOKEN

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot


@pytest.mark.slow
@pytest.mark.parametrize("scene", ["chat", "tool_answered", "chatflow"])
def test_demo_screenshot_run(tmp_path: Path, scene: str) -> None:
    """Each scene's turns end (a waiting answer answered through its card) well before the
    scene's time-out, which would exit 1."""
    home = tmp_path / "home"
    shot = tmp_path / "main.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COZE_DESKTOP_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    env.pop("COZE_API_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--demo", "--scene", scene, "--screenshot", str(shot)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert shot.exists()
    assert shot.stat().st_size > 20_000
    assert "Traceback" not in proc.stderr
    assert "Exception ignored" not in proc.stderr
    log = (home / "logs" / "coze-desktop.log").read_text(encoding="utf-8")
    assert "screenshot saved" in log
    for file in home.rglob("*"):
        if file.is_file():
            assert DEMO_TOKEN.encode() not in file.read_bytes(), file.name


@pytest.mark.expect_log("desktop.secrets")
def test_start_up_steps_in_process(qtbot: QtBot, qloop: Any) -> None:
    """``main``'s steps: the window is built and shown from the database alone; the app icon
    and the backend come after its first frame."""
    import keyring
    import keyring.backends.fail

    from desktop import app as desktop_app

    keyring.set_keyring(keyring.backends.fail.Keyring())
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    qapp.setWindowIcon(QIcon())
    args = desktop_app.parse_args([])
    start = desktop_app.build_window(args, desktop_app.create_application([]), None)
    qtbot.addWidget(start.window)
    assert start.services.backend is None
    desktop_app.wait_for_first_frame(start.window)
    assert qapp.windowIcon().isNull()  # not read before the first frame
    assert desktop_app.remembered_dark(start.services.ui_state_path) is None  # a first start
    built = desktop_app.attach_services(start)
    try:
        assert start.services.backend is not None
        # the system's scheme (offscreen: light), asked after the first frame, is kept for the
        # next start's first frame
        assert desktop_app.remembered_dark(start.services.ui_state_path) is False
        sizes = {size.width() for size in qapp.windowIcon().availableSizes()}
        assert {16, 32, 128, 256} <= sizes
        assert not start.window.windowIcon().isNull()  # the main window shows the app icon
    finally:
        start.window.close()
        built.demo.stop()
        built.services.db.close()


@pytest.mark.expect_log("desktop.secrets")
def test_a_returning_user_sees_the_chat_before_the_backend_loads(
    qtbot: QtBot, qloop: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the first frame the open chat's messages are filled in and painted first; the
    backend (asyncio, httpx, keyring) is built after that."""
    import keyring
    import keyring.backends.fail

    from desktop import app as desktop_app
    from desktop import paths
    from desktop.storage import Database, Profile

    keyring.set_keyring(keyring.backends.fail.Keyring())
    db = Database.open(paths.db_path())
    profile = db.profiles.add(Profile(name="Echo", region="custom", base_url="http://127.0.0.1:9",
                                      bot_id="7400000000000000001", user_id="u"))  # fmt: skip
    session = db.sessions.create(profile.id, "earlier")
    db.messages.add(session_id=session.id, role="user", kind="question", content="hello?")
    db.messages.add(session_id=session.id, role="assistant", kind="answer", content="**hi**",
                    status="complete")  # fmt: skip
    db.close()
    start = desktop_app.build_window(desktop_app.parse_args([]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    desktop_app.wait_for_first_frame(start.window)
    assert start.window.chat_view.message_count() == 0  # not part of the first frame
    seen: dict[str, int] = {}
    real_build = desktop_app.build_backend

    def build_backend(services: Any) -> Any:
        seen["rows when the backend is built"] = start.window.chat_view.row_count()
        return real_build(services)

    monkeypatch.setattr(desktop_app, "build_backend", build_backend)
    built = desktop_app.attach_services(start)
    try:
        assert seen == {"rows when the backend is built": 2}
        assert start.services.backend is not None
        assert start.window.chat_view.message_count() == 2  # attach did not fill it twice
    finally:
        start.window.close()
        built.demo.stop()
        built.services.db.close()


@pytest.mark.expect_log("desktop.secrets")  # no keyring here: the session-only warning
def test_demo_shows_its_window_first_and_sends_what_was_typed_meanwhile(
    qtbot: QtBot, qloop: Any
) -> None:
    """``--demo`` with the demo profile of an earlier run: the window is built and painted
    without the backend (the profile still points at the old port); a message typed right
    away waits in the composer and is sent once the backend and the simulator are up."""
    import keyring
    import keyring.backends.fail
    from PySide6.QtCore import Qt

    from desktop import app as desktop_app
    from desktop import paths
    from desktop.demo import DEMO_PROFILE_NAME
    from desktop.simulator import DEMO_BOT_ID, DEMO_USER_ID
    from desktop.storage import Database, Profile

    keyring.set_keyring(keyring.backends.fail.Keyring())
    db = Database.open(paths.db_path())
    saved = db.profiles.add(Profile(name=DEMO_PROFILE_NAME, region="custom", bot_id=DEMO_BOT_ID,
                                    base_url="http://127.0.0.1:9", user_id=DEMO_USER_ID))  # fmt: skip
    db.close()
    start = desktop_app.build_window(desktop_app.parse_args(["--demo"]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    assert start.services.backend is None
    assert start.demo_profile is not None
    assert start.demo_profile.id == saved.id
    assert desktop_app.wait_for_first_frame(start.window)
    window = start.window
    qtbot.keyClicks(window.composer.edit, "hello")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    assert window.composer.text() == "hello"  # not sent yet, not lost
    built = desktop_app.attach_services(start)
    desktop_app.start_loop_work(built)  # as desktop.app.run does once its loop runs
    try:
        assert start.services.backend is not None
        session = window.current_session()
        assert session is not None
        assert session.profile_id == saved.id
        profile = start.services.db.profiles.get(saved.id)
        assert profile is not None
        assert profile.base_url == built.demo.base_url

        finished: list[object] = []
        built.services.controller.turn_finished.connect(finished.append)

        def answered() -> bool:
            rows = start.services.db.messages.list(session.id)
            done = [(m.kind, m.status) for m in rows][-1:] == [("answer", "complete")]
            return done and bool(finished)  # saved, and handed on to the window (a later pass)

        qtbot.waitUntil(answered, timeout=20_000)
        rows = start.services.db.messages.list(session.id)
        assert [m.content for m in rows if m.kind == "question"] == ["hello"]
        assert window.composer.text() == ""
    finally:
        window.close()
        built.services.controller.stop_all()
        built.demo.stop()
        built.services.db.close()


@pytest.mark.expect_log("desktop.secrets")  # no keyring here: the session-only warning
def test_a_first_demo_creates_the_demo_bot_after_the_first_frame(qtbot: QtBot, qloop: Any) -> None:
    import keyring
    import keyring.backends.fail

    from desktop import app as desktop_app
    from desktop.demo import DEMO_PROFILE_NAME

    keyring.set_keyring(keyring.backends.fail.Keyring())
    start = desktop_app.build_window(desktop_app.parse_args(["--demo"]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    assert start.demo_profile is None
    assert start.window.profiles() == []
    desktop_app.wait_for_first_frame(start.window)
    # the first frame shows the chat page the demo bot opens in, not the welcome page
    assert start.window.pages.currentWidget().findChild(QWidget, "chatView") is not None
    assert start.window.findChild(QWidget, "welcomeView") is None
    built = desktop_app.attach_services(start)
    try:
        assert start.window.findChild(QWidget, "welcomeView") is None  # never made
        session = start.window.current_session()
        profile = start.window.active_profile(session)
        assert session is not None
        assert profile is not None
        assert profile.name == DEMO_PROFILE_NAME
        assert profile.base_url == built.demo.base_url
    finally:
        start.window.close()
        built.demo.stop()
        built.services.db.close()


def test_a_first_demo_that_made_no_profiles_shows_the_welcome_page(qtbot: QtBot) -> None:
    """Until the first ``--demo`` has made its profiles the window shows the chat page; if it
    made none (the demo could not start), the welcome page comes, as for any first run."""
    from desktop import app as desktop_app

    start = desktop_app.build_window(desktop_app.parse_args(["--demo"]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    try:
        assert start.window.pages.currentWidget().findChild(QWidget, "chatView") is not None
        start.window.demo_start_over()
        assert start.window.pages.currentWidget().objectName() == "welcomeView"
    finally:
        start.window.close()
        start.services.db.close()


def test_no_arguments_give_the_parser_defaults() -> None:
    from desktop import app as desktop_app

    parsed, _rest = desktop_app.argument_parser().parse_known_args([])
    assert desktop_app.parse_args([]) == parsed
    demo, _rest = desktop_app.argument_parser().parse_known_args(["--demo"])
    assert desktop_app.parse_args(["--demo"]) == demo  # the short cut answers as the parser
    assert desktop_app.parse_args(["--demo", "--lang", "zh"]).demo is True
    assert desktop_app.parse_args(["-style", "fusion"]) == parsed  # Qt's own arguments pass
