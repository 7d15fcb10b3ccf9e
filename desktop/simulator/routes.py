"""Routing, the token check, and the non-chat endpoints (conversations, messages, files, bots).

``dispatch(backend, request)`` is the whole API surface: unknown paths get 404, wrong methods
405, a wrong token HTTP 401 code 4100 — checked on every known path, as hosted Coze does.
A request naming a Coze Studio bot (or one of its chats) is answered in Studio's dialect: an
``X-Log-Id`` uuid instead of ``x-tt-logid``, and a wrong token is HTTP 200 code 700012006.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import functools
import re
from collections.abc import Callable
from typing import Any

from desktop.simulator import bots, chat_api, chatflow, icons
from desktop.simulator.chat_api import Backend
from desktop.simulator.faults import STUDIO_AUTH_CODE, STUDIO_AUTH_MSG, bot_info_fault
from desktop.simulator.protocol import (
    DropResponse,
    RawResponse,
    Request,
    Response,
    bad_request,
    error,
    ok,
)
from desktop.simulator.store import Conversation

Handler = Callable[[Backend, Request], Response]
AUTH_MSG = "authentication is invalid"


def check_auth(req: Request) -> Response | None:
    """None when ``Authorization`` is exactly ``Bearer <DEMO_TOKEN>``."""
    if req.headers.get("authorization", "") == f"Bearer {bots.DEMO_TOKEN}":
        return None
    return error(401, 4100, AUTH_MSG)


# -- conversations ----------------------------------------------------------------------------------


def create_conversation(backend: Backend, req: Request) -> Response:
    body = req.json if isinstance(req.json, dict) else {}
    bot_id = str(body.get("bot_id") or "")
    if bot_id and bots.bot_spec(bot_id) is None:
        return error(200, 4200, bots.not_found_msg("bot_id", bot_id))
    meta = {str(k): str(v) for k, v in (body.get("meta_data") or {}).items()}
    conv = backend.store.create_conversation(bot_id, meta)
    conv.name = str(body.get("name") or "")
    return ok(conv.to_json())


def _conversation_or_error(backend: Backend, conv_id: str) -> Conversation | Response:
    conv = backend.store.conversation(conv_id)
    if conv is None:
        return error(200, 4200, bots.not_found_msg("conversation_id", conv_id or "<empty>"))
    return conv


def retrieve_conversation(backend: Backend, req: Request) -> Response:
    conv = _conversation_or_error(backend, req.query.get("conversation_id", ""))
    return ok(conv.to_json()) if isinstance(conv, Conversation) else conv


def list_conversations(backend: Backend, req: Request) -> Response:
    bot_id = req.query.get("bot_id", "")
    if not bot_id:
        return bad_request("bot_id is required")
    page, size = _int(req.query.get("page_num"), 1), min(50, _int(req.query.get("page_size"), 50))
    # ids grow with time: they order conversations made within the same second
    convs = sorted(backend.store.conversations_of(bot_id), key=lambda c: (c.created_at, int(c.id)))
    convs = convs if req.query.get("sort_order", "DESC").upper() == "ASC" else convs[::-1]
    start = (max(1, page) - 1) * max(1, size)
    chunk = convs[start : start + max(1, size)]
    return ok(
        {"has_more": start + len(chunk) < len(convs), "conversations": [c.to_json() for c in chunk]}
    )


def delete_conversation(backend: Backend, req: Request, conv_id: str) -> Response:
    """``DELETE /v1/conversations/{id}``: the conversation and its messages are gone."""
    conv = _conversation_or_error(backend, conv_id)
    if not isinstance(conv, Conversation):
        return conv
    backend.store.delete_conversation(conv.id)
    return ok()


def clear_conversation(backend: Backend, req: Request, conv_id: str) -> Response:
    conv = _conversation_or_error(backend, conv_id)
    if not isinstance(conv, Conversation):
        return conv
    section = backend.store.clear_section(conv)
    return ok({"id": section, "conversation_id": conv.id})


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# -- conversation history ----------------------------------------------------------------------------


def list_messages(backend: Backend, req: Request) -> Response:
    """History with cursor paging: ``after_id`` moves on in list order, ``before_id`` back."""
    conv = _conversation_or_error(backend, req.query.get("conversation_id", ""))
    if not isinstance(conv, Conversation):
        return conv
    fault: Response | None = backend.store.message_list_fault(conv.id)
    if fault is not None:
        return fault
    body = req.json if isinstance(req.json, dict) else {}
    with backend.store.lock:
        items = [dict(m) for m in conv.messages if _listed(m, body)]
    if str(body.get("order") or "desc").lower() != "asc":
        items.reverse()
    limit = max(1, min(50, _int(body.get("limit"), 50)))
    page, has_more = _page(
        items, str(body.get("before_id") or ""), str(body.get("after_id") or ""), limit
    )
    first_id = page[0]["id"] if page else ""
    last_id = page[-1]["id"] if page else ""
    return ok(page, first_id=first_id, last_id=last_id, has_more=has_more)


def delete_message(backend: Backend, req: Request) -> Response:
    """Remove a question or an answer (an answer with its chat's intermediate messages)."""
    conv = _conversation_or_error(backend, req.query.get("conversation_id", ""))
    if not isinstance(conv, Conversation):
        return conv
    message_id = req.query.get("message_id", "")
    with backend.store.lock:
        found = next((m for m in conv.messages if m.get("id") == message_id), None)
        if found is None:
            return error(200, 4200, bots.not_found_msg("message_id", message_id or "<empty>"))
        if found.get("type") not in ("question", "answer"):
            return bad_request("only question and answer messages can be deleted")
        middle = found.get("type") == "answer"
        conv.messages = [
            m for m in conv.messages
            if m is not found
            and not (middle and m.get("chat_id") == found.get("chat_id")
                     and m.get("type") not in ("question", "answer"))
        ]  # fmt: skip
    return ok(dict(found))


def _listed(msg: dict[str, Any], body: dict[str, Any]) -> bool:
    if body.get("chat_id") and msg.get("chat_id") != str(body["chat_id"]):
        return False
    return bool(body.get("include_middle_message")) or msg.get("type") in ("question", "answer")


def _page(
    items: list[dict[str, Any]], before_id: str, after_id: str, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    ids = [m["id"] for m in items]
    if after_id and after_id != "0" and after_id in ids:
        rest = items[ids.index(after_id) + 1 :]
        return rest[:limit], len(rest) > limit
    if before_id and before_id != "0" and before_id in ids:
        head = items[: ids.index(before_id)]
        return head[-limit:], len(head) > limit
    return items[:limit], len(items) > limit


# -- files, bots, workspaces ---------------------------------------------------------------------------


def upload_file(backend: Backend, req: Request) -> Response:
    content_type = req.headers.get("content-type", "")
    if "multipart/form-data" not in content_type:
        return bad_request("use multipart/form-data with a part named 'file'")
    raw = f"Content-Type: {content_type}\r\n\r\n".encode() + req.body
    parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    for part in parsed.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True)
            size = len(data) if isinstance(data, bytes) else 0
            return ok(backend.store.add_file(part.get_filename() or "file", size))
    return bad_request("the multipart body has no part named 'file'")


def get_bot(backend: Backend, req: Request, bot_id: str) -> Response:
    spec = bots.bot_spec(bot_id)
    if spec is None:
        return error(200, 4200, bots.not_found_msg("bot_id", bot_id))
    fault = bot_info_fault(spec)
    if fault is not None:
        return fault
    info = spec.info()
    if not spec.fault:  # scripted bots have a face; fault bots are bare
        info["icon_url"] = (
            f"http://{req.headers.get('host', '127.0.0.1')}{icons.icon_path(spec.bot_id)}"
        )
    return ok(info)


def get_icon(path: str) -> Response:
    """A bot's avatar, as a CDN serves it (no token needed)."""
    bot_id = path[len(icons.ICON_PREFIX) :].removesuffix(".png")
    if not path.endswith(".png") or bots.bot_spec(bot_id) is None:
        return RawResponse(404, "text/plain", b"not found")
    return RawResponse(200, "image/png", icons.icon_png(bot_id))


def get_online_info(backend: Backend, req: Request) -> Response:
    return get_bot(backend, req, req.query.get("bot_id", ""))


def list_workspaces(backend: Backend, req: Request) -> Response:
    space = {
        "id": bots.WORKSPACE_ID,
        "name": "Personal (simulator)",
        "icon_url": "",
        "role_type": "owner",
        "enterprise_id": "",
        "workspace_type": "personal",
    }
    return ok({"workspaces": [space], "total_count": 1})


# -- dispatch ---------------------------------------------------------------------------------------

_EXACT: dict[str, dict[str, Handler]] = {
    "/v3/chat": {"POST": chat_api.create_chat},
    "/v3/chat/retrieve": {"GET": chat_api.retrieve_chat, "POST": chat_api.retrieve_chat},
    "/v3/chat/message/list": {
        "GET": chat_api.list_chat_messages,
        "POST": chat_api.list_chat_messages,
    },
    "/v3/chat/cancel": {"POST": chat_api.cancel_chat},
    "/v3/chat/submit_tool_outputs": {"POST": chat_api.submit_tool_outputs},
    "/v1/workflows/chat": {"POST": chatflow.workflow_chat},
    "/v1/conversation/create": {"POST": create_conversation},
    "/v1/conversation/retrieve": {"GET": retrieve_conversation},
    "/v1/conversations": {"GET": list_conversations},
    "/v1/conversation/message/list": {"POST": list_messages},
    "/v1/conversation/message/delete": {"POST": delete_message},
    "/v1/files/upload": {"POST": upload_file},
    "/v1/bot/get_online_info": {"GET": get_online_info},
    "/v1/workspaces": {"GET": list_workspaces},
}
_CLEAR = re.compile(r"^/v1/conversations/([^/]+)/clear$")
_CONVERSATION = re.compile(r"^/v1/conversations/([^/]+)$")
_BOT = re.compile(r"^/v1/bots/([^/]+)$")


_PATTERNS: tuple[tuple[re.Pattern[str], str, Callable[[Backend, Request, str], Response]], ...] = (
    (_CLEAR, "POST", clear_conversation),
    (_CONVERSATION, "DELETE", delete_conversation),
    (_BOT, "GET", get_bot),
)


def _resolve(method: str, path: str) -> Handler | Response:
    path = path.rstrip("/") or "/"
    if path in _EXACT:
        handler = _EXACT[path].get(method)
        return handler or error(405, 4000, f"method {method} is not allowed on {path}")
    for pattern, allowed, fn in _PATTERNS:
        match = pattern.match(path)
        if match:
            if method != allowed:
                return error(405, 4000, f"method {method} is not allowed on {path}")
            return functools.partial(_with_arg, fn, match.group(1))
    return error(404, 4000, f"no such API: {method} {path}")


def _with_arg(
    fn: Callable[[Backend, Request, str], Response], arg: str, backend: Backend, req: Request
) -> Response:
    return fn(backend, req, arg)


def dispatch(backend: Backend, req: Request) -> Response:
    """Route *req* and run its handler (after the token check)."""
    if req.method == "GET" and req.path.startswith(icons.ICON_PREFIX):
        return get_icon(req.path)
    handler = _resolve(req.method, req.path)
    if not callable(handler):
        return handler
    if _names_studio(backend, req):
        req = dataclasses.replace(req, studio=True)
        denied = check_auth(req)
        response = (
            handler(backend, req)
            if denied is None
            else error(200, STUDIO_AUTH_CODE, STUDIO_AUTH_MSG)  # Studio: HTTP 200, its own code
        )
        if not isinstance(response, DropResponse):
            response.studio = True
        return response
    return check_auth(req) or handler(backend, req)


def _names_studio(backend: Backend, req: Request) -> bool:
    """Whether the request is about a Coze Studio bot: its bot id (body, query or path) or the
    chat it names."""
    body = req.json if isinstance(req.json, dict) else {}
    bot_id = str(body.get("bot_id") or req.query.get("bot_id") or "")
    match = _BOT.match(req.path.rstrip("/"))
    if match:
        bot_id = match.group(1)
    chat_id = str(req.query.get("chat_id") or body.get("chat_id") or "")
    if not bot_id and chat_id:
        chat = backend.store.chat(chat_id)
        bot_id = chat.bot_id if chat is not None else ""
    conv_id = str(req.query.get("conversation_id") or body.get("conversation_id") or "")
    if not bot_id and conv_id:
        conv = backend.store.conversation(conv_id)
        bot_id = conv.bot_id if conv is not None else ""
    spec = bots.bot_spec(bot_id) if bot_id else None
    return spec is not None and spec.studio
