"""The current bot and the chat list: the bot picker stays in step with the open chat, untouched
"New chat" rows do not pile up, "Clear context" is offered only when there is something to clear
and asks first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.app import demo_start_settings
from desktop.demo import DEMO_PROFILE_NAME, WRONG_TOKEN, WRONG_TOKEN_PROFILE_NAME
from desktop.settings import Settings
from desktop.simulator import ECHO_BOT_ID, Simulator
from desktop.ui.kit.intents import SendIntent
from tests.ui.harness import Shell, make_shell

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.storage import Profile


def restart(shell: Shell, settings: Settings) -> Shell:
    return make_shell(shell.qtbot, shell.sim, db=shell.db, secrets=shell.secrets, settings=settings)


def stop(shell: Shell) -> None:
    shell.window.close()
    shell.run_async(shell.controller.shutdown())
    shell.demo.stop()


def listed_ids(shell: Shell) -> list[int]:
    items = shell.window.sidebar.session_list
    return [int(items.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(items.count())]


def two_bots(shell: Shell) -> tuple[Profile, Profile]:
    return shell.add_profile("Alpha", ECHO_BOT_ID), shell.add_profile("Beta", ECHO_BOT_ID)


def test_a_restart_shows_the_open_chats_bot_and_new_chat_uses_it(shell: Shell) -> None:
    alpha, beta = two_bots(shell)
    shell.start_chat(beta)
    beta_chat = shell.send("hello beta").session_id
    settings = Settings(language="en", last_profile_id=alpha.id, last_session_id=beta_chat)
    again = restart(shell, settings)
    try:
        window = again.window
        assert window.session_id == beta_chat
        assert window.sidebar.current_profile_id() == beta.id  # not the stale "Alpha"
        assert beta_chat in listed_ids(again)
        assert again.services.settings.last_profile_id == beta.id
        session = window.new_session("")  # Ctrl+N
        assert session is not None
        assert session.profile_id == beta.id
    finally:
        stop(again)


def test_opening_another_bots_chat_moves_the_picker(shell: Shell) -> None:
    alpha, beta = two_bots(shell)
    shell.start_chat(alpha)
    shell.send("to alpha")
    shell.start_chat(beta)
    beta_chat = shell.send("to beta").session_id
    sidebar = shell.window.sidebar
    sidebar.select_profile(alpha.id)
    assert shell.window.current_session().profile_id == alpha.id  # type: ignore[union-attr]
    shell.window.open_session(beta_chat)  # e.g. from the network log
    assert sidebar.current_profile_id() == beta.id
    assert beta_chat in listed_ids(shell)


def test_all_bots_is_remembered_and_kept_by_the_demo(shell: Shell, qtbot: QtBot) -> None:
    alpha, _beta = two_bots(shell)
    shell.start_chat(alpha)
    shell.send("hi")
    shell.window.sidebar.select_profile(alpha.id)
    shell.window.sidebar.select_profile("")
    settings = shell.services.settings
    assert settings.last_profile_id == ""
    again = restart(shell, settings)
    try:
        assert again.window.sidebar.current_profile_id() == ""
    finally:
        stop(again)
    demo = shell.demo.ensure_profiles()
    demo_chat = shell.db.sessions.create(demo.id, "weather")
    remembered = Settings(last_profile_id="", last_session_id=demo_chat.id)
    assert demo_start_settings(shell.db, remembered, demo) == remembered  # "All bots" kept
    elsewhere = Settings(last_profile_id="", last_session_id=shell.window.session_id)
    moved = demo_start_settings(shell.db, elsewhere, demo)
    assert (moved.last_profile_id, moved.last_session_id) == (demo.id, None)
    assert demo.name == DEMO_PROFILE_NAME


def test_untouched_new_chats_do_not_pile_up(shell: Shell) -> None:
    alpha, beta = two_bots(shell)
    shell.start_chat(alpha)
    kept = shell.send("a real chat").session_id
    window = shell.window
    for _ in range(3):
        empty = window.new_session(alpha.id)
        assert empty is not None
        window.open_session(kept)  # left without a word: gone
        assert shell.db.sessions.get(empty.id) is None
    assert listed_ids(shell) == [kept]
    first = window.new_session(beta.id)
    window.sidebar.select_profile("")
    second = window.new_session(beta.id)
    assert first is not None
    assert second is not None
    assert second.id == first.id  # the bot's untouched chat is reused
    window.composer.edit.insertPlainText("half a thought")
    window.open_session(kept)
    assert shell.db.sessions.get(first.id) is not None  # a draft is kept, and so is its chat


def test_old_empty_chats_are_cleared_at_start(shell: Shell) -> None:
    alpha, _beta = two_bots(shell)
    for _ in range(4):
        shell.db.sessions.create(alpha.id)
    titled = shell.db.sessions.create(alpha.id, "named by the user")
    again = restart(shell, Settings(language="en"))
    try:
        assert listed_ids(again) == [titled.id]
    finally:
        stop(again)


def test_the_empty_list_says_the_new_chat_is_not_saved_yet(shell: Shell) -> None:
    alpha, beta = two_bots(shell)
    shell.start_chat(alpha)
    shell.send("hi")
    sidebar = shell.window.sidebar
    sidebar.select_profile(beta.id)
    assert shell.window.session_id is None
    assert sidebar.empty_label.isVisibleTo(sidebar)
    assert "first message" in sidebar.empty_label.text()
    assert "No chats yet" not in sidebar.empty_label.text()  # a new chat is shown next to it
    sidebar.select_profile(alpha.id)
    assert not sidebar.empty_label.isVisibleTo(sidebar)


def test_clear_context_is_offered_only_with_a_context_and_asks_first(
    shell: Shell, qtbot: QtBot
) -> None:
    window = shell.window
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    assert not window.header.clear_button.isEnabled()
    assert not window.actions_.clear_context.isEnabled()
    shell.send("hello")
    assert window.header.clear_button.isEnabled()
    window.header.clear_button.click()
    box = window.findChild(QMessageBox, "confirmClearContext")
    assert box is not None
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert not any(r.path.endswith("/clear") for r in shell.sim.requests)
    window.actions_.clear_context.trigger()
    box = window.findChild(QMessageBox, "confirmClearContext")
    assert box is not None
    with qtbot.waitSignal(shell.controller.context_cleared, timeout=5_000):
        box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.header.clear_button.isEnabled(), timeout=3_000)
    assert not window.actions_.clear_context.isEnabled()  # nothing left to clear


def test_copies_of_the_demo_bot_follow_the_simulator_across_a_restart(
    shell: Shell, qtbot: QtBot
) -> None:
    import dataclasses

    from desktop.demo import DemoEnvironment
    from desktop.secrets import MemorySecretStore
    from desktop.simulator import DEMO_TOKEN
    from desktop.storage import Profile as StoredProfile

    demo = shell.demo.ensure_profiles()
    copy = shell.db.profiles.add(dataclasses.replace(demo, id=StoredProfile().id, name="Mine"))
    wrong = shell.db.profiles.by_name(WRONG_TOKEN_PROFILE_NAME)
    assert wrong is not None
    wrong_copy = shell.db.profiles.add(
        dataclasses.replace(wrong, id=StoredProfile().id, name=f"{WRONG_TOKEN_PROFILE_NAME} (2)")
    )
    elsewhere = shell.add_profile("Other loopback", ECHO_BOT_ID)  # not a copy: left alone
    shell.demo.stop()
    no_keyring = MemorySecretStore(persistent=False)  # tokens of the last run are gone
    restarted = DemoEnvironment(shell.db, no_keyring, lambda: Simulator(delay_scale=0))
    try:
        assert restarted.refresh_if_present()
        moved = shell.db.profiles.get(copy.id)
        assert moved is not None
        assert moved.base_url == restarted.base_url != demo.base_url
        assert no_keyring.get(copy.id) == DEMO_TOKEN
        assert no_keyring.get(wrong_copy.id) == WRONG_TOKEN  # still the wrong one, on purpose
        assert shell.db.profiles.get(wrong_copy.id).base_url == restarted.base_url  # type: ignore[union-attr]
        assert shell.db.profiles.get(elsewhere.id).base_url == elsewhere.base_url  # type: ignore[union-attr]
    finally:
        restarted.stop()


def test_the_no_token_notice_opens_the_profile(shell: Shell, qtbot: QtBot) -> None:
    from desktop.ui.profiles.dialog import ProfileDialog

    profile = shell.add_profile("Tokenless", ECHO_BOT_ID, token=None)
    shell.start_chat(profile)
    shell.window.chat.send(SendIntent("hello"))
    notices = shell.window.chat_view._notices
    assert notices
    assert "No token" in notices[-1].label.text()
    button = notices[-1].action_button
    assert button is not None
    button.click()
    dialog = shell.window.findChild(ProfileDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=3_000)
    assert dialog._current is not None
    assert dialog._current.id == profile.id
    dialog.reject()


def test_open_in_log_finds_a_request_of_an_earlier_run(shell: Shell, tmp_path: Any) -> None:
    from desktop.core.log_history import LogHistory
    from desktop.netlog import NetLog

    path = tmp_path / "netlog.jsonl"
    earlier = NetLog()
    LogHistory(path).attach(earlier)
    ex = earlier.begin("POST", shell.sim.base_url + "/v3/chat", {}, "{}")
    earlier.response(ex, 401, {"X-Tt-Logid": "log-of-yesterday"})
    earlier.finish(ex)
    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.send("today")  # this run's request is in the dock already
    netlog = shell.services.netlog
    window = shell.window
    assert not window.show_in_log(log_id="log-of-yesterday")
    assert LogHistory(path).restore_into(netlog) == 1
    assert window.show_in_log(log_id="log-of-yesterday")
    model = window.log.dock.model
    assert model.exchange(0) is netlog.exchanges()[0]  # the old one first, before today's
    assert model.rowCount() == len(netlog.exchanges())


def test_every_file_dialog_starts_in_the_last_folder_used(
    shell: Shell, qtbot: QtBot, tmp_path: Any
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from desktop.ui.kit import folders
    from desktop.ui.profiles.dialog import ProfileDialog

    shell.start_chat(shell.add_profile("Echo", ECHO_BOT_ID))
    shell.send("hi")
    picked = tmp_path / "exports"
    picked.mkdir()
    window = shell.window
    window.dialogs.export_session("md")
    export = window.findChild(QFileDialog)
    assert export is not None
    export.fileSelected.emit(str(picked / "chat.md"))  # as a click on Save does
    qtbot.waitUntil(lambda: (picked / "chat.md").exists(), timeout=3_000)
    export.reject()
    profiles = window.dialogs.open_profiles()
    assert isinstance(profiles, ProfileDialog)
    profiles._pick_export()
    picker = profiles._file_dialog
    assert picker is not None
    assert Path(picker.directory().absolutePath()) == picked  # the same folder, another kind
    picker.reject()
    profiles.reject()
    log_dialog = window.log.dock.exporter.ask(shell.services.netlog.exchanges(), "har")
    assert log_dialog is not None
    assert Path(log_dialog.directory().absolutePath()) == picked
    log_dialog.reject()
    folders.configure(shell.services.ui_state_path)  # as a restart reads the state file
    assert folders.start_folder() == picked


def test_the_pin_mark_is_drawn_not_an_emoji(shell: Shell, qtbot: QtBot) -> None:
    from desktop.ui.kit.intents import PinIntent
    from desktop.ui.sidebar.delegate import pin_path

    alpha, _beta = two_bots(shell)
    shell.start_chat(alpha)
    pinned = shell.send("pinned chat").session_id
    shell.window.new_session(alpha.id)
    shell.send("plain chat")
    shell.window.chat.pin_session(PinIntent(pinned, True))
    items = shell.window.sidebar.session_list
    assert items.item(0).text() == "pinned chat"  # no emoji in the text
    assert pin_path(0, 0, 12).boundingRect().height() >= 11
    image = items.viewport().grab().toImage()
    background = image.pixelColor(2, image.height() - 2)
    rows = [items.visualItemRect(items.item(i)) for i in range(2)]

    def inked_columns(row: Any) -> list[int]:
        y0, y1 = row.top() + 7, row.top() + row.height() // 2
        return [
            x
            for x in range(row.left() + 12, row.left() + 22)
            if any(image.pixelColor(x, y) != background for y in range(y0, y1))
        ]

    assert len(inked_columns(rows[0])) >= 5  # the pin, where the plain row's title starts
