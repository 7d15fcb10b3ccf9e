"""The main window end to end: real controller, real simulator on loopback, real SQLite."""

from __future__ import annotations

import copy
import sys
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

import desktop
from desktop import paths
from desktop.demo import DEMO_PROFILE_NAME, DEMO_PROFILE_NAMES
from desktop.simulator import DEMO_BOT_ID, DEMO_TOKEN, ECHO_BOT_ID, SLOW_BOT_ID, Simulator
from desktop.storage import Database
from desktop.ui.chat.render.bubble import AnswerWidget
from desktop.ui.sidebar.panel import FIRST_ROWS, ID_ROLE
from desktop.ui.window.main_window import NARROW_PX, MainWindow
from tests.ui.harness import Shell, make_shell
from tests.waiting import run_queued

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.ui.bridge.controller import TurnUpdated


def answer_row(shell: Shell, message_id: int) -> AnswerWidget:
    row = shell.window.chat_view.row_for(message_id)
    assert isinstance(row, AnswerWidget)
    return row


def chat_requests(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.path == "/v3/chat"]


def test_first_run_shows_welcome_and_demo_button_starts_demo(shell: Shell, qtbot: QtBot) -> None:
    window = shell.window
    assert window.objectName() == "mainWindow"
    assert window.windowTitle() == "Coze Desktop"
    assert window.pages.currentWidget() is window.welcome
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    names = {p.name for p in shell.db.profiles.list()}
    assert names == set(DEMO_PROFILE_NAMES)
    demo = shell.db.profiles.by_name(DEMO_PROFILE_NAME)
    assert demo is not None
    assert shell.secrets.get(demo.id) == DEMO_TOKEN
    assert demo.base_url.startswith("http://127.0.0.1:")
    assert window.pages.currentIndex() == 1
    assert window.current_session() is not None
    assert window.status_panel.profile_label.text() == DEMO_PROFILE_NAME


def test_demo_flow_streams_renders_and_follow_up_keeps_conversation(
    shell: Shell, qtbot: QtBot
) -> None:
    profile = shell.add_profile("Weather", DEMO_BOT_ID)
    session_id = shell.start_chat(profile)
    composer = shell.window.composer
    composer.edit.setPlainText("北京今天天气怎么样？")
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as first:
        qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    result = first.args[0]
    assert result.error is None
    assert result.message.status == "complete"
    assert "北京" in result.message.content
    assert result.message.follow_ups
    assert composer.text() == ""
    row = answer_row(shell, result.message.id)
    assert "北京" in row.body.text
    chips = row.parts["follow_ups"].chips  # type: ignore[attr-defined]
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as second:
        chips[0].click()
    assert second.args[0].error is None
    first_conversation = result.conversation_id
    assert first_conversation
    assert second.args[0].conversation_id == first_conversation
    requests = chat_requests(shell.sim)
    assert "conversation_id" not in requests[0].query
    assert requests[1].query["conversation_id"] == first_conversation
    session = shell.db.sessions.get(session_id)
    assert session is not None
    assert session.conversation_id == first_conversation
    assert session.title.startswith("北京今天天气")
    assert shell.window.sidebar.session_list.count() == 1
    assert shell.window.status_panel.state == "idle"


def test_stop_mid_stream_keeps_partial_answer_and_cancels(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Slow", SLOW_BOT_ID))
    window, controller = shell.window, shell.controller
    seen: list[TurnUpdated] = []
    controller.turn_updated.connect(seen.append)
    window.composer.edit.setPlainText("Tell me a long story")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(u.message.content for u in seen), timeout=10_000)
    assert window.status_panel.state == "streaming"
    assert not window.composer.send_button.isEnabled()
    assert "Stop" in window.composer.send_button.toolTip()
    assert window.composer.stop_button.isEnabled()
    with qtbot.waitSignal(controller.turn_finished, timeout=10_000) as done:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    message = done.args[0].message
    assert message.status == "stopped"
    assert message.content
    assert any(r.path == "/v3/chat/cancel" for r in shell.sim.requests)
    assert answer_row(shell, message.id).footer.badge.text() == "Stopped"
    stored = shell.db.messages.get(message.id)
    assert stored is not None
    assert stored.status == "stopped"
    assert stored.content == message.content
    assert not window.composer.busy
    assert window.status_panel.state == "idle"


