"""Coze as it really answers, byte for byte over httpx.MockTransport: the official error codes,
700012006 on hosted Coze and on Coze Studio, Studio's log id, Go stacks, message list, cancel,
retrieve failure, error-then-completed streams, early ends, and the completed text winning."""

from __future__ import annotations

import contextlib
import io
import json
from typing import TYPE_CHECKING

import httpx
import pytest

from desktop.api import errors as e
from desktop.api import events as ev
from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.api.coze_codes import CODE_KEYS
from desktop.api.diagnoses import all_keys, get, key_for
from desktop.api.dialect import split_stack
from desktop.cli.render import Output, TextPrinter
from desktop.core import transcript as tr
from desktop.core.chat import ChatSession
from desktop.netlog import NetLog
from desktop.storage import Database, Profile

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

TOKEN = "pat_" + "k9" * 32 + "wxyz"
STUDIO_URL = "http://studio.example:8888"
LOG_UUID = "0b6e8a52-5c1f-4d8e-9a0f-7d2f1e3c4b5a"
STUDIO_SSE = {"content-type": "text/event-stream", "x-log-id": LOG_UUID}
STUDIO_JSON = {"content-type": "application/json; charset=utf-8", "x-log-id": LOG_UUID}
GO_MSG = (
    "code=100000000 message=agent not published, agentID=7 connectorID=1024\n"
    "stack=github.com/coze-dev/coze-studio/backend/pkg/errorx.New\n"
    "\t/app/backend/pkg/errorx/error.go:53\n"
    "runtime.goexit\n"
    "\t/usr/local/go/src/runtime/asm_amd64.s:1700"
)
REQ = ChatRequest(bot_id="7", user_id="u1", text="hi")


def client_for(handler: httpx.MockTransport, base_url: str = STUDIO_URL) -> CozeClient:
    config = ClientConfig(base_url=base_url, token=TOKEN, max_retries=1)
    return CozeClient(config, netlog=NetLog(), transport=handler)


def transport(*answers: httpx.Response) -> httpx.MockTransport:
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return httpx.MockTransport(handle)


async def drain(stream: AsyncIterator[ev.StreamEvent]) -> list[ev.StreamEvent]:
    out: list[ev.StreamEvent] = []
    async with contextlib.aclosing(stream) as events:  # type: ignore[type-var]
        async for item in events:
            out.append(item)
    return out


# -- the official table ---------------------------------------------------------------------------

OFFICIAL = (4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009, 4010, 4011, 4012, 4013,
            4014, 4015, 4016, 4019, 4020, 4021, 4022, 4100, 4101, 4102, 4104, 4105, 4200, 4201,
            4300, 4301, 4302, 4303, 4304, 4314, 4315, 5000)  # fmt: skip


@pytest.mark.parametrize("code", OFFICIAL)
def test_every_official_code_has_its_own_bilingual_advice(code: int) -> None:
    key = key_for(200, code, "", "cn")
    assert key == CODE_KEYS[code]
    assert key in all_keys()
    assert key != "api_error"
    diagnosis = get(key, "cn")
    for text in (diagnosis.title_en, diagnosis.fix_en, diagnosis.title_zh, diagnosis.fix_zh):
        assert text.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in diagnosis.title_zh + diagnosis.fix_zh)


@pytest.mark.parametrize(
    ("code", "key", "words"),
    [
        (4013, "model_error", "model"),
        (4008, "daily_limit", "tomorrow"),
        (4009, "system_busy", "busy"),
        (4020, "rpm_exceeded", "per minute"),
    ],
)
@pytest.mark.parametrize("region", ["cn", "com", "studio"])
def test_limits_and_model_error_are_told_apart(
    code: int, key: str, words: str, region: str
) -> None:
    diagnosis = e.diagnose(200, code, "", region=region)
    assert diagnosis.key == key
    assert words in (diagnosis.title_en + " " + diagnosis.fix_en).lower()
    if code == 4013:
        assert "too many" not in diagnosis.title_en.lower()


@pytest.mark.parametrize(("region", "site"), [("cn", "coze.cn"), ("com", "coze.com")])
def test_700012006_on_hosted_coze_is_a_hosted_token_problem(region: str, site: str) -> None:
    diagnosis = e.diagnose(200, 700012006, "access token invalid", region=region)
    assert diagnosis.key == "auth_invalid"
    assert site in diagnosis.fix_en
    assert "self-hosted" not in diagnosis.fix_en


def test_700012006_from_a_custom_url_depends_on_who_answers() -> None:
    body = b'{"code":700012006,"msg":"authentication failed: CheckPermission failed"}'
    studio = e.error_from_response(200, STUDIO_JSON, body, STUDIO_URL, region="custom")
    proxied = e.error_from_response(
        200, {"x-tt-logid": "2024L", "content-type": "application/json"}, body, STUDIO_URL,
        region="custom",
    )  # fmt: skip
    assert studio.diagnosis.key == "auth_studio"
    assert studio.log_id == LOG_UUID
    assert isinstance(studio, e.AuthError)
    assert "Coze Studio" in studio.diagnosis.fix_en
    assert proxied.diagnosis.key == "auth_invalid"
    assert proxied.log_id == "2024L"


