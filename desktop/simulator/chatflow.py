"""``POST /v1/workflows/chat``: a chatflow demo with a question node.

The demo chatflow (``CHATFLOW_WORKFLOW_ID``, in app ``CHATFLOW_APP_ID`` or called through any
bot id) asks which city first — its question node: the question as an answer message, then
``conversation.chat.requires_action`` with a ``reply_message`` call — and, once the next call in
the same conversation brings the reply as the user's message, answers for that city (echoing the
chatflow's ``parameters``). Each stream ends with the chatflow's ``done``:
``{"debug_url": ...}``, in the spaced ``event: x`` format hosted Coze uses for chatflows.

Wire rules kept: ``conversation_id`` is read from the body; ``app_id`` and ``bot_id`` together
are code 4000; an unknown (or unpublished) workflow id is code 4200.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desktop.simulator import bots
from desktop.simulator.chat_api import _conversation, _record_messages, _stream, _user_messages
from desktop.simulator.protocol import Request, Response, bad_request, error
from desktop.simulator.store import ChatRecord, now
from desktop.simulator.turn import Step, Turn, dumps

if TYPE_CHECKING:
    from collections.abc import Iterator

    from desktop.simulator.chat_api import Backend

CHATFLOW_WORKFLOW_ID = "7480000000000000501"
CHATFLOW_APP_ID = "7480000000000000502"
QUESTION_NODE = "question_city"
QUESTION = "你想查询哪个城市的天气？Which city would you like the weather for?"
_SPEC = bots.BotSpec(CHATFLOW_WORKFLOW_ID, "Chatflow demo", "A chatflow with a question node.",
                     scenario="chatflow")  # fmt: skip


def workflow_chat(backend: Backend, req: Request) -> Response:
    body = req.json if isinstance(req.json, dict) else {}
    workflow_id = str(body.get("workflow_id") or "")
    if not workflow_id:
        return bad_request("workflow_id is required")
    if workflow_id != CHATFLOW_WORKFLOW_ID:
        return error(200, 4200, bots.not_found_msg("workflow_id", workflow_id))
    app_id, bot_id = str(body.get("app_id") or ""), str(body.get("bot_id") or "")
    if app_id and bot_id:
        return bad_request("app_id and bot_id cannot both be set")
    if not (app_id or bot_id):
        return bad_request("app_id or bot_id is required")
    parameters = body.get("parameters") or {}
    if not isinstance(parameters, dict):
        return bad_request("parameters must be an object")
    messages = _user_messages(body.get("additional_messages"))
    if isinstance(messages, str):
        return bad_request(messages)
    conv = _conversation(backend.store, _SPEC, str(body.get("conversation_id") or ""), {})
    if isinstance(conv, str):
        return error(200, 4200, conv)
    chat = ChatRecord(id=backend.store.new_id(), conversation_id=conv.id,
                      bot_id=bot_id or app_id, section_id=conv.section_id, created_at=now(),
                      status="created")  # fmt: skip
    backend.store.add_chat(chat)
    query = _record_messages(backend.store, conv, chat, messages)
    turn = Turn(backend.store, chat, conv, query, {}, backend.timing("chatflow", {}))
    return _stream(backend, chat, _chatflow(turn, parameters))


def _waiting_for_reply(turn: Turn) -> bool:
    """The conversation's last answer is the question node's question."""
    for msg in reversed(turn.conversation.messages):
        if msg.get("role") == "assistant" and msg.get("type") == "answer":
            return bool(msg.get("content") == QUESTION)
    return False


def _chatflow(turn: Turn, parameters: dict[str, Any]) -> Iterator[Step]:
    yield turn.chat_event("created")
    yield turn.chat_event("in_progress")
    if _waiting_for_reply(turn):
        city = turn.query.strip() or "北京"
        shown = json.dumps(parameters, ensure_ascii=False, sort_keys=True)
        text = f"**{city}**：晴，25°C。\n\nChatflow answer for {city} (parameters: {shown})"
        yield from turn.answer(text, piece=4)
        yield turn.chat_event("completed")
    else:
        yield from turn.answer(QUESTION, piece=6)
        call = {"id": f"call_{turn.store.new_id()}", "type": "reply_message",
                "function": {"name": QUESTION_NODE, "arguments": dumps({"question": QUESTION})}}  # fmt: skip
        with turn.store.lock:
            turn.chat.required_action = {
                "type": "submit_tool_outputs",
                "submit_tool_outputs": {"tool_calls": [call]},
            }
        yield turn.chat_event("requires_action")
    yield _done(turn)


def _done(turn: Turn) -> str:
    url = (f"https://www.coze.cn/work_flow?execute_id={turn.chat.id}&space_id="
           f"{bots.WORKSPACE_ID}&workflow_id={CHATFLOW_WORKFLOW_ID}")  # fmt: skip
    return f"event: done\ndata: {dumps({'debug_url': url})}\n\n"