def test_sending_while_streaming_is_prevented(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Slow", SLOW_BOT_ID))
    window = shell.window
    window.composer.edit.setPlainText("first")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.status_panel.state == "streaming", timeout=5_000)
    window.composer.edit.setPlainText("second")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    assert window.composer.text() == "second"  # kept, not sent
    assert shell.controller.send(session_id, "again") == "busy"
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000):
        window.composer.stop_button.click()
    assert len(chat_requests(shell.sim)) == 1


def test_auth_failure_shows_error_bubble_with_diagnosis(shell: Shell) -> None:
    shell.start_chat(shell.add_profile("Wrong", DEMO_BOT_ID, token="pat_wrong_token_for_the_test"))
    result = shell.send("hello")
    assert result.error is not None
    assert result.error.code == 4100
    assert result.message.status == "failed"
    panel = answer_row(shell, result.message.id).parts["error"]
    assert "token" in panel.title.text().lower()  # type: ignore[attr-defined]
    assert "4100" in panel.details.text()  # type: ignore[attr-defined]
    assert shell.window.status_panel.state == "error"


def test_retry_after_error_sends_the_question_again(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID, token="pat_wrong_token_for_the_test")
    session_id = shell.start_chat(profile)
    failed = shell.send("ping")
    shell.secrets.set(profile.id, DEMO_TOKEN)
    panel = answer_row(shell, failed.message.id).parts["error"]
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as retried:
        panel.retry_button.click()  # type: ignore[attr-defined]
    assert retried.args[0].error is None
    assert "ping" in retried.args[0].message.content
    kinds = [(m.kind, m.status) for m in shell.db.messages.list(session_id)]
    assert kinds == [("question", "complete"), ("answer", "complete")]


def test_no_token_shows_a_notice(shell: Shell) -> None:
    shell.start_chat(shell.add_profile("No token", ECHO_BOT_ID, token=None))
    shell.window.composer.edit.setPlainText("hi")
    shell.window.composer.send_button.click()
    assert shell.window.chat_view._notices  # a warning row was added
    assert "No token" in shell.window.chat_view._notices[-1].label.text()


def test_enter_sends_but_shift_enter_and_ime_composition_do_not(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    edit = shell.window.composer.edit
    sent: list[object] = []
    shell.window.composer.send_requested.connect(sent.append)
    edit.setPlainText("line one")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert sent == []
    assert "\n" in edit.toPlainText()
    QApplication.sendEvent(edit, QInputMethodEvent("ni", []))
    assert edit.composing
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert sent == []
    QApplication.sendEvent(edit, _commit("你"))
    assert not edit.composing
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000):
        qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert len(sent) == 1


def _commit(text: str) -> QInputMethodEvent:
    event = QInputMethodEvent()
    event.setCommitString(text)
    return event


