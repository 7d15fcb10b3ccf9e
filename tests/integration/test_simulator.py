"""The simulator speaks hosted Coze's chat protocol over a real socket (plain httpx client)."""

from __future__ import annotations

import itertools
import json
import re
import time
from typing import TYPE_CHECKING

import pytest

from desktop.simulator.bots import (
    CONTEXT_LOST_BOT_ID,
    DEMO_BOT_ID,
    DEMO_TOKEN,
    ECHO_BOT_ID,
    LONG_BOT_ID,
    SLOW_BOT_ID,
)
from tests.integration.sim_helpers import (
    answer_text,
    chat_body,
    chat_of,
    client,
    completed,
    names,
    stream_chat,
)

if TYPE_CHECKING:
    from desktop.simulator import Simulator

ID = re.compile(r"^\d{19}$")
WEATHER_Q = "北京今天天气怎么样？"


def test_weather_stream_has_hosted_coze_shape(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, DEMO_BOT_ID, WEATHER_Q)
    order = names(events)
    assert order[:2] == ["conversation.chat.created", "conversation.chat.in_progress"]
    assert order[2:4] == ["conversation.message.completed"] * 2
    assert order[-2:] == ["conversation.chat.completed", "done"]
    assert events[-1].raw == '"[DONE]"'
    fn_call = json.loads(completed(events, "function_call")[0]["content"])
    assert fn_call["name"] == "天气查询"
    assert fn_call["arguments"] == {"city": "北京"}
    assert json.loads(completed(events, "tool_response")[0]["content"])["city"] == "北京"
    assert len(completed(events, "follow_up")) == 3
    verbose = json.loads(completed(events, "verbose")[0]["content"])
    assert verbose["msg_type"] == "generate_answer_finish"
    usage = chat_of(events, "completed")["usage"]
    assert usage["token_count"] == usage["input_count"] + usage["output_count"] > 0


def test_weather_reasoning_deltas_come_first_then_markdown_answer(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, DEMO_BOT_ID, WEATHER_Q)
    deltas = [e.data for e in events if e.name == "conversation.message.delta"]
    kinds = ["r" if d.get("reasoning_content") else "c" for d in deltas]
    assert kinds[0] == "r"
    assert "r" not in kinds[kinds.index("c") :]
    assert all(d["content"] == "" for d in deltas if d.get("reasoning_content"))
    final = completed(events, "answer")[0]
    assert final["content"] == answer_text(events)
    assert final["reasoning_content"] == "".join(d.get("reasoning_content", "") for d in deltas)
    assert "| 日期 |" in final["content"]
    assert "```python" in final["content"]
    assert final["content"].startswith("## ")


def test_ids_are_19_digit_strings_and_consistent(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, ECHO_BOT_ID, "hi")
    chat = chat_of(events, "created")
    assert ID.match(chat["id"])
    assert ID.match(chat["conversation_id"])
    for event in events[2:-2]:
        data = event.data
        assert ID.match(data["id"])
        assert data["chat_id"] == chat["id"]
        assert data["conversation_id"] == chat["conversation_id"]
        assert data["bot_id"] == ECHO_BOT_ID


def test_follow_up_uses_previous_turn_in_same_conversation(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, DEMO_BOT_ID, WEATHER_Q)
    conv_id = chat_of(first, "created")["conversation_id"]
    second = stream_chat(
        simulator.base_url, DEMO_BOT_ID, "那今天适合户外骑行吗?", conversation_id=conv_id
    )
    assert chat_of(second, "created")["conversation_id"] == conv_id
    assert "根据刚才查到的北京天气" in answer_text(second)
    assert completed(second, "function_call") == []
    record = simulator.last_request("/v3/chat")
    assert record is not None
    assert record.query == {"conversation_id": conv_id}


def test_conversation_id_in_body_is_ignored(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, DEMO_BOT_ID, "上海今天天气怎么样？")
    conv_id = chat_of(first, "created")["conversation_id"]
    second = stream_chat(
        simulator.base_url, DEMO_BOT_ID, "那今天适合户外骑行吗?", conversation_id=""
    )
    assert chat_of(second, "created")["conversation_id"] != conv_id
    with client(simulator.base_url) as http:
        body = chat_body(DEMO_BOT_ID, "那今天适合户外骑行吗?", conversation_id=conv_id)
        text = http.post("/v3/chat", json=body).text
    assert conv_id not in text
    assert "根据刚才查到" not in text


