"""Typed Coze chat objects and stream events.

Every SSE frame of a `/v3/chat` stream becomes exactly one event here. Unknown event names are
kept as :class:`UnknownEvent`, never raised: Coze adds events over time and Coze Studio spells
some differently (``conversation.chat.cancelled``, ``conversation.stream.done``).

The Coze objects are frozen msgspec Structs decoded straight from the ``data`` text; parsing is
lenient about shapes (ids as numbers or strings, timestamps as strings, missing fields, ``null``)
because hosted Coze, Coze Studio and the docs disagree on them (see :mod:`desktop.api.wire`).
"""

# Per-token hot path: measured by tests/bench/bench_stream.py; keep allocations out of the per-delta code.

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import msgspec

from desktop.api import wire
from desktop.api.wire import NonEmpty, Wire, convert, decode
from desktop.netlog import Exchange

if TYPE_CHECKING:
    from collections.abc import Mapping

# ---------------------------------------------------------------------------------------------
# Wire names
# ---------------------------------------------------------------------------------------------

CHAT_CREATED = "conversation.chat.created"
CHAT_IN_PROGRESS = "conversation.chat.in_progress"
CHAT_COMPLETED = "conversation.chat.completed"
CHAT_FAILED = "conversation.chat.failed"
CHAT_REQUIRES_ACTION = "conversation.chat.requires_action"
CHAT_CANCELED = "conversation.chat.canceled"
CHAT_CANCELLED_STUDIO = "conversation.chat.cancelled"
MESSAGE_DELTA = "conversation.message.delta"
MESSAGE_COMPLETED = "conversation.message.completed"
AUDIO_DELTA = "conversation.audio.delta"
ERROR = "error"
DONE = "done"
STUDIO_STREAM_DONE = "conversation.stream.done"
STREAM_OPENED = "stream.opened"  # ours: the first item of a stream (StreamOpened)

CHAT_EVENTS = frozenset(
    {
        CHAT_CREATED,
        CHAT_IN_PROGRESS,
        CHAT_COMPLETED,
        CHAT_FAILED,
        CHAT_REQUIRES_ACTION,
        CHAT_CANCELED,
        CHAT_CANCELLED_STUDIO,
    }
)
TERMINAL_STATUSES = frozenset({"completed", "failed", "requires_action", "canceled", "cancelled"})

# Message types (``Message.type``)
TYPE_ANSWER = "answer"
TYPE_QUESTION = "question"
TYPE_FUNCTION_CALL = "function_call"
TYPE_TOOL_RESPONSE = "tool_response"
TYPE_TOOL_OUTPUT = "tool_output"
TYPE_FOLLOW_UP = "follow_up"
TYPE_VERBOSE = "verbose"
TYPE_KNOWLEDGE = "knowledge"
# ``msg_type`` of verbose packets not in the docs: knowledge recall sent as a verbose message,
# and the interrupt packet listed at requires_action time
VERBOSE_KNOWLEDGE_RECALL = "knowledge_recall"
VERBOSE_INTERRUPT = "interrupt"


# ---------------------------------------------------------------------------------------------
# Objects (decoded from the wire)
# ---------------------------------------------------------------------------------------------