def test_restart_shows_history_and_interrupted_answer(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    session_id = shell.start_chat(profile)
    shell.send("remember me")
    crashed = shell.db.messages.add(session_id=session_id, role="assistant", kind="answer",
                                     content="half an ans", status="streaming")  # fmt: skip
    shell.close()
    db = Database.open(paths.db_path())
    assert db.interrupted_at_open == 1
    again = make_shell(qtbot, shell.sim, db=db, secrets=shell.secrets)
    try:
        assert again.window.session_id == session_id
        assert again.window.sidebar.session_list.count() == 1
        assert again.window.chat_view.message_count() == 3
        row = again.window.chat_view.row_for(crashed.id)
        assert isinstance(row, AnswerWidget)
        assert row.footer.badge.text() == "Interrupted"
        assert row.body.text == "half an ans"
    finally:
        again.close()


def test_the_open_chat_is_filled_after_the_first_frame(shell: Shell, qtbot: QtBot) -> None:
    """Restarted without its backend (as ``desktop.app`` shows it), the window selects the last
    session and shows its messages once the backend is attached, right after the first frame;
    a long session list is filled a screenful first, the rest once the list has been painted."""
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    first = shell.start_chat(profile)
    shell.send("remember me")
    for i in range(60):
        shell.db.sessions.create(profile.id, f"later {i}")
    shell.window.services.remember(last_session_id=first)
    backend = shell.services.backend
    assert backend is not None
    shell.window.services.backend = None
    window = MainWindow(shell.window.services)
    qtbot.addWidget(window)
    assert window.session_id == first
    assert window.chat_view.message_count() == 0  # not before the first frame
    assert window.sidebar.session_list.count() == FIRST_ROWS
    run_queued(qtbot)
    assert window.sidebar.session_list.count() == FIRST_ROWS  # not before the first paint
    window.show()
    qtbot.waitUntil(lambda: window.sidebar.session_list.count() == 61)
    assert window.sidebar.current_session_id() == first  # the oldest: among the late rows
    window.attach(backend)
    assert window.chat_view.message_count() == 2
    window.services.backend = backend
    window.close()


def test_history_loads_lazily(shell: Shell) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    session = shell.db.sessions.create(profile.id, "big")
    for i in range(300):
        shell.db.messages.add(session_id=session.id, role="user", kind="question", content=f"q{i}")
    shell.window.refresh_sessions()
    shell.window.open_session(session.id)
    assert shell.window.chat_view.message_count() == 50


def test_sessions_filter_search_rename_and_delete(shell: Shell, qtbot: QtBot) -> None:
    a = shell.add_profile("Alpha", ECHO_BOT_ID)
    b = shell.add_profile("Beta", ECHO_BOT_ID)
    shell.start_chat(a)
    shell.send("apples and pears")
    shell.window.new_session(b.id)
    shell.send("bananas")
    sidebar = shell.window.sidebar
    assert sidebar.session_list.count() == 2
    sidebar.select_profile(a.id)
    assert sidebar.session_list.count() == 1
    sidebar.select_profile("")
    qtbot.keyClick(shell.window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.search.hasFocus()
    sidebar.search.setText("pears")
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 1, timeout=3_000)
    session_id = sidebar.session_list.item(0).data(Qt.ItemDataRole.UserRole)
    sidebar.search.setText("")
    qtbot.waitUntil(lambda: sidebar.session_list.count() == 2, timeout=3_000)
    shell.window.dialogs.delete_session(session_id)
    assert shell.db.sessions.get(session_id) is None
    assert sidebar.session_list.count() == 1


def test_delete_asks_for_confirmation_without_blocking(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    session_id = shell.window.session_id
    shell.window.dialogs.confirm_delete(session_id)
    box = shell.window.findChild(QMessageBox, "confirmDeleteSession")
    assert box is not None
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: shell.db.sessions.get(session_id) is None, timeout=3_000)  # type: ignore[arg-type]


def test_clear_context_calls_the_api_and_shows_a_divider(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    first = shell.send("hello")
    shell.window.header.clear_button.click()
    box = shell.window.findChild(QMessageBox, "confirmClearContext")
    assert box is not None
    with qtbot.waitSignal(shell.controller.context_cleared, timeout=5_000) as cleared:
        box.button(QMessageBox.StandardButton.Yes).click()
    assert cleared.args[0].error is None
    assert cleared.args[0].divider is not None
    paths_seen = [r.path for r in shell.sim.requests]
    assert f"/v1/conversations/{first.conversation_id}/clear" in paths_seen
    kinds = [m.kind for m in shell.db.messages.list(session_id)]
    assert kinds[-1] == "divider"
    assert shell.window.chat_view.row_for(cleared.args[0].divider.id) is not None


def test_non_streaming_profile_shows_typing_then_answer(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Poll", ECHO_BOT_ID, stream=False))
    updates: list[TurnUpdated] = []
    states: list[str] = []
    shell.controller.turn_updated.connect(updates.append)
    shell.controller.state_changed.connect(lambda event: states.append(event.state))
    result = shell.send("polling please")
    assert result.error is None
    assert "polling please" in result.message.content
    assert any(u.message.status == "streaming" and not u.message.content for u in updates)
    assert chat_requests(shell.sim)[0].json.get("stream") is False
    assert "waiting" in states  # the status bar says it waits for the answer, not "Streaming"
    assert "streaming" not in states


def test_regenerate_replaces_the_last_answer(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    first = shell.send("once")
    bar = answer_row(shell, first.message.id).action_bar
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as again:
        bar.regenerate_button.click()
    assert again.args[0].message.id != first.message.id
    assert [m.content for m in shell.db.messages.list(session_id) if m.kind == "question"] == [
        "once"
    ]


def test_edit_and_resend_last_question(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.send("typo questoin")
    question = next(m for m in shell.db.messages.list(session_id) if m.kind == "question")
    row = shell.window.chat_view.row_for(question.id)
    assert row is not None
    row.action_bar.edit_button.click()  # type: ignore[attr-defined]
    assert shell.window.composer.text() == "typo questoin"
    shell.window.composer.edit.setPlainText("fixed question")
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000):
        qtbot.keyClick(shell.window.composer.edit, Qt.Key.Key_Return)
    contents = [m.content for m in shell.db.messages.list(session_id) if m.kind == "question"]
    assert contents == ["fixed question"]


def test_keyboard_shortcuts(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    shell.start_chat(profile)
    shell.send("not empty any more")
    before = shell.window.session_id
    qtbot.keyClick(shell.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert shell.window.session_id != before
    shell.window.sidebar.search.setFocus()
    qtbot.keyClick(shell.window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shell.window.composer.edit.hasFocus()
    actions = shell.window.actions_
    bound = {action.shortcut().toString(): action for action in (
        actions.new_session, actions.find, actions.focus_composer, actions.stop, actions.settings,
        actions.rename_session, actions.quit, actions.regenerate)}  # fmt: skip
    quit_key = "" if sys.platform == "win32" else "Ctrl+Q"  # as Qt's StandardKey.Quit
    assert list(bound) == ["Ctrl+N", "Ctrl+F", "Ctrl+L", "Esc", "Ctrl+,", "F2", quit_key, "Ctrl+R"]
    assert all(a.shortcutContext() == Qt.ShortcutContext.WindowShortcut for a in bound.values())


@pytest.mark.expect_log("desktop.secrets")
def test_keyring_missing_shows_session_only_banner(
    qtbot: QtBot, qloop: Any, sim: Simulator
) -> None:
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    built = make_shell(qtbot, sim)
    try:
        assert not built.secrets.persistent
        assert not built.window.banner.isVisible()  # the welcome page: no token to warn about
        dialog = built.window.dialogs.open_profiles(add=True)
        assert dialog.banner.isVisible()  # where a token is typed in
        dialog.close()
        built.add_profile("Echo", ECHO_BOT_ID)
        assert built.window.banner.isVisible()
        assert "session only" in built.window.banner.text()
    finally:
        built.close()


def test_window_geometry_is_saved(shell: Shell) -> None:
    shell.window.resize(1000, 700)
    shell.window.save_state()
    text = (paths.config_dir() / "ui-state.ini").read_text()
    assert "geometry" in text
    assert "splitter" in text


def test_a_narrow_window_hides_the_sidebar_and_the_header_brings_it_back(
    shell: Shell, qtbot: QtBot
) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    window = shell.window
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())
    assert window.header.sidebar_button is None  # made when first needed
    wide = window.chat_view.width()
    window.sidebar.search.setFocus()
    window.resize(640, 600)  # the chat would be ~370 px wide beside it
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())
    assert not window.actions_.show_sidebar.isChecked()
    button = window.header.sidebar_button
    assert button is not None
    assert button.isVisible()
    assert button.accessibleName() == "Show the sidebar"
    qtbot.waitUntil(lambda: window.composer.edit.hasFocus())  # not left on a hidden field
    qtbot.waitUntil(lambda: window.chat_view.width() > 600)  # the whole width
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the user wants it, narrow or not
    assert window.sidebar.isVisible()
    assert window.actions_.show_sidebar.isChecked()
    assert not button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.sidebar.isVisible()  # hidden again to make room, not for good:
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())  # back as the window widens
    qtbot.waitUntil(lambda: window.chat_view.width() == wide)
    window.resize(640, 600)
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())  # narrowed again: steps aside
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())


def test_a_network_log_docked_beside_the_chat_narrows_it_too(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    window = shell.window
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())
    dock = window.log.make_dock()
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.show()
    window.resizeDocks([dock], [455], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: window.splitter.width() < NARROW_PX)
    qtbot.waitUntil(lambda: not window.sidebar.isVisible())
    assert window.width() >= 1000  # the window is as wide as before: the room beside the log
    dock.hide()
    qtbot.waitUntil(lambda: window.sidebar.isVisible())


def test_view_sidebar_hides_it_in_any_width_and_it_stays_hidden_after_a_restart(
    shell: Shell, qtbot: QtBot, sim: Simulator
) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    window = shell.window
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert not window.sidebar.isVisible()
    assert not window.actions_.show_sidebar.isChecked()
    window.resize(640, 600)
    qtbot.waitUntil(lambda: window.splitter.width() < NARROW_PX)
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: window.chat_view.width() > 900)
    assert not window.sidebar.isVisible()  # widening does not overrule the user
    window.save_state()
    restarted = make_shell(qtbot, sim, db=shell.db, secrets=shell.secrets)
    try:
        assert not restarted.window.sidebar.isVisibleTo(restarted.window)
        restarted.window.actions_.find.trigger()  # Ctrl+F: searching needs the sidebar
        assert restarted.window.sidebar.isVisible()
        assert restarted.window.focusWidget() is restarted.window.sidebar.search
        assert restarted.window.actions_.show_sidebar.isChecked()
    finally:  # (the database is the first shell's: it closes it)
        restarted.window.close()
        restarted.run_async(restarted.controller.shutdown())
        restarted.demo.stop()


def test_status_bar_shows_profile_and_region(shell: Shell) -> None:
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    panel = shell.window.status_panel
    assert panel.profile_label.text() == "Echo"
    assert "127.0.0.1" in panel.region_label.text()
    assert panel.state_label.text() == "Idle"


def test_the_session_list_scroll_bar_is_styled(shell: Shell, qtbot: QtBot) -> None:
    """A long session list shows the thin themed scroll bar, not an unpainted (black) groove."""
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    for i in range(60):
        shell.db.sessions.create(profile.id, f"chat {i}")
    shell.window.refresh_sessions()
    qtbot.waitUntil(lambda: shell.window.sidebar.session_list.count() == 60)
    bar = shell.window.sidebar.session_list.verticalScrollBar()
    qtbot.waitUntil(bar.isVisible)
    assert bar.width() <= 12  # the sheet's 10 px, not the style's default
    image = shell.window.grab().toImage()
    groove = bar.mapTo(shell.window, bar.rect().bottomLeft()) + QPoint(bar.width() // 2, -20)
    colour = image.pixelColor(groove)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    assert abs(colour.lightness() - window.lightness()) < 12


def test_the_composer_has_the_focus_after_start_session_click_and_dialogs(
    shell: Shell, qtbot: QtBot
) -> None:
    """A returning start must not leave the focus on the bot picker (the first keys typed would
    pick a bot); picking a chat with the mouse and closing a dialog give it back too."""
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    first = shell.start_chat(profile)
    shell.send("one")
    shell.start_chat(profile)
    shell.send("two")
    backend = shell.services.backend
    assert backend is not None
    shell.services.backend = None
    again = MainWindow(shell.services)  # as desktop.app builds it: backend after the first frame
    qtbot.addWidget(again)
    again.show()
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    again.attach(backend)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.composer.edit)
    again.sidebar.profile_selector.setFocus()
    row = next(i for i in range(again.sidebar.session_list.count())
               if again.sidebar.session_list.item(i).data(ID_ROLE) == first)  # fmt: skip
    item = again.sidebar.session_list.item(row)
    rect = again.sidebar.session_list.visualItemRect(item)
    qtbot.mouseClick(again.sidebar.session_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())  # fmt: skip
    qtbot.waitUntil(lambda: again.session_id == first)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.composer.edit)
    again.sidebar.profile_selector.setFocus()
    dialog = again.dialogs.open_profiles()
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.composer.edit)
    again.close()
    shell.services.backend = backend


