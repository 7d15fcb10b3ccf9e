"""The `/v3/chat` family: create (stream or not), retrieve, message list, cancel, tool outputs.

Hosted-Coze rules that clients get wrong are enforced here on purpose: ``conversation_id`` is read
from the query only (in the body it is ignored and a new conversation is created), non-stream
chats answer ``in_progress`` at once and complete in the background, and a finished chat cannot
be cancelled (code 4104).

Chats of Coze Studio bots answer in Studio's dialect: a non-stream create returns the chat as
``created`` in ``{"data","code","msg","BaseResp"}``; the message list puts the list under
``Messages`` and includes the user's question; cancel answers ``{"ChatV3ChatDetail": ...}``
without ``data`` or ``code``; an unknown chat makes retrieve fail with HTTP 500 ``text/plain``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from desktop.simulator import bots, files, scenarios
from desktop.simulator.faults import pre_fault
from desktop.simulator.protocol import (
    JsonResponse,
    RawResponse,
    Request,
    Response,
    StreamResponse,
    bad_request,
    error,
    ok,
    studio_ok,
)
from desktop.simulator.store import TERMINAL, ChatRecord, Conversation, Store, now
from desktop.simulator.turn import Drop, Pause, Stall, Step, Timing, Turn

if TYPE_CHECKING:
    import threading

Spawn = Callable[[Callable[[], None]], None]


class Backend:
    """Shared state and settings the routes work with (one per simulator)."""

    def __init__(
        self,
        store: Store,
        *,
        delay_scale: float,
        nonstream_latency: float,
        spawn: Spawn,
        stopping: threading.Event,
    ) -> None:
        self.store = store
        self.delay_scale = delay_scale
        self.nonstream_latency = nonstream_latency
        self.spawn = spawn
        self.stopping = stopping
        self.turns: dict[str, Turn] = {}
        self.max_upload_bytes = files.MAX_UPLOAD_BYTES  # larger uploads get code 4302
        self.upload_rate = 0.0  # bytes per second an upload is read at (0: as fast as it comes)

    def timing(self, scenario: str, variables: dict[str, str]) -> Timing:
        """Per-delta delay: custom_variables delay_ms wins, then the bot's default × scale."""
        raw = variables.get("delay_ms")
        if raw is not None:
            try:
                return Timing(max(0.0, float(raw)) / 1000.0, self.delay_scale)
            except ValueError:
                pass
        if scenario == "slow":
            return Timing(scenarios.SLOW_PER_DELTA, self.delay_scale)
        return Timing(scenarios.PER_DELTA.get(scenario, 0.03) * self.delay_scale, self.delay_scale)

    def run_in_background(
        self, chat: ChatRecord, steps: Iterator[Step], *, latency: float | None = None
    ) -> None:
        """Consume a scenario without a client: the non-stream chat completes by itself."""
        wait = self.nonstream_latency if latency is None else latency

        def work() -> None:
            if self.stopping.wait(wait):
                return
            for step in steps:
                if chat.status == "canceled" or isinstance(step, Drop | Stall):
                    return
                if isinstance(step, Pause) and self.stopping.wait(step.seconds):
                    return

        self.spawn(work)


# -- POST /v3/chat ------------------------------------------------------------------------------


def create_chat(backend: Backend, req: Request) -> Response:
    body = req.json
    if not isinstance(body, dict):
        return bad_request("the request body must be a JSON object")
    bot_id, user_id = str(body.get("bot_id") or ""), str(body.get("user_id") or "")
    if not bot_id or not user_id:
        return bad_request("bot_id and user_id are required")
    spec = bots.bot_spec(bot_id)
    if spec is None:
        return error(200, 4200, bots.not_found_msg("bot_id", bot_id))
    stream = body.get("stream")
    stream = spec.studio if stream is None else bool(stream)
    fault = pre_fault(backend.store, spec, stream)
    if fault is not None:
        return fault
    messages = _user_messages(body.get("additional_messages"))
    if isinstance(messages, str):
        return bad_request(messages)
    conv = _conversation(backend.store, spec, req.query.get("conversation_id", ""), body)
    if isinstance(conv, str):
        return error(200, 4200, conv)
    return _start(backend, req, spec, conv, messages, stream)


