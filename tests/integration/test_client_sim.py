"""ChatSession against the simulator over loopback, persisting into a real SQLite file."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
import pytest_asyncio

from desktop.api.client import ClientConfig, CozeClient
from desktop.core.chat import ChatSession, TurnResult
from desktop.simulator import Simulator, bots
from desktop.storage import Database, Profile, Session

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from desktop.core.transcript import TurnState

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def client(simulator: Simulator) -> AsyncIterator[CozeClient]:
    config = ClientConfig(
        base_url=simulator.base_url, token=bots.DEMO_TOKEN, timeout_read=2.0, max_retries=1
    )
    coze = CozeClient(config)
    try:
        yield coze
    finally:
        await coze.aclose()


def make_session(
    db: Database, simulator: Simulator, client: CozeClient, bot_id: str, *, stream: bool = True
) -> ChatSession:
    profile = db.profiles.add(
        Profile(
            name=f"sim-{bot_id}-{stream}",
            region="custom",
            base_url=simulator.base_url,
            bot_id=bot_id,
            user_id="tester",
            stream=stream,
        )
    )
    session: Session = db.sessions.create(profile.id)
    return ChatSession(client, db, profile, session, poll_interval=0.05)


def no_streaming_rows(db: Database, session_id: int) -> bool:
    return all(m.status != "streaming" for m in db.messages.list(session_id))


async def test_stream_turn_is_persisted(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.DEMO_BOT_ID)
    updates: list[TurnState] = []
    result = await chat.send("北京今天天气怎么样?", updates.append)
    assert result.ok
    assert result.error is None
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.status == "complete"
    assert "北京" in stored.content
    assert stored.reasoning
    assert stored.tools[0].name == "天气查询"
    assert stored.tools[0].output
    assert len(stored.follow_ups) == 3
    assert stored.usage
    assert stored.usage.token_count > 0
    assert stored.log_id
    assert stored.chat_id
    assert stored.ttft_ms is not None
    assert "msg_type" not in stored.content  # verbose packets hidden
    assert len(updates) > 10
    assert db.sessions.get(chat.session.id).title.startswith("北京")  # type: ignore[union-attr]
    assert db.sessions.get(chat.session.id).conversation_id == result.conversation_id  # type: ignore[union-attr]
    user = db.messages.get(result.user_message.id)
    assert user is not None
    assert user.role == "user"
    assert user.content == "北京今天天气怎么样?"


async def test_non_stream_turn_polls(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID, stream=False)
    statuses: list[str] = []
    result = await chat.send("hello", lambda s: statuses.append(s.status))
    assert result.ok
    assert "Echo: hello" in result.message.content
    assert result.message.status == "complete"
    assert statuses
    assert simulator.last_request("/v3/chat/retrieve") is not None


async def test_multi_turn_keeps_conversation_id(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID)
    first = await chat.send("one")
    second = await chat.send("two")
    assert first.conversation_id
    assert second.conversation_id == first.conversation_id
    record = simulator.last_request("/v3/chat")
    assert record is not None
    assert record.query.get("conversation_id") == first.conversation_id
    assert "conversation_id" not in (record.json or {})
    assert "turn 2" in second.message.content


async def test_conversation_survives_a_restart(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID)
    first = await chat.send("one")
    reopened = db.sessions.get(chat.session.id)
    assert reopened is not None
    again = ChatSession(client, db, chat.profile, reopened)
    second = await again.send("two")
    assert second.conversation_id == first.conversation_id


async def test_cancel_mid_stream(db: Database, simulator: Simulator, client: CozeClient) -> None:
    chat = make_session(db, simulator, client, bots.SLOW_BOT_ID)
    chat.profile.custom_variables["delay_ms"] = "50"
    seen = asyncio.Event()

    def on_update(state: TurnState) -> None:
        if state.delta_count >= 3:
            seen.set()

    task = asyncio.ensure_future(chat.send("type slowly", on_update))
    await asyncio.wait_for(seen.wait(), 10)
    chat.cancel()
    result: TurnResult = await asyncio.wait_for(task, 10)
    assert result.message.status == "stopped"
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.status == "stopped"
    assert stored.content
    cancel = simulator.last_request("/v3/chat/cancel")
    assert cancel is not None
    assert cancel.json == {"conversation_id": result.conversation_id, "chat_id": stored.chat_id}
    assert no_streaming_rows(db, chat.session.id)


async def test_task_cancellation_marks_stopped_and_reraises(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.SLOW_BOT_ID)
    seen = asyncio.Event()

    def on_update(state: TurnState) -> None:
        if state.delta_count >= 2:
            seen.set()

    task = asyncio.ensure_future(chat.send("type slowly", on_update))
    await asyncio.wait_for(seen.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert chat.state is not None
    stored = db.messages.get(chat.state.row_id)
    assert stored is not None
    assert stored.status == "stopped"
    assert stored.content
    assert no_streaming_rows(db, chat.session.id)
    await chat.wait_background()  # the server-side cancel, sent after the task ended
    cancel = simulator.last_request("/v3/chat/cancel")
    assert cancel is not None
    assert cancel.json == {"conversation_id": chat.state.conversation_id, "chat_id": stored.chat_id}


FAULTS = [
    # (fault, stored status, code, has HTTP status)
    ("BAD_REQUEST", "failed", 4000, True),
    ("PERMISSION", "failed", 4101, True),
    ("NOT_PUBLISHED", "failed", 4200, True),
    ("RATE_LIMIT", "failed", 4020, True),
    ("SERVER_ERROR", "failed", 5000, True),
    ("BUSY", "failed", 4016, True),
    ("QUOTA", "failed", 4028, False),
    ("CHAT_FAILED", "failed", 5000, False),
    ("ERROR_EVENT", "failed", 5000, True),
    ("DROP", "interrupted", None, True),
    ("STALL", "interrupted", None, True),
    ("BARE_JSON", "failed", 4100, True),
    ("GATEWAY_HTML", "failed", None, True),
    ("STUDIO_ERROR", "failed", 103100001, True),
]


@pytest.mark.parametrize(("fault", "status", "code", "has_http"), FAULTS)
async def test_every_fault_ends_in_a_final_row(
    db: Database,
    simulator: Simulator,
    client: CozeClient,
    fault: str,
    status: str,
    code: int | None,
    has_http: bool,
) -> None:
    chat = make_session(db, simulator, client, bots.FAULT_BOT_IDS[fault])
    result = await chat.send("hello")
    assert result.error is not None
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.status == status
    assert stored.error is not None
    assert stored.error.code == code
    assert stored.error.log_id
    assert stored.log_id
    assert stored.error.diagnosis == result.error.diagnosis.key
    assert (stored.error.status is not None) == has_http
    assert no_streaming_rows(db, chat.session.id)


async def test_retry_once_faults_recover(db: Database, simulator: Simulator) -> None:
    config = ClientConfig(base_url=simulator.base_url, token=bots.DEMO_TOKEN, max_retries=3)
    async with CozeClient(config) as coze:
        chat = make_session(db, simulator, coze, bots.FAULT_BOT_IDS["SERVER_ERROR_ONCE"])
        result = await chat.send("hello")
    assert result.ok, result.error
    assert result.message.log_id


async def test_wrong_token_is_an_auth_failure(db: Database, simulator: Simulator) -> None:
    config = ClientConfig(base_url=simulator.base_url, token="pat_wrong_token_" + "x" * 50)
    async with CozeClient(config) as coze:
        chat = make_session(db, simulator, coze, bots.ECHO_BOT_ID)
        result = await chat.send("hello")
    assert result.error is not None
    assert result.error.code == 4100
    assert result.message.status == "failed"
    assert "pat_wrong" not in result.error.describe()


async def test_clear_context_stores_a_divider(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID)
    await chat.send("one")
    divider = await chat.clear_context()
    assert divider.kind == "divider"
    assert simulator.last_request(f"/v1/conversations/{chat.session.conversation_id}/clear")
    assert db.messages.list(chat.session.id)[-1].kind == "divider"


async def test_regenerate_resends_the_last_question(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID)
    await chat.send("again please")
    result = await chat.regenerate()
    assert result is not None
    assert "Echo: again please" in result.message.content


async def test_forget_turn_deletes_question_and_answer_or_says_why_not(
    db: Database, simulator: Simulator, client: CozeClient
) -> None:
    chat = make_session(db, simulator, client, bots.ECHO_BOT_ID)
    first = await chat.send("one")
    assert await chat.forget_turn(first.state.chat_id) is None
    page = await client.list_messages(first.conversation_id)
    assert page.messages == []  # the question and the answer are gone
    chat.session.conversation_id = "7000000000000000404"  # a conversation the server lost
    refused = await chat.forget_turn(first.state.chat_id)
    assert refused is not None
    assert refused.code == 4200