# -- Coze Studio: log id, Go stacks --------------------------------------------------------------


def test_go_stack_is_split_from_the_message() -> None:
    assert split_stack(GO_MSG) == (
        "agent not published, agentID=7 connectorID=1024",
        GO_MSG[GO_MSG.index("stack=") :],
    )
    assert split_stack("authentication failed") == ("authentication failed", "")


@pytest.mark.asyncio
async def test_studio_error_event_shows_the_message_keeps_stack_and_log_id() -> None:
    data = json.dumps({"code": 103100001, "msg": GO_MSG}, separators=(",", ":"))
    body = f"event:error\ndata:{data}\n\n".encode()
    client = client_for(transport(httpx.Response(200, headers=STUDIO_SSE, content=body)))
    with pytest.raises(e.StreamErrorEvent) as info:
        await drain(client.stream_chat(REQ))
    err = info.value
    assert err.msg == "agent not published, agentID=7 connectorID=1024"
    assert "stack=" not in err.describe()
    assert ".go:" not in err.describe("zh")
    assert "error.go:53" in err.stack
    assert err.log_id == LOG_UUID
    assert f"log id {LOG_UUID}" in err.describe()
    assert err.diagnosis.key == "studio_agent_not_exists"
    (exchange,) = client.netlog.exchanges()
    assert exchange.log_id == LOG_UUID
    assert "error.go:53" in exchange.kept_frames()[0][2]  # the log keeps the whole stack


@pytest.mark.asyncio
async def test_error_then_completed_and_stream_done_is_still_a_failure() -> None:
    chat = '{"id":"1","conversation_id":"2","status":"completed","created_at":0}'
    body = (
        'event:conversation.message.delta\ndata:{"id":"m","type":"answer","role":"assistant",'
        '"content":"Part"}\n\n'
        'event:error\ndata:{"code":103200002,"msg":"Internal Server Error"}\n\n'
        f"event:conversation.chat.completed\ndata:{chat}\n\n"
        "event:conversation.stream.done\ndata:\n\n"
    ).encode()
    client = client_for(transport(httpx.Response(200, headers=STUDIO_SSE, content=body)))
    with pytest.raises(e.StreamErrorEvent) as info:
        await drain(client.stream_chat(REQ))
    assert info.value.code == 103200002
    assert info.value.diagnosis.key == "studio_model_error"
    assert info.value.log_id == LOG_UUID


# -- Coze Studio: non-stream, cancel, retrieve ---------------------------------------------------


@pytest.mark.asyncio
async def test_studio_message_list_under_messages_without_the_question() -> None:
    created = {"id": "11", "conversation_id": "22", "status": "created", "created_at": 1}
    done = dict(created, status="completed")
    question = {"id": "q", "role": "user", "type": "question", "content": "hi", "chat_id": "11"}
    answer = {"id": "a", "role": "assistant", "type": "answer", "content": "hello", "chat_id": "11"}
    envelope = {"code": 0, "msg": "", "BaseResp": None}
    client = client_for(
        transport(
            httpx.Response(200, headers=STUDIO_JSON, json={"data": created, **envelope}),
            httpx.Response(200, headers=STUDIO_JSON, json={"data": done, **envelope}),
            httpx.Response(200, headers=STUDIO_JSON, json={"Messages": [question, answer], **envelope}),
        )
    )  # fmt: skip

    async def no_wait(_s: float) -> None:
        return None

    client._sleep = no_wait
    chat, messages = await client.chat_and_poll(REQ, interval=0)
    assert chat.status == "completed"
    assert [(m.role, m.content) for m in messages] == [("assistant", "hello")]


@pytest.mark.asyncio
async def test_studio_cancel_answers_without_data_or_code() -> None:
    detail = {"id": "11", "conversation_id": "22", "status": "cancelled"}
    client = client_for(
        transport(httpx.Response(200, headers=STUDIO_JSON, json={"ChatV3ChatDetail": detail}))
    )
    chat = await client.cancel_chat("22", "11")
    assert (chat.id, chat.status) == ("11", "cancelled")


@pytest.mark.asyncio
async def test_studio_failed_retrieve_is_a_studio_server_error() -> None:
    headers = {"content-type": "text/plain; charset=utf-8", "x-log-id": LOG_UUID}
    client = client_for(
        transport(httpx.Response(500, headers=headers, content=b"record not found"))
    )
    with pytest.raises(e.ServerError) as info:
        await client.retrieve_chat("22", "404")
    err = info.value
    assert (err.status, err.msg, err.log_id) == (500, "record not found", LOG_UUID)
    assert err.diagnosis.key == "studio_server_error"


