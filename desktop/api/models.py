"""Request/config value objects of the Coze client and the small response objects it returns.

Kept apart from the client so callers (core, CLI, doctor) can build requests and read results
without pulling in the HTTP machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import msgspec

from desktop.api.wire import Wire

if TYPE_CHECKING:
    from collections.abc import Mapping

    from desktop.api.events import Message

REGION_BASE_URLS = {"cn": "https://api.coze.cn", "com": "https://api.coze.com"}
_HOST_REGIONS = {"api.coze.cn": "cn", "api.coze.com": "com"}


def region_of(base_url: str) -> str:
    """``"cn"``, ``"com"`` or ``"custom"`` (Coze Studio, a proxy, a simulator)."""
    host = (urlsplit(base_url).hostname or "").lower()
    return _HOST_REGIONS.get(host, "custom")


def normalise_base_url(base_url: str) -> str:
    """``https://api.coze.cn/`` -> ``https://api.coze.cn`` (a URL without a scheme is left as
    it is: :func:`base_url_problem` refuses it rather than guessing https)."""
    return base_url.strip().rstrip("/")


# why a base URL cannot be used -> (English, Chinese); the profile form has its own tr() words
BASE_URL_PROBLEMS = {
    "no_scheme": (
        "The base URL must start with http:// or https:// (for example http://localhost:8888).",
        "接口地址必须以 http:// 或 https:// 开头（例如 http://localhost:8888）。",
    ),
    "credentials": (
        "The base URL must not contain a user name or password: Coze Desktop signs in with the "
        "profile's access token (kept in the system keyring), and would not store a password in "
        "plain text.",
        "接口地址中不能包含用户名或密码：Coze Desktop 使用配置的访问令牌（保存在系统钥匙串中）"
        "登录，不会以明文保存密码。",
    ),
    "no_host": ("The base URL has no server name.", "接口地址中没有服务器名称。"),
    "bad_port": (
        "The base URL's port must be a number from 1 to 65535.",
        "接口地址的端口必须是 1 到 65535 之间的数字。",
    ),
}


def base_url_problem(base_url: str) -> str:
    """Why ``base_url`` cannot be used (a key of :data:`BASE_URL_PROBLEMS`), or ``""``."""
    url = base_url.strip()
    parts = urlsplit(url)
    if "://" not in url or parts.scheme.lower() not in ("http", "https"):
        return "no_scheme"
    if "@" in parts.netloc:
        return "credentials"
    if not parts.hostname:
        return "no_host"
    try:
        port = parts.port
    except ValueError:
        return "bad_port"
    return "bad_port" if port == 0 else ""


@dataclass(frozen=True)
class ChatRequest:
    """One chat turn. ``additional_messages`` (raw EnterMessage dicts) override ``text``."""

    bot_id: str
    user_id: str
    text: str = ""
    conversation_id: str = ""
    additional_messages: tuple[dict[str, Any], ...] = ()
    custom_variables: Mapping[str, str] = field(default_factory=dict)
    auto_save_history: bool = True
    meta_data: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, str] = field(default_factory=dict)  # network-log labels, not sent
    # a chatflow turn (``POST /v1/workflows/chat``) when ``workflow_id`` is set
    workflow_id: str = ""
    app_id: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def messages(self) -> list[dict[str, Any]]:
        if self.additional_messages:
            return [dict(m) for m in self.additional_messages]
        if not self.text:
            return []
        return [{"role": "user", "type": "question", "content": self.text, "content_type": "text"}]

    def body(self, *, stream: bool) -> dict[str, Any]:
        """The JSON body of ``POST /v3/chat``. ``conversation_id`` is NOT here: it is a query
        parameter (in the body Coze ignores it and starts a new conversation)."""
        body: dict[str, Any] = {
            "bot_id": str(self.bot_id),  # a JSON string, as Coze Studio's binding requires
            "user_id": self.user_id,
            "stream": stream,  # always explicit: Coze Studio streams when it is missing
            # non-stream results are only readable when history is saved
            "auto_save_history": True if not stream else self.auto_save_history,
            "additional_messages": self.messages(),
        }
        if self.custom_variables:
            body["custom_variables"] = dict(self.custom_variables)
        if self.meta_data:
            body["meta_data"] = dict(self.meta_data)
        return body

    def params(self) -> dict[str, str]:
        return {"conversation_id": self.conversation_id} if self.conversation_id else {}

    def workflow_body(self) -> dict[str, Any]:
        """The JSON body of ``POST /v1/workflows/chat`` (always streamed). Unlike ``/v3/chat``,
        ``conversation_id`` travels in the body; ``app_id`` or ``bot_id`` names the chatflow's
        app (Coze answers 4000 when both are given, so ``app_id`` wins)."""
        body: dict[str, Any] = {
            "workflow_id": self.workflow_id,
            "additional_messages": self.messages(),
            "parameters": dict(self.parameters),
        }
        if self.app_id:
            body["app_id"] = self.app_id
        elif self.bot_id:
            body["bot_id"] = str(self.bot_id)
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        return body


MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What one server response may send before the client gives up on it.

    Each limit ends the turn with a plain diagnosis naming it (what arrived is kept), so memory
    stays bounded whatever a server, proxy or attacker sends. A real Coze answer is far inside
    every one of them.
    """

    line_chars: int = 1 * MiB  # one line of the event stream (no line end for this long)
    event_chars: int = 8 * MiB  # the data of one event
    answer_chars: int = 4 * MiB  # the answer (and reasoning) text of one streamed turn
    body_bytes: int = 256 * MiB  # one response body, after decompression
    decompressed_bytes: int = 64 * MiB  # a compressed body, decompressed
    ratio: float = 100.0  # decompressed / compressed ...
    ratio_after_bytes: int = 4 * MiB  # ... checked once this much has been decompressed
    # no new event for this long while bytes still trickle in (the read timeout resets on every
    # byte); also the most the response head, or a whole JSON body, may take
    progress_seconds: float = 120.0


