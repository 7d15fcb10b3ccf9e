"""The simulator's other endpoints, its request log, and how it behaves as a server."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time

import httpx

from desktop.simulator import Simulator
from desktop.simulator.bots import (
    BUFFERED_BOT_ID,
    DEMO_BOT_ID,
    DEMO_TOKEN,
    ECHO_BOT_ID,
    FAULT_STALL_BOT_ID,
    TOOL_BOT_ID,
)
from tests.integration.sim_helpers import (
    AUTH,
    answer_text,
    chat_body,
    chat_of,
    client,
    parse_sse,
    stream_chat,
)
from tests.waiting import wait_until


def test_conversation_create_retrieve_list(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        created = http.post("/v1/conversation/create", json={"bot_id": ECHO_BOT_ID}).json()["data"]
        got = http.get(
            "/v1/conversation/retrieve", params={"conversation_id": created["id"]}
        ).json()
        listed = http.get(
            "/v1/conversations", params={"bot_id": ECHO_BOT_ID, "page_size": 50}
        ).json()
        missing = http.get("/v1/conversation/retrieve", params={"conversation_id": "123"}).json()
    assert got["data"]["id"] == created["id"]
    assert created["last_section_id"]
    assert created["id"] in [c["id"] for c in listed["data"]["conversations"]]
    assert listed["data"]["has_more"] is False
    assert missing["code"] == 4200


def test_message_history_paging(simulator: Simulator) -> None:
    first = stream_chat(simulator.base_url, ECHO_BOT_ID, "m1")
    conv_id = chat_of(first, "created")["conversation_id"]
    for text in ("m2", "m3"):
        stream_chat(simulator.base_url, ECHO_BOT_ID, text, conversation_id=conv_id)
    url = "/v1/conversation/message/list"
    params = {"conversation_id": conv_id}
    with client(simulator.base_url) as http:
        everything = http.post(url, params=params, json={}).json()
        page1 = http.post(url, params=params, json={"limit": 4}).json()
        page2 = http.post(
            url, params=params, json={"limit": 4, "after_id": page1["last_id"]}
        ).json()
        back = http.post(
            url, params=params, json={"limit": 4, "before_id": page2["first_id"]}
        ).json()
        asc = http.post(url, params=params, json={"order": "asc"}).json()
    contents = [m["content"] for m in everything["data"]]
    assert [m["type"] for m in everything["data"]] == ["answer", "question"] * 3
    assert contents[1] == "m3"
    assert contents[-1] == "m1"
    assert page1["has_more"] is True
    assert len(page1["data"]) == 4
    assert page1["first_id"] == page1["data"][0]["id"]
    assert page1["last_id"] == page1["data"][-1]["id"]
    assert [m["id"] for m in page1["data"] + page2["data"]] == [m["id"] for m in everything["data"]]
    assert page2["has_more"] is False
    assert [m["id"] for m in back["data"]] == [m["id"] for m in page1["data"]]
    assert asc["data"][0]["content"] == "m1"


def test_tool_bot_requires_action_then_submit(simulator: Simulator) -> None:
    events = stream_chat(simulator.base_url, TOOL_BOT_ID, "what time is it?")
    assert [e.name for e in events][-2:] == ["conversation.chat.requires_action", "done"]
    chat = chat_of(events, "requires_action")
    call = chat["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    assert call["function"]["name"] == "get_local_time"
    assert json.loads(call["function"]["arguments"])
    params = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
    with client(simulator.base_url) as http:
        wrong = http.post(
            "/v3/chat/submit_tool_outputs",
            params=params,
            json={"tool_outputs": [{"tool_call_id": "nope", "output": "x"}], "stream": True},
        )
        body = {"tool_outputs": [{"tool_call_id": call["id"], "output": "10:30"}], "stream": True}
        resumed = http.post("/v3/chat/submit_tool_outputs", params=params, json=body)
    assert wrong.status_code == 400
    assert wrong.json()["code"] == 4000
    after = parse_sse(resumed.text)
    assert chat_of(after, "completed")["id"] == chat["id"]
    assert "10:30" in answer_text(after)
    assert after[-1].name == "done"


def test_tool_bot_non_stream_round_trip(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        chat = http.post("/v3/chat", json=chat_body(TOOL_BOT_ID, "time?", stream=False)).json()[
            "data"
        ]
        params = {"conversation_id": chat["conversation_id"], "chat_id": chat["id"]}
        chat = _poll(http, params)
        assert chat["status"] == "requires_action"
        call_id = chat["required_action"]["submit_tool_outputs"]["tool_calls"][0]["id"]
        body = {"tool_outputs": [{"tool_call_id": call_id, "output": "09:15"}], "stream": False}
        submitted = http.post("/v3/chat/submit_tool_outputs", params=params, json=body).json()
        assert submitted["data"]["status"] == "in_progress"
        assert _poll(http, params)["status"] == "completed"
        answers = [
            m["content"]
            for m in http.get("/v3/chat/message/list", params=params).json()["data"]
            if m["type"] == "answer"
        ]
    assert "09:15" in answers[0]


def _poll(http: httpx.Client, params: dict[str, str]) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        chat = http.get("/v3/chat/retrieve", params=params).json()["data"]
        if chat["status"] != "in_progress":
            return chat
        time.sleep(0.05)
    raise AssertionError("chat never left in_progress")


def test_file_upload_bot_info_and_workspaces(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        uploaded = http.post(
            "/v1/files/upload", files={"file": ("notes.txt", b"hello world")}
        ).json()
        bot = http.get(f"/v1/bots/{DEMO_BOT_ID}").json()
        unknown = http.get("/v1/bots/7000000000000000000").json()
        spaces = http.get("/v1/workspaces").json()
    assert uploaded["data"]["bytes"] == 11
    assert uploaded["data"]["file_name"] == "notes.txt"
    assert bot["data"]["bot_id"] == DEMO_BOT_ID
    assert bot["data"]["onboarding_info"]["suggested_questions"]
    assert unknown["code"] == 4200
    assert "does not exist" in unknown["msg"]
    assert spaces["data"]["total_count"] == 1


def test_unknown_bot_and_bad_bodies(simulator: Simulator) -> None:
    with client(simulator.base_url) as http:
        unknown = http.post("/v3/chat", json=chat_body("7000000000000000001", "x"))
        not_json = http.post(
            "/v3/chat", content=b"{nope", headers={"Content-Type": "application/json"}
        )
        no_user_msg = http.post(
            "/v3/chat", json=chat_body(ECHO_BOT_ID, "x", additional_messages=[])
        )
        missing = http.get("/v9/nothing")
    assert unknown.status_code == 200
    assert unknown.json()["code"] == 4200
    assert "bot_id=7000000000000000001 does not exist" in unknown.json()["msg"]
    assert not_json.status_code == 400
    assert not_json.json()["code"] == 4000
    assert no_user_msg.json()["code"] == 4000
    assert missing.status_code == 404


def test_requests_are_recorded_with_masked_token(simulator: Simulator) -> None:
    simulator.clear_requests()
    stream_chat(simulator.base_url, ECHO_BOT_ID, "record me", conversation_id="7499999999999999999")
    record = simulator.last_request("/v3/chat")
    assert record is not None
    assert record.method == "POST"
    assert record.query == {"conversation_id": "7499999999999999999"}
    assert record.json["stream"] is True
    assert record.json["bot_id"] == ECHO_BOT_ID
    assert record.auth_ok
    assert DEMO_TOKEN not in record.headers["authorization"]
    assert record.headers["authorization"].startswith("Bearer pat_")


def test_keep_alive_reuses_one_connection(simulator: Simulator) -> None:
    conn = http.client.HTTPConnection(simulator.base_url.removeprefix("http://"), timeout=10)
    try:
        body = json.dumps(chat_body(ECHO_BOT_ID, "keep")).encode()
        headers = {**AUTH, "Content-Type": "application/json"}
        conn.request("POST", "/v3/chat", body=body, headers=headers)
        sock = conn.sock
        first = conn.getresponse().read().decode()
        conn.request("GET", "/v1/workspaces", headers=AUTH)
        second = json.loads(conn.getresponse().read())
        conn.request(
            "POST", "/v3/chat", body=body, headers={**headers, "Authorization": "Bearer x"}
        )
        third = conn.getresponse()
        third.read()
        assert conn.sock is sock
    finally:
        conn.close()
    assert first.endswith('event:done\ndata:"[DONE]"\n\n')
    assert second["code"] == 0
    assert third.status == 401


def test_concurrent_streams(simulator: Simulator) -> None:
    results: list[str] = []

    def one(i: int) -> None:
        results.append(answer_text(stream_chat(simulator.base_url, ECHO_BOT_ID, f"c{i}")))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(r.split("\n")[0] for r in results) == sorted(f"Echo: c{i}" for i in range(16))


def test_buffered_bot_sends_everything_at_once() -> None:
    with Simulator(delay_scale=0.0) as sim, client(sim.base_url) as http:
        body = chat_body(BUFFERED_BOT_ID, "buffer me please", custom_variables={"delay_ms": "30"})
        started = time.perf_counter()
        with http.stream("POST", "/v3/chat", json=body) as response:
            headers_at = time.perf_counter() - started
            raw = b"".join(response.iter_raw())
        total = time.perf_counter() - started
    assert headers_at > 0.15, "headers wait for the whole stream"
    assert total - headers_at < 0.1
    assert raw.endswith(b'event:done\ndata:"[DONE]"\n\n')


def test_stop_cuts_open_streams_promptly() -> None:
    sim = Simulator(delay_scale=0.0)
    sim.start()
    errors: list[BaseException] = []

    def stalled() -> None:
        try:
            with client(sim.base_url, timeout=30) as http:
                http.post("/v3/chat", json=chat_body(FAULT_STALL_BOT_ID, "x"))
        except httpx.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=stalled)
    thread.start()
    wait_until(lambda: sim.last_request("/v3/chat") is not None, what="the stalled request")
    started = time.perf_counter()
    sim.stop()
    thread.join(timeout=5)
    assert time.perf_counter() - started < 3
    assert errors
    assert not thread.is_alive()
    try:
        httpx.get(sim.base_url + "/v1/workspaces", timeout=2)
        raise AssertionError("server still answering after stop()")
    except httpx.ConnectError:
        pass


def test_python_dash_m_prints_base_url_and_serves() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "desktop.simulator", "--port", "0", "--delay-scale", "0"],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:  # closes the pipe
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()
            base_url = first.strip().rsplit(" ", 1)[-1]
            assert base_url.startswith("http://127.0.0.1:")
            assert DEMO_TOKEN in proc.stdout.readline()
            events = stream_chat(base_url, ECHO_BOT_ID, "cli")
            assert answer_text(events).startswith("Echo: cli")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
