"""The demo's client-side tool and chatflow profiles: created with the others, pointed at the
simulator's port (again after a restart), greeted with prompts of their own, and a turn through
each works — the tool's pending call answered through the controller, the chatflow's question
answered and its run's debug link kept."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.demo import (
    CHATFLOW_PARAMETERS,
    CHATFLOW_PROFILE_NAME,
    DEMO_PROFILE_NAMES,
    TOOL_PROFILE_NAME,
    DemoEnvironment,
    is_demo_profile,
)
from desktop.secrets import MemorySecretStore
from desktop.simulator import DEMO_TOKEN, TOOL_BOT_ID, Simulator
from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID, QUESTION
from desktop.ui.chat.render.sections import ToolCard
from desktop.ui.window.bot_faces import card_for
from desktop.ui.window.chat_flow import CHATFLOW_PROMPTS

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop.storage import Profile
    from desktop.ui.bridge.controller import TurnFinished
    from tests.ui.harness import Shell


def demo_profile(shell: Shell, name: str) -> Profile:
    profile = shell.db.profiles.by_name(name)
    assert profile is not None
    return profile


def demo_requests(shell: Shell, path: str) -> list[Any]:
    simulator = shell.demo.simulator
    assert simulator is not None
    return [r for r in simulator.requests if r.path == path]


def answer(shell: Shell, session_id: int, message_id: int, output: str) -> TurnFinished:
    """The pending calls of answer ``message_id`` answered with ``output``, as Submit does."""
    message = shell.db.messages.get(message_id)
    assert message is not None
    outputs = [(tool.call_id, output) for tool in message.tools if tool.output is None]
    with shell.qtbot.waitSignal(shell.controller.turn_finished, timeout=15_000) as done:
        assert shell.controller.answer_tools(session_id, message_id, outputs) == "started"
    event = done.args[0]
    assert event.message.id == message_id
    return event  # type: ignore[no-any-return]


def test_the_demo_has_a_client_side_tool_and_a_chatflow(shell: Shell) -> None:
    shell.demo.ensure_profiles()
    shell.demo.ensure_profiles()  # again (a second --demo): no duplicates
    profiles = shell.db.profiles.list()
    assert sorted(p.name for p in profiles) == sorted(DEMO_PROFILE_NAMES)
    assert all(is_demo_profile(p) for p in profiles)
    tool = demo_profile(shell, TOOL_PROFILE_NAME)
    assert tool.bot_id == TOOL_BOT_ID
    assert not tool.is_chatflow
    flow = demo_profile(shell, CHATFLOW_PROFILE_NAME)
    assert flow.is_chatflow
    assert (flow.workflow_id, flow.app_id, flow.bot_id) == (
        CHATFLOW_WORKFLOW_ID, CHATFLOW_APP_ID, "")  # fmt: skip
    assert flow.parameters == CHATFLOW_PARAMETERS
    for profile in (tool, flow):
        assert profile.base_url == shell.demo.base_url
        assert shell.secrets.get(profile.id) == DEMO_TOKEN


def test_the_new_demo_profiles_follow_the_simulator_across_a_restart(shell: Shell) -> None:
    shell.demo.ensure_profiles()
    before = shell.demo.base_url
    shell.demo.stop()
    no_keyring = MemorySecretStore(persistent=False)  # the last run's tokens are gone
    restarted = DemoEnvironment(shell.db, no_keyring, lambda: Simulator(delay_scale=0))
    try:
        assert restarted.refresh_if_present()
        assert restarted.base_url != before
        for name in (TOOL_PROFILE_NAME, CHATFLOW_PROFILE_NAME):
            profile = demo_profile(shell, name)
            assert profile.base_url == restarted.base_url
            assert no_keyring.get(profile.id) == DEMO_TOKEN
    finally:
        restarted.stop()


def test_a_turn_through_the_tool_demo_waits_for_the_tool_then_answers(
    shell: Shell, qtbot: QtBot
) -> None:
    shell.demo.ensure_profiles()
    shell.window.refresh_profiles()
    tool = demo_profile(shell, TOOL_PROFILE_NAME)
    session_id = shell.start_chat(tool)
    qtbot.waitUntil(lambda: card_for(shell.db, tool) is not None, timeout=10_000)
    shell.window.chat.show_empty_state()
    chips = [chip.text() for chip in shell.window.chat_view.empty_state().chips]
    assert chips == ["现在几点了？", "What time is it where I am?"]  # the bot's own, no weather
    waiting = shell.send(chips[0]).message
    assert waiting.status == "requires_action"
    [call] = waiting.tools
    assert (call.name, call.kind, call.output) == ("get_local_time", "client", None)
    done = answer(shell, session_id, waiting.id, "10:30")
    assert done.error is None
    assert done.message.status == "complete"
    assert "10:30" in done.message.content
    assert [(t.kind, t.output) for t in done.message.tools] == [("client", "10:30")]  # one step
    row = shell.window.chat_view.row_for(waiting.id)
    assert row is not None
    [card] = row.findChildren(ToolCard)
    assert "10:30" in card.body.toHtml()  # plain text, not cut up by JSON colouring
    [sent] = demo_requests(shell, "/v3/chat/submit_tool_outputs")
    assert sent.json["tool_outputs"] == [{"tool_call_id": call.call_id, "output": "10:30"}]


def test_a_turn_through_the_chatflow_demo_asks_then_answers_with_its_run_link(
    shell: Shell,
) -> None:
    shell.demo.ensure_profiles()
    shell.window.refresh_profiles()
    flow = demo_profile(shell, CHATFLOW_PROFILE_NAME)
    session_id = shell.start_chat(flow)
    chips = [chip.text() for chip in shell.window.chat_view.empty_state().chips]
    assert chips == list(CHATFLOW_PROMPTS)
    asked = shell.send(chips[0]).message
    assert asked.status == "requires_action"
    [question] = asked.tools
    assert question.kind == "question"
    assert QUESTION in str(question.arguments)
    done = answer(shell, session_id, asked.id, "上海")
    assert done.error is None
    assert done.message.status == "complete"
    assert "**上海**" in done.message.content
    assert done.message.debug_url.startswith("https://www.coze.cn/work_flow?execute_id=")
    first, reply = demo_requests(shell, "/v1/workflows/chat")
    assert first.json["parameters"] == CHATFLOW_PARAMETERS
    assert reply.json["conversation_id"] == done.conversation_id
