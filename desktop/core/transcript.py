"""Transcript reducer: stream events -> the state of one assistant turn.

One :class:`TurnState` per turn. :func:`reduce` folds every :mod:`desktop.api.events` event into
it. The state is mutated in place (and returned) because a long answer is 100,000+ deltas: each
delta is appended to a chunk list and the text is joined only when somebody reads it
(:attr:`TurnState.answer`, :meth:`TurnState.snapshot`), so a delta costs a few attribute lookups.

What is kept, and how it is shown:

* answer deltas per message id; several answer messages (multi-answer bots) are separate blocks
  joined with a blank line; a ``conversation.message.completed`` answer text is authoritative and
  replaces the concatenated deltas of that message;
* ``reasoning_content`` fragments (thinking models), kept apart from the answer;
* ``function_call`` + ``tool_response``/``tool_output`` messages paired into :class:`ToolStep`;
  client-side tool calls of ``conversation.chat.requires_action`` become steps of kind
  ``"client"`` (the ``tool_response`` that repeats a submitted result adds no step);
* follow-up suggestions, knowledge-recall slices;
* ``verbose`` packets are control messages: their ``msg_type`` is recorded, never shown as text
  (``interrupt`` included) — except ``knowledge_recall``, a knowledge step like ``knowledge``;
* audio deltas and unknown events are counted and otherwise ignored.
"""

# Per-token hot path: measured by tests/bench/bench_stream.py and bench_render.py; keep allocations out of the per-delta code.

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, cast

from desktop.api import events as ev
from desktop.storage.models import Status, StoredMessage
from desktop.storage.parts import ErrorRecord, ToolRecord, UsageRecord

# Turn statuses. ``snapshot()`` maps them onto the stored-message statuses.
STREAMING = "streaming"
COMPLETE = "complete"
FAILED = "failed"
REQUIRES_ACTION = "requires_action"
STOPPED = "stopped"
INTERRUPTED = "interrupted"

WAITING_KINDS = frozenset({"client", "question"})  # steps a requires_action turn waits for
_ANSWER_TYPES = frozenset({ev.TYPE_ANSWER, ""})
_TOOL_RESULT_TYPES = frozenset({ev.TYPE_TOOL_RESPONSE, ev.TYPE_TOOL_OUTPUT})


_FOLD = 256  # fragments joined into one block, so 10^5 tiny str objects never pile up


class _Text:
    """A message's text: fragments while streaming, the completed text once it arrives.

    Every ``_FOLD`` fragments are joined into one block (amortised O(1) per fragment): a
    200,000-delta answer then holds ~800 blocks instead of 200,000 small strings, whose object
    headers would weigh 10-20x the text itself.
    """

    __slots__ = ("chunks", "final", "fold_at")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.final: str | None = None
        self.fold_at = _FOLD  # len(chunks) that triggers the next fold

    def add(self, fragment: str) -> None:
        chunks = self.chunks
        chunks.append(fragment)
        if len(chunks) >= self.fold_at:
            self.fold()

    def fold(self) -> None:
        """Join the fragments added since the last fold into one block."""
        chunks = self.chunks
        start = self.fold_at - _FOLD
        chunks[start:] = ["".join(chunks[start:])]
        self.fold_at = start + 1 + _FOLD

    def set_final(self, text: str) -> None:
        """The completed text replaces the fragments (dropped: no second copy of a long answer)."""
        self.final = text
        self.chunks = []
        self.fold_at = _FOLD

    def text(self) -> str:
        if self.final is not None:
            return self.final
        chunks = self.chunks
        if len(chunks) > 1:  # compact once, so the next read is cheap
            chunks[:] = ["".join(chunks)]
            self.fold_at = 1 + _FOLD
        return chunks[0] if chunks else ""


@dataclass(slots=True)
class ToolStep:
    """One tool use: a plugin call and its result, or a client-side call waiting for output."""

    name: str
    arguments: Any
    output: str | None = None
    kind: str = "plugin"  # "plugin" (server-side) | "client" | "question" (requires_action)
    call_id: str = ""
    plugin_id: str = ""
    thought: str = ""

    @property
    def done(self) -> bool:
        return self.output is not None

    def record(self) -> ToolRecord:
        """The step as stored with the answer."""
        return ToolRecord(self.name, self.arguments, self.output, self.kind, self.call_id,
                          self.plugin_id, self.thought)  # fmt: skip


