"""The log dock, doctor and network settings inside the real main window."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.settings import Settings
from desktop.simulator import DEMO_TOKEN, ECHO_BOT_ID, Simulator, bots
from desktop.simulator.bots import CONTEXT_LOST_BOT_ID
from desktop.storage import Profile
from desktop.ui.chat.render.bubble import NoticeWidget
from desktop.ui.kit.widgets import select_value
from desktop.ui.logdock.dock import LogDock
from desktop.ui.settings.dialog import SettingsChanged, SettingsDialog
from desktop.ui.settings.network import NetworkSettings
from tests.ui.harness import Shell, make_shell
from tests.waiting import run_queued

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

SECRET = "hunter2"


def dock(shell: Shell) -> LogDock:
    """The window's log dock (made now if it was not yet)."""
    made = shell.window.log.dock
    assert shell.window.findChild(LogDock, "logDock") is made
    return made


def test_shortcut_toggles_the_dock_and_state_is_remembered(
    shell: Shell, qtbot: QtBot, sim: Simulator
) -> None:
    """The dock is made when first shown; its place, and whether it was open, outlive the
    window; one closed at the last quit is made again only when shown, where it was."""
    action = shell.window.actions_.show_log
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    assert shell.window.findChild(LogDock, "logDock") is None  # not made before it is needed
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
        assert dock(second).isVisible()  # open at the last quit: made at start
        assert second.window.dockWidgetArea(dock(second)) == Qt.DockWidgetArea.RightDockWidgetArea
        second.window.actions_.show_log.trigger()
        second.window.save_state()
    finally:
        second.close()
    third = make_shell(qtbot, sim)
    try:
        assert third.window.findChild(LogDock, "logDock") is None
        third.window.actions_.show_log.trigger()
        assert dock(third).isVisible()
        assert third.window.dockWidgetArea(dock(third)) == Qt.DockWidgetArea.RightDockWidgetArea
    finally:
        third.close()


def test_the_dock_made_late_lists_every_request_made_before(shell: Shell) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    shell.start_chat(profile)
    first, second = shell.send("one"), shell.send("two")
    assert shell.window.findChild(LogDock, "logDock") is None
    shell.window.actions_.show_log.trigger()
    logged = {ex.log_id for ex in dock(shell).model.exchanges()}
    assert first.message.log_id
    assert second.message.log_id
    assert {first.message.log_id, second.message.log_id} <= logged


def test_first_error_opens_the_dock_on_its_request(shell: Shell) -> None:
    profile = shell.add_profile("Unpublished", bots.FAULT_NOT_PUBLISHED_BOT_ID)
    shell.start_chat(profile)
    result = shell.send("hi")
    assert result.error is not None
    shell.qtbot.waitUntil(lambda: dock(shell).isVisible())
    selected = dock(shell).selected()
    assert selected is not None
    assert selected.log_id == result.message.log_id
    dock(shell).detail.select_tab("diagnosis")
    assert "not published" in dock(shell).detail.diagnosis.toPlainText()
    assert selected.context["session_id"] == str(result.session_id)


def test_the_dock_opened_by_an_error_leaves_the_error_in_view_and_shows_its_request(
    shell: Shell,
) -> None:
    """At the default window size: the dock takes at most half the window, the failing request
    is the current row and in sight, and the whole error (its title too) stays in the chat."""
    shell.window.resize(1200, 800)
    profile = shell.add_profile("Unpublished", bots.FAULT_NOT_PUBLISHED_BOT_ID)
    shell.start_chat(profile)
    result = shell.send("hi")
    log = dock(shell)
    shell.qtbot.waitUntil(lambda: log.isVisible() and log.selected() is not None)
    assert log.height() <= shell.window.height() // 2
    table = log.table
    row_rect = table.visualRect(table.currentIndex())
    assert table.viewport().rect().contains(row_rect)
    row = shell.window.chat_view.row_for(result.message.id)
    assert row is not None
    panel = row.findChild(QWidget, "errorPanel")
    assert panel is not None

    def whole_error_in_view() -> bool:
        region = panel.visibleRegion().boundingRect()
        return panel.isVisible() and region.height() == panel.height()

    shell.qtbot.waitUntil(whole_error_in_view)


def test_the_dock_at_the_default_size_shows_several_stream_frames(shell: Shell) -> None:
    """Opened at the default window size on a streamed answer: its frames are in sight without
    dragging a divider."""
    shell.window.resize(1200, 800)
    shell.qtbot.waitUntil(lambda: shell.window.height() == 800)
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.send("hello there, a few words please")
    shell.window.log.show()
    log = dock(shell)
    stream = [ex for ex in shell.services.netlog.exchanges() if ex.is_stream][-1]
    log.select_exchange(stream.log_id, "")
    log.detail.select_tab("response")
    table = log.detail.stream.table
    assert table.model().rowCount() >= 4

    def rows_in_sight() -> int:
        view = table.viewport().rect()
        rows = range(table.model().rowCount())
        return sum(view.contains(table.visualRect(table.model().index(r, 0))) for r in rows)

    shell.qtbot.waitUntil(lambda: rows_in_sight() >= 3)


def test_open_in_log_and_go_to_message(shell: Shell) -> None:
    shell.services.settings = dataclasses.replace(shell.services.settings, open_log_on_error=False)
    profile = shell.add_profile("Busy", bots.FAULT_BUSY_BOT_ID)
    session_id = shell.start_chat(profile)
    result = shell.send("hi")
    assert not shell.window.log.dock_open  # the setting is off
    row = shell.window.chat_view.row_for(result.message.id)
    row.parts["error"].log_button.click()  # type: ignore[union-attr]
    assert dock(shell).isVisible()
    assert dock(shell).selected().log_id == result.message.log_id  # type: ignore[union-attr]
    shell.window.new_session(profile.id)  # another chat is open now
    assert shell.window.session_id != session_id
    dock(shell).trigger("go_to_message")
    assert shell.window.session_id == session_id


