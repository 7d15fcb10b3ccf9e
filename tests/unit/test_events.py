"""Typed events from SSE frames: recorded vectors, lenient shapes, and the fast construction path."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert isinstance(created, ev.ChatEvent)
    assert isinstance(completed, ev.ChatEvent)
    assert created.chat.id == "7382159487131697202"
    assert created.chat.conversation_id == "7381473525342978089"
    assert not created.chat.is_terminal
    assert completed.chat.is_terminal
    assert completed.chat.usage == ev.Usage(token_count=633, output_count=19, input_count=614)
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
    assert item.chat.last_error == ev.LastError(code=5000, msg="event interval error")


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
    assert isinstance(item, ev.ChatEvent)
    assert item.chat.is_terminal


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
    assert isinstance(item, ev.MessageDelta)
    assert item.message.content == "x"


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


def test_decoded_message_equals_and_behaves_like_a_constructed_one() -> None:
    data = {"id": "1", "conversation_id": "2", "role": "assistant", "content": "x", "created_at": 5}
    fast = ev.parse_message(data)
    normal = ev.Message(id="1", conversation_id="2", role="assistant", content="x", created_at=5)
    assert fast == normal
    assert hash(fast) == hash(normal)
    with pytest.raises(AttributeError):  # frozen
        fast.content = "changed"  # type: ignore[misc]
    delta = ev.parse_event(ev.MESSAGE_DELTA, json.dumps(data))
    assert delta == ev.MessageDelta(normal)
    assert msgspec.structs.replace(fast, content="y").content == "y"


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
        ev.ToolCall(id="BUJJ", type="function", name="local_data", arguments='{"location":"南京"}'),
    )


def test_absurdly_nested_json_does_not_crash_the_parser() -> None:
    deep = '{"a":' + "[" * 100_000
    assert isinstance(ev.parse_event(ev.MESSAGE_DELTA, deep), ev.UnknownEvent)
    assert isinstance(ev.parse_event(ev.CHAT_COMPLETED, deep), ev.UnknownEvent)
    assert isinstance(ev.parse_bare_json(deep), ev.UnknownEvent)


@pytest.mark.parametrize("number", ["1e999", "-1e999", "Infinity", "-Infinity", "NaN"])
def test_absurd_numbers_become_zero_without_overflow(number: str) -> None:
    delta = ev.parse_event(ev.MESSAGE_DELTA, f'{{"id":"m","content":"x","created_at":{number}}}')
    assert delta == ev.MessageDelta(ev.Message(id="m", content="x"))
    usage = f'{{"token_count":{number},"output_count":1,"input_count":2}}'
    chat_data = f'{{"id":"c","status":"completed","completed_at":{number},"usage":{usage}}}'
    item = ev.parse_event(ev.CHAT_COMPLETED, chat_data)
    assert isinstance(item, ev.ChatEvent)
    assert item.chat.is_terminal
    assert item.chat.completed_at == 0
    assert item.chat.usage == ev.Usage(token_count=0, output_count=1, input_count=2)
    error = ev.parse_event(ev.ERROR, f'{{"code":{number},"msg":"m"}}')
    assert error == ev.ErrorEvent(0, "m")
    assert isinstance(ev.parse_bare_json(f'{{"code":{number}}}'), ev.UnknownEvent)
    assert ev.parse_message({"id": "m", "created_at": float(number)}).created_at == 0
    call = ev.parse_function_call(f'{{"name":"f","arguments":{{"n":{number}}},"api_id":{number}}}')
    assert call.name == "f"
    assert isinstance(call.api_id, str)


def test_docs_usage_spelling_and_empty_content_type() -> None:
    usage = '{"token_count":5,"output_tokens":3,"input_tokens":2}'
    item = ev.parse_event(ev.CHAT_COMPLETED, f'{{"id":"c","status":"completed","usage":{usage}}}')
    assert isinstance(item, ev.ChatEvent)
    assert item.chat.usage == ev.Usage(token_count=5, output_count=3, input_count=2)
    delta = ev.parse_event(ev.MESSAGE_DELTA, '{"id":"m","content":"x","content_type":""}')
    assert isinstance(delta, ev.MessageDelta)
    assert delta.message.content_type == "text"


def test_wrong_shapes_fall_back_to_defaults() -> None:
    data = {
        "id": 17,
        "status": "requires_action",
        "usage": "none",
        "last_error": None,
        "required_action": {
            "submit_tool_outputs": {
                "tool_calls": [
                    1,
                    {"id": 7, "type": "", "function": None},
                    {"id": "t", "function": {"name": "f", "arguments": {"a": "南京"}}},
                ]
            }
        },
        "unknown": {"nested": [1, 2]},
    }
    item = ev.parse_event(ev.CHAT_REQUIRES_ACTION, json.dumps(data))
    assert isinstance(item, ev.ChatEvent)
    chat = item.chat
    assert (chat.id, chat.usage, chat.last_error) == ("17", None, None)
    assert chat.tool_calls == (
        ev.ToolCall(id="7", type="function"),
        ev.ToolCall(id="t", type="function", name="f", arguments='{"a": "南京"}'),
    )


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_TOOL_CALLS = st.fixed_dictionaries(
    {
        "submit_tool_outputs": st.fixed_dictionaries(
            {
                "tool_calls": st.lists(
                    _JSON | st.fixed_dictionaries({"id": _JSON, "function": _JSON})
                )
            }
        )
    }
)
_KEYS = ["id", "chat_id", "content", "content_type", "created_at", "usage", "last_error", "code"]
_USAGE = st.dictionaries(st.sampled_from(["token_count", "output_count", "output_tokens"]), _JSON)
_OBJECTS = st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=6) | st.fixed_dictionaries(
    {"required_action": _TOOL_CALLS | _JSON, "usage": _USAGE}
)
_EXPECTED = {
    ev.MESSAGE_DELTA: ev.MessageDelta,
    ev.MESSAGE_COMPLETED: ev.MessageCompleted,
    ev.CHAT_COMPLETED: ev.ChatEvent,
    ev.ERROR: ev.ErrorEvent,
}


@given(_OBJECTS, st.sampled_from(sorted(_EXPECTED)))
@settings(max_examples=300, deadline=None)
def test_any_json_object_becomes_a_well_typed_event(obj: dict[str, object], name: str) -> None:
    item = ev.parse_event(name, json.dumps(obj))  # floats include inf and nan
    assert type(item) is _EXPECTED[name]
    # every field holds its declared type: a strict round trip accepts it unchanged
    assert msgspec.convert(msgspec.to_builtins(item), type(item)) == item


def test_decoding_leaves_the_recorded_frame_text_as_small_as_it_was() -> None:
    # The netlog keeps every frame's text: decoding must not attach a UTF-8 copy to it.
    data = "".join(['{"id":"m","content":"星期三","content_type":"text"}', " "])[:-1]
    size = sys.getsizeof(data)
    for name in (ev.MESSAGE_DELTA, ev.MESSAGE_COMPLETED, ev.CHAT_CREATED, ev.ERROR):
        ev.parse_event(name, data)
    assert sys.getsizeof(data) == size


@pytest.mark.parametrize("name", [ev.MESSAGE_DELTA, ev.MESSAGE_COMPLETED, ev.CHAT_CREATED])
def test_a_lone_surrogate_is_kept_not_raised(name: str) -> None:
    item = ev.parse_event(name, '{"id":"m","content":"\ud800","status":"created"}')
    assert not isinstance(item, ev.UnknownEvent)
    assert ev.parse_function_call('{"name":"\ud800"}').name == "\ud800"
