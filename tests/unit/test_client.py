"""CozeClient against httpx.MockTransport: wire shape, stream endings, errors, retries, cleanup."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.api import errors as e
from desktop.api import events as ev
from desktop.api.client import REGION_BASE_URLS, ChatRequest, ClientConfig, CozeClient
from desktop.netlog import NetLog, to_curl, to_har, to_jsonl

DATA = Path(__file__).parent / "data"
TOKEN = "pat_" + "k9" * 32 + "wxyz"
BASE = "https://api.coze.cn"
SSE = {"content-type": "text/event-stream", "x-tt-logid": "LOGSTREAM"}
JSON = {"content-type": "application/json", "x-tt-logid": "LOGJSON"}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler answering from a queue (the last answer repeats)."""

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def body(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


class Chunks(httpx.AsyncByteStream):
    """A response body delivered in chunks, optionally failing afterwards; tracks closing."""

    def __init__(self, chunks: list[bytes], fail: Exception | None = None) -> None:
        self.chunks, self.fail, self.closed = chunks, fail, False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk
        if self.fail is not None:
            raise self.fail

    async def aclose(self) -> None:
        self.closed = True


def vector(name: str) -> bytes:
    return (DATA / name).read_bytes()


def sse(body: bytes | Chunks, status: int = 200) -> httpx.Response:
    if isinstance(body, Chunks):
        return httpx.Response(status, headers=SSE, stream=body)
    return httpx.Response(status, headers=SSE, content=body)


def ok(data: Any, **extra: Any) -> httpx.Response:
    payload = {"code": 0, "msg": "", "data": data, "detail": {"logid": "BODYLOG"}, **extra}
    return httpx.Response(200, headers=JSON, json=payload)


def fail(status: int, code: int, msg: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(
        status, headers={**JSON, **(headers or {})}, json={"code": code, "msg": msg}
    )


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make(sleeps: list[float]) -> Callable[..., CozeClient]:
    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def factory(recorder: Recorder, token: str = TOKEN, **config: Any) -> CozeClient:
        return CozeClient(
            ClientConfig(config.pop("base_url", BASE), token, **config),
            netlog=NetLog(),
            transport=httpx.MockTransport(recorder),
            sleep=fake_sleep,
        )

    return factory


async def collect(stream: AsyncIterator[ev.StreamEvent], out: list[ev.StreamEvent]) -> None:
    """The stream's Coze events into ``out``; its first item (``StreamOpened``) checked, not kept."""
    async with contextlib.aclosing(stream) as events:  # type: ignore[type-var]
        first = True
        async for item in events:
            if first:
                assert isinstance(item, ev.StreamOpened), item
                first = False
                continue
            out.append(item)


REQ = ChatRequest(bot_id="7379462189365198898", user_id="u1", text="hi", conversation_id="C1")


# -- streaming chat: request shape and normal endings ---------------------------------------------


@pytest.mark.asyncio
async def test_stream_chat_request_shape(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(sse(vector("vector_a_text.txt")))
    client = make(rec)
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    request = rec.requests[0]
    assert request.method == "POST"
    assert request.url.path == "/v3/chat"
    assert request.url.params["conversation_id"] == "C1"  # query, not body
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    body = rec.body()
    assert "conversation_id" not in body
    assert body["stream"] is True
    assert body["bot_id"] == "7379462189365198898"
    assert body["additional_messages"] == [
        {"role": "user", "type": "question", "content": "hi", "content_type": "text"}
    ]
    timeout = request.extensions["timeout"]
    assert timeout == {"connect": 10.0, "read": 120.0, "write": 10.0, "pool": 10.0}


@pytest.mark.asyncio
async def test_unterminated_done_is_delivered_and_logged(make: Callable[..., CozeClient]) -> None:
    client = make(Recorder(sse(vector("vector_a_text.txt"))))
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert len(out) == 9
    assert isinstance(out[-1], ev.DoneEvent)
    (ex,) = client.netlog.exchanges()
    assert ex.done
    assert ex.error is None
    assert ex.event_count == 9
    assert ex.log_id == "LOGSTREAM"
    assert ex.is_stream
    assert ex.status == 200
    assert ex.frames[2].event == "conversation.message.delta"


@pytest.mark.asyncio
async def test_the_stream_announces_its_exchange_first(make: Callable[..., CozeClient]) -> None:
    client = make(Recorder(sse(vector("vector_a_text.txt"))))
    req = ChatRequest(bot_id="7379462189365198898", user_id="u1", text="hi",
                      context={"session_id": "12"})  # fmt: skip
    async with contextlib.aclosing(client.stream_chat(req)) as events:
        first = await anext(events)
        (ex,) = client.netlog.exchanges()
        assert isinstance(first, ev.StreamOpened)
        assert first.exchange is ex
        assert ex.log_id == "LOGSTREAM"
        assert ex.event_count == 0  # before any frame is read
        assert ex.context["session_id"] == "12"  # the request's own labels, in the log
        rest = [item async for item in events]
    assert not any(isinstance(item, ev.StreamOpened) for item in rest)
    assert isinstance(rest[-1], ev.DoneEvent)


@pytest.mark.asyncio
async def test_eof_after_completed_without_done_is_a_normal_end(
    make: Callable[..., CozeClient],
) -> None:
    body = vector("vector_a_text.txt").split(b"event:done")[0]
    client = make(Recorder(sse(body)))
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert isinstance(out[-1], ev.ChatEvent)
    assert out[-1].chat.status == "completed"


@pytest.mark.asyncio
async def test_failed_chat_ends_the_stream_normally(make: Callable[..., CozeClient]) -> None:
    client = make(Recorder(sse(vector("vector_b_failed.txt"))))
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    (item,) = out
    assert isinstance(item, ev.ChatEvent)
    assert e.ChatFailedError.from_chat(item.chat).diagnosis.key == "event_interval"


@pytest.mark.asyncio
async def test_studio_stream_done_with_empty_data(make: Callable[..., CozeClient]) -> None:
    body = (
        b'event:conversation.chat.created\ndata:{"id":"1","conversation_id":"2","status":"created"}\n\n'
        b'event:conversation.message.delta\ndata:{"id":"m","content":"hi"}\n\n'
        b"event:conversation.stream.done\ndata:\n\n"
    )
    client = make(Recorder(sse(body)), base_url="http://localhost:8888")
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert isinstance(out[-1], ev.DoneEvent)
    assert str(client.netlog.exchanges()[0].url).startswith("http://localhost:8888/v3/chat")


@pytest.mark.asyncio
async def test_unknown_events_are_yielded(make: Callable[..., CozeClient]) -> None:
    body = vector("vector_b3_unknown.txt") + b"\n\n" + vector("vector_b_failed.txt")
    client = make(Recorder(sse(body)))
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert out[0] == ev.UnknownEvent("invalid", "{}")


# -- streaming chat: errors -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_error_event_is_yielded_then_raised(make: Callable[..., CozeClient]) -> None:
    body = b'event:conversation.chat.created\ndata:{"id":"1","status":"created"}\n\n'
    body += b'event:error\ndata:{"code":5000,"msg":"boom"}\n\n'
    client = make(Recorder(sse(body)))
    out: list[ev.StreamEvent] = []
    with pytest.raises(e.StreamErrorEvent) as info:
        await collect(client.stream_chat(REQ), out)
    assert out[-1] == ev.ErrorEvent(5000, "boom")
    assert (info.value.code, info.value.log_id) == (5000, "LOGSTREAM")
    assert info.value.diagnosis.key == "server_error"
    assert client.netlog.exchanges()[0].error is info.value


@pytest.mark.asyncio
async def test_bare_json_in_an_event_stream_is_an_error(make: Callable[..., CozeClient]) -> None:
    client = make(Recorder(sse(b'{"code":4100,"msg":"authentication is invalid"}')))
    with pytest.raises(e.StreamErrorEvent) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.code == 4100
    assert info.value.diagnosis.key == "auth_invalid"
    assert "coze.com" in info.value.diagnosis.fix_en  # region advice: this profile is on .cn


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [200, 401])
async def test_json_error_body_on_a_stream_request(
    make: Callable[..., CozeClient], status: int
) -> None:
    rec = Recorder(fail(status, 4100, "authentication is invalid"))
    client = make(rec)
    with pytest.raises(e.AuthError) as info:
        await collect(client.stream_chat(REQ), [])
    assert (info.value.status, info.value.code, info.value.log_id) == (status, 4100, "LOGJSON")
    assert len(rec.requests) == 1  # an answer from Coze is final: no retry


@pytest.mark.asyncio
async def test_json_success_on_a_stream_request_is_unexpected(
    make: Callable[..., CozeClient],
) -> None:
    client = make(Recorder(ok({"id": "1"})))
    with pytest.raises(e.CozeAPIError) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.diagnosis.key == "unexpected_response"


@pytest.mark.asyncio
async def test_not_published_message_is_diagnosed(make: Callable[..., CozeClient]) -> None:
    msg = "The Bot is not currently published to the corresponding platform"
    client = make(Recorder(fail(200, 4200, msg)))
    with pytest.raises(e.NotFoundError) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.diagnosis.key == "bot_not_published"


@pytest.mark.asyncio
async def test_stream_cut_before_completion(make: Callable[..., CozeClient]) -> None:
    head = vector("vector_a_text.txt").split(b"event:conversation.message.completed")[0]
    stream = Chunks([head], fail=httpx.RemoteProtocolError("incomplete chunked read"))
    rec = Recorder(sse(stream))
    client = make(rec)
    out: list[ev.StreamEvent] = []
    with pytest.raises(e.StreamCutError) as info:
        await collect(client.stream_chat(REQ), out)
    assert info.value.partial
    assert len(out) == 6
    assert info.value.log_id == "LOGSTREAM"
    assert "HTTP 200" in str(info.value)
    assert "log id LOGSTREAM" in str(info.value)
    assert len(rec.requests) == 1  # never retried mid-stream
    assert stream.closed


@pytest.mark.asyncio
async def test_clean_eof_before_completion_is_a_cut(make: Callable[..., CozeClient]) -> None:
    head = vector("vector_a_text.txt").split(b"event:conversation.message.completed")[0]
    client = make(Recorder(sse(head)))
    with pytest.raises(e.StreamCutError):
        await collect(client.stream_chat(REQ), [])


@pytest.mark.asyncio
async def test_stall_mid_stream_is_a_partial_timeout(make: Callable[..., CozeClient]) -> None:
    head = vector("vector_a_text.txt")[:600]
    client = make(Recorder(sse(Chunks([head], fail=httpx.ReadTimeout("timed out")))))
    with pytest.raises(e.CozeTimeoutError) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.partial
    assert info.value.diagnosis.key == "stream_stalled"


@pytest.mark.asyncio
async def test_drop_after_completion_is_not_an_error(make: Callable[..., CozeClient]) -> None:
    body = vector("vector_a_text.txt").split(b"event:done")[0]
    client = make(Recorder(sse(Chunks([body], fail=httpx.ReadError("reset")))))
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert client.netlog.exchanges()[0].error is None


@pytest.mark.asyncio
async def test_closing_the_generator_early_closes_the_response(
    make: Callable[..., CozeClient],
) -> None:
    stream = Chunks([vector("vector_a_text.txt")])
    client = make(Recorder(sse(stream)))
    async with contextlib.aclosing(client.stream_chat(REQ)) as events:
        async for _ in events:
            break
    assert stream.closed
    (ex,) = client.netlog.exchanges()
    assert ex.done
    assert ex.cancelled
    assert ex.error is None


@pytest.mark.asyncio
async def test_nothing_is_sent_until_iteration(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(sse(vector("vector_a_text.txt")))
    client = make(rec)
    stream = client.stream_chat(REQ)
    assert rec.requests == []
    await stream.aclose()  # type: ignore[attr-defined]
    assert rec.requests == []


# -- retries --------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_honours_retry_after_then_succeeds(
    make: Callable[..., CozeClient], sleeps: list[float]
) -> None:
    limited = fail(429, 4020, "rpm over quota", {"retry-after": "1"})
    rec = Recorder(limited, sse(vector("vector_a_text.txt")))
    client = make(rec)
    out: list[ev.StreamEvent] = []
    await collect(client.stream_chat(REQ), out)
    assert sleeps == [1.0]
    first, second = client.netlog.exchanges()
    assert (first.attempt, first.status, second.attempt, second.status) == (1, 429, 2, 200)
    assert isinstance(first.error, e.RateLimitError)
    assert second.error is None


@pytest.mark.asyncio
async def test_retries_stop_after_three_attempts(
    make: Callable[..., CozeClient], sleeps: list[float]
) -> None:
    page = b"<html><title>502 Bad Gateway</title></html>"
    rec = Recorder(httpx.Response(502, headers={"content-type": "text/html"}, content=page))
    client = make(rec)
    with pytest.raises(e.NotCozeResponseError) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.status == 502
    assert len(rec.requests) == 3
    assert len(sleeps) == 2
    assert sleeps[0] < sleeps[1] <= 4.0  # exponential backoff
    assert [x.attempt for x in client.netlog.exchanges()] == [1, 2, 3]


@pytest.mark.asyncio
async def test_retry_after_beyond_the_cap_is_not_waited_for(
    make: Callable[..., CozeClient], sleeps: list[float]
) -> None:
    rec = Recorder(fail(429, 4020, "slow down", {"retry-after": "30"}))
    client = make(rec)
    with pytest.raises(e.RateLimitError) as info:
        await collect(client.stream_chat(REQ), [])
    assert info.value.retry_after == 30.0
    assert sleeps == []
    assert len(rec.requests) == 1


@pytest.mark.asyncio
async def test_connect_errors_are_retried_then_diagnosed(
    make: Callable[..., CozeClient], sleeps: list[float]
) -> None:
    rec = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    client = make(rec)
    with pytest.raises(e.ConnectRefusedError):
        await client.get_bot("1")
    assert len(rec.requests) == 3
    assert len(sleeps) == 2


@pytest.mark.asyncio
async def test_server_error_once_then_success(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(fail(500, 5000, "internal"), ok({"id": "c", "status": "in_progress"}))
    chat = await make(rec).create_chat(REQ)
    assert chat.id == "c"
    assert len(rec.requests) == 2


@pytest.mark.asyncio
async def test_client_errors_are_not_retried(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(fail(400, 4000, "bad"))
    with pytest.raises(e.BadRequestError):
        await make(rec).create_chat(REQ)
    assert len(rec.requests) == 1


# -- tokens ---------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(("token", "key"), [("", "token_missing"), ("pat_a b", "token_malformed")])
async def test_bad_tokens_are_refused_before_sending(
    make: Callable[..., CozeClient], token: str, key: str
) -> None:
    rec = Recorder(ok({}))
    with pytest.raises(e.AuthError) as info:
        await make(rec, token=token).get_bot("1")
    assert info.value.diagnosis.key == key
    assert rec.requests == []


@pytest.mark.asyncio
async def test_token_never_leaks_into_repr_errors_or_exports(
    make: Callable[..., CozeClient],
) -> None:
    config = ClientConfig(BASE, TOKEN)
    assert TOKEN not in repr(config)
    assert TOKEN not in str(config)
    rec = Recorder(
        fail(401, 4100, f"invalid token {TOKEN}"),
        sse(b'{"code":4100,"msg":"authentication is invalid"}'),
    )
    client = make(rec)
    texts: list[str] = []
    for _ in range(2):
        with pytest.raises(e.CozeError) as info:
            await collect(client.stream_chat(REQ), [])
        texts += [str(info.value), repr(info.value), info.value.describe("zh")]
    exchanges = client.netlog.exchanges()
    texts += [to_jsonl(exchanges), json.dumps(to_har(exchanges)), *map(to_curl, exchanges)]
    assert all(TOKEN not in text and TOKEN[4:24] not in text for text in texts)


# -- non-streaming chat ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_chat_and_poll(make: Callable[..., CozeClient], sleeps: list[float]) -> None:
    running = {"id": "CH", "conversation_id": "CV", "status": "in_progress"}
    done = {**running, "status": "completed", "usage": {"token_count": 3}}
    answer = {"id": "M", "type": "answer", "content": "42", "chat_id": "CH"}
    rec = Recorder(ok(running), ok(running), ok(done), ok([answer]))
    polled: list[str] = []
    chat, messages = await make(rec).chat_and_poll(
        REQ, interval=0.25, on_poll=lambda c: polled.append(c.status)
    )
    assert chat.status == "completed"
    assert [m.content for m in messages] == ["42"]
    assert rec.body(0)["stream"] is False
    assert rec.body(0)["auto_save_history"] is True
    assert [r.url.path for r in rec.requests] == [
        "/v3/chat",
        "/v3/chat/retrieve",
        "/v3/chat/retrieve",
        "/v3/chat/message/list",
    ]
    assert all(r.method == "GET" for r in rec.requests[1:])
    assert dict(rec.requests[1].url.params) == {"conversation_id": "CV", "chat_id": "CH"}
    assert sleeps == [0.25, 0.25]
    assert polled == ["in_progress", "in_progress", "completed"]


@pytest.mark.asyncio
async def test_failed_chat_skips_the_message_list(make: Callable[..., CozeClient]) -> None:
    failed = {"id": "CH", "conversation_id": "CV", "status": "failed",
              "last_error": {"code": 4028, "msg": "quota"}}  # fmt: skip
    rec = Recorder(ok(failed))
    chat, messages = await make(rec).chat_and_poll(REQ)
    assert chat.last_error == ev.LastError(code=4028, msg="quota")
    assert messages == []
    assert len(rec.requests) == 1


@pytest.mark.asyncio
async def test_message_list_error_body_raises_instead_of_parsing(
    make: Callable[..., CozeClient],
) -> None:
    with pytest.raises(e.CozeAPIError) as info:
        await make(Recorder(fail(200, 4200, "chat not found"))).list_chat_messages("CV", "CH")
    assert info.value.code == 4200


@pytest.mark.asyncio
async def test_cancel_sends_ids_in_the_body(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(ok({"id": "CH", "conversation_id": "CV", "status": "canceled"}))
    chat = await make(rec).cancel_chat("CV", "CH")
    assert chat.status == "canceled"
    assert rec.requests[0].url.params == httpx.QueryParams()
    assert rec.body() == {"conversation_id": "CV", "chat_id": "CH"}


@pytest.mark.asyncio
async def test_submit_tool_outputs_streams_with_ids_in_query(
    make: Callable[..., CozeClient],
) -> None:
    rec = Recorder(sse(vector("vector_a_text.txt")))
    out: list[ev.StreamEvent] = []
    await collect(make(rec).submit_tool_outputs("CV", "CH", [("call1", "sunny")]), out)
    request = rec.requests[0]
    assert request.url.path == "/v3/chat/submit_tool_outputs"
    assert dict(request.url.params) == {"conversation_id": "CV", "chat_id": "CH"}
    assert rec.body() == {
        "tool_outputs": [{"tool_call_id": "call1", "output": "sunny"}],
        "stream": True,
    }
    assert isinstance(out[-1], ev.DoneEvent)


# -- conversations, files, bots -------------------------------------------------------------------


@pytest.mark.asyncio
async def test_conversation_calls(make: Callable[..., CozeClient]) -> None:
    conv = {"id": "CV", "created_at": 1, "meta_data": {}, "last_section_id": "S"}
    rec = Recorder(
        ok(conv),
        ok(conv),
        ok({"conversations": [conv], "has_more": True}),
        ok({"id": "S2", "conversation_id": "CV"}),
    )
    client = make(rec)
    assert (await client.create_conversation("B1")).id == "CV"
    assert (await client.retrieve_conversation("CV")).last_section_id == "S"
    items, has_more = await client.list_conversations("B1", page_num=2, page_size=5)
    assert [c.id for c in items] == ["CV"]
    assert has_more
    assert await client.clear_conversation("CV") == "S2"
    create, retrieve, listing, clear = rec.requests
    assert (create.method, create.url.path, rec.body(0)) == (
        "POST",
        "/v1/conversation/create",
        {"bot_id": "B1"},
    )
    assert (retrieve.method, retrieve.url.params["conversation_id"]) == ("GET", "CV")
    assert dict(listing.url.params) == {"bot_id": "B1", "page_num": "2", "page_size": "5"}
    assert (clear.method, clear.url.path) == ("POST", "/v1/conversations/CV/clear")


@pytest.mark.asyncio
async def test_message_history_paging(make: Callable[..., CozeClient]) -> None:
    messages = [{"id": "M2", "role": "assistant"}, {"id": "M1", "role": "user"}]
    rec = Recorder(ok(messages, first_id="M2", last_id="M1", has_more=True))
    page = await make(rec).list_messages("CV", limit=2, before_id="M3")
    assert [m.id for m in page.messages] == ["M2", "M1"]
    assert (page.first_id, page.last_id, page.has_more) == ("M2", "M1", True)
    request = rec.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v1/conversation/message/list")
    assert request.url.params["conversation_id"] == "CV"
    assert rec.body() == {"order": "desc", "limit": 2, "before_id": "M3"}


@pytest.mark.asyncio
async def test_upload_file_uses_the_file_field(make: Callable[..., CozeClient]) -> None:
    rec = Recorder(ok({"id": "F1", "bytes": 3, "file_name": "a.png", "created_at": 9}))
    client = make(rec)
    info = await client.upload_file("a.png", b"PNG")
    assert (info.id, info.bytes, info.file_name) == ("F1", 3, "a.png")
    content = rec.requests[0].read()
    assert b'name="file"; filename="a.png"' in content
    assert b"image/png" in content
    assert client.netlog.exchanges()[0].upload == ("a.png", 3)


@pytest.mark.asyncio
async def test_upload_streams_the_file_from_disk_with_progress_and_again_on_retry(
    make: Callable[..., CozeClient], tmp_path: Path
) -> None:
    data = bytes(range(256)) * 2049  # just over two 256 KB chunks
    path = tmp_path / 'r\u00e9sum\u00e9 "v2".pdf'
    path.write_bytes(data)
    rec = Recorder(fail(503, 5000, "busy"), ok({"id": "F9", "bytes": len(data)}))
    seen: list[tuple[int, int]] = []
    client = make(rec, max_retries=2)

    info = await client.upload_file(path.name, path, on_progress=lambda s, t: seen.append((s, t)))

    assert info.id == "F9"
    assert len(rec.requests) == 2  # the body was written again for the retry
    request = rec.requests[1]
    boundary = request.headers["content-type"].split("boundary=", 1)[1]
    body = request.read()
    assert int(request.headers["content-length"]) == len(body)
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="r\u00e9sum\u00e9 %22v2%22.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    assert body == head + data + f"\r\n--{boundary}--\r\n".encode()
    total = len(data)
    assert seen[:4] == [(0, total), (262144, total), (524288, total), (total, total)]
    assert [ex.upload for ex in client.netlog.exchanges()] == [(path.name, total)] * 2


@pytest.mark.asyncio
async def test_get_bot_and_check_token(make: Callable[..., CozeClient]) -> None:
    bot = {"bot_id": "B1", "name": "Weather", "onboarding_info": {"prologue": "Hi",
           "suggested_questions": ["a", "b"]}}  # fmt: skip
    rec = Recorder(ok(bot), ok(bot), ok({"workspaces": []}), fail(401, 4100, "invalid"))
    client = make(rec)
    info = await client.get_bot("B1")
    assert (info.id, info.name, info.prologue, info.suggested_questions) == (
        "B1",
        "Weather",
        "Hi",
        ("a", "b"),
    )
    await client.check_token("B1")
    await client.check_token()
    assert [r.url.path for r in rec.requests] == ["/v1/bots/B1", "/v1/bots/B1", "/v1/workspaces"]
    with pytest.raises(e.AuthError):
        await client.check_token()


@pytest.mark.asyncio
async def test_missing_data_object_is_an_unexpected_response(
    make: Callable[..., CozeClient],
) -> None:
    with pytest.raises(e.CozeAPIError) as info:
        await make(Recorder(ok(None))).get_bot("B1")
    assert info.value.diagnosis.key == "unexpected_response"
    assert info.value.log_id == "BODYLOG"


def test_region_presets_and_custom_base_urls() -> None:
    assert REGION_BASE_URLS == {"cn": "https://api.coze.cn", "com": "https://api.coze.com"}
    assert ClientConfig("https://api.coze.com/", TOKEN).region == "com"
    assert ClientConfig("http://localhost:8888", TOKEN).region == "custom"


# -- real sockets on loopback: proxies ------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.asyncio
async def test_explicit_proxy_is_used_and_blamed(sleeps: list[float]) -> None:
    proxy = f"http://127.0.0.1:{_closed_port()}"

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = CozeClient(ClientConfig(BASE, TOKEN, proxy=proxy, max_retries=1), sleep=no_sleep)
    with pytest.raises(e.ProxyError):
        await client.get_bot("1")
    await client.aclose()


@pytest.mark.asyncio
async def test_environment_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = CozeClient(ClientConfig(BASE, TOKEN, max_retries=1))
    with pytest.raises(e.ProxyError):  # went to the (dead) proxy, not to api.coze.cn
        await client.get_bot("1")
    await client.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize("via_env", [False, True])
async def test_socks_proxy_is_supported_and_blamed(
    monkeypatch: pytest.MonkeyPatch, via_env: bool
) -> None:
    proxy = f"socks5://127.0.0.1:{_closed_port()}"
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    if via_env:
        monkeypatch.setenv("ALL_PROXY", proxy)
    config = ClientConfig(BASE, TOKEN, proxy=None if via_env else proxy, max_retries=1)
    client = CozeClient(config)  # building it must not fail for a SOCKS proxy
    with pytest.raises(e.ProxyError) as caught:
        await client.get_bot("1")
    assert caught.value.diagnosis.key == "proxy_failure"
    await client.aclose()


@pytest.mark.asyncio
@pytest.mark.parametrize("bot_id", ["../../v1/workspaces", "x?admin=1#frag", "a/b%2Fc"])
async def test_ids_cannot_leave_their_path_segment(
    make: Callable[..., CozeClient], bot_id: str
) -> None:
    rec = Recorder(ok({"bot_id": "1", "name": "n"}))
    client = make(rec)
    await client.get_bot(bot_id)
    await client.check_token(bot_id)
    await client.clear_conversation(bot_id)
    for request in rec.requests:
        assert request.url.query == b""  # nothing injected into the query
        assert request.url.fragment == ""
        assert "/workspaces" not in request.url.path or "%2F" in request.url.raw_path.decode()
    paths = [r.url.raw_path.decode() for r in rec.requests]
    assert paths[0].startswith("/v1/bots/")
    assert paths[0].count("/") == 3  # /v1/bots/<one segment>
    assert paths[2].startswith("/v1/conversations/")
    assert paths[2].endswith("/clear")
    assert paths[2].count("/") == 4