@pytest.mark.expect_log("desktop.ui.bridge.controller")
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
    assert dialog is not None
    assert dialog.isVisible()
    assert {r.key for r in dialog.results()} >= {"token", "bot", "streaming"}
    assert "pat_…" in dialog.report()
    assert DEMO_TOKEN not in dialog.report()


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


def test_dock_size_and_place_survive_a_restart(shell: Shell, qtbot: QtBot, sim: Simulator) -> None:
    window = shell.window
    window.resize(1200, 800)  # room for a 455 px dock (the first window fits the small test screen)
    window.log.toggle()
    log_dock = dock(shell)
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, log_dock)
    window.resizeDocks([log_dock], [455], Qt.Orientation.Vertical)  # not the default height
    qtbot.waitUntil(lambda: abs(log_dock.height() - 455) <= 8)
    height = log_dock.height()
    window.close()  # closing saves the window state, as quitting the app does
    second = make_shell(qtbot, sim)  # same config dir: a restart
    try:
        restored = dock(second)
        assert restored.isVisible()
        assert second.window.dockWidgetArea(restored) == Qt.DockWidgetArea.TopDockWidgetArea
        qtbot.waitUntil(lambda: abs(restored.height() - height) <= 8)
        restored.hide()
        second.window.close()
    finally:
        second.close()
    third = make_shell(qtbot, sim)
    try:
        assert not third.window.log.dock_open  # hidden stays hidden (and is not made)
        third.window.resize(1200, 800)
        third.window.log.toggle()  # made now: where it was, as tall as it was
        later = dock(third)
        assert later.isVisible()
        assert third.window.dockWidgetArea(later) == Qt.DockWidgetArea.TopDockWidgetArea
        qtbot.waitUntil(lambda: abs(later.height() - height) <= 8)
    finally:
        third.close()


def test_first_error_opens_the_dock_once_per_session(shell: Shell) -> None:
    profile = shell.add_profile("Busy", bots.FAULT_BUSY_BOT_ID)
    shell.start_chat(profile)
    first = shell.send("hi")
    shell.qtbot.waitUntil(lambda: dock(shell).isVisible())
    assert dock(shell).selected().log_id == first.message.log_id  # type: ignore[union-attr]
    dock(shell).hide()
    shell.send("again")  # the same session's second error: the dock stays closed
    run_queued(shell.qtbot)  # the turn has finished: whatever it would open is queued
    assert not dock(shell).isVisible()
    shell.start_chat(profile)
    third = shell.send("new chat")
    shell.qtbot.waitUntil(lambda: dock(shell).isVisible())
    assert dock(shell).selected().log_id == third.message.log_id  # type: ignore[union-attr]


def test_go_to_message_scrolls_to_the_answer_of_the_request(
    shell: Shell, monkeypatch: pytest.MonkeyPatch
) -> None:
    shell.services.settings = dataclasses.replace(shell.services.settings, open_log_on_error=False)
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    session_id = shell.start_chat(profile)
    first = shell.send("one")
    shell.send("two")
    shell.window.new_session(profile.id)
    scrolled: list[int] = []
    view = shell.window.chat_view
    original = view.scroll_to_message
    monkeypatch.setattr(
        view, "scroll_to_message", lambda mid: scrolled.append(mid) or original(mid)
    )
    assert shell.window.log.show(first.message.log_id)  # as "Open in log" does
    log_dock = dock(shell)
    assert log_dock.bar.buttons["go_to_message"].isEnabled()
    log_dock.bar.buttons["go_to_message"].click()
    assert shell.window.session_id == session_id
    assert scrolled == [first.message.id]


def test_session_filter_lists_chat_titles(shell: Shell) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    session_id = shell.start_chat(profile)
    shell.send("hello")
    shell.db.sessions.rename(session_id, "Trip plans")
    log_dock = dock(shell)
    log_dock.model.flush()
    combo = log_dock.bar.session
    combo.showPopup()  # opening the list re-reads the titles
    combo.hidePopup()
    assert combo.itemText(combo.findData(str(session_id))) == "Trip plans · Echo"


def test_doctor_follows_the_no_proxy_setting(
    shell: Shell, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.setenv(name, f"http://bob:{SECRET}@10.255.255.1:3128")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("no_proxy", "")
    # a coze.cn profile without a token: the doctor stops after the offline checks (no network)
    profile = shell.db.profiles.add(Profile(name="Remote", region="cn", bot_id="1", user_id="u"))
    shell.window.dialogs.apply_settings(SettingsChanged(Settings(language="en", proxy_mode="none")))
    assert shell.services.clients.proxy_mode == "none"
    with qtbot.waitSignal(shell.controller.doctor.check_done, timeout=10_000,
                          check_params_cb=lambda c: c.result.key == "proxy") as blocker:  # fmt: skip
        dialog = shell.window.log.diagnose(profile)
    proxy = blocker.args[0].result
    assert proxy.verdict == "skip"
    assert "No proxy" in proxy.found_en
    assert "bob:***@" in proxy.found_en
    assert dialog is not None
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)


def test_a_proxy_password_is_refused_not_stored(qtbot: QtBot) -> None:
    section = NetworkSettings(lambda: "en")
    qtbot.addWidget(section)
    select_value(section.mode, "custom")
    section.url.setText(f"http://bob:{SECRET}@127.0.0.1:3128")
    error = section.validation_error()
    assert "must not contain a user name or password" in error
    assert "HTTPS_PROXY" in error
    assert SECRET not in error
    section.url.setText("http://127.0.0.1:3128")
    assert section.validation_error() == ""