def test_profiles_open_on_the_current_bot_and_about_names_version_and_data(
    shell: Shell, qtbot: QtBot
) -> None:
    shell.add_profile("Alpha", ECHO_BOT_ID)
    beta = shell.add_profile("Beta", ECHO_BOT_ID)
    shell.start_chat(beta)
    dialog = shell.window.dialogs.open_profiles()
    assert dialog.list.currentItem() is not None
    assert dialog.list.currentItem().text() == "Beta"  # not the first profile in the list
    dialog.reject()
    shell.window.dialogs.about()
    box = shell.window.dialogs._open["about"]
    assert isinstance(box, QMessageBox)
    facts = box.informativeText()
    assert desktop.__version__ in facts
    assert str(paths.db_path()) in facts
    assert str(paths.log_dir()) in facts
    box.close()


def test_the_first_window_fits_the_screen(shell: Shell, qtbot: QtBot) -> None:
    """The offscreen screen is 800x600: the default 1200x800 would not fit (as on a 2x screen)."""
    free = QApplication.primaryScreen().availableGeometry()
    assert free.width() < 1200 or free.height() < 800  # the case under test
    window = MainWindow(shell.services)
    qtbot.addWidget(window)
    assert window.width() <= free.width()
    assert window.height() <= free.height()
    assert window.width() >= int(free.width() * 0.9)  # still uses the room it has