def test_text_plain_without_studio_log_id_is_still_not_coze() -> None:
    err = e.error_from_response(500, {"content-type": "text/plain"}, b"oops", STUDIO_URL)
    assert isinstance(err, e.NotCozeResponseError)


# -- stream endings and the completed text -------------------------------------------------------

EARLY_END = (
    b'event:conversation.chat.created\ndata:{"id":"1","conversation_id":"2","status":"created"}\n\n'
    b'event:conversation.message.delta\ndata:{"id":"m","chat_id":"1","type":"answer","role":'
    b'"assistant","content":"50$\\\\%$"}\n\n'
    b'event:conversation.message.completed\ndata:{"id":"m","chat_id":"1","type":"answer","role":'
    b'"assistant","content":"50%"}\n\n'
    b'event:conversation.message.completed\ndata:{"id":"v","chat_id":"1","type":"verbose",'
    b'"role":"assistant","content":"{\\"msg_type\\":\\"generate_answer_finish\\",\\"data\\":\\"\\"}"}'
    b"\n\n"
)


@pytest.mark.asyncio
async def test_early_end_after_the_completed_answer_is_not_a_cut() -> None:
    hosted = {"content-type": "text/event-stream", "x-tt-logid": "L1"}
    client = client_for(transport(httpx.Response(200, headers=hosted, content=EARLY_END)))
    with pytest.raises(e.StreamCutError) as info:
        await drain(client.stream_chat(REQ))
    assert info.value.answer_complete
    assert info.value.diagnosis.key == "stream_ended_early"
    assert "cut off" not in info.value.describe()


@pytest.mark.asyncio
async def test_early_end_keeps_the_completed_answer_as_complete(tmp_path: Path) -> None:
    hosted = {"content-type": "text/event-stream", "x-tt-logid": "L1"}
    client = client_for(transport(httpx.Response(200, headers=hosted, content=EARLY_END)))
    db = Database.open(tmp_path / "h.sqlite3")
    try:
        profile = db.profiles.add(
            Profile(name="p", region="custom", base_url=STUDIO_URL, bot_id="7")
        )
        session = ChatSession(client, db, profile, db.sessions.create(profile.id))
        result = await session.send("hi")
        stored = db.messages.get(result.message.id)
    finally:
        db.close()
        await client.aclose()
    assert result.error is None
    assert result.notice is not None
    assert result.notice.diagnosis.key == "stream_ended_early"
    assert stored is not None
    assert stored.status == "complete"
    assert stored.content == "50%"  # the completed text, not the deltas' 50$\%$
    assert stored.log_id == "L1"


def test_cli_prints_the_completed_text_when_it_differs() -> None:
    buffer = io.StringIO()
    printer = TextPrinter(Output(buffer), color=False)
    delta = ev.Message(id="m", type="answer", role="assistant", content="50$\\%$")
    printer.on_event(ev.MessageDelta(delta))
    printer.on_event(ev.MessageCompleted(ev.Message(id="m", type="answer", content="50%")))
    printer.finish(tr.TurnState())
    printer.out.flush()  # terminal writes are coalesced; the CLI flushes at the end
    assert buffer.getvalue().rstrip().endswith("[final] 50%")
    more = io.StringIO()
    printer = TextPrinter(Output(more), color=False)
    printer.on_event(ev.MessageDelta(ev.Message(id="m", type="answer", content="Hel")))
    printer.on_event(ev.MessageCompleted(ev.Message(id="m", type="answer", content="Hello")))
    printer.finish(tr.TurnState())
    printer.out.flush()
    assert more.getvalue() == "Hello\n"


# -- undocumented message shapes -----------------------------------------------------------------


def _verbose(msg_type: str, data: str) -> ev.MessageCompleted:
    content = json.dumps({"msg_type": msg_type, "data": data})
    return ev.MessageCompleted(ev.Message(id=msg_type, type="verbose", content=content))


def test_knowledge_recall_verbose_is_a_knowledge_step_and_interrupt_is_hidden() -> None:
    recall = '{"chunks":[{"slice":"Coze Studio is open source."}]}'
    state = tr.reduce_all([_verbose("knowledge_recall", recall), _verbose("interrupt", "{}")])
    assert state.knowledge == [recall]
    assert state.verbose == ["knowledge_recall", "interrupt"]
    assert state.answer == ""
    assert not state.has_content
    buffer = io.StringIO()
    printer = TextPrinter(Output(buffer), color=False)
    printer.on_event(_verbose("knowledge_recall", recall))
    printer.on_event(_verbose("interrupt", "{}"))
    printer.out.flush()
    assert buffer.getvalue().startswith("[knowledge] ")
    assert "Coze Studio is open source." in buffer.getvalue()
    assert "interrupt" not in buffer.getvalue()
