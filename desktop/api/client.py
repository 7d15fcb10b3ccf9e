"""CozeClient: the Coze OpenAPI (hosted coze.cn / coze.com and self-hosted Coze Studio) over one
httpx.AsyncClient.

Wire rules this client follows (see the protocol notes; the web often gets them wrong):
``conversation_id`` of ``/v3/chat`` is a query parameter; ``stream`` is always sent; ``bot_id`` is
a JSON string; cancel takes its ids in the JSON body while retrieve, message list and
submit_tool_outputs take them in the query; ``code`` is checked before ``data`` is read.

Coze Studio's dialect, where it differs (see the protocol notes): its chat message list puts the
list under ``Messages`` (not ``data``) and includes the user's question; its cancel answers the
chat under ``ChatV3ChatDetail`` without ``data`` or ``code``.

Streaming methods are plain functions returning an async generator: nothing is sent until the
first ``__anext__``, and closing the generator (``contextlib.aclosing``) closes the connection.
"""

from __future__ import annotations

import mimetypes
import time
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from desktop.api import diagnoses
from desktop.api.errors import CozeAPIError, CozeTimeoutError, body_log_id
from desktop.api.events import Chat, Message, StreamEvent
from desktop.api.models import (
    REGION_BASE_URLS,
    BotInfo,
    ChatRequest,
    ClientConfig,
    Conversation,
    FileInfo,
    MessagePage,
)
from desktop.api.streaming import iter_events
from desktop.api.transport import Call, HttpCore, Sleep
from desktop.api.wire import Wire, convert
from desktop.netlog import Exchange, NetLog

if TYPE_CHECKING:
    import httpx

__all__ = [
    "REGION_BASE_URLS",
    "BotInfo",
    "ChatRequest",
    "ClientConfig",
    "CozeClient",
    "FileInfo",
    "MessagePage",
]

_POLL_TIMEOUT = 600.0