TurnError = ErrorRecord  # an error as stored with the answer (``StoredMessage.error``)


@dataclass(slots=True)
class TurnState:
    """Everything known about one assistant turn so far. Fold events in with :func:`reduce`."""

    chat_id: str = ""
    conversation_id: str = ""
    section_id: str = ""
    status: str = STREAMING
    tools: list[ToolStep] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    knowledge: list[str] = field(default_factory=list)
    verbose: list[str] = field(default_factory=list)  # msg_type of each verbose packet
    tool_calls: tuple[ev.ToolCall, ...] = ()  # pending client-side calls (requires_action)
    usage: ev.Usage | None = None
    error: TurnError | None = None
    done: bool = False  # ``done`` / ``conversation.stream.done`` seen
    debug_url: str = ""  # a chatflow's run in Coze (its ``done`` payload)
    delta_count: int = 0
    audio_count: int = 0
    unknown_count: int = 0
    # Filled by the owner of the turn (ChatSession), stored with the snapshot.
    row_id: int = 0
    session_id: int = 0
    log_id: str = ""
    ttft_ms: int | None = None
    total_ms: int | None = None
    created_at: float = field(default_factory=time.time)
    _answers: dict[str, _Text] = field(default_factory=dict, repr=False)
    _reasoning: dict[str, _Text] = field(default_factory=dict, repr=False)
    _last_id: str | None = field(default=None, repr=False)
    _last_text: _Text | None = field(default=None, repr=False)
    _echoes: list[str] = field(default_factory=list, repr=False)  # client results Coze repeats

    # -- reading --------------------------------------------------------------------------------

    @property
    def answer(self) -> str:
        """The answer text: every answer message, in arrival order, separated by a blank line."""
        return _join_blocks(self._answers)

    @property
    def reasoning(self) -> str:
        return _join_blocks(self._reasoning)

    @property
    def has_content(self) -> bool:
        """True once any visible output (answer, reasoning, tool) arrived."""
        return bool(self._answers or self._reasoning or self.tools)

    @property
    def finished(self) -> bool:
        return self.status != STREAMING

    def snapshot(self) -> StoredMessage:
        """The assistant row as it would be persisted now (joins strings: call sparingly)."""
        return StoredMessage(
            id=self.row_id,
            session_id=self.session_id,
            role="assistant",
            kind="answer",
            content=self.answer,
            reasoning=self.reasoning,
            tools=[step.record() for step in self.tools],
            follow_ups=list(self.follow_ups),
            status=cast("Status", self.status),
            usage=_usage(self.usage),
            log_id=self.log_id,
            chat_id=self.chat_id,
            error=self.error,
            ttft_ms=self.ttft_ms,
            total_ms=self.total_ms,
            debug_url=self.debug_url,
            created_at=self.created_at,
        )

    # -- folding --------------------------------------------------------------------------------

    def apply(self, event: ev.StreamEvent) -> None:
        """Fold one event into the state."""
        if type(event) is ev.MessageDelta:  # one per streamed token: first and short
            self._delta(event.message)
            return
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event)

    def _delta(self, message: ev.Message) -> None:
        self.delta_count += 1
        content = message.content
        if content and message.type in _ANSWER_TYPES:
            mid = message.id
            text = self._last_text
            if mid != self._last_id or text is None:
                text = _text_for(self._answers, mid)
                self._last_id, self._last_text = mid, text
            chunks = text.chunks  # inlined _Text.add (one call per streamed token)
            chunks.append(content)
            if len(chunks) >= text.fold_at:
                text.fold()
        if message.reasoning_content:
            _text_for(self._reasoning, message.id).add(message.reasoning_content)
        self._chat_ids(message.chat_id, message.conversation_id)

    def _completed(self, event: ev.MessageCompleted) -> None:
        message = event.message
        self._chat_ids(message.chat_id, message.conversation_id)
        kind = message.type
        if kind in _ANSWER_TYPES:
            self._complete_answer(message)
        elif kind == ev.TYPE_FUNCTION_CALL:
            self._function_call(message.content)
        elif kind in _TOOL_RESULT_TYPES:
            self._tool_result(message.content)
        elif kind == ev.TYPE_FOLLOW_UP:
            if message.content:
                self.follow_ups.append(message.content)
        elif kind == ev.TYPE_VERBOSE:
            self.verbose.append(ev.verbose_msg_type(message.content))
            recalled = ev.verbose_knowledge(message.content)
            if recalled is not None:
                self.knowledge.append(recalled)
        elif kind == ev.TYPE_KNOWLEDGE:
            self.knowledge.append(message.content)

    def _complete_answer(self, message: ev.Message) -> None:
        if message.content or message.id in self._answers:
            text = _text_for(self._answers, message.id)
            if message.content:
                text.set_final(message.content)
        if message.reasoning_content:
            _text_for(self._reasoning, message.id).set_final(message.reasoning_content)
        self._last_id, self._last_text = None, None

    def _function_call(self, content: str) -> None:
        call = ev.parse_function_call(content)
        self.tools.append(
            ToolStep(
                name=call.name,
                arguments=call.arguments,
                plugin_id=call.plugin_id,
                thought=call.thought,
            )
        )

    def _tool_result(self, content: str) -> None:
        if content in self._echoes:  # a submitted client-side result: its step already has it
            self._echoes.remove(content)
            return
        for step in self.tools:
            if step.kind == "plugin" and step.output is None:
                step.output = content
                return
        self.tools.append(ToolStep(name="", arguments={}, output=content))

    def _chat(self, event: ev.ChatEvent) -> None:
        chat = event.chat
        self._chat_ids(chat.id, chat.conversation_id)
        if chat.section_id:
            self.section_id = chat.section_id
        status = chat.status
        if status == "completed":
            self.status = COMPLETE
            self.usage = chat.usage
        elif status == "failed":
            self._failed(chat)
        elif status == "requires_action":
            self._requires_action(chat)
        elif status in ("canceled", "cancelled"):
            self.status = STOPPED

    def _failed(self, chat: ev.Chat) -> None:
        self.status = FAILED
        self.usage = chat.usage
        last = chat.last_error or ev.LastError()
        self.error = TurnError(code=last.code or None, msg=last.msg)

    def _requires_action(self, chat: ev.Chat) -> None:
        self.status = REQUIRES_ACTION
        self.tool_calls = chat.tool_calls
        for call in chat.tool_calls:
            step = self._unanswered_call(call.name)
            if step is None:
                step = ToolStep(name=call.name, arguments=_arguments(call.arguments))
                self.tools.append(step)
            step.kind = "question" if call.type == "reply_message" else "client"
            step.call_id = call.id

    def _unanswered_call(self, name: str) -> ToolStep | None:
        """The ``function_call`` message announcing a client-side call, if one came first."""
        for step in self.tools:
            if step.kind == "plugin" and step.output is None and step.name == name:
                return step
        return None

    def _error(self, event: ev.ErrorEvent) -> None:
        self.status = FAILED
        self.error = TurnError(code=event.code or None, msg=event.msg)

    def _done(self, event: ev.DoneEvent) -> None:
        self.done = True
        payload = event.payload
        if payload.startswith("{"):  # a chatflow's ``{"debug_url": ...}``
            self.debug_url = _debug_url(payload)

    def _audio(self, event: ev.AudioDelta) -> None:  # noqa: ARG002 - one signature per event handler
        self.audio_count += 1

    def _unknown(self, event: ev.UnknownEvent) -> None:  # noqa: ARG002 - one signature per event handler
        self.unknown_count += 1

    def _chat_ids(self, chat_id: str, conversation_id: str) -> None:
        if chat_id and not self.chat_id:
            self.chat_id = chat_id
        if conversation_id and conversation_id != self.conversation_id:
            self.conversation_id = conversation_id

    # -- owner-side transitions -----------------------------------------------------------------

    def resume_after_tools(self, outputs: dict[str, str]) -> None:
        """Client tool outputs were submitted: record them and keep streaming the same chat."""
        for step in self.tools:
            if step.kind in WAITING_KINDS and step.call_id in outputs and step.output is None:
                step.output = outputs[step.call_id]
        self._echoes.extend(outputs.values())  # the stream repeats them as tool_response
        self.tool_calls = ()
        self.status = STREAMING