class Usage(Wire, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Token counts. Another key (the docs' ``output_tokens``) takes the lenient path, which
    reads those spellings too."""

    token_count: int = 0
    output_count: int = 0
    input_count: int = 0


class LastError(Wire, frozen=True, kw_only=True):
    """``last_error`` of a chat; also the ``{"code","msg"}`` of an error event."""

    code: int = 0
    msg: str = ""

    @property
    def is_error(self) -> bool:
        return self.code != 0


class ToolCall(Wire, frozen=True, kw_only=True):
    """One client-side tool call of ``conversation.chat.requires_action``."""

    id: str = ""
    type: str = "function"
    name: str = ""
    arguments: str = ""  # a JSON string, as sent by Coze


class _Function(Wire, frozen=True, kw_only=True):
    name: str = ""
    arguments: Any = ""  # a JSON string on the wire; an object now and then


class _WireToolCall(Wire, frozen=True, kw_only=True):
    id: str = ""
    type: NonEmpty = "function"
    function: _Function = msgspec.field(default_factory=_Function)

    def flat(self) -> ToolCall:
        arguments = self.function.arguments
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        return ToolCall(id=self.id, type=self.type, name=self.function.name, arguments=arguments)


class _SubmitToolOutputs(Wire, frozen=True, kw_only=True):
    tool_calls: tuple[_WireToolCall, ...] = ()


class _RequiredAction(Wire, frozen=True, kw_only=True):
    submit_tool_outputs: _SubmitToolOutputs | None = None


class Chat(Wire, frozen=True, kw_only=True):
    """The Chat object carried by ``conversation.chat.*`` events and non-stream responses."""

    id: str = ""
    conversation_id: str = ""
    bot_id: str = ""
    status: str = ""
    usage: Usage | None = None
    last_error: LastError | None = None
    tool_calls: tuple[ToolCall, ...] = ()  # from required_action, flattened
    created_at: int = 0
    completed_at: int = 0
    failed_at: int = 0
    section_id: str = ""
    required_action: _RequiredAction | None = None  # the wire's shape of tool_calls

    def __post_init__(self) -> None:
        submit = self.required_action.submit_tool_outputs if self.required_action else None
        if submit is not None and not self.tool_calls:
            calls = tuple(call.flat() for call in submit.tool_calls)
            msgspec.structs.force_setattr(self, "tool_calls", calls)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


class Message(Wire, frozen=True, kw_only=True):
    """The Message object of ``conversation.message.*`` events and message lists."""

    id: str = ""
    conversation_id: str = ""
    bot_id: str = ""
    chat_id: str = ""
    role: str = ""
    type: str = ""
    content: str = ""
    content_type: NonEmpty = "text"
    reasoning_content: str = ""
    created_at: int = 0
    section_id: str = ""


class FunctionCall(Wire, frozen=True, kw_only=True):
    """The parsed content of a ``function_call`` message (a server-side plugin call)."""

    name: str = ""
    arguments: Any = msgspec.field(default_factory=dict)
    plugin_id: str = ""  # a number on the wire
    api_id: str = ""
    thought: str = ""


class _Verbose(Wire, frozen=True, kw_only=True):
    msg_type: str = ""
    data: Any = ""


# ---------------------------------------------------------------------------------------------
# Events (positional; not tracked by the garbage collector, like the wire objects)
# ---------------------------------------------------------------------------------------------


class ChatEvent(msgspec.Struct, frozen=True, gc=False):
    """A ``conversation.chat.*`` event; ``chat.status`` tells which."""

    event: str
    chat: Chat


class MessageDelta(msgspec.Struct, frozen=True, gc=False):
    """A fragment of a message: ``message.content`` and/or ``message.reasoning_content``."""

    message: Message
    event: str = MESSAGE_DELTA


class MessageCompleted(msgspec.Struct, frozen=True, gc=False):
    """A finished message of any type; answers carry the full text again."""

    message: Message
    event: str = MESSAGE_COMPLETED


class AudioDelta(msgspec.Struct, frozen=True, gc=False):
    """``conversation.audio.delta``: base64 audio. Recognised and ignored by the app."""

    message: Message
    event: str = AUDIO_DELTA


class ErrorEvent(msgspec.Struct, frozen=True, gc=False):
    """An error reported inside a stream: ``event:error`` or a bare JSON ``{"code","msg"}`` line."""

    code: int
    msg: str
    bare: bool = False  # True for a bare JSON line without ``event:``/``data:``
    event: str = ERROR


class DoneEvent(msgspec.Struct, frozen=True, gc=False):
    """End of stream: ``done`` (``"[DONE]"``, ``[DONE]`` or a JSON object) or Studio's stream.done."""

    payload: str = ""
    event: str = DONE


class StreamOpened(msgspec.Struct, frozen=True, gc=False):
    """The first item of every stream ``CozeClient`` opens (not a Coze frame): the network-log
    exchange that carries it, so the caller knows its request, and its log id, without watching
    the log."""

    exchange: Exchange
    event: str = STREAM_OPENED


class UnknownEvent(msgspec.Struct, frozen=True, gc=False):
    """An event this client does not know. Kept so logs and callers can still see it."""

    event: str
    data: str


StreamEvent = (
    ChatEvent
    | MessageDelta
    | MessageCompleted
    | AudioDelta
    | ErrorEvent
    | DoneEvent
    | StreamOpened
    | UnknownEvent
)


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

_decode_message = wire.decoder(Message).decode
_MESSAGE_EVENTS: dict[str, type[MessageDelta | MessageCompleted | AudioDelta]] = {
    MESSAGE_DELTA: MessageDelta,
    MESSAGE_COMPLETED: MessageCompleted,
    AUDIO_DELTA: AudioDelta,
}


def parse_event(event: str, data: str) -> StreamEvent:
    """Turn one SSE frame into a typed event. Never raises."""
    if event == MESSAGE_DELTA:  # one per streamed fragment: the strict decode, nothing else
        try:
            return MessageDelta(_decode_message(data if data.isascii() else wire.utf8(data)))
        except wire.DECODE_ERRORS:
            pass  # unusual shapes: the lenient path below
    wrap = _MESSAGE_EVENTS.get(event)
    if wrap is not None:
        message = decode(Message, data)
        return UnknownEvent(event, data) if message is None else wrap(message)
    if event in CHAT_EVENTS:
        chat = decode(Chat, data)
        return UnknownEvent(event, data) if chat is None else ChatEvent(event, chat)
    if event in (DONE, STUDIO_STREAM_DONE):
        return DoneEvent(data, event)
    if event == ERROR:
        error = decode(LastError, data) or LastError()
        return ErrorEvent(error.code, error.msg)
    return UnknownEvent(event, data)


def parse_bare_json(line: str) -> ErrorEvent | UnknownEvent:
    """A bare JSON line inside an event stream: ``{"code":4100,"msg":...}`` is an error."""
    error = decode(LastError, line)
    if error is not None and error.is_error:
        return ErrorEvent(error.code, error.msg, bare=True)
    return UnknownEvent("", line)


def parse_message(data: Mapping[str, Any]) -> Message:
    """A message from an already decoded JSON object (message lists)."""
    return convert(Message, data) or Message()


def parse_chat(data: Mapping[str, Any]) -> Chat:
    """A chat from an already decoded JSON object (non-stream responses)."""
    return convert(Chat, data) or Chat()


def parse_function_call(content: str) -> FunctionCall:
    """Parse a ``function_call`` message's JSON content; tolerate anything."""
    call = decode(FunctionCall, content)
    if call is None:
        return FunctionCall(arguments=content)
    if isinstance(call.arguments, str):
        parsed = wire.json_object(call.arguments)
        if parsed is not None:
            call = msgspec.structs.replace(call, arguments=parsed)
    return call


def verbose_msg_type(content: str) -> str:
    """The ``msg_type`` of a verbose packet (``generate_answer_finish``, ...), or ``""``."""
    verbose = decode(_Verbose, content)
    return verbose.msg_type if verbose is not None else ""


def verbose_knowledge(content: str) -> str | None:
    """The recalled knowledge of a ``msg_type:"knowledge_recall"`` verbose packet (its ``data``,
    as text), or None for any other packet."""
    verbose = decode(_Verbose, content)
    if verbose is None or verbose.msg_type != VERBOSE_KNOWLEDGE_RECALL:
        return None
    data = verbose.data
    return data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
