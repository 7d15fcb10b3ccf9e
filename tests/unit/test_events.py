"""Typed events from SSE frames: recorded vectors, lenient shapes, and the fast construction path."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from desktop.api import events as ev
from desktop.api.sse import SSEDecoder

DATA = Path(__file__).parent / "data"


def parsed(name: str) -> list[ev.StreamEvent]:
    decoder = SSEDecoder()
    frames = decoder.feed((DATA / name).read_bytes()) + decoder.close()
    return [ev.parse_event(f.event, f.data) for f in frames]


def test_vector_a_types_ids_and_usage() -> None:
    items = parsed("vector_a_text.txt")
    assert [type(e).__name__ for e in items] == [
        "ChatEvent",
        "ChatEvent",
        "MessageDelta",
        "MessageDelta",
        "MessageDelta",
        "MessageDelta",
        "MessageCompleted",
        "ChatEvent",
        "DoneEvent",
    ]
    created, completed = items[0], items[7]
    assert isinstance(created, ev.ChatEvent) and isinstance(completed, ev.ChatEvent)
    assert created.chat.id == "7382159487131697202"
    assert created.chat.conversation_id == "7381473525342978089"
    assert not created.chat.is_terminal
    assert completed.chat.is_terminal
    assert completed.chat.usage == ev.Usage(633, 19, 614)
    deltas = [e.message.content for e in items if isinstance(e, ev.MessageDelta)]
    assert "".join(deltas) == "20星期三。"
    answer = items[6]
    assert isinstance(answer, ev.MessageCompleted)
    assert answer.message.content == "2024 年 10 月 1 日是星期三。"
    assert answer.message.chat_id == created.chat.id


def test_vector_b_failed_chat_carries_last_error() -> None:
    (item,) = parsed("vector_b_failed.txt")
    assert isinstance(item, ev.ChatEvent)
    assert item.chat.status == "failed"
    assert item.chat.last_error == ev.LastError(5000, "event interval error")


def test_vector_b2_error_event_with_empty_object() -> None:
    assert parsed("vector_b2_error.txt") == [ev.ErrorEvent(0, "")]


def test_vector_b3_unknown_event_is_kept() -> None:
    assert parsed("vector_b3_unknown.txt") == [ev.UnknownEvent("invalid", "{}")]


def test_vector_c_verbose_finish_and_json_done() -> None:
    items = parsed("vector_c_chatflow.txt")
    verbose = items[6]
    assert isinstance(verbose, ev.MessageCompleted)
    assert ev.verbose_msg_type(verbose.message.content) == "generate_answer_finish"
    assert isinstance(items[-1], ev.DoneEvent)
    assert json.loads(items[-1].payload)["debug_url"]


def test_vector_d_function_call_content() -> None:
    items = parsed("vector_d_plugin.txt")
    call = items[2]
    assert isinstance(call, ev.MessageCompleted)
    assert call.message.type == ev.TYPE_FUNCTION_CALL
    fc = ev.parse_function_call(call.message.content)
    assert fc.name == "tupianlijie-imgUnderstand"
    assert fc.arguments["text"] == "描述图片里有什么"
    assert fc.plugin_id == "7379227414322217010"  # a number on the wire, a string here


@pytest.mark.parametrize("payload", ['"[DONE]"', "[DONE]", '{"debug_url":"x"}', ""])
def test_done_variants(payload: str) -> None:
    assert ev.parse_event("done", payload) == ev.DoneEvent(payload)


def test_studio_stream_done() -> None:
    item = ev.parse_event("conversation.stream.done", "")
    assert isinstance(item, ev.DoneEvent)
    assert item.event == "conversation.stream.done"


def test_studio_cancelled_spelling_is_terminal() -> None:
    item = ev.parse_event("conversation.chat.cancelled", '{"id":"1","status":"cancelled"}')
    assert isinstance(item, ev.ChatEvent) and item.chat.is_terminal


def test_error_event_and_bare_json() -> None:
    assert ev.parse_event("error", '{"code":5000,"msg":"boom"}') == ev.ErrorEvent(5000, "boom")
    bare = ev.parse_bare_json('{"code":4100,"msg":"authentication is invalid"}')
    assert bare == ev.ErrorEvent(4100, "authentication is invalid", bare=True)
    assert isinstance(ev.parse_bare_json('{"code":0}'), ev.UnknownEvent)


@pytest.mark.parametrize("data", ["not json", "[1,2]", '"str"', ' {"id":"1"} x'])
def test_malformed_payloads_become_unknown_events(data: str) -> None:
    for name in (ev.MESSAGE_DELTA, ev.MESSAGE_COMPLETED, ev.CHAT_CREATED):
        assert ev.parse_event(name, data) == ev.UnknownEvent(name, data)


def test_json_with_surrounding_whitespace_still_parses() -> None:
    item = ev.parse_event(ev.MESSAGE_DELTA, ' {"id":"1","content":"x"} ')
    assert isinstance(item, ev.MessageDelta) and item.message.content == "x"


def test_lenient_shapes_numbers_strings_and_nulls() -> None:
    data = {
        "id": 7382159494123470858,
        "chat_id": None,
        "created_at": "1718792949",
        "content": "hi",
        "content_type": None,
        "reasoning_content": "think",
    }
    message = ev.parse_message(data)
    assert message.id == "7382159494123470858"
    assert message.chat_id == ""
    assert message.created_at == 1718792949
    assert message.content_type == "text"
    assert message.reasoning_content == "think"


def test_fast_built_message_equals_and_behaves_like_a_normal_one() -> None:
    data = {"id": "1", "conversation_id": "2", "role": "assistant", "content": "x", "created_at": 5}
    fast = ev.parse_message(data)
    normal = ev.Message(id="1", conversation_id="2", role="assistant", content="x", created_at=5)
    assert fast == normal
    assert hash(fast) == hash(normal)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.content = "changed"  # type: ignore[misc]
    delta = ev.parse_event(ev.MESSAGE_DELTA, json.dumps(data))
    assert delta == ev.MessageDelta(normal)
    assert dataclasses.replace(fast, content="y").content == "y"


def test_required_action_tool_calls() -> None:
    data = {
        "id": "c",
        "status": "requires_action",
        "required_action": {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {
                "tool_calls": [
                    {
                        "id": "BUJJ",
                        "type": "function",
                        "function": {"name": "local_data", "arguments": '{"location":"南京"}'},
                    }
                ]
            },
        },
    }
    chat = ev.parse_chat(data)
    assert chat.is_terminal
    assert chat.tool_calls == (
        ev.ToolCall("BUJJ", "function", "local_data", '{"location":"南京"}'),
    )


def test_absurdly_nested_json_does_not_crash_the_parser() -> None:
    deep = '{"a":' + "[" * 100_000
    assert isinstance(ev.parse_event(ev.MESSAGE_DELTA, deep), ev.UnknownEvent)
    assert isinstance(ev.parse_event(ev.CHAT_COMPLETED, deep), ev.UnknownEvent)
    assert isinstance(ev.parse_bare_json(deep), ev.UnknownEvent)