class CozeClient:
    """Async Coze client. One instance per profile; ``await aclose()`` when done.

    ``netlog``: where every exchange is recorded (a small private log if omitted).
    ``transport``: only for tests/embedding — passing one disables environment proxies.
    ``sleep``: the coroutine used to wait between retries and polls (tests pass a fake).
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        netlog: NetLog | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.config = config
        self.netlog = netlog if netlog is not None else NetLog(max_exchanges=200)
        self._http = HttpCore(config, self.netlog, transport, sleep)
        self._sleep = self._http.sleep

    @property
    def base_url(self) -> str:
        return self._http.base_url

    @property
    def region(self) -> str:
        return self._http.region

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> CozeClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- chat ----------------------------------------------------------------------------------

    def stream_chat(self, req: ChatRequest) -> AsyncGenerator[StreamEvent]:
        """Stream one turn (``POST /v3/chat``, ``stream: true``). See :mod:`desktop.api.streaming`
        for how the stream ends and which errors it raises."""
        call = Call("POST", "/v3/chat", req.params(), req.body(stream=True), stream=True,
                    context=req.context)  # fmt: skip
        return self._stream(call)

    def stream_workflow_chat(self, req: ChatRequest) -> AsyncGenerator[StreamEvent]:
        """Stream one chatflow turn (``POST /v1/workflows/chat``): the same events as
        ``/v3/chat``; its ``done`` carries ``{"debug_url": ...}``."""
        call = Call("POST", "/v1/workflows/chat", None, req.workflow_body(), stream=True,
                    context=req.context)  # fmt: skip
        return self._stream(call)

    async def create_chat(self, req: ChatRequest) -> Chat:
        """Start a non-streaming chat; it usually comes back ``in_progress`` (poll it)."""
        chat, _ex = await self._create_chat(req)
        return chat

    async def _create_chat(self, req: ChatRequest) -> tuple[Chat, Exchange]:
        call = Call("POST", "/v3/chat", req.params(), req.body(stream=False), context=req.context)
        envelope, ex = await self._http.json_exchange(call)
        return self._data(envelope, "/v3/chat", Chat), ex

    async def retrieve_chat(
        self, conversation_id: str, chat_id: str, context: Mapping[str, str] | None = None
    ) -> Chat:
        params = {"conversation_id": conversation_id, "chat_id": chat_id}
        envelope = await self._json(Call("GET", "/v3/chat/retrieve", params, context=context))
        return self._data(envelope, "/v3/chat/retrieve", Chat)

    async def list_chat_messages(
        self, conversation_id: str, chat_id: str, context: Mapping[str, str] | None = None
    ) -> list[Message]:
        """Every message of a chat except the user's question (answers, tools, follow-ups...)."""
        params = {"conversation_id": conversation_id, "chat_id": chat_id}
        envelope = await self._json(Call("GET", "/v3/chat/message/list", params, context=context))
        listed = envelope.get("data")
        if listed is None:  # Coze Studio: {"Messages": [...], "code": 0, ...}
            listed = envelope.get("Messages")
        return [m for m in _messages(listed) if m.role != "user"]

    async def chat_and_poll(
        self,
        req: ChatRequest,
        interval: float = 1.0,
        on_poll: Callable[[Chat], None] | None = None,
        *,
        timeout: float = _POLL_TIMEOUT,  # noqa: ASYNC109 - the poll's own deadline, reported as a diagnosed Coze timeout
        on_opened: Callable[[Exchange], None] | None = None,
    ) -> tuple[Chat, list[Message]]:
        """Non-streaming turn: create, poll retrieve every ``interval`` s until the chat is
        terminal, then list its messages (none for failed/canceled chats). ``on_opened`` gets the
        network-log exchange of the create request, the turn's own, as soon as it answered."""
        chat, ex = await self._create_chat(req)
        if on_opened is not None:
            on_opened(ex)
        return await self._poll_chat(chat, interval, on_poll, timeout, req.context)

    async def _poll_chat(
        self,
        chat: Chat,
        interval: float,
        on_poll: Callable[[Chat], None] | None,
        timeout: float,  # noqa: ASYNC109 - the poll's own deadline, reported as a diagnosed Coze timeout
        context: Mapping[str, str] | None,
    ) -> tuple[Chat, list[Message]]:
        """Retrieve ``chat`` every ``interval`` s until it is terminal, then list its messages."""
        deadline = time.monotonic() + timeout
        while not chat.is_terminal:
            if on_poll is not None:
                on_poll(chat)
            if time.monotonic() > deadline:
                raise self._poll_timeout(timeout)
            await self._sleep(interval)
            chat = await self.retrieve_chat(chat.conversation_id, chat.id, context)
        if on_poll is not None:
            on_poll(chat)
        if chat.status not in ("completed", "requires_action"):
            return chat, []
        return chat, await self.list_chat_messages(chat.conversation_id, chat.id, context)

    async def cancel_chat(self, conversation_id: str, chat_id: str) -> Chat:
        """Mark a chat canceled (ids in the JSON body). It does not stop a stream: close that too."""
        body = {"conversation_id": conversation_id, "chat_id": chat_id}
        envelope = await self._json(Call("POST", "/v3/chat/cancel", json_body=body))
        if "data" not in envelope and "ChatV3ChatDetail" in envelope:  # Coze Studio
            envelope = {"data": envelope["ChatV3ChatDetail"]}
        return self._data(envelope, "/v3/chat/cancel", Chat)

    def submit_tool_outputs(
        self,
        conversation_id: str,
        chat_id: str,
        outputs: Sequence[tuple[str, str]],
        context: Mapping[str, str] | None = None,
    ) -> AsyncGenerator[StreamEvent]:
        """Answer ``requires_action`` with ``(tool_call_id, output)`` pairs; streams the rest."""
        call = Call("POST", "/v3/chat/submit_tool_outputs",
                    _tool_params(conversation_id, chat_id), _tool_body(outputs, stream=True),
                    stream=True, context=context)  # fmt: skip
        return self._stream(call)

    async def submit_tool_outputs_and_poll(
        self,
        conversation_id: str,
        chat_id: str,
        outputs: Sequence[tuple[str, str]],
        interval: float = 1.0,
        on_poll: Callable[[Chat], None] | None = None,
        *,
        context: Mapping[str, str] | None = None,
        timeout: float = _POLL_TIMEOUT,  # noqa: ASYNC109 - the poll's own deadline, reported as a diagnosed Coze timeout
    ) -> tuple[Chat, list[Message]]:
        """Non-streaming ``submit_tool_outputs`` (``stream: false``), then poll like a new chat."""
        call = Call("POST", "/v3/chat/submit_tool_outputs",
                    _tool_params(conversation_id, chat_id), _tool_body(outputs, stream=False),
                    context=context)  # fmt: skip
        envelope = await self._json(call)
        chat = self._data(envelope, "/v3/chat/submit_tool_outputs", Chat)
        return await self._poll_chat(chat, interval, on_poll, timeout, context)

    # -- conversations -------------------------------------------------------------------------

    async def create_conversation(self, bot_id: str) -> Conversation:
        body = {"bot_id": str(bot_id)} if bot_id else {}
        envelope = await self._json(Call("POST", "/v1/conversation/create", json_body=body))
        return self._data(envelope, "/v1/conversation/create", Conversation)

    async def retrieve_conversation(self, conversation_id: str) -> Conversation:
        params = {"conversation_id": conversation_id}
        envelope = await self._json(Call("GET", "/v1/conversation/retrieve", params))
        return self._data(envelope, "/v1/conversation/retrieve", Conversation)

    async def list_conversations(
        self, bot_id: str, page_num: int = 1, page_size: int = 20
    ) -> tuple[list[Conversation], bool]:
        """One page of the caller's API conversations with a bot, newest first; ``has_more``."""
        params = {"bot_id": str(bot_id), "page_num": str(page_num), "page_size": str(page_size)}
        envelope = await self._json(Call("GET", "/v1/conversations", params))
        page = self._data(envelope, "/v1/conversations", _ConversationPage)
        return list(page.conversations), page.has_more

    async def delete_conversation(self, conversation_id: str) -> None:
        """``DELETE /v1/conversations/{id}``: remove the conversation and its messages on the
        server (hosted Coze and Coze Studio both route it; the answer carries no data)."""
        await self._json(Call("DELETE", f"/v1/conversations/{_segment(conversation_id)}"))

    async def clear_conversation(self, conversation_id: str) -> str:
        """Reset the model context (messages stay readable); returns the new section id."""
        path = f"/v1/conversations/{_segment(conversation_id)}/clear"
        envelope = await self._json(Call("POST", path))
        data = envelope.get("data")
        return str(data.get("id", "")) if isinstance(data, Mapping) else ""

    async def list_messages(
        self,
        conversation_id: str,
        *,
        limit: int = 50,
        before_id: str = "",
        after_id: str = "",
        order: str = "desc",
        chat_id: str = "",
        include_middle_message: bool = False,
    ) -> MessagePage:
        """A page of a conversation's history. Page back with ``before_id=page.first_id``,
        forward with ``after_id=page.last_id`` (the cursors are top-level, beside ``data``).
        ``include_middle_message`` adds a turn's tool calls, tool outputs, follow-ups and
        verbose packets to its question and answer."""
        body: dict[str, Any] = {"order": order, "limit": limit}
        if include_middle_message:
            body["include_middle_message"] = True
        if before_id:
            body["before_id"] = before_id
        if after_id:
            body["after_id"] = after_id
        if chat_id:  # only this turn's question and answer
            body["chat_id"] = chat_id
        params = {"conversation_id": conversation_id}
        envelope = await self._json(Call("POST", "/v1/conversation/message/list", params, body))
        return _message_page(envelope)

    async def delete_message(self, conversation_id: str, message_id: str) -> None:
        """``POST /v1/conversation/message/delete?conversation_id=&message_id=``: remove a
        question or an answer (with its intermediate messages) from the conversation, so the
        bot no longer sees it."""
        params = {"conversation_id": conversation_id, "message_id": message_id}
        await self._json(Call("POST", "/v1/conversation/message/delete", params))

    # -- files, bots, token --------------------------------------------------------------------

    async def upload_file(self, name: str, data: bytes) -> FileInfo:
        """Upload a file (multipart field ``file``) for use in ``object_string`` messages."""
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        call = Call("POST", "/v1/files/upload", files={"file": (name, data, mime)})
        envelope = await self._json(call)
        return self._data(envelope, "/v1/files/upload", FileInfo)

    async def get_bot(self, bot_id: str) -> BotInfo:
        """The published bot's metadata (name, description, prologue, suggested questions)."""
        path = f"/v1/bots/{_segment(bot_id)}"
        envelope = await self._json(Call("GET", path))
        return self._data(envelope, path, BotInfo)

    async def fetch_icon(self, url: str, max_bytes: int = 2_000_000) -> bytes:
        """The bytes of a bot's avatar (``BotInfo.icon_url``), fetched without the token."""
        return await self._http.download(url, max_bytes)

    async def check_token(self, bot_id: str = "") -> None:
        """Raise a :class:`CozeError` unless the token is accepted. With a bot id this also checks
        the bot (and works on Coze Studio, which has no workspace list)."""
        if bot_id:
            await self._json(Call("GET", f"/v1/bots/{_segment(bot_id)}"))
        else:
            await self._json(Call("GET", "/v1/workspaces", {"page_num": "1", "page_size": "1"}))

    # -- helpers -------------------------------------------------------------------------------

    def _stream(self, call: Call) -> AsyncGenerator[StreamEvent]:
        return iter_events(partial(self._http.open_stream, call), self.netlog, self.region)

    async def _json(self, call: Call) -> Mapping[str, Any]:
        return await self._http.json(call)

    def _data[W: Wire](self, envelope: Mapping[str, Any], path: str, cls: type[W]) -> W:
        """The envelope's ``data`` object as a ``cls``."""
        data = convert(cls, envelope.get("data"))
        if data is not None:
            return data
        raise CozeAPIError(
            "the response has no data object",
            code=0,
            url=self.base_url + path,
            log_id=body_log_id(envelope),
            diagnosis=diagnoses.get("unexpected_response", self.region),
        )

    def _poll_timeout(self, timeout: float) -> CozeTimeoutError:
        return CozeTimeoutError(
            f"the chat was still running after {timeout:.0f} s",
            url=self.base_url + "/v3/chat/retrieve",
            diagnosis=diagnoses.get("read_timeout", self.region),
        )


