"""Typed Coze chat objects and stream events.

Every SSE frame of a `/v3/chat` stream becomes exactly one event here. Unknown event names are
kept as :class:`UnknownEvent`, never raised: Coze adds events over time and Coze Studio spells
some differently (``conversation.chat.cancelled``, ``conversation.stream.done``).

Parsing is lenient about shapes (ids as numbers or strings, timestamps as strings, missing
fields) because hosted Coze, Coze Studio and the docs disagree on them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


# ---------------------------------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Usage:
    token_count: int = 0
    output_count: int = 0
    input_count: int = 0


@dataclass(frozen=True, slots=True)
class LastError:
    code: int = 0
    msg: str = ""

    @property
    def is_error(self) -> bool:
        return self.code != 0


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One entry of ``required_action.submit_tool_outputs.tool_calls``."""

    id: str
    type: str
    name: str
    arguments: str  # a JSON string, as sent by Coze


@dataclass(frozen=True, slots=True)
class Chat:
    """The Chat object carried by ``conversation.chat.*`` events and non-stream responses."""

    id: str
    conversation_id: str
    bot_id: str = ""
    status: str = ""
    usage: Usage | None = None
    last_error: LastError | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    created_at: int = 0
    completed_at: int = 0
    failed_at: int = 0
    section_id: str = ""

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


@dataclass(frozen=True, slots=True)
class Message:
    """The Message object of ``conversation.message.*`` events and message lists."""

    id: str
    conversation_id: str = ""
    bot_id: str = ""
    chat_id: str = ""
    role: str = ""
    type: str = ""
    content: str = ""
    content_type: str = "text"
    reasoning_content: str = ""
    created_at: int = 0
    section_id: str = ""


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """The parsed content of a ``function_call`` message (a server-side plugin call)."""

    name: str
    arguments: Any
    plugin_id: str = ""
    api_id: str = ""
    thought: str = ""


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """A ``conversation.chat.*`` event; ``chat.status`` tells which."""

    event: str
    chat: Chat


@dataclass(frozen=True, slots=True)
class MessageDelta:
    """A fragment of a message: ``message.content`` and/or ``message.reasoning_content``."""

    message: Message
    event: str = MESSAGE_DELTA


@dataclass(frozen=True, slots=True)
class MessageCompleted:
    """A finished message of any type; answers carry the full text again."""

    message: Message
    event: str = MESSAGE_COMPLETED


@dataclass(frozen=True, slots=True)
class AudioDelta:
    """``conversation.audio.delta``: base64 audio. Recognised and ignored by the app."""

    message: Message
    event: str = AUDIO_DELTA


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """An error reported inside a stream: ``event:error`` or a bare JSON ``{"code","msg"}`` line."""

    code: int
    msg: str
    bare: bool = False  # True for a bare JSON line without ``event:``/``data:``
    event: str = ERROR


@dataclass(frozen=True, slots=True)
class DoneEvent:
    """End of stream: ``done`` (``"[DONE]"``, ``[DONE]`` or a JSON object) or Studio's stream.done."""

    payload: str = ""
    event: str = DONE


@dataclass(frozen=True, slots=True)
class UnknownEvent:
    """An event this client does not know. Kept so logs and callers can still see it."""

    event: str
    data: str


