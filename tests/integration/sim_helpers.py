"""Small helpers for simulator tests: a strict hosted-Coze SSE reader and request builders.

The reader is deliberately strict (``event:``/``data:`` pairs, no space after the colon, a blank
line after each event) so the tests pin the exact wire format the simulator promises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from desktop.simulator import DEMO_TOKEN

AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


@dataclass(frozen=True)
class Event:
    name: str
    raw: str

    @property
    def data(self) -> Any:
        return json.loads(self.raw)


def parse_sse(text: str) -> list[Event]:
    """Events of a hosted-Coze stream; asserts the exact framing."""
    assert text.endswith("\n\n"), "every event ends with a blank line"
    events = []
    for block in text[:-2].split("\n\n"):
        lines = block.split("\n")
        assert len(lines) == 2, f"exactly two lines per event: {block[:200]!r}"
        assert lines[0].startswith("event:")
        assert not lines[0].startswith("event: ")
        assert lines[1].startswith("data:")
        assert not lines[1].startswith("data: ")
        events.append(Event(lines[0][6:], lines[1][5:]))
    return events


def chat_body(bot_id: str, text: str, *, stream: bool = True, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "bot_id": bot_id,
        "user_id": "tester",
        "stream": stream,
        "auto_save_history": True,
        "additional_messages": [{"role": "user", "content": text, "content_type": "text"}],
    }
    body.update(extra)
    return body


def client(base_url: str, **kwargs: Any) -> httpx.Client:
    kwargs.setdefault("timeout", 30)
    return httpx.Client(base_url=base_url, headers=AUTH, **kwargs)


def stream_chat(
    base_url: str, bot_id: str, text: str, conversation_id: str = "", **extra: Any
) -> list[Event]:
    """POST /v3/chat (stream) and return the parsed events (asserting a 200 event stream)."""
    params = {"conversation_id": conversation_id} if conversation_id else None
    with client(base_url) as http:
        response = http.post("/v3/chat", params=params, json=chat_body(bot_id, text, **extra))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/event-stream"
    return parse_sse(response.text)


def names(events: list[Event]) -> list[str]:
    return [e.name for e in events]


def answer_text(events: list[Event]) -> str:
    """Concatenated answer deltas."""
    return "".join(
        e.data["content"]
        for e in events
        if e.name == "conversation.message.delta" and e.data["type"] == "answer"
    )


def completed(events: list[Event], type_: str) -> list[dict[str, Any]]:
    """Data of `message.completed` events of one message type."""
    return [
        e.data
        for e in events
        if e.name == "conversation.message.completed" and e.data["type"] == type_
    ]


def chat_of(events: list[Event], status: str) -> dict[str, Any]:
    return next(e.data for e in events if e.name == f"conversation.chat.{status}")