def test_clear_conversation_resets_context(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, DEMO_BOT_ID, WEATHER_Q)
    conv_id = chat_of(first, "created")["conversation_id"]
    with client(simulator.base_url) as http:
        cleared = http.post(f"/v1/conversations/{conv_id}/clear").json()
    assert cleared["code"] == 0
    assert cleared["data"]["conversation_id"] == conv_id
    again = stream_chat(
        simulator.base_url, DEMO_BOT_ID, "那今天适合户外骑行吗?", conversation_id=conv_id
    )
    assert chat_of(again, "created")["section_id"] == cleared["data"]["id"]
    assert "根据刚才查到" not in answer_text(again)
    assert completed(again, "function_call"), "without context the bot looks the weather up again"


def test_echo_counts_turns(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, ECHO_BOT_ID, "one")
    conv_id = chat_of(first, "created")["conversation_id"]
    second = stream_chat(simulator.base_url, ECHO_BOT_ID, "two", conversation_id=conv_id)
    assert answer_text(first) == "Echo: one\n\n(turn 1 in this conversation)"
    assert answer_text(second) == "Echo: two\n\n(turn 2 in this conversation)"
    assert len([e for e in second if e.name == "conversation.message.delta"]) > 3


def test_context_lost_bot_starts_a_new_conversation_each_time(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, CONTEXT_LOST_BOT_ID, "one")
    conv_id = chat_of(first, "created")["conversation_id"]
    second = stream_chat(simulator.base_url, CONTEXT_LOST_BOT_ID, "two", conversation_id=conv_id)
    assert chat_of(second, "created")["conversation_id"] != conv_id
    assert "(turn 1 in this conversation)" in answer_text(second)


def test_long_bot_honours_size_and_deltas(simulator: Simulator) -> None:
    variables = {"deltas": "20000", "size": "200000"}
    events = stream_chat(simulator.base_url, LONG_BOT_ID, "long", custom_variables=variables)
    deltas = [e for e in events if e.name == "conversation.message.delta"]
    assert len(deltas) == 20000
    text = answer_text(events)
    assert len(text) == 200000
    assert text == completed(events, "answer")[0]["content"]
    assert text.startswith("## Section 1")


def test_long_bot_streams_200k_deltas_quickly(simulator: Simulator) -> None:
    body = chat_body(LONG_BOT_ID, "bench", custom_variables={"deltas": "200000", "size": "400000"})
    started = time.perf_counter()
    with client(simulator.base_url) as http, http.stream("POST", "/v3/chat", json=body) as response:
        raw = b"".join(response.iter_raw())
    elapsed = time.perf_counter() - started
    assert raw.count(b"event:conversation.message.delta\n") == 200000
    assert raw.endswith(b'event:done\ndata:"[DONE]"\n\n')
    assert elapsed < 10


def test_slow_bot_paces_deltas(simulator: Simulator) -> None:
    body = chat_body(SLOW_BOT_ID, "slow", custom_variables={"delay_ms": "20"})
    arrivals = []
    with client(simulator.base_url) as http, http.stream("POST", "/v3/chat", json=body) as response:
        for line in response.iter_lines():
            if line == "event:conversation.message.delta":
                arrivals.append(time.perf_counter())
            if len(arrivals) == 6:
                break
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert min(gaps) > 0.01, gaps