class _ConversationPage(Wire, frozen=True, kw_only=True):
    conversations: tuple[Conversation, ...] = ()
    has_more: bool = False


def _tool_params(conversation_id: str, chat_id: str) -> dict[str, str]:
    return {"conversation_id": conversation_id, "chat_id": chat_id}


def _tool_body(outputs: Sequence[tuple[str, str]], *, stream: bool) -> dict[str, Any]:
    return {
        "tool_outputs": [{"tool_call_id": cid, "output": out} for cid, out in outputs],
        "stream": stream,
    }


def _segment(value: str) -> str:
    """An id as one URL path segment: "/", "?", "#", "%" and ".." cannot leave it."""
    return quote(str(value), safe="")


def _messages(data: Any) -> list[Message]:
    if isinstance(data, Mapping):  # some servers wrap the list: {"messages": [...]}
        data = data.get("messages")
    if not isinstance(data, list):
        return []
    return [m for m in (convert(Message, item) for item in data) if m is not None]


def _message_page(envelope: Mapping[str, Any]) -> MessagePage:
    data = envelope.get("data")
    cursors = data if isinstance(data, Mapping) and "has_more" in data else envelope
    return MessagePage(
        messages=_messages(data),
        first_id=str(cursors.get("first_id") or ""),
        last_id=str(cursors.get("last_id") or ""),
        has_more=bool(cursors.get("has_more")),
    )