StreamEvent = (
    ChatEvent | MessageDelta | MessageCompleted | AudioDelta | ErrorEvent | DoneEvent | UnknownEvent
)


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def as_str(value: Any) -> str:
    """Ids arrive as strings or numbers; ``None`` means absent."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def as_int(value: Any) -> int:
    """Timestamps arrive as ints, numeric strings, or not at all."""
    if value is None:  # the common case on deltas; avoids a raised TypeError per message
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def parse_usage(data: Any) -> Usage | None:
    if not isinstance(data, Mapping):
        return None
    return Usage(
        token_count=as_int(data.get("token_count")),
        output_count=as_int(data.get("output_count", data.get("output_tokens"))),
        input_count=as_int(data.get("input_count", data.get("input_tokens"))),
    )


def parse_last_error(data: Any) -> LastError | None:
    if not isinstance(data, Mapping):
        return None
    return LastError(code=as_int(data.get("code")), msg=as_str(data.get("msg")))


def parse_tool_calls(required_action: Any) -> tuple[ToolCall, ...]:
    calls = _map(_map(required_action).get("submit_tool_outputs")).get("tool_calls") or []
    result = []
    for call in calls if isinstance(calls, list) else []:
        function = _map(_map(call).get("function"))
        arguments = function.get("arguments", "")
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        result.append(
            ToolCall(
                id=as_str(_map(call).get("id")),
                type=as_str(_map(call).get("type")) or "function",
                name=as_str(function.get("name")),
                arguments=arguments,
            )
        )
    return tuple(result)


def parse_chat(data: Mapping[str, Any]) -> Chat:
    return Chat(
        id=as_str(data.get("id")),
        conversation_id=as_str(data.get("conversation_id")),
        bot_id=as_str(data.get("bot_id")),
        status=as_str(data.get("status")),
        usage=parse_usage(data.get("usage")),
        last_error=parse_last_error(data.get("last_error")),
        tool_calls=parse_tool_calls(data.get("required_action")),
        created_at=as_int(data.get("created_at")),
        completed_at=as_int(data.get("completed_at")),
        failed_at=as_int(data.get("failed_at")),
        section_id=as_str(data.get("section_id")),
    )


# Building a frozen slots dataclass through its generated __init__ costs one
# object.__setattr__ lookup per field (~1.5 us for a Message); deltas are the streaming hot path
# (a long answer is 10^5 of them), so messages and deltas are built by setting the slot
# descriptors directly. The result is an ordinary, still frozen, instance.
_new = object.__new__
_M = Message.__dict__
_set_m_id = _M["id"].__set__
_set_m_conversation_id = _M["conversation_id"].__set__
_set_m_bot_id = _M["bot_id"].__set__
_set_m_chat_id = _M["chat_id"].__set__
_set_m_role = _M["role"].__set__
_set_m_type = _M["type"].__set__
_set_m_content = _M["content"].__set__
_set_m_content_type = _M["content_type"].__set__
_set_m_reasoning_content = _M["reasoning_content"].__set__
_set_m_created_at = _M["created_at"].__set__
_set_m_section_id = _M["section_id"].__set__
_set_delta_message = MessageDelta.__dict__["message"].__set__
_set_delta_event = MessageDelta.__dict__["event"].__set__


def parse_message(data: Mapping[str, Any]) -> Message:
    # unrolled on purpose (hot path): ids/strings are nearly always str already
    message = _new(Message)
    get = data.get
    v = get("id", "")
    _set_m_id(message, v if type(v) is str else as_str(v))
    v = get("conversation_id", "")
    _set_m_conversation_id(message, v if type(v) is str else as_str(v))
    v = get("bot_id", "")
    _set_m_bot_id(message, v if type(v) is str else as_str(v))
    v = get("chat_id", "")
    _set_m_chat_id(message, v if type(v) is str else as_str(v))
    v = get("role", "")
    _set_m_role(message, v if type(v) is str else as_str(v))
    v = get("type", "")
    _set_m_type(message, v if type(v) is str else as_str(v))
    v = get("content", "")
    _set_m_content(message, v if type(v) is str else as_str(v))
    v = get("content_type", "")
    _set_m_content_type(message, (v if type(v) is str else as_str(v)) or "text")
    v = get("reasoning_content", "")
    _set_m_reasoning_content(message, v if type(v) is str else as_str(v))
    v = get("created_at", 0)
    _set_m_created_at(message, v if type(v) is int else as_int(v))
    v = get("section_id", "")
    _set_m_section_id(message, v if type(v) is str else as_str(v))
    return message


def _delta(message: Message) -> MessageDelta:
    delta = _new(MessageDelta)
    _set_delta_message(delta, message)
    _set_delta_event(delta, MESSAGE_DELTA)
    return delta


# the C scanner behind json.loads (not in the type stubs)
_scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_loads(data: str) -> Any:
    """``json.loads`` minus its two whitespace regex passes (Coze sends compact JSON)."""
    try:
        value, end = _scan_once(data, 0)
    except StopIteration:
        return json.loads(data)  # leading whitespace, or invalid: let json decide / raise
    if end != len(data):
        return json.loads(data)  # trailing whitespace is fine, trailing garbage raises
    return value


def _loads_object(data: str) -> Mapping[str, Any] | None:
    try:
        value = _json_loads(data)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, Mapping) else None


def parse_event(event: str, data: str) -> StreamEvent:
    """Turn one SSE frame into a typed event. Never raises."""
    if event == MESSAGE_DELTA:  # the hot path: one per streamed fragment
        try:
            obj = _json_loads(data)
        except (ValueError, RecursionError):
            return UnknownEvent(event, data)
        if type(obj) is dict:
            return _delta(parse_message(obj))
        return UnknownEvent(event, data)
    if event in (MESSAGE_COMPLETED, AUDIO_DELTA):
        obj = _loads_object(data)
        if obj is None:
            return UnknownEvent(event, data)
        message = parse_message(obj)
        return MessageCompleted(message) if event == MESSAGE_COMPLETED else AudioDelta(message)
    if event in CHAT_EVENTS:
        obj = _loads_object(data)
        if obj is None:
            return UnknownEvent(event, data)
        return ChatEvent(event, parse_chat(obj))
    if event in (DONE, STUDIO_STREAM_DONE):
        return DoneEvent(data, event)
    if event == ERROR:
        obj = _loads_object(data) or {}
        return ErrorEvent(as_int(obj.get("code")), as_str(obj.get("msg")))
    return UnknownEvent(event, data)


def parse_bare_json(line: str) -> ErrorEvent | UnknownEvent:
    """A bare JSON line inside an event stream: ``{"code":4100,"msg":...}`` is an error."""
    obj = _loads_object(line)
    if obj is not None and as_int(obj.get("code")) != 0:
        return ErrorEvent(as_int(obj.get("code")), as_str(obj.get("msg")), bare=True)
    return UnknownEvent("", line)


def parse_function_call(content: str) -> FunctionCall:
    """Parse a ``function_call`` message's JSON content; tolerate anything."""
    obj = _loads_object(content)
    if obj is None:
        return FunctionCall(name="", arguments=content)
    arguments = obj.get("arguments", {})
    if isinstance(arguments, str):
        parsed = _loads_object(arguments)
        arguments = parsed if parsed is not None else arguments
    return FunctionCall(
        name=as_str(obj.get("name")),
        arguments=arguments,
        plugin_id=as_str(obj.get("plugin_id")),
        api_id=as_str(obj.get("api_id")),
        thought=as_str(obj.get("thought")),
    )


def verbose_msg_type(content: str) -> str:
    """The ``msg_type`` of a verbose packet (``generate_answer_finish``, ...), or ``""``."""
    obj = _loads_object(content)
    return as_str(obj.get("msg_type")) if obj is not None else ""
