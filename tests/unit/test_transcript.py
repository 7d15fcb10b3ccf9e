"""The transcript reducer folds stream events into one assistant turn."""

from __future__ import annotations

import json
import time

from desktop.api import events as ev
from desktop.api.sse import SSEDecoder
from desktop.core import transcript as tr
from desktop.storage.parts import UsageRecord
from tests.unit import _vectors as vectors


def parse_stream(text: str) -> list[ev.StreamEvent]:
    decoder = SSEDecoder()
    frames = decoder.feed(text.encode()) + decoder.close()
    return [
        ev.parse_bare_json(f.data) if f.bare else ev.parse_event(f.event, f.data) for f in frames
    ]


def msg(mid: str, type_: str = "answer", content: str = "", **kw: str) -> ev.Message:
    return ev.Message(
        id=mid,
        chat_id="c1",
        conversation_id="conv1",
        role="assistant",
        type=type_,
        content=content,
        **kw,
    )


def delta(mid: str, content: str = "", reasoning: str = "") -> ev.MessageDelta:
    return ev.MessageDelta(msg(mid, content=content, reasoning_content=reasoning))


def completed(mid: str, type_: str = "answer", content: str = "") -> ev.MessageCompleted:
    return ev.MessageCompleted(msg(mid, type_, content))


def chat(status: str, **kw: object) -> ev.ChatEvent:
    c = ev.Chat(id="c1", conversation_id="conv1", status=status, **kw)  # type: ignore[arg-type]
    return ev.ChatEvent("conversation.chat." + status, c)


def fold(*events: ev.StreamEvent) -> tr.TurnState:
    return tr.reduce_all(events)


# -- recorded vectors ---------------------------------------------------------------------------


def test_vector_a_text_answer() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_A))
    assert state.answer == "2024 年 10 月 1 日是星期三。"
    assert state.status == tr.COMPLETE
    assert state.chat_id == "7382159487131697202"
    assert state.conversation_id == "7381473525342978089"
    assert state.usage == ev.Usage(token_count=633, output_count=19, input_count=614)
    assert state.delta_count == 4
    assert state.done
    assert state.error is None


def test_vector_b_failed_chat_keeps_last_error() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_B))
    assert state.status == tr.FAILED
    assert state.error is not None
    assert (state.error.code, state.error.msg) == (5000, "event interval error")
    assert state.answer == ""


def test_vector_b2_error_event_fails_the_turn() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_B2))
    assert state.status == tr.FAILED
    assert state.error is not None


def test_vector_b3_unknown_event_is_counted_not_fatal() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_B3))
    assert state.status == tr.STREAMING
    assert state.unknown_count == 1


def test_vector_c_spaced_chatflow_hides_verbose() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_C))
    assert state.answer == "I'm fine, thank you. How about you?"
    assert state.verbose == ["generate_answer_finish"]
    assert "msg_type" not in state.answer
    assert state.status == tr.COMPLETE
    assert state.done


def test_vector_d_plugin_call_paired_with_response() -> None:
    state = tr.reduce_all(parse_stream(vectors.VECTOR_D))
    assert len(state.tools) == 1
    step = state.tools[0]
    assert step.name == "tupianlijie-imgUnderstand"
    assert step.arguments["text"] == "描述图片里有什么"
    assert step.thought.startswith("需求为描述图片")
    assert step.output is not None
    assert "response_for_model" in step.output
    assert step.done
    # the completed text is authoritative, even though the deltas were elided in the docs
    assert state.answer == "这是一幅非常漂亮的森林图片，里面有小溪、石头和青苔覆盖的树木。"
    assert state.usage is not None
    assert state.usage.token_count == 2308


# -- deltas and answers -------------------------------------------------------------------------


def test_deltas_concatenate_per_message() -> None:
    state = fold(delta("m1", "Hel"), delta("m1", "lo"), delta("m1", "!"))
    assert state.answer == "Hello!"
    assert state.status == tr.STREAMING
    assert state.has_content
    assert not state.finished


