"""The client against a hostile loopback server: whatever it sends, the turn fails with a plain
diagnosis naming the limit, what arrived is kept, and nothing waits or grows without bound."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from desktop.api.client import ChatRequest, ClientConfig, CozeClient
from desktop.api.errors import CozeError, CozeTimeoutError, ResponseLimitError
from desktop.api.events import MessageDelta, StreamEvent
from desktop.api.models import Limits
from tests.integration import hostile
from tests.integration.test_cli import run

if TYPE_CHECKING:
    import subprocess
    from collections.abc import AsyncGenerator
    from pathlib import Path

TOKEN = "pat_hostiletest0123456789"
SMALL = Limits(
    line_chars=64_000,
    event_chars=200_000,
    answer_chars=300_000,
    body_bytes=4_000_000,
    decompressed_bytes=2_000_000,
    ratio_after_bytes=500_000,
    progress_seconds=1.0,
)


async def _turn(url: str, limits: Limits = SMALL) -> tuple[str, CozeError]:
    """Stream one turn; (the answer text that arrived, the error it ended with)."""
    config = ClientConfig(base_url=url, token=TOKEN, trust_env=False, max_retries=1,
                          timeout_connect=1.0, timeout_read=5.0, limits=limits)  # fmt: skip
    text: list[str] = []
    async with CozeClient(config) as client:
        stream: AsyncGenerator[StreamEvent] = client.stream_chat(ChatRequest("1", "u", "hi"))
        async with contextlib.aclosing(stream):
            try:
                async for event in stream:
                    if isinstance(event, MessageDelta):
                        text.append(event.message.content)
            except CozeError as exc:
                return "".join(text), exc
    raise AssertionError("the stream ended without an error")


def _stream(script: hostile.Script, limits: Limits = SMALL) -> tuple[str, CozeError]:
    with hostile.HostileServer(script) as url:
        return asyncio.run(_turn(url, limits))


def test_gzip_bomb_stops_at_the_ratio_limit() -> None:
    text, error = _stream(hostile.gzip_bomb(b"\n"))
    assert isinstance(error, ResponseLimitError)
    assert error.diagnosis.key == "response_too_large"
    assert "gzip body inflated" in error.msg
    assert ":1" in error.msg
    assert error.partial
    assert text == "hello "


def test_gzip_bomb_stops_at_the_decompressed_limit() -> None:
    text, error = _stream(hostile.gzip_bomb(b"\n"), replace(SMALL, ratio=1e9, progress_seconds=60))
    assert isinstance(error, ResponseLimitError)
    assert "inflated past the" in error.msg
    assert text == "hello "


def test_a_line_without_end_stops_at_the_line_limit() -> None:
    text, error = _stream(hostile.long_line(1_000_000))
    assert isinstance(error, ResponseLimitError)
    assert "a line of" in error.msg
    assert "the limit is 64,000 characters" in error.msg
    assert error.partial
    assert text == "hello "


def test_an_endless_answer_stops_at_the_answer_limit() -> None:
    text, error = _stream(hostile.endless)
    assert isinstance(error, ResponseLimitError)
    assert "text limit" in error.msg
    assert SMALL.answer_chars - 60_000 <= len(text) <= SMALL.answer_chars


def test_an_endless_stream_without_text_stops_at_the_body_limit() -> None:
    text, error = _stream(hostile.endless_noise)
    assert isinstance(error, ResponseLimitError)
    assert "body limit" in error.msg
    assert text == ""


def test_an_oversized_event_stops_at_the_event_limit() -> None:
    def script(reply: hostile.Reply) -> None:
        reply.head(chunked=True)
        reply.chunk(reply.delta("hello "))
        line = b"data:" + b"e" * 50_000 + b"\n"
        while not reply.stop.is_set():
            reply.chunk(line)

    text, error = _stream(script)
    assert isinstance(error, ResponseLimitError)
    assert "an event of more than" in error.msg
    assert text == "hello "


def test_a_trickled_body_fails_as_trickling() -> None:
    started = time.monotonic()
    text, error = _stream(hostile.trickled_body(0.05))
    assert isinstance(error, CozeTimeoutError)
    assert error.diagnosis.key == "server_trickling"
    assert "no new event for 1 s" in error.msg
    assert error.partial
    assert text == "hello "
    assert time.monotonic() - started < 4.0  # the 5 s read timeout never fired


def test_a_trickled_head_fails_as_trickling() -> None:
    started = time.monotonic()
    _, error = _stream(hostile.trickled_head(0.05), replace(SMALL, progress_seconds=0.5))
    assert isinstance(error, CozeTimeoutError)
    assert error.diagnosis.key == "server_trickling"
    assert "response head took more than" in error.msg
    assert time.monotonic() - started < 4.0


def test_a_trickled_json_body_fails_as_trickling() -> None:
    def script(reply: hostile.Reply) -> None:
        reply.send(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                   b"connection: close\r\n\r\n{")  # fmt: skip
        while not reply.stop.wait(0.05):
            reply.send(b" ")

    async def call(url: str) -> CozeError:
        config = ClientConfig(base_url=url, token=TOKEN, trust_env=False, max_retries=1,
                              timeout_read=5.0, limits=replace(SMALL, progress_seconds=0.5))  # fmt: skip
        async with CozeClient(config) as client:
            with pytest.raises(CozeError) as caught:
                await client.get_bot("1")
        return caught.value

    with hostile.HostileServer(script) as url:
        error = asyncio.run(call(url))
    assert error.diagnosis.key == "server_trickling"
    assert "response body took more than" in error.msg


@pytest.mark.parametrize(("script", "words"), hostile.LIMIT_CASES)
def test_cli_reports_the_limit_and_keeps_the_partial_answer(
    isolated_home: Path, script: hostile.Script, words: str
) -> None:
    with hostile.HostileServer(script) as url:
        proc = run(isolated_home, "chat", "--base-url", url, "--bot-id", "1", "hi", token=TOKEN)
    assert proc.returncode == 1
    assert "hello" in proc.stdout
    assert "more than Coze Desktop accepts" in proc.stderr
    assert words in proc.stderr


def test_a_saved_profile_keeps_the_partial_answer_marked(isolated_home: Path) -> None:
    from desktop import paths
    from desktop.storage import Database, Profile

    with hostile.HostileServer(hostile.gzip_bomb(b"\0")) as url:
        with Database.open(paths.db_path()) as db:
            db.profiles.add(Profile(name="h", region="custom", base_url=url, bot_id="1",
                                    user_id="u"))  # fmt: skip
        proc = run(isolated_home, "chat", "--profile", "h", "hi", token=TOKEN)
    assert proc.returncode == 1
    with Database.open(paths.db_path()) as db:
        [session] = db.sessions.list(db.profiles.list()[0].id)
        answer = db.messages.list(session.id)[-1]
    assert answer.content == "hello "
    assert answer.status == "interrupted"
    assert answer.error is not None
    assert answer.error.diagnosis == "response_too_large"


ODD_TOKEN = "oauth-HostileEcho-0123456789"  # no pat_ shape: masked because it is the one in use


def _assert_token_hidden(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    for secret in (ODD_TOKEN, ODD_TOKEN[:-4]):
        assert secret not in proc.stdout + proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_cli_json_never_prints_a_token_the_server_echoes(isolated_home: Path) -> None:
    with hostile.HostileServer(hostile.echo_token_in_error(ODD_TOKEN)) as url:
        proc = run(isolated_home, "chat", "--base-url", url, "--bot-id", "1", "--json", "hi",
                   token=ODD_TOKEN)  # fmt: skip
    assert proc.returncode == 1
    objects = _assert_token_hidden(proc)
    [delta] = [o for o in objects if o["event"] == "conversation.message.delta"]
    assert delta["message"]["content"].startswith("you sent ")  # the rest of the event stays
    [error] = [o for o in objects if o["event"] == "error"]
    assert error["code"] == 4100
    assert error["msg"].startswith("bad token ")
    assert objects[-1]["event"] == "result"


def test_cli_json_comparison_never_prints_a_token_the_server_echoes(isolated_home: Path) -> None:
    from desktop import paths
    from desktop.storage import Database, Profile

    with hostile.HostileServer(hostile.echo_token_in_error(ODD_TOKEN)) as url:
        with Database.open(paths.db_path()) as db:
            for name in ("a", "b"):
                db.profiles.add(Profile(name=name, region="custom", base_url=url, bot_id="1",
                                        user_id="u"))  # fmt: skip
        proc = run(isolated_home, "chat", "--profile", "a", "--profile", "b", "--json", "hi",
                   token=ODD_TOKEN)  # fmt: skip
    objects = _assert_token_hidden(proc)
    deltas = [o for o in objects if o["event"] == "conversation.message.delta"]
    assert sorted(o["profile"] for o in deltas) == ["a", "b"]
    assert all(o["message"]["content"].startswith("you sent ") for o in deltas)
    errors = [o for o in objects if o["event"] == "error"]
    assert [o["msg"].startswith("bad token ") for o in errors] == [True, True]