def test_next_and_previous_chat_and_the_shortcut_list(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    ids = []
    for text in ("oldest", "middle", "newest"):
        ids.append(shell.start_chat(profile))
        shell.send(text)
    window = shell.window
    window.open_session(ids[2])  # the newest, at the top of the list
    window.sidebar.select_session(ids[2])
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.session_id == ids[1])
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.session_id == ids[0])
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.session_id == ids[0]  # the end of the list: stays
    qtbot.keyClick(window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.session_id == ids[1])
    window.actions_.shortcuts.trigger()
    box = window.findChild(QMessageBox, "shortcutsDialog")
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    listed = box.text()
    for what in ("Next chat", "Previous chat", "New chat", "Network log", "Send the message"):
        assert what in listed
    assert "Ctrl+PgDown" in listed or "Ctrl+Page Down" in listed
    box.close()


def test_the_unsent_draft_survives_a_restart_per_chat(
    shell: Shell, qtbot: QtBot, sim: Simulator
) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    first = shell.start_chat(profile)
    shell.window.composer.edit.insertPlainText("half a question")
    # saved while typing, without closing anything: a crash now keeps it
    qtbot.waitUntil(lambda: shell.db.sessions.draft(first) == "half a question", timeout=3000)
    second = shell.db.sessions.create(profile.id).id
    shell.window.open_session(second)
    assert shell.window.composer.text() == ""
    shell.window.composer.edit.insertPlainText("another draft")
    shell.window.open_session(first)
    assert shell.window.composer.text() == "half a question"
    assert shell.db.sessions.draft(second) == "another draft"
    settings = shell.services.settings
    restarted = make_shell(qtbot, sim, db=shell.db, secrets=shell.secrets, settings=settings)
    assert restarted.window.session_id == first
    assert restarted.window.composer.text() == "half a question"
    restarted.window.open_session(second)
    assert restarted.window.composer.text() == "another draft"
    restarted.window.close()
    restarted.run_async(restarted.controller.shutdown())
    restarted.demo.stop()


