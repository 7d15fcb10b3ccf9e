"""The log dock, doctor and network settings inside the real main window."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from desktop.simulator import DEMO_TOKEN, ECHO_BOT_ID, Simulator, bots
from desktop.simulator.bots import CONTEXT_LOST_BOT_ID
from desktop.ui.log_dock import LogDock
from desktop.ui.render.bubble import NoticeWidget
from desktop.ui.settings_dialog import SettingsDialog
from tests.ui.harness import Shell, make_shell


@pytest.fixture
def shell(qtbot: QtBot, qloop: Any, sim: Simulator) -> Iterator[Shell]:
    built = make_shell(qtbot, sim)
    yield built
    built.close()


def dock(shell: Shell) -> LogDock:
    found = shell.window.findChild(LogDock, "logDock")
    assert found is not None
    return found


def test_shortcut_toggles_the_dock_and_state_is_remembered(shell: Shell, qtbot: QtBot, sim: Simulator) -> None:
    action = shell.window.actions_.show_log
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    assert not dock(shell).isVisible()
    action.trigger()
    assert dock(shell).isVisible()
    shell.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock(shell))
    shell.window.save_state()
    action.trigger()
    assert not dock(shell).isVisible()
    action.trigger()
    shell.window.save_state()
    second = make_shell(qtbot, sim)
    try:
        assert dock(second).isVisible()
        assert second.window.dockWidgetArea(dock(second)) == Qt.DockWidgetArea.RightDockWidgetArea
    finally:
        second.close()


def test_first_error_opens_the_dock_on_its_request(shell: Shell) -> None:
    profile = shell.add_profile("Unpublished", bots.FAULT_NOT_PUBLISHED_BOT_ID)
    shell.start_chat(profile)
    result = shell.send("hi")
    assert result.error is not None
    shell.qtbot.waitUntil(lambda: dock(shell).isVisible())
    selected = dock(shell).selected()
    assert selected is not None and selected.log_id == result.message.log_id
    dock(shell).detail.select_tab("diagnosis")
    assert "not published" in dock(shell).detail.diagnosis.toPlainText()
    assert selected.context["session_id"] == str(result.session_id)


def test_open_in_log_and_go_to_message(shell: Shell) -> None:
    shell.services.settings = dataclasses.replace(shell.services.settings, open_log_on_error=False)
    profile = shell.add_profile("Busy", bots.FAULT_BUSY_BOT_ID)
    session_id = shell.start_chat(profile)
    result = shell.send("hi")
    assert not dock(shell).isVisible()  # the setting is off
    row = shell.window.chat_view.row_for(result.message.id)
    row.parts["error"].log_button.click()  # type: ignore[union-attr]
    assert dock(shell).isVisible()
    assert dock(shell).selected().log_id == result.message.log_id  # type: ignore[union-attr]
    shell.window.new_session(profile.id)  # another chat is open now
    assert shell.window.session_id != session_id
    dock(shell).trigger("go_to_message")
    assert shell.window.session_id == session_id


def test_context_lost_warning_in_the_chat(shell: Shell) -> None:
    profile = shell.add_profile("Forgetful", CONTEXT_LOST_BOT_ID)
    shell.start_chat(profile)
    shell.send("first")
    assert not shell.window.chat_view.findChildren(NoticeWidget)
    shell.send("second")
    notices = [n.label.text() for n in shell.window.chat_view.findChildren(NoticeWidget)]
    assert any("Context lost" in text and "another conversation" in text for text in notices)


def test_echo_bot_keeps_context_without_warning(shell: Shell) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    shell.start_chat(profile)
    shell.send("one")
    shell.send("two")
    assert not shell.window.chat_view.findChildren(NoticeWidget)


def test_menu_diagnose_opens_the_doctor(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Demo", bots.DEMO_BOT_ID)
    shell.start_chat(profile)
    with qtbot.waitSignal(shell.controller.doctor.finished, timeout=20_000):
        shell.window.actions_.diagnose.trigger()
    dialog = shell.window.log.doctor
    assert dialog is not None and dialog.isVisible()
    assert {r.key for r in dialog.results()} >= {"token", "bot", "streaming"}
    assert "pat_…" in dialog.report() and DEMO_TOKEN not in dialog.report()


def test_settings_network_section_tests_and_saves_no_proxy(shell: Shell, qtbot: QtBot) -> None:
    shell.add_profile("Echo", ECHO_BOT_ID)
    shell.window.dialogs.open_settings()
    dialog = shell.window.findChild(SettingsDialog, "settingsDialog")
    assert dialog is not None
    dialog.network.set_values("none", "")
    with qtbot.waitSignal(shell.controller.network.finished, timeout=10_000):
        dialog.network.test.click()
    assert "Coze answered" in dialog.network.result.text()
    dialog.buttons.accepted.emit()
    assert shell.services.settings.proxy_mode == "none"
    assert shell.services.clients._trust_env is False
    assert Settings(proxy_mode="none").proxy() is None
