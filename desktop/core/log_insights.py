"""Plain-language verdict for one recorded HTTP exchange (the log dock's Diagnosis tab).

An exchange that failed carries a :class:`~desktop.api.errors.CozeError` whose diagnosis says
what happened and what to do. One that succeeded can still explain a complaint: a stream whose
pieces all arrived at once ("no typing effect"), or a chat request without ``conversation_id``
(the bot starts from scratch). Everything here is bilingual and Qt-free.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from desktop.api.errors import Diagnosis, diagnose
from desktop.api.events import ChatEvent, parse_event
from desktop.api.models import region_of
from desktop.core.context_guard import url_conversation_id
from desktop.core.doctor import BURST_SECONDS, MIN_DELTAS

if TYPE_CHECKING:
    from desktop.netlog import Exchange
    from desktop.netlog.records import RecordedError

Level = Literal["ok", "info", "warn", "error", "pending"]
_CHAT_PATHS = ("/v3/chat", "/v1/workflows/chat")
_TAIL_FRAMES = 6  # chat.failed is followed at most by a done frame or two


@dataclass(frozen=True)
class Insight:
    """One finding: ``title`` says what happened, ``fix`` what to do (may be empty)."""

    level: Level
    title_en: str
    title_zh: str
    fix_en: str = ""
    fix_zh: str = ""

    def title(self, lang: str) -> str:
        return self.title_zh if lang.startswith("zh") else self.title_en

    def fix(self, lang: str) -> str:
        return self.fix_zh if lang.startswith("zh") else self.fix_en


def chat_failure(ex: Exchange) -> tuple[int, str] | None:
    """``(code, msg)`` of a ``conversation.chat.failed`` near the end of a stream, else None.

    The HTTP exchange itself succeeded (the failure is inside the stream), so the client records
    no error for it; the dock still has to show it as failed. The netlog always keeps a stream's
    last frames (only the middle of a very long stream is dropped), so the end is seen here.
    """
    for _t, event, data in reversed(ex.last_frames(_TAIL_FRAMES)):
        if event == "conversation.chat.failed":
            parsed = parse_event(event, data)
            error = parsed.chat.last_error if isinstance(parsed, ChatEvent) else None
            return (error.code, error.msg) if error is not None else (0, "")
    return None


def outcome_code(ex: Exchange) -> int | None:
    """The Coze code of the outcome, including a failure reported inside the stream."""
    failure = chat_failure(ex) if ex.error is None and ex.is_stream else None
    return failure[0] if failure is not None else ex.coze_code


def is_error(ex: Exchange) -> bool:
    """Failed (a client error, an HTTP error status, or a chat that failed inside the stream)."""
    if ex.error is not None or (ex.status is not None and ex.status >= 400):
        return True
    return ex.is_stream and chat_failure(ex) is not None


def insights(ex: Exchange) -> list[Insight]:
    """The findings for ``ex``, most important first (never empty)."""
    found: list[Insight] = []
    failure = chat_failure(ex) if ex.error is None and ex.is_stream else None
    if ex.error is not None:
        found.append(_from_error(ex.error))
    elif failure is not None:
        found.append(
            _from_diagnosis(diagnose(ex.status, failure[0], failure[1], region=region_of(ex.url)))
        )
    elif ex.cancelled:
        found.append(Insight("info", "Stopped by you before it finished.", "在完成前被你停止了。"))
    elif not ex.done:
        found.append(Insight("pending", "Still running…", "仍在进行中…"))
    found += _context_hint(ex)
    found += _burst_hint(ex)
    if not found:
        found.append(_ok(ex))
    return found


def _from_error(error: RecordedError) -> Insight:
    d = error.diagnosis
    if isinstance(d, Diagnosis):
        return _from_diagnosis(d)
    summary = error.summary()  # not an API error (the log holds only those today)
    return Insight("error", summary, summary)


def _from_diagnosis(d: Diagnosis) -> Insight:
    return Insight("error", d.title("en"), d.title("zh"), d.fix("en"), d.fix("zh"))


def _ok(ex: Exchange) -> Insight:
    code = ex.coze_code
    en = f"No problem found: HTTP {ex.status}" + (f", code {code}" if code is not None else "")
    zh = f"没有发现问题：HTTP {ex.status}" + (f"，code {code}" if code is not None else "")
    return Insight("ok", en + ".", zh + "。")


def _context_hint(ex: Exchange) -> list[Insight]:
    """Only the real mistake: conversation_id sent in the JSON body, where Coze ignores it (a
    first message has none at all, and that is fine)."""
    path = urlsplit(ex.url).path
    if ex.method != "POST" or not path.endswith(_CHAT_PATHS) or url_conversation_id(ex.url):
        return []
    if not _body_has_conversation_id(ex.request_body):
        return []
    return [Insight(
        "warn",
        "This chat request has conversation_id in its JSON body, not in its URL: Coze ignores "
        "it there and starts a new conversation, so the bot loses the context.",
        "这个对话请求把 conversation_id 放在了 JSON 正文里，而不是 URL 中：扣子会忽略它并开启新会话，"
        "智能体因此丢失上下文。",
        "Send conversation_id as a query parameter (?conversation_id=…), not in the JSON body.",
        "请把 conversation_id 作为查询参数（?conversation_id=…）发送，而不是放在 JSON 正文里。",
    )]  # fmt: skip


def _body_has_conversation_id(body: str) -> bool:
    if "conversation_id" not in body:
        return False
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return isinstance(value, dict) and bool(value.get("conversation_id"))


def _burst_hint(ex: Exchange) -> list[Insight]:
    frames = itertools.chain(ex.head_frames, ex.tail_frames)  # first and last: the whole span
    deltas = [t for t, event, _data in frames if event == "conversation.message.delta"]
    if not ex.done or len(deltas) < MIN_DELTAS or deltas[-1] - deltas[0] >= BURST_SECONDS:
        return []
    ms = (deltas[-1] - deltas[0]) * 1000
    n = f"{len(deltas)}+" if ex.frames_dropped else str(len(deltas))  # some were not kept
    return [Insight(
        "warn",
        f"All {n} answer pieces arrived at once ({ms:.0f} ms apart): something buffers "
        "the stream, so there is no typing effect.",
        f"回答的 {n} 段内容同时到达（相隔 {ms:.0f} 毫秒）：有环节缓冲了数据流，"
        "所以看不到逐字输出效果。",
        "Disable response buffering for text/event-stream on your proxy or gateway "
        "(nginx: proxy_buffering off), or bypass it.",
        "请在代理或网关上为 text/event-stream 关闭响应缓冲（nginx：proxy_buffering off），或绕过它。",
    )]  # fmt: skip