def test_a_sent_question_is_no_longer_a_draft(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", ECHO_BOT_ID)
    session_id = shell.start_chat(profile)
    shell.window.composer.edit.insertPlainText("hello")
    qtbot.waitUntil(lambda: shell.db.sessions.draft(session_id) == "hello", timeout=3000)
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000):
        shell.window.composer.send_button.click()
    assert shell.db.sessions.draft(session_id) == ""


def test_the_bot_face_is_shown_and_cached_for_an_offline_start(
    shell: Shell, qtbot: QtBot, sim: Simulator
) -> None:
    with qtbot.waitSignal(shell.controller.bot_info_changed, timeout=10_000):
        profile = shell.add_profile("my weather profile", DEMO_BOT_ID)
    shell.start_chat(profile)
    window = shell.window
    assert window.header.subtitle.full_text() == "天气助手 Weather Demo"
    assert window.header.avatar.isVisible()
    empty = window.chat_view.empty_state()
    assert empty.title.text() == "天气助手 Weather Demo"
    assert empty.prologue.isVisible()
    assert empty.prologue.text().startswith("你好！我可以帮你查询天气。")
    assert empty.avatar.isVisible()
    assert [chip.text() for chip in empty.chips] == [
        "北京今天天气怎么样？", "上海明天会下雨吗？", "What's the weather in Shenzhen?"]  # fmt: skip
    # the next start, offline (no backend yet): the cached face at once, before any network
    services = copy.copy(shell.services)
    services.backend = None
    offline = MainWindow(services)
    qtbot.addWidget(offline)
    assert offline.header.subtitle.full_text() == "天气助手 Weather Demo"
    assert not offline.header.avatar.pixmap().isNull()
    combo = offline.sidebar.profile_selector
    assert not combo.itemIcon(combo.findData(profile.id)).isNull()
    offline.show_history()
    assert offline.chat_view.empty_state().prologue.text().startswith("你好！")
    offline.close()


