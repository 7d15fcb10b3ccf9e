"""One bot turn as a script of steps, plus the SSE encoding of each step.

A scenario is a generator of *steps*: a ``str`` is one encoded SSE frame
(``event:<name>\\ndata:<compact json>\\n\\n``, exactly like hosted Coze), and the small classes below
are instructions for the writer (pause, drop the socket, stall). Scenarios change the store as
they go (through :class:`Turn`), so the same script drives a live stream and a non-stream chat
completing in the background.

Delta frames are the hot path (a benchmark streams 200,000 of them): each message gets a
pre-encoded prefix/suffix template and only the fragment is JSON-encoded per delta.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from desktop.simulator.store import ChatRecord, Conversation, Store, now

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_SENTINEL = "\x00fragment\x00"


@dataclass(frozen=True)
class Pause:
    """Sleep this many seconds before the next step (the writer flushes first)."""

    seconds: float


@dataclass(frozen=True)
class Drop:
    """Close the socket now, leaving the chunked body unfinished."""


@dataclass(frozen=True)
class Stall:
    """Go silent until the client disconnects (or the simulator's stall cap)."""


Step = str | Pause | Drop | Stall


def dumps(data: Any) -> str:
    """Compact JSON with real UTF-8 (no ``\\uXXXX`` escapes), like Coze."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def frame(event: str, data: Any) -> str:
    """One SSE frame in hosted Coze's format (no space after the colon)."""
    payload = data if isinstance(data, str) else dumps(data)
    return f"event:{event}\ndata:{payload}\n\n"


def studio_escape(encoded: str) -> str:
    """Go's JSON encoder: ``<``, ``>``, ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026``."""
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _studio_string(text: str) -> str:
    return studio_escape(encode_basestring(text))


def split_text(text: str, size: int) -> list[str]:
    """*text* cut into pieces of *size* characters (the last one may be shorter)."""
    size = max(1, size)
    return [text[i : i + size] for i in range(0, len(text), size)]


def split_even(text: str, count: int) -> list[str]:
    """*text* cut into *count* pieces of nearly equal length (never empty pieces)."""
    count = max(1, min(count, len(text)))
    base, extra = divmod(len(text), count)
    pieces, pos = [], 0
    for i in range(count):
        end = pos + base + (1 if i < extra else 0)
        pieces.append(text[pos:end])
        pos = end
    return pieces


@dataclass
class Timing:
    """Delays of one turn: per-delta pause and a scale for the scripted 'thinking' pauses."""

    per_delta: float
    scale: float

    def pause(self, seconds: float) -> list[Step]:
        wait = seconds * self.scale
        return [Pause(wait)] if wait > 0 else []


@dataclass
class Turn:
    """The context a scenario runs in and the helpers that record what it emits."""

    store: Store
    chat: ChatRecord
    conversation: Conversation
    query: str
    variables: dict[str, str]
    timing: Timing
    answer_parts: list[str] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)  # the query's image/file items

    @property
    def studio(self) -> bool:
        return self.chat.studio

    # -- chat events ---------------------------------------------------------------------------

    def chat_event(self, status: str) -> str:
        """Move the chat to *status* (never back from a terminal or in-progress state)."""
        with self.store.lock:
            self._set_status(status)
            data = self.chat.to_json(status if self.chat.status != "canceled" else None)
        return self._frame(f"conversation.chat.{status}", data)

    def _frame(self, event: str, data: Any) -> str:
        encoded = frame(event, data)
        return studio_escape(encoded) if self.studio else encoded

    def _set_status(self, status: str) -> None:
        chat = self.chat
        if chat.status == "canceled" or status == "created":
            return
        chat.status = status
        if status == "completed":
            chat.completed_at = now()
            chat.usage = self._usage()
        elif status == "failed":
            chat.failed_at = now()

    def _usage(self) -> dict[str, int]:
        output = max(1, sum(len(p) for p in self.answer_parts) // 2)
        history = sum(len(m.get("content", "")) for m in self.conversation.section_messages())
        prompt = 180 + len(self.query) + history // 3
        return {"token_count": prompt + output, "output_count": output, "input_count": prompt}

    def mark_failed(self, code: int, msg: str) -> None:
        """Record a failure without emitting a chat event (e.g. before an `error` event)."""
        with self.store.lock:
            self.chat.last_error = {"code": code, "msg": msg}
            self._set_status("failed")

    def fail(self, code: int, msg: str) -> str:
        """A `conversation.chat.failed` frame carrying last_error."""
        with self.store.lock:
            self.chat.last_error = {"code": code, "msg": msg}
        return self.chat_event("failed")

    def done(self) -> str:
        """The end-of-stream frame of the dialect."""
        if self.studio:
            return "event:conversation.stream.done\ndata:\n\n"
        return 'event:done\ndata:"[DONE]"\n\n'

    # -- messages ------------------------------------------------------------------------------

    def message(
        self, type_: str, content: str = "", *, reasoning: str | None = None
    ) -> dict[str, Any]:
        """A new assistant message object of this chat (not yet recorded)."""
        msg: dict[str, Any] = {
            "id": self.store.new_id(),
            "conversation_id": self.conversation.id,
            "bot_id": self.chat.bot_id,
            "role": "assistant",
            "type": type_,
            "content": content,
            "content_type": "text",
            "chat_id": self.chat.id,
            "section_id": self.chat.section_id,
        }
        if reasoning is not None:
            msg["reasoning_content"] = reasoning
        if self.studio:  # always there on Coze Studio, with the agent's state
            msg.setdefault("reasoning_content", "")
            msg["meta_data"] = {"bot_state": dumps({"bot_id": self.chat.bot_id, "agent_id": 0})}
        return msg

    def completed(self, msg: dict[str, Any]) -> str:
        """Record *msg* (chat + conversation history) and encode its `completed` frame."""
        msg["created_at"] = msg["updated_at"] = now()
        with self.store.lock:
            self.chat.messages.append(msg)
            if self.chat.auto_save:
                self.conversation.messages.append(msg)
                self.conversation.updated_at = now()
        return self._frame("conversation.message.completed", msg)

    def deltas(
        self, msg: dict[str, Any], pieces: Iterable[str], key: str = "content"
    ) -> Iterator[Step]:
        """`message.delta` frames carrying *pieces* in field *key*, paced by the timing."""
        template = dict(msg, content="")
        template[key] = _SENTINEL
        prefix, suffix = frame("conversation.message.delta", template).split(
            encode_basestring(_SENTINEL)
        )
        encode = encode_basestring
        if self.studio:
            prefix, suffix = studio_escape(prefix), studio_escape(suffix)
            encode = _studio_string
        wait = self.timing.per_delta
        if wait <= 0:
            for piece in pieces:
                yield prefix + encode(piece) + suffix
            return
        pause = Pause(wait)
        for piece in pieces:
            yield prefix + encode(piece) + suffix
            yield pause

    def answer(
        self, text: str, piece: int = 4, *, reasoning: str = "", reasoning_piece: int = 3
    ) -> Iterator[Step]:
        """Reasoning deltas (if any), answer deltas, then the full answer `completed`."""
        return self.answer_pieces(
            text, split_text(text, piece), reasoning=reasoning, reasoning_piece=reasoning_piece
        )

    def answer_pieces(
        self, text: str, pieces: list[str], *, reasoning: str = "", reasoning_piece: int = 3
    ) -> Iterator[Step]:
        msg = self.message("answer", reasoning="" if reasoning else None)
        if reasoning:
            yield from self.deltas(
                msg, split_text(reasoning, reasoning_piece), key="reasoning_content"
            )
        yield from self.deltas(msg, pieces)
        self.answer_parts.append(text)
        msg["content"] = text
        if reasoning:
            msg["reasoning_content"] = reasoning
        yield self.completed(msg)

    def finish(self, follow_ups: Iterable[str] = ()) -> Iterator[Step]:
        """verbose finish, follow-ups, chat.completed, done."""
        yield self.completed(self.message("verbose", self.verbose_content()))
        for text in follow_ups:
            yield self.completed(self.message("follow_up", text))
        yield self.chat_event("completed")
        yield self.done()

    def verbose_content(self) -> str:
        data: dict[str, Any]
        if self.studio:
            data = {
                "msg_type": "generate_answer_finish",
                "data": '{"finish_reason":0,"fin_data":""}',
                "from_unit": "",
            }
        else:
            data = {
                "msg_type": "generate_answer_finish",
                "data": '{"finish_reason":0,"FinData":""}',
                "from_module": None,
                "from_unit": None,
            }
        return dumps(data)

    def tool_messages(self, call: dict[str, Any], response: dict[str, Any]) -> Iterator[Step]:
        """A server-side plugin call: function_call then tool_response (completed only)."""
        yield self.completed(self.message("function_call", dumps(call)))
        yield from self.timing.pause(0.6)
        yield self.completed(self.message("tool_response", dumps(response)))
