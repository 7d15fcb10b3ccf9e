"""Client-side tools (``requires_action``) through ChatSession against the simulator: a turn
that waits, answered later (from a reopened database, as after a restart), answered by a
handler, dismissed, and refused when the chat no longer waits."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from desktop.api import errors
from desktop.api.client import ClientConfig, CozeClient
from desktop.core.chat import ChatSession
from desktop.simulator import Simulator, bots
from desktop.simulator.scenarios import LOCAL_TOOL_NAME
from desktop.storage import Database, Profile, StoredMessage
from desktop.storage.parts import ToolRecord

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence
    from pathlib import Path

    from desktop.api.events import ToolCall
    from desktop.core.transcript import TurnState

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def client(simulator: Simulator) -> AsyncIterator[CozeClient]:
    config = ClientConfig(
        base_url=simulator.base_url, token=bots.DEMO_TOKEN, timeout_read=5.0, max_retries=0
    )
    async with CozeClient(config) as coze:
        yield coze


def open_session(
    path: Path, client: CozeClient, simulator: Simulator, *, stream: bool, session_id: int = 0
) -> tuple[Database, ChatSession]:
    db = Database.open(path)
    profiles = db.profiles.list()
    if profiles:
        profile = profiles[0]
    else:
        profile = db.profiles.add(
            Profile(name="tools", region="custom", base_url=simulator.base_url,
                    bot_id=bots.TOOL_BOT_ID, user_id="tester", stream=stream)
        )  # fmt: skip
    session = db.sessions.get(session_id) if session_id else db.sessions.create(profile.id)
    assert session is not None
    return db, ChatSession(client, db, profile, session, poll_interval=0.02)


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "poll"])
async def test_waiting_turn_is_answered_after_a_restart(
    tmp_path: Path, simulator: Simulator, client: CozeClient, *, stream: bool
) -> None:
    path = tmp_path / "history.sqlite3"
    db, chat = open_session(path, client, simulator, stream=stream)
    first = await chat.send("what time is it?")
    assert first.error is None
    waiting = db.messages.get(first.message.id)
    assert waiting is not None
    assert waiting.status == "requires_action"
    [tool] = waiting.tools
    assert (tool.name, tool.kind, tool.output) == (LOCAL_TOOL_NAME, "client", None)
    assert tool.arguments == {"timezone": "Asia/Shanghai"}
    assert tool.call_id
    session_id = chat.session.id
    db.close()

    db, chat = open_session(path, client, simulator, stream=stream, session_id=session_id)
    try:
        stored = db.messages.get(first.message.id)
        assert stored is not None
        result = await chat.answer_tools(stored, [(tool.call_id, "10:30")])
        assert result.ok, result.error
        assert result.message.id == first.message.id
        done = db.messages.get(first.message.id)
        assert done is not None
        assert done.status == "complete"
        assert "10:30" in done.content
        assert any(t.output == "10:30" for t in done.tools)
        assert [m.id for m in db.messages.list(session_id) if m.role == "assistant"] == [done.id]
    finally:
        db.close()


async def test_handler_answers_in_the_same_turn(
    tmp_path: Path, simulator: Simulator, client: CozeClient
) -> None:
    seen: list[ToolCall] = []

    async def handler(calls: Sequence[ToolCall]) -> list[tuple[str, str]]:
        seen.extend(calls)
        return [(call.id, "08:00") for call in calls]

    db, chat = open_session(tmp_path / "h.sqlite3", client, simulator, stream=True)
    try:
        chat.tool_handler = handler
        result = await chat.send("time?")
        assert result.ok, result.error
        assert [c.name for c in seen] == [LOCAL_TOOL_NAME]
        assert "08:00" in result.message.content
    finally:
        db.close()


async def test_a_chat_no_longer_waiting_says_so(
    tmp_path: Path, simulator: Simulator, client: CozeClient
) -> None:
    db, chat = open_session(tmp_path / "e.sqlite3", client, simulator, stream=True)
    try:
        first = await chat.send("time?")
        waiting: StoredMessage = first.message
        call_id = waiting.tools[0].call_id
        assert (await chat.answer_tools(waiting, [(call_id, "1")])).ok
        again = await chat.answer_tools(waiting, [(call_id, "2")])  # the chat completed already
        assert isinstance(again.error, errors.CozeAPIError)
        assert again.error.diagnosis.key == "tool_call_expired"
        assert "no longer waits" in again.error.describe("en")
        stored = db.messages.get(waiting.id)
        assert stored is not None
        assert stored.status == "failed"
        assert stored.error is not None
        assert stored.error.diagnosis == "tool_call_expired"
    finally:
        db.close()


async def test_dismissed_turn_is_stopped(
    tmp_path: Path, simulator: Simulator, client: CozeClient
) -> None:
    db, chat = open_session(tmp_path / "d.sqlite3", client, simulator, stream=True)
    try:
        first = await chat.send("time?")
        saved = await chat.dismiss_tools(first.message)
        assert saved.status == "stopped"
        stored = db.messages.get(first.message.id)
        assert stored is not None
        assert stored.status == "stopped"
        assert any("/v3/chat/cancel" in ex.url for ex in client.netlog.exchanges())
    finally:
        db.close()


@pytest.mark.parametrize("how", ["stop", "task"])
async def test_stop_while_the_results_are_submitted_cancels_on_the_server(
    tmp_path: Path, simulator: Simulator, client: CozeClient, how: str
) -> None:
    db, chat = open_session(tmp_path / "s.sqlite3", client, simulator, stream=True)
    try:
        chat.profile.custom_variables["delay_ms"] = "50"  # the answer after the results, slowly
        first = await chat.send("time?")
        waiting: StoredMessage = first.message
        simulator.clear_requests()
        typing = asyncio.Event()

        def on_update(state: TurnState) -> None:
            if "10:30" in state.answer:  # the answer to the results has begun
                typing.set()

        call = [(waiting.tools[0].call_id, "10:30")]
        task = asyncio.ensure_future(chat.answer_tools(waiting, call, on_update))
        await asyncio.wait_for(typing.wait(), 10)
        if how == "stop":
            chat.cancel()
            result = await asyncio.wait_for(task, 10)
            assert result.message.status == "stopped"
        else:  # the turn's own task is cancelled (the window closes)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await chat.wait_background()
        stored = db.messages.get(waiting.id)
        assert stored is not None
        assert stored.status == "stopped"
        assert "10:30" in stored.content  # the partial answer is kept
        assert not stored.content.endswith("your local tool answered: 10:30")
        cancel = simulator.last_request("/v3/chat/cancel")
        assert cancel is not None
        assert cancel.json == {"conversation_id": first.conversation_id,
                               "chat_id": waiting.chat_id}  # fmt: skip
    finally:
        db.close()


async def test_coze_studio_has_no_tool_outputs_and_says_so(
    tmp_path: Path, simulator: Simulator, client: CozeClient
) -> None:
    db = Database.open(tmp_path / "s.sqlite3")
    try:
        profile = db.profiles.add(Profile(name="studio", region="custom",
                                          base_url=simulator.base_url,
                                          bot_id=bots.STUDIO_BOT_ID, user_id="tester"))  # fmt: skip
        chat = ChatSession(client, db, profile, db.sessions.create(profile.id))
        first = await chat.send("hello")
        assert first.ok, first.error
        # A waiting answer on a Studio chat (Studio never sends one; an imported history might)
        tool = ToolRecord("get_local_time", {}, None, "client", "call_1")
        waiting = db.messages.add(chat.session.id, "assistant", "answer", status="requires_action",
                                  tools=[tool], chat_id=first.message.chat_id)  # fmt: skip
        result = await chat.answer_tools(waiting, [("call_1", "10:30")])
        assert isinstance(result.error, errors.CozeAPIError)
        assert result.error.diagnosis.key == "tool_outputs_unsupported"
        assert "Coze Studio has no /v3/chat/submit_tool_outputs" in result.error.describe("en")
        assert result.message.status == "failed"
    finally:
        db.close()


async def test_a_non_stream_chatflow_profile_still_streams(
    tmp_path: Path, simulator: Simulator, client: CozeClient
) -> None:
    from desktop.simulator.chatflow import CHATFLOW_APP_ID, CHATFLOW_WORKFLOW_ID

    db = Database.open(tmp_path / "f.sqlite3")
    try:
        profile = db.profiles.add(Profile(name="flow", region="custom", stream=False,
                                          base_url=simulator.base_url, user_id="tester",
                                          workflow_id=CHATFLOW_WORKFLOW_ID,
                                          app_id=CHATFLOW_APP_ID))  # fmt: skip
        chat = ChatSession(client, db, profile, db.sessions.create(profile.id))
        asked = await chat.send("weather")
        assert asked.message.status == "requires_action"
        assert asked.message.debug_url.startswith("https://")
        [question] = asked.message.tools
        assert question.kind == "question"
        done = await chat.answer_tools(asked.message, [(question.call_id, "深圳")])
        assert done.ok, done.error
        assert "**深圳**" in done.message.content
        assert done.conversation_id == asked.conversation_id
    finally:
        db.close()