def test_an_unpublished_bot_falls_back_to_the_profile_name_without_a_dialog(
    shell: Shell, qtbot: QtBot
) -> None:
    from desktop.simulator.bots import FAULT_NOT_PUBLISHED_BOT_ID

    with qtbot.waitSignal(shell.controller.bot_info_changed, timeout=10_000) as blocker:
        profile = shell.add_profile("Unpublished", FAULT_NOT_PUBLISHED_BOT_ID)
    assert "not published" in blocker.args[0].error
    shell.start_chat(profile)
    assert shell.window.header.subtitle.text() == "Unpublished"
    assert "not published" in shell.window.header.subtitle.toolTip()
    assert not shell.window.header.avatar.isVisible()
    assert not shell.window.findChildren(QMessageBox)


def test_a_start_asks_for_each_bot_once(qtbot: QtBot, qloop: object, sim: Simulator) -> None:
    from desktop.secrets import open_secret_store
    from desktop.storage import Profile

    db = Database.open(paths.db_path())
    secrets = open_secret_store()
    for name, bot_id in (("Weather", DEMO_BOT_ID), ("Echo", ECHO_BOT_ID)):
        profile = db.profiles.add(Profile(name=name, region="custom", base_url=sim.base_url,
                                          bot_id=bot_id, user_id="u"))  # fmt: skip
        secrets.set(profile.id, DEMO_TOKEN)
    sim.clear_requests()
    cards: list[object] = []
    started = make_shell(qtbot, sim, db=db, secrets=secrets)  # refresh_profiles, then attach
    try:
        started.controller.bot_info_changed.connect(cards.append)
        started.window.refresh_profiles()  # a later refresh: the faces are known, no request
        qtbot.waitUntil(lambda: len(cards) >= 2 and not started.controller._face_tasks,
                        timeout=10_000)  # fmt: skip
        assert len(cards) == 2
        paths_asked = sorted(r.path for r in sim.requests if r.path.startswith("/v1/bots/"))
        assert paths_asked == sorted([f"/v1/bots/{DEMO_BOT_ID}", f"/v1/bots/{ECHO_BOT_ID}"])
    finally:
        started.close()