_HANDLERS: dict[type, Any] = {
    ev.MessageCompleted: TurnState._completed,
    ev.ChatEvent: TurnState._chat,
    ev.ErrorEvent: TurnState._error,
    ev.DoneEvent: TurnState._done,
    ev.AudioDelta: TurnState._audio,
    ev.UnknownEvent: TurnState._unknown,
}


def _text_for(texts: dict[str, _Text], mid: str) -> _Text:
    text = texts.get(mid)
    if text is None:
        text = texts[mid] = _Text()
    return text


def _join_blocks(texts: dict[str, _Text]) -> str:
    if len(texts) == 1:
        return next(iter(texts.values())).text()
    return "\n\n".join(t for t in (x.text() for x in texts.values()) if t)


def reduce(state: TurnState, event: ev.StreamEvent) -> TurnState:
    """Fold ``event`` into ``state`` (in place, for speed) and return it."""
    state.apply(event)
    return state


def reduce_all(events: Any, state: TurnState | None = None) -> TurnState:
    """Fold an iterable of events into a (new) state."""
    state = state if state is not None else TurnState()
    apply = state.apply
    for event in events:
        apply(event)
    return state


def from_messages(messages: list[ev.Message], chat: ev.Chat | None = None) -> TurnState:
    """Build a turn from a non-stream result (message list + final chat object)."""
    state = TurnState()
    for message in messages:
        state.apply(ev.MessageCompleted(message))
    if chat is not None:
        state.apply(ev.ChatEvent("conversation.chat." + chat.status, chat))
    return state