def test_multi_answer_bots_get_separate_blocks() -> None:
    state = fold(
        delta("m1", "first"),
        completed("m1", content="first"),
        delta("m2", "sec"),
        delta("m2", "ond"),
    )
    assert state.answer == "first\n\nsecond"


def test_completed_text_replaces_deltas() -> None:
    state = fold(delta("m1", "draft tex"), completed("m1", content="final text"))
    assert state.answer == "final text"


def test_completed_without_content_keeps_deltas() -> None:
    state = fold(delta("m1", "kept"), completed("m1", content=""))
    assert state.answer == "kept"


def test_answer_reads_are_repeatable_while_streaming() -> None:
    state = fold(delta("m1", "a"), delta("m1", "b"))
    assert state.answer == "ab"
    state.apply(delta("m1", "c"))
    assert state.answer == "abc"
    assert state.answer == "abc"


def test_reasoning_is_kept_apart_from_the_answer() -> None:
    state = fold(
        delta("m1", reasoning="think "), delta("m1", reasoning="hard"), delta("m1", "answer")
    )
    assert state.reasoning == "think hard"
    assert state.answer == "answer"


def test_audio_deltas_are_ignored() -> None:
    audio = ev.AudioDelta(msg("a1", "answer", "UklGRg==", content_type="audio"))
    state = fold(delta("m1", "text"), audio, chat("completed"))
    assert state.answer == "text"
    assert state.audio_count == 1


# -- other message types ------------------------------------------------------------------------


def test_function_call_then_tool_output_pair_in_order() -> None:
    call1 = json.dumps({"name": "天气查询", "arguments": {"city": "北京"}})
    call2 = json.dumps({"name": "日历", "arguments": '{"day": 1}'})
    state = fold(
        completed("f1", "function_call", call1),
        completed("f2", "function_call", call2),
        completed("t1", "tool_response", "晴"),
    )
    assert [s.name for s in state.tools] == ["天气查询", "日历"]
    assert state.tools[0].arguments == {"city": "北京"}
    assert state.tools[0].output == "晴"
    assert state.tools[1].arguments == {"day": 1}
    assert state.tools[1].output is None
    state.apply(completed("t2", "tool_output", "周一"))
    assert state.tools[1].output == "周一"


def test_orphan_tool_response_is_kept() -> None:
    state = fold(completed("t1", "tool_response", "data"))
    assert state.tools[0].output == "data"
    assert state.tools[0].name == ""


def test_follow_ups_and_knowledge() -> None:
    state = fold(
        completed("k1", "knowledge", "---\nrecall slice 1:xxx\n"),
        completed("u1", "follow_up", "明天呢?"),
        completed("u2", "follow_up", "后天呢?"),
    )
    assert state.follow_ups == ["明天呢?", "后天呢?"]
    assert state.knowledge == ["---\nrecall slice 1:xxx\n"]
    assert state.answer == ""


def test_verbose_is_recognised_and_never_shown() -> None:
    verbose = json.dumps({"msg_type": "generate_answer_finish", "data": ""})
    state = fold(delta("m1", "hi"), completed("v1", "verbose", verbose))
    assert state.verbose == ["generate_answer_finish"]
    assert state.answer == "hi"


# -- chat events --------------------------------------------------------------------------------


def test_chat_failed_records_last_error_and_usage() -> None:
    failed = chat(
        "failed",
        last_error=ev.LastError(code=4028, msg="quota used up"),
        usage=ev.Usage(token_count=1, output_count=0, input_count=1),
    )
    state = fold(delta("m1", "partial"), failed)
    assert state.status == tr.FAILED
    assert state.error == tr.TurnError(code=4028, msg="quota used up")
    assert state.answer == "partial"


def test_requires_action_lists_client_tool_calls() -> None:
    call = ev.ToolCall(id="call_1", type="function", name="local_data", arguments='{"a":1}')
    state = fold(chat("created"), chat("requires_action", tool_calls=(call,)))
    assert state.status == tr.REQUIRES_ACTION
    assert state.tool_calls == (call,)
    assert state.tools[0].kind == "client"
    assert state.tools[0].call_id == "call_1"
    state.resume_after_tools({"call_1": "42"})
    assert state.status == tr.STREAMING
    assert state.tools[0].output == "42"
    assert state.tool_calls == ()
    state.apply(completed("t1", "tool_response", "42"))  # Coze repeats the submitted result
    state.apply(completed("t2", "tool_response", "other"))  # not one of ours: kept
    assert [(s.kind, s.output) for s in state.tools] == [("client", "42"), ("plugin", "other")]