@dataclass(frozen=True)
class ClientConfig:
    """Where and how to connect. The token is excluded from ``repr`` and never logged."""

    base_url: str
    token: str = field(repr=False)
    timeout_connect: float = 10.0
    timeout_read: float = 120.0
    proxy: str | None = field(default=None, repr=False)  # may hold proxy credentials
    trust_env: bool = True  # False: ignore HTTPS_PROXY/ALL_PROXY and system proxies ("no proxy")
    max_retries: int = 3  # attempts in total, including the first
    retry_cap_seconds: float = 10.0  # total time spent waiting between attempts
    limits: Limits = field(default_factory=Limits)
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return region_of(self.base_url)


@dataclass(frozen=True)
class MessagePage:
    """One page of ``POST /v1/conversation/message/list``."""

    messages: list[Message]
    first_id: str = ""
    last_id: str = ""
    has_more: bool = False


class FileInfo(Wire, frozen=True, kw_only=True):
    id: str = ""
    bytes: int = 0
    file_name: str = ""
    created_at: int = 0


class Onboarding(Wire, frozen=True, kw_only=True):
    prologue: str = ""
    suggested_questions: tuple[str, ...] = ()


class BotInfo(Wire, frozen=True, kw_only=True):
    """``GET /v1/bots/:id``: the published bot's metadata."""

    bot_id: str = ""
    name: str = ""
    description: str = ""
    icon_url: str = ""
    version: str = ""
    bot_mode: int = 0
    onboarding_info: Onboarding = msgspec.field(default_factory=Onboarding)
    id_: str = msgspec.field(default="", name="id")  # servers that say "id" instead of "bot_id"

    @property
    def id(self) -> str:
        return self.bot_id or self.id_

    @property
    def prologue(self) -> str:
        return self.onboarding_info.prologue

    @property
    def suggested_questions(self) -> tuple[str, ...]:
        return tuple(q for q in self.onboarding_info.suggested_questions if q)


class Conversation(Wire, frozen=True, kw_only=True):
    id: str = ""
    name: str = ""
    created_at: int = 0
    updated_at: int = 0
    last_section_id: str = ""
    meta_data: dict[str, str] = msgspec.field(default_factory=dict)
