"""ChatSession with a scripted in-process client: persistence, throttling, outcomes."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import pytest

from desktop.api import errors
from desktop.api import events as ev
from desktop.core import chat as chat_module
from desktop.core.chat import ChatSession, title_from
from desktop.logsetup import setup_logging
from desktop.netlog import NetLog
from desktop.storage import Database, Profile
from desktop.storage.parts import ErrorRecord, UsageRecord

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, Callable, Iterator, Sequence
    from pathlib import Path

pytestmark = pytest.mark.asyncio


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FakeClient:
    """Yields scripted events; ``step`` runs before each event (advance clocks, inspect rows)."""

    def __init__(self, script: Sequence[Any], step: Callable[[int], None] | None = None) -> None:
        self.script = list(script)
        self.step = step or (lambda i: None)
        self.netlog = NetLog()
        self.cancelled: list[tuple[str, str]] = []
        self.requests: list[Any] = []
        self.gate: asyncio.Event | None = None
        self.at_gate = asyncio.Event()  # set when the script has reached its "wait"

    async def stream_chat(self, req: Any) -> AsyncGenerator[ev.StreamEvent]:
        self.requests.append(req)
        for i, item in enumerate(self.script):
            self.step(i)
            if isinstance(item, BaseException):
                raise item
            if item == "wait" and self.gate is not None:
                self.at_gate.set()
                await self.gate.wait()
                continue
            await asyncio.sleep(0)
            yield item

    async def cancel_chat(self, conversation_id: str, chat_id: str) -> None:
        self.cancelled.append((conversation_id, chat_id))
        raise errors.CozeAPIError("cannot cancel", code=4104)  # swallowed by ChatSession

    async def clear_conversation(self, conversation_id: str) -> str:
        return "section"


def chat_event(status: str, **kw: Any) -> ev.ChatEvent:
    return ev.ChatEvent(
        "conversation.chat." + status,
        ev.Chat(id="c1", conversation_id="conv1", status=status, **kw),
    )


def delta(text: str) -> ev.MessageDelta:
    return ev.MessageDelta(ev.Message(id="m1", chat_id="c1", type="answer", content=text))


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database.open(":memory:")
    yield database
    database.close()


def session_for(db: Database, client: Any, clock: FakeClock | None = None) -> ChatSession:
    profile = db.profiles.add(Profile(name="p", region="cn", bot_id="b1", user_id="u"))
    session = db.sessions.create(profile.id)
    kw = {"clock": clock} if clock else {}
    return ChatSession(client, db, profile, session, **kw)  # type: ignore[arg-type]


async def test_streaming_row_is_saved_throttled(db: Database) -> None:
    clock = FakeClock()
    seen: list[tuple[int, str, str]] = []
    script = [chat_event("created")] + [delta(f"{i} ") for i in range(10)]
    script.append(
        chat_event("completed", usage=ev.Usage(token_count=3, output_count=2, input_count=1))
    )

    def step(i: int) -> None:
        clock.now += 0.2  # 5 events a second: a save every ~3 events
        if chat.state is not None:
            row = db.messages.get(chat.state.row_id)
            assert row is not None
            seen.append((i, row.status, row.content))

    client = FakeClient(script, step)
    chat = session_for(db, client, clock)
    result = await chat.send("hi")
    assert result.ok
    assert result.message.content.startswith("0 1 2")
    assert all(status == "streaming" for _, status, _ in seen)
    contents = {content for _, _, content in seen}
    assert 3 <= len(contents) <= 6  # saved a few times, not on every delta
    assert db.messages.get(result.message.id).status == "complete"  # type: ignore[union-attr]
    assert result.message.usage == UsageRecord(token_count=3, output_count=2, input_count=1)


async def test_chat_failed_is_returned_not_raised(db: Database) -> None:
    failed = chat_event("failed", last_error=ev.LastError(code=4028, msg="quota used up"))
    chat = session_for(db, FakeClient([chat_event("created"), delta("x"), failed]))
    result = await chat.send("hi")
    assert isinstance(result.error, errors.ChatFailedError)
    assert result.error.code == 4028
    assert result.message.status == "failed"
    assert result.message.error is not None
    assert result.message.error.code == 4028
    assert result.message.content == "x"


async def test_client_errors_are_returned(db: Database) -> None:
    boom = errors.AuthError("authentication is invalid", status=401, code=4100, log_id="L1")
    chat = session_for(db, FakeClient([boom]))
    result = await chat.send("hi")
    assert result.error is boom
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.status == "failed"
    assert stored.error == ErrorRecord(
        code=4100,
        msg="authentication is invalid",
        status=401,
        log_id="L1",
        diagnosis="auth_invalid",
    )


async def test_cut_stream_keeps_partial_as_interrupted(db: Database) -> None:
    cut = errors.StreamCutError("eof")
    chat = session_for(db, FakeClient([chat_event("created"), delta("part"), cut]))
    result = await chat.send("hi")
    assert result.message.status == "interrupted"
    assert result.message.content == "part"


@pytest.mark.expect_log("desktop.core.chat")
async def test_unexpected_exception_never_leaves_streaming(db: Database) -> None:
    chat = session_for(db, FakeClient([delta("a"), RuntimeError("bug")]))
    result = await chat.send("hi")
    assert result.message.status == "failed"
    assert result.error is not None
    assert all(m.status != "streaming" for m in db.messages.list(chat.session.id))


async def test_the_turn_takes_its_log_id_from_the_stream_it_opened(db: Database) -> None:
    netlog = NetLog()
    ex = netlog.begin("POST", "https://api.coze.cn/v3/chat", {}, "{}", is_stream=True)
    ex.log_id = "LOG-FROM-STREAM"
    unrelated = netlog.begin("POST", "https://api.coze.cn/v3/chat", {}, "{}", is_stream=True)
    unrelated.log_id = "SOMEONE-ELSE"
    client = FakeClient([ev.StreamOpened(ex), chat_event("created"), delta("hi"),
                         chat_event("completed")])  # fmt: skip
    chat = session_for(db, client)
    result = await chat.send("hi")
    assert result.ok
    assert result.message.log_id == "LOG-FROM-STREAM"
    assert chat.exchange is ex
    assert client.requests[0].context == {"session_id": str(chat.session.id)}
    assert not client.netlog._subscribers  # the session never watches the log


@pytest.mark.expect_log("desktop.core.chat")
async def test_a_bug_inside_the_turn_is_reported_as_ours_not_cozes(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    log_path = setup_logging(tmp_path, console=False)
    try:
        chat = session_for(db, FakeClient([delta("part"), RuntimeError("bug in a reducer")]))
        with caplog.at_level(logging.ERROR, logger="desktop.core.chat"):
            result = await chat.send("hi")
    finally:
        for handler in [h for h in logging.getLogger().handlers if getattr(h, "_coze_desktop", 0)]:
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert isinstance(result.error, errors.InternalError)
    assert result.error.diagnosis.key == "internal_error"
    text = result.error.describe("en")
    assert "Coze Desktop hit a bug" in text
    assert "not a problem with Coze" in text
    assert "Coze support" not in text
    assert "log id" not in text
    assert "RuntimeError: bug in a reducer" in text
    assert str(log_path) in text
    assert "扣子客服" not in result.error.describe("zh")
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.content == "part"
    assert stored.status == "failed"
    assert stored.error is not None
    assert stored.error.diagnosis == "internal_error"
    traced = [r for r in caplog.records if r.exc_info and "bug in a reducer" in str(r.exc_info[1])]
    assert traced, "the bug is logged with its traceback"


@pytest.mark.expect_log("desktop.core.chat")
async def test_unexpected_exception_text_never_stores_a_token(db: Database) -> None:
    token = "pat_" + "k" * 64
    chat = session_for(db, FakeClient([RuntimeError(f"header Bearer {token} rejected")]))
    result = await chat.send("hi")
    assert result.error is not None
    stored = db.messages.get(result.message.id)
    assert stored is not None
    assert stored.error is not None
    for text in (str(stored.error), result.error.describe(), repr(result.error)):
        assert token not in text


async def test_cancel_closes_stream_and_cancels_on_server(db: Database) -> None:
    client = FakeClient([chat_event("created"), delta("partial"), "wait", delta("never")])
    client.gate = asyncio.Event()
    chat = session_for(db, client)
    task = asyncio.ensure_future(chat.send("hi"))
    await asyncio.wait_for(client.at_gate.wait(), 5)  # "partial" has been handled
    assert chat.state is not None
    assert chat.state.delta_count == 1
    chat.cancel()
    result = await task
    assert result.message.status == "stopped"
    assert result.message.content == "partial"
    assert client.cancelled == [("conv1", "c1")]
    assert not chat.busy


async def test_cancel_before_the_turn_starts_stops_it_then_is_used_up(db: Database) -> None:
    client = FakeClient([chat_event("created"), delta("a"), chat_event("completed")])
    chat = session_for(db, client)
    task = asyncio.ensure_future(chat.send("hi"))  # scheduled, not started: no inner task yet
    assert not chat.busy
    chat.cancel()
    result = await task
    assert result.message.status == "stopped"
    assert result.error is None
    assert client.requests == []  # stopped before anything was sent
    assert [m.status for m in db.messages.list(chat.session.id)] == ["complete", "stopped"]
    again = await chat.send("hi again")
    assert again.ok
    assert again.message.content == "a"


async def test_cancel_while_a_turn_concludes_does_not_stop_the_next(db: Database) -> None:
    client = FakeClient([chat_event("created"), delta("a"), chat_event("completed")])
    chat = session_for(db, client)
    # Stop on every update, including the final one sent while the turn concludes.
    first = await chat.send("one", lambda state: chat.cancel())
    assert first.message.status == "stopped"
    second = await chat.send("two")
    assert second.ok


async def test_stopped_row_is_saved_before_the_server_cancel(db: Database) -> None:
    client = FakeClient([chat_event("created"), delta("partial"), "wait"])
    client.gate = asyncio.Event()
    server_cancel = asyncio.Event()

    async def slow_cancel(conversation_id: str, chat_id: str) -> None:
        server_cancel.set()
        await asyncio.sleep(60)  # a server that does not answer: the behaviour under test

    client.cancel_chat = slow_cancel  # type: ignore[method-assign]
    chat = session_for(db, client)
    task = asyncio.ensure_future(chat.send("hi"))
    await asyncio.wait_for(client.at_gate.wait(), 5)
    chat.cancel()
    await asyncio.wait_for(server_cancel.wait(), 5)
    task.cancel()  # e.g. the app quits while /v3/chat/cancel is still in flight
    with pytest.raises(asyncio.CancelledError):
        await task
    statuses = [m.status for m in db.messages.list(chat.session.id)]
    assert statuses == ["complete", "stopped"]


async def test_conversation_id_is_reused_and_saved(db: Database) -> None:
    client = FakeClient([chat_event("created"), delta("a"), chat_event("completed")])
    chat = session_for(db, client)
    await chat.send("one")
    await chat.send("two")
    assert client.requests[0].conversation_id == ""
    assert client.requests[1].conversation_id == "conv1"
    assert db.sessions.get(chat.session.id).conversation_id == "conv1"  # type: ignore[union-attr]


async def test_title_from_first_line() -> None:
    assert title_from("  hello\nworld ") == "hello world"
    assert len(title_from("x" * 100)) == 40


class BurstClient(FakeClient):
    """Yields its whole script without awaiting: the events of one read, already buffered."""

    async def stream_chat(self, req: Any) -> AsyncGenerator[ev.StreamEvent]:
        self.requests.append(req)
        for item in self.script:
            yield item


async def test_a_burst_of_buffered_events_lets_the_loop_run_between(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_module, "STEP_SECONDS", 0.0)  # every event is past the step
    script = [chat_event("created"), *(delta("x") for _ in range(50)), chat_event("completed")]
    chat = session_for(db, BurstClient(script))
    turns: list[int] = []

    async def other_work() -> None:  # another stream, a paint, the window's input
        while True:
            turns.append(len(chat.state.answer) if chat.state is not None else -1)
            await asyncio.sleep(0)

    ticker = asyncio.create_task(other_work())
    try:
        result = await chat.send("hi")
    finally:
        ticker.cancel()
    assert result.ok
    assert result.message.content == "x" * 50
    during = [n for n in turns if 0 < n < 50]  # turns taken while the burst was folded
    assert len(during) >= 40