def test_error_event_mid_stream_keeps_partial() -> None:
    state = fold(delta("m1", "partial"), ev.ErrorEvent(5000, "boom"))
    assert state.status == tr.FAILED
    assert state.error is not None
    assert state.error.code == 5000
    assert state.answer == "partial"


def test_cancelled_chat_is_stopped() -> None:
    state = fold(delta("m1", "x"), chat("cancelled"))
    assert state.status == tr.STOPPED


def test_ids_come_from_first_chat_event() -> None:
    state = fold(chat("created"))
    assert (state.chat_id, state.conversation_id) == ("c1", "conv1")


def test_reduce_returns_the_same_state() -> None:
    state = tr.TurnState()
    assert tr.reduce(state, delta("m1", "x")) is state


def test_from_messages_builds_a_non_stream_turn() -> None:
    final = ev.Chat(
        id="c1",
        conversation_id="conv1",
        status="completed",
        usage=ev.Usage(token_count=3, output_count=2, input_count=1),
    )
    state = tr.from_messages(
        [msg("v", "verbose", '{"msg_type":"generate_answer_finish"}'), msg("a", "answer", "hi")],
        final,
    )
    assert state.answer == "hi"
    assert state.status == tr.COMPLETE
    assert state.usage == ev.Usage(token_count=3, output_count=2, input_count=1)


# -- snapshot and speed -------------------------------------------------------------------------


def test_snapshot_is_a_stored_message() -> None:
    state = fold(
        chat("created"),
        delta("m1", "hello", reasoning="hmm"),
        completed("f1", "function_call", '{"name":"t","arguments":{}}'),
        completed("u1", "follow_up", "more?"),
        chat("completed", usage=ev.Usage(token_count=5, output_count=3, input_count=2)),
    )
    state.row_id, state.session_id, state.log_id, state.ttft_ms = 7, 3, "LOG1", 12
    snap = state.snapshot()
    assert (snap.id, snap.session_id, snap.role, snap.kind) == (7, 3, "assistant", "answer")
    assert (snap.content, snap.reasoning, snap.status) == ("hello", "hmm", "complete")
    assert snap.tools[0].name == "t"
    assert snap.follow_ups == ["more?"]
    assert snap.usage == UsageRecord(token_count=5, output_count=3, input_count=2)
    assert (snap.chat_id, snap.log_id, snap.ttft_ms, snap.error) == ("c1", "LOG1", 12, None)


def test_snapshot_of_failed_turn_carries_its_error() -> None:
    state = fold(ev.ErrorEvent(4100, "authentication is invalid"))
    snap = state.snapshot()
    assert snap.status == "failed"
    assert snap.error is not None
    assert snap.error.code == 4100
    assert snap.error.msg == "authentication is invalid"


def test_200k_deltas_are_cheap() -> None:
    deltas = [delta("m1", "字") for _ in range(200_000)]
    state = tr.TurnState()
    start = time.perf_counter()
    for item in deltas:
        state.apply(item)
    elapsed = time.perf_counter() - start
    assert len(state.answer) == 200_000
    assert elapsed < 1.0  # ~0.05 s here; generous for slow CI machines


def test_function_call_announcing_a_client_call_is_not_duplicated() -> None:
    announce = completed("f1", "function_call", '{"name":"get_time","arguments":{"tz":"UTC"}}')
    call = ev.ToolCall(id="call_9", type="function", name="get_time", arguments='{"tz":"UTC"}')
    state = fold(announce, chat("requires_action", tool_calls=(call,)))
    assert len(state.tools) == 1
    assert state.tools[0].kind == "client"
    assert state.tools[0].call_id == "call_9"
