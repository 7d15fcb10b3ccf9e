"""Each fault bot fails exactly the way the catalogue promises, on the wire."""

from __future__ import annotations

import time

import httpx
import pytest

from desktop.simulator import Simulator
from desktop.simulator import bots as b
from tests.integration.sim_helpers import (
    answer_text,
    chat_body,
    chat_of,
    client,
    names,
    parse_sse,
    stream_chat,
)


@pytest.mark.parametrize(
    ("bot_id", "status", "code"),
    [
        (b.FAULT_BAD_REQUEST_BOT_ID, 400, 4000),
        (b.FAULT_PERMISSION_BOT_ID, 403, 4101),
        (b.FAULT_NOT_PUBLISHED_BOT_ID, 200, 4200),
        (b.FAULT_RATE_LIMIT_BOT_ID, 429, 4020),
        (b.FAULT_SERVER_ERROR_BOT_ID, 500, 5000),
        (b.FAULT_BUSY_BOT_ID, 200, 4016),
    ],
)
@pytest.mark.parametrize("stream", [True, False])
def test_json_error_faults(
    simulator: Simulator, bot_id: str, status: int, code: int, stream: bool
) -> None:
    with client(simulator.base_url) as http:
        responses = [
            http.post("/v3/chat", json=chat_body(bot_id, "x", stream=stream)) for _ in range(2)
        ]
    for response in responses:
        body = response.json()
        assert response.status_code == status
        assert body["code"] == code
        assert body["msg"]
        assert response.headers["content-type"].startswith("application/json")
        assert body["detail"]["logid"] == response.headers["x-tt-logid"]
    if code == 4020:
        assert responses[0].headers["retry-after"] == "1"
    if code == 4200:
        assert "not currently published" in responses[0].json()["msg"]


@pytest.mark.parametrize(
    ("bot_id", "status"),
    [(b.FAULT_RATE_LIMIT_ONCE_BOT_ID, 429), (b.FAULT_SERVER_ERROR_ONCE_BOT_ID, 500)],
)
def test_once_faults_fail_only_the_first_call(bot_id: str, status: int) -> None:
    for _ in range(2):  # per Simulator instance
        with Simulator(delay_scale=0.0) as sim, client(sim.base_url) as http:
            first = http.post("/v3/chat", json=chat_body(bot_id, "x"))
            second = http.post("/v3/chat", json=chat_body(bot_id, "again"))
            assert first.status_code == status
            assert answer_text(parse_sse(second.text)).startswith("Echo: again")


def test_quota_fault_is_a_failed_chat(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, b.FAULT_QUOTA_BOT_ID, "x")
    assert names(events) == [
        "conversation.chat.created",
        "conversation.chat.in_progress",
        "conversation.chat.failed",
        "done",
    ]
    failed = chat_of(events, "failed")
    assert failed["status"] == "failed"
    assert failed["last_error"]["code"] == 4028


def test_chat_failed_fault_after_some_deltas(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, b.FAULT_CHAT_FAILED_BOT_ID, "x")
    assert answer_text(events)
    assert chat_of(events, "failed")["last_error"] == {"code": 5000, "msg": "event interval error"}
    assert events[-1].name == "done"


def test_chat_failed_non_stream_is_visible_on_retrieve(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        chat = http.post(
            "/v3/chat", json=chat_body(b.FAULT_QUOTA_BOT_ID, "x", stream=False)
        ).json()["data"]
        params = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
        deadline = time.monotonic() + 5
        while chat["status"] == "in_progress" and time.monotonic() < deadline:
            time.sleep(0.05)
            chat = http.get("/v3/chat/retrieve", params=params).json()["data"]
    assert chat["status"] == "failed"
    assert chat["last_error"]["code"] == 4028


def test_error_event_fault(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, b.FAULT_ERROR_EVENT_BOT_ID, "x")
    assert answer_text(events)
    assert events[-1].name == "error"
    assert events[-1].data["code"] == 5000
    assert "done" not in names(events)
    assert "conversation.chat.completed" not in names(events)


def test_drop_fault_cuts_the_chunked_body(simulator: Simulator) -> None:
    received = bytearray()
    body = chat_body(b.FAULT_DROP_BOT_ID, "x")
    with client(simulator.base_url) as http:
        with (  # noqa: PT012 - the drop comes in the middle of reading the body
            pytest.raises(httpx.RemoteProtocolError),
            http.stream("POST", "/v3/chat", json=body) as response,
        ):
            assert response.status_code == 200
            for chunk in response.iter_raw():
                received += chunk
        assert b"event:conversation.message.delta" in received
        assert b"event:done" not in received
        assert (
            http.get("/v1/workspaces").json()["code"] == 0
        )  # the client recovers on a new connection


def test_stall_fault_goes_silent_until_the_client_gives_up(simulator: Simulator) -> None:
    received = bytearray()
    started = time.monotonic()
    body = chat_body(b.FAULT_STALL_BOT_ID, "x")
    with (  # noqa: PT012 - the stall comes in the middle of reading the body
        client(simulator.base_url, timeout=httpx.Timeout(5, read=0.5)) as http,
        pytest.raises(httpx.ReadTimeout),
        http.stream("POST", "/v3/chat", json=body) as response,
    ):
        for chunk in response.iter_raw():
            received += chunk
    assert b"event:conversation.message.delta" in received
    assert time.monotonic() - started < 3


def test_stall_cap_ends_the_stream() -> None:
    with (
        Simulator(delay_scale=0.0, stall_cap=0.4) as sim,
        client(sim.base_url) as http,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        http.post("/v3/chat", json=chat_body(b.FAULT_STALL_BOT_ID, "x"))


def test_bare_json_fault(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        response = http.post("/v3/chat", json=chat_body(b.FAULT_BARE_JSON_BOT_ID, "x"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    assert response.text.strip() == '{"code":4100,"msg":"authentication is invalid"}'


def test_gateway_html_fault(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        response = http.post("/v3/chat", json=chat_body(b.FAULT_GATEWAY_HTML_BOT_ID, "x"))
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in response.text
    assert "nginx" in response.text
    assert response.headers["x-tt-logid"]


def test_studio_error_fault(simulator: Simulator) -> None:
    """An unpublished agent on Coze Studio: one error event whose msg is Go's err.Error()."""
    events = stream_chat(simulator.base_url, b.FAULT_STUDIO_ERROR_BOT_ID, "x")
    assert names(events) == ["error"]
    assert events[0].data["code"] == 103100001
    head, _, stack = events[0].data["msg"].partition("\nstack=")
    assert head.startswith("code=100000000 message=agent not published, agentID=")
    assert stack.count("\n") >= 10


def test_bot_info_shows_access_faults(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        denied = http.get(f"/v1/bots/{b.FAULT_PERMISSION_BOT_ID}")
        unpublished = http.get(f"/v1/bots/{b.FAULT_NOT_PUBLISHED_BOT_ID}").json()
    assert denied.status_code == 403
    assert denied.json()["code"] == 4101
    assert unpublished["code"] == 4200
