"""A chatflow profile in the window: the profile form's chatflow fields (parameters checked as
a JSON object), a turn through ``/v1/workflows/chat``, the question node answered in place, the
run's debug link in the footer, and the conversation continued."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID, QUESTION
from desktop.ui.chat.render.bubble import AnswerWidget
from desktop.ui.chat.render.tool_request import ToolRequestPanel
from tests.ui.harness import open_profile_dialog

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.simulator import Simulator
    from tests.ui.harness import Shell


def workflow_requests(sim: Simulator) -> list[Any]:
    return [r for r in sim.requests if r.path == "/v1/workflows/chat"]


def test_profile_form_takes_a_chatflow(shell: Shell, qtbot: QtBot) -> None:
    dialog = open_profile_dialog(shell)
    form = dialog.form
    form.name.setText("Flow")
    form.name.textEdited.emit("Flow")
    form.region.setCurrentIndex(form.region.findData("custom"))
    form.base_url.setText(shell.sim.base_url)
    form.workflow_id.setText(CHATFLOW_WORKFLOW_ID)
    dialog.save_button.click()
    assert "app id" in dialog.message.text()
    assert form.app_id.property("invalid") is True
    assert form.bot_id.property("invalid") is False  # a chatflow needs no bot id
    form.app_id.setText(CHATFLOW_APP_ID)
    form.parameters.setPlainText('["not", "an object"]')
    dialog.save_button.click()
    assert "JSON object" in dialog.message.text()
    assert shell.db.profiles.by_name("Flow") is None
    form.parameters.setPlainText('{"unit": "C"}')
    dialog.save_button.click()
    profile = shell.db.profiles.by_name("Flow")
    assert profile is not None
    assert (profile.workflow_id, profile.app_id) == (CHATFLOW_WORKFLOW_ID, CHATFLOW_APP_ID)
    assert profile.parameters == {"unit": "C"}
    assert profile.is_chatflow


def test_chatflow_question_is_answered_in_place(shell: Shell, qtbot: QtBot) -> None:
    profile = shell.add_profile("Flow", "", workflow_id=CHATFLOW_WORKFLOW_ID,
                                app_id=CHATFLOW_APP_ID, parameters={"unit": "C"})  # fmt: skip
    shell.start_chat(profile)
    asked = shell.send("天气")
    assert asked.error is None
    message = asked.message
    assert message.status == "requires_action"
    assert message.debug_url.startswith("https://www.coze.cn/work_flow?execute_id=")
    row = shell.window.chat_view.row_for(message.id)
    assert isinstance(row, AnswerWidget)
    assert "Open the run in Coze" in row.footer.info.text()
    panel = row.parts["request"]
    assert isinstance(panel, ToolRequestPanel)
    [call] = panel.rows
    assert call.title.text() == QUESTION
    call.input.setPlainText("上海")
    with qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as done:
        qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    answered = done.args[0].message
    assert answered.id == message.id
    assert answered.status == "complete"
    assert "**上海**" in answered.content
    first, reply = workflow_requests(shell.sim)
    assert "conversation_id" not in first.json
    assert first.json["parameters"] == {"unit": "C"}
    assert first.json["app_id"] == CHATFLOW_APP_ID
    assert reply.json["conversation_id"] == done.args[0].conversation_id
    assert reply.json["additional_messages"][0]["content"] == "上海"
    again = shell.send("再来一次")  # the next turn continues the conversation
    assert again.message.status == "requires_action"
    assert workflow_requests(shell.sim)[-1].json["conversation_id"] == done.args[0].conversation_id
