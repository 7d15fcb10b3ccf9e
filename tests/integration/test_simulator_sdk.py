"""The official Python SDK (cozepy) works against the simulator unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cozepy import Coze, Message, TokenAuth
from cozepy.chat import ChatEventType, ChatStatus, MessageType
from cozepy.exception import CozeAPIError
from cozepy.request import SyncHTTPClient

from desktop.simulator.bots import DEMO_BOT_ID, DEMO_TOKEN, ECHO_BOT_ID

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop.simulator import Simulator


@pytest.fixture
def http_client() -> Iterator[SyncHTTPClient]:
    """The SDK's HTTP client, closed after the test (a ``Coze`` cannot close its own)."""
    with SyncHTTPClient() as client:
        yield client


@pytest.fixture
def coze(simulator: Simulator, http_client: SyncHTTPClient) -> Coze:
    return Coze(auth=TokenAuth(DEMO_TOKEN), base_url=simulator.base_url, http_client=http_client)


def _stream(coze: Coze, bot_id: str, text: str, conversation_id: str | None = None) -> dict:
    answer, follow_ups, chat = [], [], None
    completed_answer = ""
    for event in coze.chat.stream(
        bot_id=bot_id,
        user_id="sdk-user",
        conversation_id=conversation_id,
        additional_messages=[Message.build_user_question_text(text)],
    ):
        if event.event == ChatEventType.CONVERSATION_MESSAGE_DELTA:
            answer.append(event.message.content)
        elif event.event == ChatEventType.CONVERSATION_MESSAGE_COMPLETED:
            if event.message.type == MessageType.ANSWER:
                completed_answer = event.message.content
            elif event.message.type == MessageType.FOLLOW_UP:
                follow_ups.append(event.message.content)
        elif event.event == ChatEventType.CONVERSATION_CHAT_COMPLETED:
            chat = event.chat
    return {
        "answer": "".join(answer),
        "completed": completed_answer,
        "follow_ups": follow_ups,
        "chat": chat,
    }


def test_sdk_streams_the_weather_demo(coze: Coze) -> None:
    result = _stream(coze, DEMO_BOT_ID, "北京今天天气怎么样？")
    assert result["answer"] == result["completed"]
    assert "北京" in result["answer"]
    assert len(result["follow_ups"]) == 3
    chat = result["chat"]
    assert chat is not None
    assert chat.status == ChatStatus.COMPLETED
    assert chat.usage.token_count > 0
    assert chat.usage.output_count > 0
    follow = _stream(
        coze, DEMO_BOT_ID, "那今天适合户外骑行吗?", conversation_id=chat.conversation_id
    )
    assert "根据刚才查到的北京天气" in follow["answer"]


def test_sdk_streams_echo(coze: Coze) -> None:
    result = _stream(coze, ECHO_BOT_ID, "hello sdk")
    assert result["answer"] == "Echo: hello sdk\n\n(turn 1 in this conversation)"
    assert len(result["follow_ups"]) == 3
    assert result["chat"].usage.input_count > 0


def test_sdk_create_and_poll(coze: Coze) -> None:
    poll = coze.chat.create_and_poll(
        bot_id=ECHO_BOT_ID,
        user_id="sdk-user",
        additional_messages=[Message.build_user_question_text("poll me")],
    )
    assert poll.chat.status == ChatStatus.COMPLETED
    answers = [m.content for m in poll.messages or [] if m.type == MessageType.ANSWER]
    assert answers == ["Echo: poll me\n\n(turn 1 in this conversation)"]


def test_sdk_conversations_and_errors(
    coze: Coze, simulator: Simulator, http_client: SyncHTTPClient
) -> None:
    conversation = coze.conversations.create(bot_id=ECHO_BOT_ID)
    assert coze.conversations.retrieve(conversation_id=conversation.id).id == conversation.id
    _stream(coze, ECHO_BOT_ID, "history", conversation_id=conversation.id)
    history = list(coze.conversations.messages.list(conversation_id=conversation.id))
    assert [m.content for m in history][-1] == "history"
    wrong = Coze(auth=TokenAuth("pat_wrong"), base_url=simulator.base_url, http_client=http_client)
    with pytest.raises(CozeAPIError) as info:
        _stream(wrong, ECHO_BOT_ID, "x")
    assert info.value.code == 4100
    assert info.value.logid