def test_non_stream_chat_completes_in_background(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        created = http.post("/v3/chat", json=chat_body(DEMO_BOT_ID, WEATHER_Q, stream=False))
        assert created.headers["content-type"].startswith("application/json")
        chat = created.json()["data"]
        assert chat["status"] == "in_progress"
        params = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
        seen = [http.get("/v3/chat/retrieve", params=params).json()["data"]["status"]]
        while seen[-1] == "in_progress":
            time.sleep(0.05)
            seen.append(http.get("/v3/chat/retrieve", params=params).json()["data"]["status"])
        final = http.get("/v3/chat/retrieve", params=params).json()["data"]
        messages = http.get("/v3/chat/message/list", params=params).json()["data"]
    assert seen[0] == "in_progress"
    assert seen[-1] == "completed"
    assert final["usage"]["output_count"] > 0
    types = [m["type"] for m in messages]
    assert "question" not in types
    assert types.count("answer") == 1
    assert "verbose" in types
    assert types.count("follow_up") == 3


def test_cancel_in_progress_then_completed_gives_4104(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        chat = http.post("/v3/chat", json=chat_body(ECHO_BOT_ID, "x", stream=False)).json()["data"]
        ids = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
        canceled = http.post("/v3/chat/cancel", json=ids).json()
        assert canceled["data"]["status"] == "canceled"
        assert simulator.wait_for_background()  # the chat's background run has given up
        assert http.get("/v3/chat/retrieve", params=ids).json()["data"]["status"] == "canceled"
        done = stream_chat(simulator.base_url, ECHO_BOT_ID, "y")
        done_ids = {
            "conversation_id": chat_of(done, "completed")["conversation_id"],
            "chat_id": chat_of(done, "completed")["id"],
        }
        refused = http.post("/v3/chat/cancel", json=done_ids)
    assert refused.json()["code"] == 4104


def test_unknown_chat_is_4200(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        body = http.get("/v3/chat/retrieve", params={"conversation_id": "1", "chat_id": "2"}).json()
    assert body["code"] == 4200
    assert body["detail"]["logid"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer pat_wrong"},
        {"Authorization": DEMO_TOKEN},
        {"Authorization": f"Bearer  {DEMO_TOKEN}"},
    ],
)
def test_wrong_token_is_401_4100(simulator: Simulator, headers: dict[str, str]) -> None:
    with client(simulator.base_url) as http:
        http.headers.pop("Authorization")
        response = http.post("/v3/chat", json=chat_body(ECHO_BOT_ID, "x"), headers=headers)
    body = response.json()
    assert response.status_code == 401
    assert body["code"] == 4100
    assert body["msg"] == "authentication is invalid"
    assert body["detail"]["logid"] == response.headers["x-tt-logid"]


def test_every_response_has_a_fresh_logid(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        first = http.get("/v1/workspaces")
        second = http.get("/v1/bots/0")
    assert re.match(r"^\d{14}[0-9A-F]{18}$", first.headers["x-tt-logid"])
    assert first.headers["x-tt-logid"] != second.headers["x-tt-logid"]


def test_studio_and_buffered_dialects(simulator: Simulator) -> None:
    from desktop.simulator.bots import BUFFERED_BOT_ID, STUDIO_BOT_ID

    with client(simulator.base_url) as http:
        body = chat_body(STUDIO_BOT_ID, "hi")
        del body["stream"]  # Coze Studio streams when stream is omitted
        text = http.post("/v3/chat", json=body).text
    assert text.endswith("event:conversation.stream.done\ndata:\n\n")
    assert "event:done" not in text
    assert "last_error" not in text
    buffered = stream_chat(simulator.base_url, BUFFERED_BOT_ID, "all at once")
    assert answer_text(buffered).startswith("Echo: all at once")


def _abandon_slow_stream(base_url: str, delay_ms: str) -> dict[str, str]:
    """Start a slow stream, read the chat ids and a few deltas, then hang up."""
    body = chat_body(SLOW_BOT_ID, "slow", custom_variables={"delay_ms": delay_ms})
    ids: dict[str, str] = {}
    with client(base_url) as http, http.stream("POST", "/v3/chat", json=body) as response:
        for line in response.iter_lines():
            if line.startswith("data:") and not ids:
                chat = json.loads(line[5:])
                ids = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
            if line.startswith("data:") and '"type":"answer"' in line:
                break
    return ids


def test_abandoned_stream_keeps_generating_until_canceled(simulator: Simulator) -> None:
    ids = _abandon_slow_stream(simulator.base_url, "5")
    with client(simulator.base_url) as http:
        deadline = time.monotonic() + 10
        status = "in_progress"
        while status == "in_progress" and time.monotonic() < deadline:
            time.sleep(0.05)
            status = http.get("/v3/chat/retrieve", params=ids).json()["data"]["status"]
        assert status == "completed"
        ids = _abandon_slow_stream(simulator.base_url, "50")
        canceled = http.post("/v3/chat/cancel", json=ids).json()
        # Time is what is tested: four more deltas' worth (50 ms each), over which a stream
        # that was not stopped would have gone on.
        time.sleep(4 * 0.05)
        after = http.get("/v3/chat/retrieve", params=ids).json()["data"]
    assert canceled["data"]["status"] == "canceled"
    assert after["status"] == "canceled"