def _start(
    backend: Backend,
    req: Request,
    spec: bots.BotSpec,
    conv: Conversation,
    messages: list[dict[str, Any]],
    stream: bool,
) -> Response:
    body = req.json
    chat = ChatRecord(
        id=backend.store.new_id(),
        conversation_id=conv.id,
        bot_id=spec.bot_id,
        section_id=conv.section_id,
        created_at=now(),
        status="created" if stream else "in_progress",
        meta_data=_str_map(body.get("meta_data")),
        studio=spec.studio,
        auto_save=body.get("auto_save_history") is not False,
    )
    backend.store.add_chat(chat)
    query = _record_messages(backend.store, conv, chat, messages)
    variables = _str_map(body.get("custom_variables"))
    key = spec.fault or spec.scenario
    turn = Turn(
        backend.store,
        chat,
        conv,
        query,
        variables,
        backend.timing(spec.scenario, variables),
        files=_query_files(messages),
    )
    if spec.scenario == "tool":
        backend.turns[chat.id] = turn
    steps = scenarios.SCENARIOS[key](turn)
    if stream:
        return _stream(backend, chat, steps, buffered=spec.scenario == "buffered")
    backend.run_in_background(chat, steps)
    if chat.studio:  # Studio answers at its `created` event
        return studio_ok(chat.to_json("created"))
    return ok(chat.to_json())


def _stream(
    backend: Backend, chat: ChatRecord, steps: Iterator[Step], *, buffered: bool = False
) -> StreamResponse:
    headers = {"Cache-Control": "no-cache"}
    if chat.studio:
        headers["X-Accel-Buffering"] = "no"

    def abandon() -> None:
        backend.run_in_background(chat, steps, latency=0.0)

    return StreamResponse(
        steps, buffered=buffered, headers=headers, on_abandon=abandon, studio=chat.studio
    )


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _conversation(
    store: Store, spec: bots.BotSpec, conv_id: str, body: dict[str, Any]
) -> Conversation | str:
    """The query's conversation (adopting an unknown numeric id), or a new one."""
    meta = _str_map(body.get("meta_data"))
    if not conv_id or spec.scenario == "context_lost":
        return store.create_conversation(spec.bot_id, meta)
    conv = store.conversation(conv_id)
    if conv is not None:
        return conv
    if conv_id.isdigit():
        # A restarted simulator forgot it; adopting keeps stored demo sessions usable.
        return store.create_conversation(spec.bot_id, meta, conv_id=conv_id)
    return bots.not_found_msg("conversation_id", conv_id)


def _user_messages(raw: Any) -> list[dict[str, Any]] | str:
    """Validated additional_messages, or the reason they are invalid."""
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        return "additional_messages must be an array"
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            return f"additional_messages[{i}].role must be user or assistant"
        content_type = item.get("content_type") or "text"
        if content_type not in ("text", "object_string"):
            return f"additional_messages[{i}].content_type is invalid"
        content = str(item.get("content") or "")
        text = _text_of(content, content_type)
        if text is None:
            return f"additional_messages[{i}].content is not a valid object_string array"
        attached = _file_items(content) if content_type == "object_string" else []
        out.append(dict(item, content_type=content_type, text=text, files=attached))
    if not any(m["role"] == "user" for m in out):
        return "additional_messages must contain a user message (the query of this chat)"
    return out


def _text_of(content: str, content_type: str) -> str | None:
    """Plain text of a message; object_string arrays become text plus file placeholders."""
    if content_type == "text":
        return content
    try:
        items = json.loads(content)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    parts = []
    for item in items:
        if not isinstance(item, dict):
            return None
        if item.get("type") == "text":
            parts.append(str(item.get("text") or ""))
        else:
            parts.append(
                f"[{item.get('type')}: {item.get('file_id') or item.get('file_url') or ''}]"
            )
    return " ".join(parts)


def _file_items(content: str) -> list[dict[str, Any]]:
    """The image/file items of a (valid) object_string array."""
    return [item for item in json.loads(content) if item.get("type") != "text"]