def _debug_url(payload: str) -> str:
    try:
        value = json.loads(payload)
    except ValueError:
        return ""
    url = value.get("debug_url") if isinstance(value, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""


def _arguments(text: str) -> Any:
    """A tool call's arguments: the JSON value when the string holds one, else the string."""
    try:
        return json.loads(text) if text else {}
    except ValueError:
        return text


def resume(message: StoredMessage, conversation_id: str) -> TurnState:
    """The live state of a stored answer that waits for client-side tool outputs (after a
    restart too): its text, tools and ids, and the pending calls rebuilt from its tool steps."""
    state = TurnState(
        chat_id=message.chat_id,
        conversation_id=conversation_id,
        status=message.status,
        follow_ups=list(message.follow_ups),
        usage=None,
        error=message.error,
        row_id=message.id,
        session_id=message.session_id,
        log_id=message.log_id,
        ttft_ms=message.ttft_ms,
        total_ms=message.total_ms,
        debug_url=message.debug_url,
        created_at=message.created_at,
    )
    if message.content:
        _text_for(state._answers, "stored").set_final(message.content)
    if message.reasoning:
        _text_for(state._reasoning, "stored").set_final(message.reasoning)
    for r in message.tools:
        step = ToolStep(r.name, r.arguments, r.output, r.kind, r.call_id, r.plugin_id, r.thought)
        state.tools.append(step)
    state.tool_calls = tuple(
        ev.ToolCall(
            id=step.call_id,
            type="reply_message" if step.kind == "question" else "function",
            name=step.name,
            arguments=step.arguments if isinstance(step.arguments, str)
            else json.dumps(step.arguments, ensure_ascii=False),
        )
        for step in state.tools
        if step.kind in WAITING_KINDS and step.output is None and step.call_id
    )  # fmt: skip
    if message.usage is not None:
        u = message.usage
        state.usage = ev.Usage(token_count=u.token_count, output_count=u.output_count,
                               input_count=u.input_count)  # fmt: skip
    return state


def _usage(usage: ev.Usage | None) -> UsageRecord | None:
    if usage is None:
        return None
    return UsageRecord(usage.token_count, usage.output_count, usage.input_count)
