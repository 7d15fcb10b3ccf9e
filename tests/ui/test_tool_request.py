"""A bot that waits for a client-side tool, in the window: the request card with an input,
Submit (through the controller, streaming the rest into the same answer, also after a restart),
Cancel, JSON validation, and a chat Coze no longer holds."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt

from desktop import paths
from desktop.simulator import TOOL_BOT_ID, Simulator
from desktop.storage import Database
from desktop.storage.parts import ToolRecord
from desktop.ui.chat.render.bubble import AnswerWidget
from desktop.ui.chat.render.tool_request import ToolRequestPanel
from tests.ui.harness import Shell, make_shell, open_profile_dialog

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


def request_panel(shell: Shell, message_id: int) -> ToolRequestPanel:
    row = shell.window.chat_view.row_for(message_id)
    assert isinstance(row, AnswerWidget)
    panel = row.parts.get("request")
    assert isinstance(panel, ToolRequestPanel)
    return panel


def submits(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.path == "/v3/chat/submit_tool_outputs"]


def test_waiting_answer_is_answered_after_a_restart(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Tools", TOOL_BOT_ID)
    session_id = shell.start_chat(profile)
    waiting = shell.send("what time is it?").message
    assert waiting.status == "requires_action"
    panel = request_panel(shell, waiting.id)
    assert panel.isVisible()
    [row] = panel.rows
    assert row.title.text() == "The bot is waiting for you: get_local_time"
    assert json.loads(row.arguments.text()) == {"timezone": "Asia/Shanghai"}
    answer = shell.window.chat_view.row_for(waiting.id)
    assert isinstance(answer, AnswerWidget)
    assert answer.footer.badge.text() == "Waiting for you"
    shell.close()

    db = Database.open(paths.db_path())
    again = make_shell(qtbot, shell.sim, db=db, secrets=shell.secrets)
    try:
        assert again.window.session_id == session_id
        panel = request_panel(again, waiting.id)
        assert panel.isVisible()
        [row] = panel.rows
        row.input.setPlainText('{"time": "10:30"')  # looks like JSON, is not
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
        assert panel.error.isVisible()
        assert "not valid" in panel.error.text()
        assert not submits(again.sim)
        row.input.setPlainText('{"time": "10:30"}')
        with qtbot.waitSignal(again.controller.turn_finished, timeout=15_000) as done:
            qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
        message = done.args[0].message
        assert message.id == waiting.id
        assert message.status == "complete"
        [sent] = submits(again.sim)
        assert sent.json["stream"] is True
        assert sent.json["tool_outputs"] == [
            {"tool_call_id": waiting.tools[0].call_id, "output": '{"time": "10:30"}'}
        ]
        answer = again.window.chat_view.row_for(waiting.id)
        assert isinstance(answer, AnswerWidget)
        qtbot.waitUntil(lambda: "10:30" in answer.body.text, timeout=5_000)
        assert not panel.isVisible()
        stored = db.messages.get(waiting.id)
        assert stored is not None
        assert stored.status == "complete"
    finally:
        again.close()


def test_cancel_stops_the_waiting_answer(shell: Shell, qtbot: QtBot) -> None:
    shell.start_chat(shell.add_profile("Tools", TOOL_BOT_ID))
    waiting = shell.send("time?").message
    panel = request_panel(shell, waiting.id)
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as done:
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert done.args[0].message.status == "stopped"
    assert any(r.path == "/v3/chat/cancel" for r in shell.sim.requests)
    assert not panel.isVisible()
    assert not submits(shell.sim)


@pytest.mark.parametrize("how", ["stop", "quit"])
def test_stop_while_the_results_are_submitted(shell: Shell, qtbot: QtBot, how: str) -> None:
    profile = shell.add_profile("Tools", TOOL_BOT_ID, custom_variables={"delay_ms": "50"})
    shell.start_chat(profile)
    waiting = shell.send("time?").message
    panel = request_panel(shell, waiting.id)
    [row] = panel.rows
    row.input.setPlainText("10:30")
    shell.sim.clear_requests()
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    answer = shell.window.chat_view.row_for(waiting.id)
    assert isinstance(answer, AnswerWidget)
    qtbot.waitUntil(lambda: "10:30" in answer.body.text, timeout=10_000)  # the answer streams
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as done:
        if how == "stop":
            qtbot.mouseClick(shell.window.composer.stop_button, Qt.MouseButton.LeftButton)
        else:  # the app quits: the controller's tasks are cancelled
            shell.run_async(shell.controller.shutdown())
    message = done.args[0].message
    assert message.status == "stopped"
    assert "10:30" in message.content  # the partial answer is kept
    qtbot.waitUntil(lambda: shell.sim.last_request("/v3/chat/cancel") is not None, timeout=5_000)
    cancel = shell.sim.last_request("/v3/chat/cancel")
    assert cancel is not None
    assert cancel.json["chat_id"] == waiting.chat_id
    stored = shell.db.messages.get(waiting.id)
    assert stored is not None
    assert stored.status == "stopped"


def test_a_chat_coze_no_longer_holds_says_so(shell: Shell, qtbot: QtBot) -> None:
    session_id = shell.start_chat(shell.add_profile("Tools", TOOL_BOT_ID))
    shell.db.sessions.set_conversation_id(session_id, "7480000000000123456")
    tool = ToolRecord("get_local_time", {"timezone": "UTC"}, None, "client", "call_gone")
    stale = shell.db.messages.add(session_id=session_id, role="assistant", kind="answer",
                                  status="requires_action", tools=[tool],
                                  chat_id="7480000000000999999")  # fmt: skip
    shell.window.open_session(session_id)
    panel = request_panel(shell, stale.id)
    panel.rows[0].input.setPlainText("12:00")
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=10_000) as done:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    event = done.args[0]
    assert event.message.status == "failed"
    assert event.error.diagnosis.key == "tool_call_expired"
    row = shell.window.chat_view.row_for(stale.id)
    assert isinstance(row, AnswerWidget)
    qtbot.waitUntil(lambda: "no longer waits" in row.parts["error"].title.text(), timeout=5_000)


def test_local_tool_is_offered_then_confirmed(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Local", TOOL_BOT_ID, local_tools={"get_local_time": "09:09"})
    shell.start_chat(profile)
    waiting = shell.send("time?").message
    assert waiting.status == "requires_action"  # not sent by itself: the user confirms
    assert not submits(shell.sim)
    panel = request_panel(shell, waiting.id)
    assert panel.rows[0].input.toPlainText() == "09:09"
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as done:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    assert "09:09" in done.args[0].message.content


def test_opted_in_local_tool_runs_unattended(shell: Shell) -> None:
    profile = shell.add_profile("Auto", TOOL_BOT_ID, local_tools={"get_local_time": "06:06"},
                                auto_local_tools=True)  # fmt: skip
    shell.start_chat(profile)
    finished = shell.send("time?")
    assert finished.message.status == "complete"
    assert "06:06" in finished.message.content
    [sent] = submits(shell.sim)
    assert sent.json["tool_outputs"][0]["output"] == "06:06"


def test_profile_form_checks_local_tools(shell: Shell, qtbot: QtBot) -> None:
    dialog = open_profile_dialog(shell)
    form = dialog.form
    form.name.setText("Local")
    form.region.setCurrentIndex(form.region.findData("custom"))
    form.base_url.setText(shell.sim.base_url)
    form.bot_id.setText(TOOL_BOT_ID)
    form.local_tools.setPlainText('{"get_local_time": 5}')
    dialog.save_button.click()
    assert "Local tools must be a JSON object of texts" in dialog.message.text()
    form.local_tools.setPlainText('{"get_local_time": "10:00"}')
    dialog.save_button.click()
    saved = shell.db.profiles.by_name("Local")
    assert saved is not None
    assert saved.local_tools == {"get_local_time": "10:00"}
    assert not saved.auto_local_tools
