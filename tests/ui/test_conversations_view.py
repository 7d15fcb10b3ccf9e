"""The "Conversations on Coze" view: the list with its "already here" marks, importing one
(its progress), Stop, and a failure that keeps what was imported — the real runner, the
simulator over loopback and a SQLite file."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtWidgets import QCheckBox, QMessageBox

from desktop.core.clients import ClientPool
from desktop.netlog import NetLog
from desktop.simulator import DEMO_TOKEN, Simulator, bots
from desktop.simulator.protocol import error
from desktop.storage import Database, Profile
from desktop.ui.bridge.conversation_sync import ConversationSync
from desktop.ui.conversations.view import ConversationsDialog
from desktop.ui.kit.conversation_ports import ImportDone
from desktop.ui.kit.intents import SessionIntent

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from tests.ui.harness import Shell


def spawn(coro: Any, _name: str) -> asyncio.Task[Any]:
    return asyncio.ensure_future(coro)


@pytest.fixture
def parts(
    qtbot: QtBot, qloop: object, sim: Simulator, db: Database
) -> tuple[ConversationsDialog, ConversationSync, Profile]:
    profile = db.profiles.add(Profile(name="Sim bot", region="custom", base_url=sim.base_url,
                                      bot_id=bots.ECHO_BOT_ID, user_id="u"))  # fmt: skip
    runs = ConversationSync(db, ClientPool(NetLog()), lambda _pid: DEMO_TOKEN, spawn)
    view = ConversationsDialog(profile, runs, lambda: "en")
    qtbot.addWidget(view)
    view.show()
    return view, runs, profile


def _texts(view: ConversationsDialog, column: int) -> list[str]:
    table = view.table
    return [table.topLevelItem(i).text(column) for i in range(table.topLevelItemCount())]  # type: ignore[union-attr]


def _listed(qtbot: QtBot, view: ConversationsDialog, rows: int) -> None:
    qtbot.waitUntil(
        lambda: view.table.topLevelItemCount() == rows and view.refresh_button.isEnabled()
    )


def test_lists_marks_imports_one_with_progress(
    qtbot: QtBot, parts: tuple[ConversationsDialog, ConversationSync, Profile], sim: Simulator,
    db: Database,
) -> None:  # fmt: skip
    view, runs, profile = parts
    big = sim.store.seed_history(bots.ECHO_BOT_ID, [(f"q{i}", f"a{i}") for i in range(40)],
                                 created_at=1_700_000_000)  # fmt: skip
    sim.store.seed_history(bots.ECHO_BOT_ID, [("hello there", "hi")], created_at=1_700_000_100)
    view.refresh()
    _listed(qtbot, view, 2)
    assert _texts(view, 0) == ["hello there", "q0"]
    assert _texts(view, 2) == ["on Coze only", "on Coze only"]
    assert "2 conversations on Coze, 0 already here" in view.status.text()
    assert not view.import_button.isEnabled()  # nothing selected yet

    progress: list[int] = []
    runs.progress.connect(lambda e: progress.append(e.progress.added))
    view.table.topLevelItem(1).setSelected(True)  # type: ignore[union-attr]
    assert view.import_button.isEnabled()
    with qtbot.waitSignal(runs.finished, timeout=10_000) as done:
        view.import_button.click()
        assert view.stop_button.isEnabled()
        assert not view.import_all_button.isEnabled()
    event = done.args[0]
    assert isinstance(event, ImportDone)
    assert event.added == 80
    assert len(progress) >= 2
    assert progress == sorted(progress)  # several pages, one progress step each
    _listed(qtbot, view, 2)
    assert _texts(view, 2) == ["on Coze only", "✓ here"]
    assert "Imported 80 new messages." in view.status.text()
    (session,) = db.sessions.list(profile.id)
    assert session.conversation_id == big.id
    assert db.messages.count(session.id) == 80

    opened: list[int] = []
    view.open_session_requested.connect(opened.append)
    view.table.itemDoubleClicked.emit(view.table.topLevelItem(1), 0)
    assert opened == [session.id]


def test_stop_and_failure_keep_what_was_imported(
    qtbot: QtBot, parts: tuple[ConversationsDialog, ConversationSync, Profile], sim: Simulator,
    db: Database,
) -> None:  # fmt: skip
    view, runs, profile = parts
    conv = sim.store.seed_history(bots.ECHO_BOT_ID, [(f"q{i}", f"a{i}") for i in range(40)])
    view.refresh()
    _listed(qtbot, view, 1)
    runs.progress.connect(lambda _e: view.stop_button.click())  # Stop after the first page
    with qtbot.waitSignal(runs.finished, timeout=10_000) as done:
        view.import_all_button.click()
    assert done.args[0].stopped
    kept = db.messages.count(db.sessions.list(profile.id)[0].id)
    assert 0 < kept < 80
    assert f"Stopped. The {kept} messages imported are kept." in view.status.text()
    _listed(qtbot, view, 1)
    runs.progress.disconnect()

    sim.store.fail_message_list(conv.id, after_pages=0, response=error(500, 5000, "boom"))
    with qtbot.waitSignal(runs.finished, timeout=20_000) as done:
        view.import_all_button.click()
    assert done.args[0].error is not None
    text = view.status.text()
    assert "The import stopped part-way" in text
    assert "5000" in text
    assert "The 0 messages imported are kept" in text
    assert db.messages.count(db.sessions.list(profile.id)[0].id) == kept


def _delete(shell: Shell, session_id: int, *, on_server: bool | None) -> None:
    shell.window.dialogs.confirm_delete(session_id)
    (box,) = [b for b in shell.window.findChildren(QMessageBox, "confirmDeleteSession")
              if b.isVisible()]  # fmt: skip
    check = box.findChild(QCheckBox, "deleteOnServer")
    if on_server is None:
        assert check is None
    else:
        assert check is not None
        assert not check.isChecked()  # off by default
        check.setChecked(on_server)
    box.button(QMessageBox.StandardButton.Yes).click()


def test_delete_offers_the_server_copy_off_by_default(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", bots.ECHO_BOT_ID)
    never_sent = shell.start_chat(profile)
    _delete(shell, never_sent, on_server=None)  # nothing on the server: nothing offered
    qtbot.waitUntil(lambda: shell.db.sessions.get(never_sent) is None)

    kept_id = shell.start_chat(profile)
    kept = shell.send("keep me on the server").conversation_id
    _delete(shell, kept_id, on_server=False)
    qtbot.waitUntil(lambda: shell.db.sessions.get(kept_id) is None)
    assert shell.sim.store.conversation(kept) is not None

    gone_id = shell.start_chat(profile)
    gone = shell.send("delete me everywhere").conversation_id
    runs = shell.controller.conversations
    with qtbot.waitSignal(runs.server_deleted, timeout=10_000) as done:
        _delete(shell, gone_id, on_server=True)
    assert done.args[0].error is None
    assert shell.db.sessions.get(gone_id) is None
    assert shell.sim.store.conversation(gone) is None
    assert "deleted on the Coze server too" in shell.window.statusBar().currentMessage()


def test_a_server_refusal_is_said_and_the_local_delete_happens(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Echo", bots.ECHO_BOT_ID))
    conversation = shell.send("hello").conversation_id
    shell.sim.store.delete_conversation(conversation)  # deleted elsewhere meanwhile
    with qtbot.waitSignal(shell.controller.conversations.server_deleted, timeout=10_000) as done:
        _delete(shell, session_id, on_server=True)
    assert done.args[0].error is not None
    assert shell.db.sessions.get(session_id) is None
    box = shell.window.findChild(QMessageBox, "serverDeleteRefused")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "kept its conversation" in box.text()
    assert "4200" in box.informativeText()


def test_sync_brings_what_was_added_elsewhere_into_the_open_chat(
    shell: Shell, qtbot: QtBot
) -> None:
    session_id = shell.start_chat(shell.add_profile("Echo", bots.ECHO_BOT_ID))
    assert not shell.window.actions_.sync_session.isEnabled()  # nothing on the server yet
    conversation = shell.send("asked here").conversation_id
    qtbot.waitUntil(shell.window.actions_.sync_session.isEnabled)
    conv = shell.sim.store.conversation(conversation)
    assert conv is not None
    shell.sim.store.add_turn(conv, "asked on the laptop", "answered on the laptop")
    with qtbot.waitSignal(shell.controller.conversations.finished, timeout=10_000) as done:
        shell.window.sidebar.sync_requested.emit(SessionIntent(session_id))
    assert done.args[0].added == 2
    contents = [m.content for m in shell.db.messages.list(session_id)]
    assert contents[-2:] == ["asked on the laptop", "answered on the laptop"]
    assert len(contents) == 4
    assert "2 new messages" in shell.window.statusBar().currentMessage()
    assert shell.window.chat_view.row_for(shell.db.messages.list(session_id)[-1].id) is not None


def test_the_menu_opens_the_view_for_the_active_profile(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Echo", bots.ECHO_BOT_ID)
    shell.start_chat(profile)
    shell.send("from this machine")
    shell.window.actions_.conversations.trigger()
    view = shell.window.findChild(ConversationsDialog, "conversationsDialog")
    assert view is not None
    assert view.profile.id == profile.id
    qtbot.waitUntil(lambda: view.table.topLevelItemCount() == 1 and view.refresh_button.isEnabled())
    assert _texts(view, 2) == ["✓ here"]
    assert _texts(view, 0) == ["from this machine"]
