"""Context-lost detector: notice when a chat session stops continuing its Coze conversation.

Coze keeps a conversation's memory only when every turn is sent with the same
``conversation_id`` query parameter (not in the body). Two things silently break that:

``dropped``   the session has a conversation, but a turn's request did not carry it (a bug, a
              gateway rewriting the URL, a lost database row);
``replaced``  the request carried it, but the server answered in a *different* conversation (the
              server or a proxy ignored the parameter: the bot forgets everything said before).
``unlinked``  said *before* sending: the session had turns but its conversation id is gone (a
              history from an older release, a crash before it was stored), so the next
              question would start a new conversation.
``remembered`` a regenerated or edited turn could not be deleted from the server conversation
              (``got`` says why): the bot still remembers the old question and answer.

:class:`ContextGuard` remembers each session's conversation and returns a
:class:`ContextWarning` (English and Chinese text) when a finished turn shows either case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urlsplit

Reason = Literal["dropped", "replaced", "unlinked", "remembered"]


@dataclass(frozen=True)
class ContextWarning:
    """Why session ``session_id`` lost its context; ``expected`` is the conversation it had."""

    session_id: int
    reason: Reason
    expected: str
    got: str

    def text(self, lang: str = "en") -> str:
        """One paragraph for the chat view, in ``lang`` ("en" | "zh")."""
        zh = lang.startswith("zh")
        got = self.got or "-"
        if self.reason == "remembered":
            if zh:
                return (f"扣子没有删除被替换的那一轮对话（{got}），智能体仍记得旧的问题和回答。"
                        "如需让它忘记，请点击“清除上下文”后重新发送。")  # fmt: skip
            return (f"Coze did not delete the replaced turn ({got}), so the bot still remembers "
                    "the old question and answer. To make it forget, use Clear context and send "
                    "again.")  # fmt: skip
        if self.reason == "unlinked":
            if zh:
                return ("上下文已丢失：本会话之前的对话没有保存 conversation_id，下一个问题将开启新会话，"
                        "智能体不会记得之前的内容。再次发送即按新会话发送。")  # fmt: skip
            return ("Context lost: this chat's earlier turns have no saved conversation_id, so the "
                    "next question starts a new conversation and the bot will not remember the "
                    "earlier messages. Send again to go on in a new conversation.")  # fmt: skip
        if self.reason == "dropped":
            if zh:
                return (f"上下文已丢失：这次请求没有带上本会话的 conversation_id（{self.expected}），"
                        f"服务器开启了新会话（{got}），智能体不会记得之前的内容。"
                        "请在网络日志中查看该请求的 URL。")  # fmt: skip
            return (f"Context lost: this request did not carry the session's conversation_id "
                    f"({self.expected}), so the server started a new conversation ({got}) and the "
                    "bot will not remember the earlier messages. Check the request URL in the "
                    "network log.")  # fmt: skip
        if zh:
            return (f"上下文已丢失：请求带上了 conversation_id（{self.expected}），但服务器在另一个"
                    f"会话（{got}）中回答，智能体不会记得之前的内容。可能是代理/网关丢掉了查询参数，"
                    "或服务器忽略了它。")  # fmt: skip
        return (f"Context lost: the request carried conversation_id {self.expected}, but the "
                f"server answered in another conversation ({got}), so the bot will not remember "
                "the earlier messages. A proxy or gateway may drop the query parameter, or the "
                "server ignores it.")  # fmt: skip


def url_conversation_id(url: str) -> str:
    """The ``conversation_id`` query parameter of ``url`` ("" when absent)."""
    values = parse_qs(urlsplit(url).query).get("conversation_id", [])
    return values[0] if values else ""


class ContextGuard:
    """Tracks the conversation of each chat session across turns."""

    def __init__(self) -> None:
        self._known: dict[int, str] = {}

    def known(self, session_id: int) -> str:
        return self._known.get(session_id, "")

    def forget(self, session_id: int) -> None:
        """The context was cleared on purpose (or the session deleted): no warning next time."""
        self._known.pop(session_id, None)

    def check(
        self, session_id: int, stored: str, sent_url: str | None, returned: str
    ) -> ContextWarning | None:
        """Judge one finished turn.

        ``stored``: the session's conversation id before the turn; ``sent_url``: the chat request
        URL as sent (None when unknown); ``returned``: the conversation id the server answered in
        ("" when the turn failed before saying).
        """
        expected = stored or self._known.get(session_id, "")
        sent = url_conversation_id(sent_url) if sent_url is not None else stored
        if returned:
            self._known[session_id] = returned
        if not expected or not returned or returned == expected:
            return None
        if not sent:
            return ContextWarning(session_id, "dropped", expected, returned)
        if returned != sent:
            return ContextWarning(session_id, "replaced", sent, returned)
        return None
