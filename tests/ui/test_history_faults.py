"""A damaged or locked chat history, and SIGTERM: the window starts, says what happened, keeps
what arrived, and every other chat works (real SQLite files, a real second process)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from desktop import paths
from desktop.api.errors import HistorySaveError
from desktop.simulator import SLOW_BOT_ID
from desktop.storage import Database
from desktop.storage.db import INTERACTIVE_BUSY_TIMEOUT_MS
from desktop.ui.bridge.controller import TurnFinished, TurnUpdated
from desktop.ui.kit.intents import SendIntent
from tests.heartbeat import Heartbeat
from tests.history_faults import MARKER, HeldLock, damaged_history
from tests.ui.harness import make_shell
from tests.waiting import wait_until

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]


def _remember_session(session_id: int) -> None:
    paths.settings_path().write_text(json.dumps({"last_session_id": session_id}), "utf-8")


# -- a damaged page -------------------------------------------------------------------------


@pytest.mark.expect_log("desktop.secrets", "desktop.ui.window")
def test_a_damaged_last_chat_opens_marked_and_every_other_chat_works(
    qtbot: QtBot, qloop: Any, tmp_path: Path
) -> None:
    import keyring
    import keyring.backends.fail

    from desktop import app as desktop_app

    keyring.set_keyring(keyring.backends.fail.Keyring())
    faults = damaged_history(paths.db_path())
    _remember_session(faults.damaged)
    start = desktop_app.build_window(desktop_app.parse_args([]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    built = desktop_app.attach_services(start)  # show_history: no exception escapes
    window = start.window
    try:
        assert window.session_id == faults.damaged
        assert faults.damaged in window.damaged
        assert window.header.title.text() == "Damaged chat"
        banner = window.damage_banner
        assert banner.isVisibleTo(window)
        assert str(faults.path) in banner.text()
        assert "1 of this chat's messages could not be read" in banner.text()
        assert window.chat_view.message_count() == 2  # what is readable is shown
        assert _sidebar_meta(window)[faults.damaged].startswith("⚠ damaged")
        assert not _sidebar_meta(window)[faults.intact].startswith("⚠")
        assert not window.composer._can_send()  # nothing more is written to a damaged chat
        window.open_session(faults.intact)  # the other chat is untouched
        assert window.header.title.text() == "Intact chat"
        assert window.chat_view.message_count() == 2
        assert not banner.isVisibleTo(window)
        window.open_session(faults.damaged)  # and back: the header names the damaged chat
        assert window.header.title.text() == "Damaged chat"
        # export what is readable
        out = tmp_path / "readable.md"
        assert window.dialogs.write_export(faults.damaged, "md", out)
        text = out.read_text("utf-8")
        assert "first question" in text
        assert "later answer" in text
        assert MARKER not in text
        # move the damaged file aside: kept, renamed; a fresh history keeps the bot profiles
        moved = window.dialogs.move_aside_now()
        assert moved is not None
        assert moved.exists()
        assert str(moved) in window.dialogs._open["moved-aside"].text()  # type: ignore[attr-defined]
        with Database.open(faults.path) as fresh:
            assert [p.id for p in fresh.profiles.list()] == [faults.profile_id]
            assert fresh.sessions.list() == []
    finally:
        window.close()
        built.demo.stop()
        built.services.db.close()


def _sidebar_meta(window: Any) -> dict[int, str]:
    from desktop.ui.sidebar.delegate import META_ROLE
    from desktop.ui.sidebar.panel import ID_ROLE

    items = window.sidebar.session_list
    return {
        items.item(i).data(ID_ROLE): items.item(i).data(META_ROLE) for i in range(items.count())
    }


def test_the_window_opens_its_history_with_a_short_busy_timeout(qtbot: QtBot) -> None:
    from desktop import app as desktop_app

    start = desktop_app.build_window(desktop_app.parse_args([]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    try:
        (row,) = start.services.db.query("PRAGMA busy_timeout")
        assert row[0] == INTERACTIVE_BUSY_TIMEOUT_MS
    finally:
        start.window.close()
        start.services.db.close()


def _app_env(home: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COZE_DESKTOP_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("COZE_API_TOKEN", None)
    return env


def _log_says(home: Path, text: str) -> bool:
    log = home / "logs" / "coze-desktop.log"
    return log.exists() and text in log.read_text("utf-8", errors="replace")


@pytest.mark.slow
def test_the_app_starts_on_a_damaged_last_chat_and_quits_with_0_on_sigterm(
    tmp_path: Path,
) -> None:
    """The real entry point in a subprocess: a damaged page in the last chat's messages neither
    stops the start (it used to exit 1 with a traceback) nor leaves a traceback; SIGTERM closes
    the window as the user would (status 0)."""
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "config").mkdir()
    faults = damaged_history(home / "data" / paths.DB_FILENAME)
    (home / "config" / "settings.json").write_text(
        json.dumps({"last_session_id": faults.damaged}), "utf-8"
    )
    proc = subprocess.Popen([sys.executable, "-m", "desktop"], cwd=ROOT, env=_app_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        wait_until(lambda: _log_says(home, "SIGTERM now closes the window") or proc.poll() is not None,
                   timeout=60)  # fmt: skip
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert _log_says(home, f"chat {faults.damaged} cannot be read in full")
        proc.send_signal(signal.SIGTERM)
        _out, errors = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors
    assert _log_says(home, "SIGTERM: stopping what runs and closing the window")


# -- a lock held by another process during a turn ------------------------------------------


@pytest.mark.expect_log("desktop.core.chat", "desktop.ui.bridge.controller")
def test_a_locked_history_mid_answer_ends_as_a_storage_failure_and_saves_later(
    qtbot: QtBot, qloop: Any, sim: Simulator, tmp_path: Path
) -> None:
    db = Database.open(paths.db_path())
    db.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT_MS)
    shell = make_shell(qtbot, sim, db=db)
    shell.controller._save_retry = 0.2
    updates: list[TurnUpdated] = []
    shell.controller.turn_updated.connect(updates.append)
    try:
        profile = shell.add_profile("Slow", SLOW_BOT_ID)
        session_id = shell.start_chat(profile)
        with qtbot.waitSignal(shell.controller.turn_finished, timeout=30_000) as finished:
            shell.window.chat.send(SendIntent("type slowly"))
            qtbot.waitUntil(lambda: any(u.message.content for u in updates), timeout=10_000)
            lock = HeldLock(paths.db_path())  # another program takes the history mid-answer
            meter = Heartbeat()
            meter.start()
        stall = meter.stop()
        event = finished.args[0]
        assert isinstance(event, TurnFinished)
        assert isinstance(event.error, HistorySaveError)
        assert event.error.diagnosis.key == "storage_locked"
        assert event.message.status == "failed"
        assert event.message.content.endswith("五十毫秒。")  # the whole answer, kept in memory
        assert stall < 1.0, f"the GUI thread was held {stall:.3f} s"  # was 5 s per save
        assert not shell.window.log.dock_open  # not a network failure: no log to show
        assert shell.window.status_panel.state == "idle"
        # the bubble: a storage failure in its own words, with Save again / Export
        row = shell.window.chat_view.row_for(event.message.id)
        assert row is not None
        panel = _error_panel(row)
        assert "database is locked by another program" in panel.title.text()
        assert "Coze reported" not in panel.title.text()
        assert panel.save_button.isVisibleTo(panel)
        assert panel.export_button.isVisibleTo(panel)
        assert not panel.retry_button.isVisibleTo(panel)
        assert not panel.diagnose_button.isVisibleTo(panel)
        # exported from memory while the file is still locked
        out = tmp_path / "answer.md"
        assert shell.window.dialogs.write_export(session_id, "md", out)
        assert "五十毫秒" in out.read_text("utf-8")
        assert shell.controller.unsaved_answer(session_id) is not None
        with qtbot.waitSignal(shell.controller.saved_later, timeout=10_000):
            lock.release()  # the retries on the loop save it once the lock is gone
        stored = shell.db.messages.get(event.message.id)
        assert stored is not None
        assert stored.status == "complete"
        assert stored.content == event.message.content
        assert shell.controller.unsaved_answer(session_id) is None
    finally:
        lock_obj = locals().get("lock")
        if isinstance(lock_obj, HeldLock):
            lock_obj.release()
        shell.close()


def _error_panel(row: Any) -> Any:
    from desktop.ui.chat.render.panels import ErrorPanel

    panel = row.findChild(ErrorPanel)
    assert panel is not None
    return panel


@pytest.mark.expect_log("desktop.ui.bridge.controller", "desktop.ui.window")
def test_a_question_the_locked_history_cannot_store_is_not_sent_and_goes_back(
    qtbot: QtBot, qloop: Any, sim: Simulator
) -> None:
    db = Database.open(paths.db_path())
    db.set_busy_timeout(INTERACTIVE_BUSY_TIMEOUT_MS)
    shell = make_shell(qtbot, sim, db=db)
    try:
        shell.start_chat(shell.add_profile("Slow", SLOW_BOT_ID))
        before = len(sim.requests)
        with HeldLock(paths.db_path()), qtbot.waitSignal(shell.controller.not_saved) as blocker:
            shell.window.composer.edit.setPlainText("are you there?")
            shell.window.composer.send_button.click()
        assert blocker.args[0].kind == "locked"
        assert shell.window.composer.text() == "are you there?"  # back in the composer
        assert not shell.controller.busy_sessions()
        assert len(sim.requests) == before  # nothing was sent
        notices = [n.label.text() for n in shell.window.chat_view._notices]
        assert any("Could not save your question" in text for text in notices)
    finally:
        shell.close()


@pytest.mark.expect_log("desktop.app", "desktop.ui.window", "desktop.core.chat")
def test_sigterm_during_an_answer_stops_it_like_the_stop_button_and_closes(
    qtbot: QtBot, qloop: Any, sim: Simulator
) -> None:
    from desktop.app import close_on_sigterm

    shell = make_shell(qtbot, sim)
    updates: list[TurnUpdated] = []
    shell.controller.turn_updated.connect(updates.append)
    undo = close_on_sigterm(shell.window)
    try:
        shell.start_chat(shell.add_profile("Slow", SLOW_BOT_ID))
        shell.window.chat.send(SendIntent("type slowly"))
        qtbot.waitUntil(lambda: any(u.message.content for u in updates), timeout=10_000)
        with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as done:
            os.kill(os.getpid(), signal.SIGTERM)
        assert done.args[0].message.status == "stopped"
        qtbot.waitUntil(lambda: not shell.window.isVisible(), timeout=5_000)
        qtbot.waitUntil(lambda: sim.last_request("/v3/chat/cancel") is not None, timeout=5_000)
        stored = shell.db.messages.get(done.args[0].message.id)
        assert stored is not None
        assert stored.status == "stopped"
        assert stored.content
    finally:
        undo()
        shell.close()


@pytest.mark.expect_log("desktop.crash")
def test_a_storage_error_outside_a_turn_gets_its_own_dialog_with_the_file(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.storage import StorageError
    from desktop.ui.bridge.error_reporter import ErrorReporter

    reporter = ErrorReporter("coze-desktop.log", history_path="/data/history.sqlite3")
    error = StorageError("The chat history is busy in another process.", "locked")
    reporter.excepthook(StorageError, error, None)

    def dialog() -> QMessageBox | None:
        boxes = [
            w for w in QApplication.topLevelWidgets() if w.objectName() == "storageErrorDialog"
        ]
        return next((b for b in boxes if isinstance(b, QMessageBox) and b.isVisible()), None)

    qtbot.waitUntil(lambda: dialog() is not None)
    box = dialog()
    assert box is not None
    assert "Something went wrong" not in box.text()
    assert "busy in another process" in box.informativeText()
    assert "/data/history.sqlite3" in box.informativeText()
    box.close()


# -- start-up problems reach the window ------------------------------------------------------


@pytest.mark.expect_log("desktop.settings", "desktop.secrets")
def test_a_corrupt_settings_file_is_reset_and_the_window_says_so(qtbot: QtBot, qloop: Any) -> None:
    import keyring
    import keyring.backends.fail

    from desktop import app as desktop_app

    keyring.set_keyring(keyring.backends.fail.Keyring())
    paths.settings_path().write_text("{not json", "utf-8")
    start = desktop_app.build_window(desktop_app.parse_args([]),
                                     desktop_app.create_application([]), None)  # fmt: skip
    qtbot.addWidget(start.window)
    built = desktop_app.attach_services(start)
    try:
        banner = start.window.start_banner
        assert banner.isVisibleTo(start.window)
        assert "Settings" in banner.text()
        assert "reset" in banner.text().lower() or "default" in banner.text().lower()
    finally:
        start.window.close()
        built.demo.stop()
        built.services.db.close()


@pytest.mark.slow
def test_an_unusable_logs_and_settings_folder_starts_with_a_plain_warning(tmp_path: Path) -> None:
    """``logs`` and ``config`` cannot be created (files are in the way): the window starts,
    logging to stderr only, and says so; no traceback."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "logs").write_text("not a folder", "utf-8")
    (home / "config").write_text("not a folder", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "desktop"], cwd=ROOT, env=_app_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stderr is not None
    lines: list[str] = []
    try:
        for line in proc.stderr:  # stderr is the only log now
            lines.append(line)
            if "SIGTERM now closes the window" in line:
                break
        proc.send_signal(signal.SIGTERM)
        _out, rest = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    errors = "".join(lines) + rest
    assert proc.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors
    assert "shown at start: The log folder" in errors
    assert "shown at start: The settings folder" in errors


@pytest.mark.expect_log("desktop.app")
def test_the_cannot_open_dialog_names_the_file_and_what_to_do(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop import app as desktop_app
    from desktop.storage import StorageError

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    error = StorageError("The chat history file is damaged.", "corrupt")
    assert desktop_app.history_unusable(error) == 1
    (text,) = shown
    assert str(paths.db_path()) in text
    assert "move that file" in text