def _query_files(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The file items of the chat's query (its last user message)."""
    users = [m for m in messages if m["role"] == "user"]
    return list(users[-1]["files"]) if users else []


def _record_messages(
    store: Store, conv: Conversation, chat: ChatRecord, messages: list[dict[str, Any]]
) -> str:
    """Store the additional messages in the conversation; returns the query text."""
    query = ""
    with store.lock:
        for item in messages:
            msg = _stored_message(store, conv, chat, item)
            chat.inserted.append(msg["id"])
            if chat.auto_save:
                conv.messages.append(msg)
            if item["role"] == "user":
                query = item["text"]
        conv.updated_at = now()
    return query


def _stored_message(
    store: Store, conv: Conversation, chat: ChatRecord, item: dict[str, Any]
) -> dict[str, Any]:
    default_type = "question" if item["role"] == "user" else "answer"
    stamp = now()
    return {
        "id": store.new_id(),
        "conversation_id": conv.id,
        "bot_id": chat.bot_id,
        "chat_id": chat.id,
        "role": item["role"],
        "type": item.get("type") or default_type,
        "content": str(item.get("content") or ""),
        "content_type": item["content_type"],
        "section_id": conv.section_id,
        "meta_data": _str_map(item.get("meta_data")),
        "created_at": stamp,
        "updated_at": stamp,
    }


# -- retrieve / message list / cancel / submit_tool_outputs ----------------------------------------


def _find_chat(store: Store, conv_id: str, chat_id: str) -> ChatRecord | Response:
    chat = store.chat(chat_id)
    if chat is None or chat.conversation_id != conv_id:
        return error(200, 4200, bots.not_found_msg("chat_id", chat_id or "<empty>"))
    return chat


def _chat_from_query(backend: Backend, req: Request) -> ChatRecord | Response:
    """The chat named by the ``conversation_id`` and ``chat_id`` query parameters."""
    return _find_chat(
        backend.store, req.query.get("conversation_id", ""), req.query.get("chat_id", "")
    )


def retrieve_chat(backend: Backend, req: Request) -> Response:
    chat = _chat_from_query(backend, req)
    if not isinstance(chat, ChatRecord):
        if req.studio:  # Coze Studio: an untyped error, HTTP 500 text/plain
            return RawResponse(500, "text/plain; charset=utf-8", b"record not found", studio=True)
        return chat
    with backend.store.lock:
        return ok(chat.to_json())


def list_chat_messages(backend: Backend, req: Request) -> Response:
    chat = _chat_from_query(backend, req)
    if not isinstance(chat, ChatRecord):
        return chat
    with backend.store.lock:
        if chat.studio:
            return _studio_message_list(backend.store, chat)
        return ok([dict(m) for m in chat.messages])


def _studio_message_list(store: Store, chat: ChatRecord) -> JsonResponse:
    """Coze Studio's list: under ``Messages``, the user's question first."""
    conv = store.conversation(chat.conversation_id)
    asked = [
        dict(m)
        for m in (conv.messages if conv is not None else [])
        if m.get("chat_id") == chat.id and m.get("role") == "user"
    ]
    return studio_ok(Messages=asked + [dict(m) for m in chat.messages])


def cancel_chat(backend: Backend, req: Request) -> Response:
    body = req.json if isinstance(req.json, dict) else {}
    chat = _find_chat(
        backend.store, str(body.get("conversation_id") or ""), str(body.get("chat_id") or "")
    )
    if not isinstance(chat, ChatRecord):
        return chat
    with backend.store.lock:
        if chat.status in TERMINAL:
            return error(200, 4104, f"The chat is already {chat.status} and can't be canceled.")
        chat.status = "canceled"
        if chat.studio:
            return JsonResponse(200, {"ChatV3ChatDetail": chat.to_json()}, studio=True)
        return ok(chat.to_json())


def submit_tool_outputs(backend: Backend, req: Request) -> Response:
    if req.studio:  # Coze Studio has no such endpoint: its router's plain 404
        return RawResponse(404, "text/plain; charset=utf-8", b"404 page not found", studio=True)
    chat = _chat_from_query(backend, req)
    if not isinstance(chat, ChatRecord):
        return chat
    body = req.json if isinstance(req.json, dict) else {}
    outputs = _tool_outputs(chat, body.get("tool_outputs"))
    if isinstance(outputs, str):
        return bad_request(outputs)
    turn = backend.turns.pop(chat.id)
    with backend.store.lock:
        chat.required_action = None
        chat.status = "in_progress"
    steps = scenarios.tool_resume(turn, outputs)
    if body.get("stream"):
        return _stream(backend, chat, steps)
    backend.run_in_background(chat, steps)
    return ok(chat.to_json())


def _tool_outputs(chat: ChatRecord, raw: Any) -> list[tuple[str, str]] | str:
    if chat.status != "requires_action" or chat.required_action is None:
        return f"the chat is {chat.status}, not requires_action"
    expected = {c["id"] for c in chat.required_action["submit_tool_outputs"]["tool_calls"]}
    if not isinstance(raw, list) or not raw:
        return "tool_outputs must be a non-empty array"
    outputs = []
    for item in raw:
        if not isinstance(item, dict) or item.get("tool_call_id") not in expected:
            return "tool_outputs[].tool_call_id does not match a pending tool call"
        outputs.append((str(item["tool_call_id"]), str(item.get("output") or "")))
    return outputs
