"""The exception hierarchy of the Coze client; every error carries a :class:`Diagnosis`.

How failures are *classified* into these types lives in :mod:`desktop.api.errors`, which also
re-exports everything here (import from there). Messages are scrubbed of anything token-shaped
when an error is created, so ``str()``, ``repr()``, logs and exports never show a token.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Any

from desktop.api import diagnoses
from desktop.api.dialect import split_stack
from desktop.netlog.masking import scrub_text

if TYPE_CHECKING:
    from desktop.api.diagnoses import Diagnosis
    from desktop.api.events import Chat

_MSG_CAP = 2000


# ---------------------------------------------------------------------------------------------
# Hierarchy
# ---------------------------------------------------------------------------------------------


# The labels of the raw facts, per language: code, msg, log id.
_DETAIL_WORDS = {"en": ("code", "msg", "log id"), "zh": ("错误码", "消息", "日志 ID")}


class CozeError(Exception):
    """Base of everything the client raises."""

    default_key = "api_error"

    def __init__(
        self,
        msg: str = "",
        *,
        status: int | None = None,
        code: int | None = None,
        log_id: str = "",
        url: str = "",
        diagnosis: Diagnosis | None = None,
    ) -> None:
        # a Coze Studio msg may end in a Go stack trace: the user sees the message, the stack
        # stays with the error (and in the network log's copy of the response)
        text, self.stack = split_stack(scrub_text(msg))
        self.msg = text[:_MSG_CAP]
        self.status = status
        self.code = code
        self.log_id = log_id
        self.url = url
        self.diagnosis = diagnosis or diagnoses.get(self.default_key)
        super().__init__(self.summary())

    def details(self, lang: str = "en") -> str:
        """``HTTP 401 · code 4100 · msg … · log id …`` with only the parts that are known."""
        words = _DETAIL_WORDS["zh" if lang == "zh" else "en"]
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"{words[0]} {self.code}")
        if self.msg:
            parts.append(f"{words[1]} {self.msg}")
        if self.log_id:
            parts.append(f"{words[2]} {self.log_id}")
        return " · ".join(parts)

    def summary(self, lang: str = "en") -> str:
        """One line: the title plus the details."""
        details = self.details(lang)
        title = self.diagnosis.title(lang)
        return f"{title} ({details})" if details else title

    def describe(self, lang: str = "en") -> str:
        """Multi-line plain text for a user: what happened, what to do, then the raw facts."""
        lines = [self.diagnosis.title(lang), self.diagnosis.fix(lang)]
        details = self.details(lang)
        if details:
            lines.append(details)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly record (stored with failed messages and in log exports)."""
        return {
            "type": type(self).__name__,
            "status": self.status,
            "code": self.code,
            "msg": self.msg,
            "log_id": self.log_id,
            "url": self.url,
            "diagnosis": self.diagnosis.key,
        }

    def __str__(self) -> str:
        # computed, not frozen in args: the client fills in status/log id after creation
        return self.summary()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.summary()!r})"


class CozeAPIError(CozeError):
    """The server reported a failure: a non-zero Coze ``code`` or an error HTTP status."""


class AuthError(CozeAPIError):
    default_key = "auth_invalid"


class PermissionDeniedError(CozeAPIError):
    default_key = "permission_denied"


class NotFoundError(CozeAPIError):
    default_key = "bot_not_found"


class BadRequestError(CozeAPIError):
    default_key = "bad_request"


class RateLimitError(CozeAPIError):
    default_key = "rate_limited"

    def __init__(self, msg: str = "", *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(msg, **kw)


class ConversationBusyError(CozeAPIError):
    default_key = "conversation_busy"


class QuotaError(CozeAPIError):
    default_key = "quota_exhausted"


class ServerError(CozeAPIError):
    default_key = "server_error"


class StudioError(CozeAPIError):
    """Coze Studio's own error codes (the 1030xxxxx-1032xxxxx conversation family)."""

    default_key = "studio_error"


class ChatFailedError(CozeError):
    """A chat that ended ``failed``: ``code``/``msg`` come from its ``last_error``."""

    default_key = "chat_failed"

    def __init__(self, msg: str = "", *, chat: Chat | None = None, **kw: Any) -> None:
        self.chat = chat
        super().__init__(msg, **kw)

    @classmethod
    def from_chat(
        cls, chat: Chat, *, log_id: str = "", url: str = "", region: str | None = None
    ) -> ChatFailedError:
        error = chat.last_error
        code, msg = (error.code, error.msg) if error else (None, "")
        key = diagnoses.key_for(None, code, msg, region)
        diagnosis = diagnoses.get("chat_failed" if key == "api_error" else key, region)
        return cls(msg, chat=chat, code=code, log_id=log_id, url=url, diagnosis=diagnosis)


class StreamErrorEvent(CozeError):
    """``event:error`` (or a bare JSON error line) inside an event stream."""

    default_key = "stream_error"


class NotCozeResponseError(CozeError):
    """HTML or other non-JSON from something in between (proxy, gateway, captive portal)."""

    default_key = "not_coze_response"


class BadConfigError(CozeError):
    """The profile cannot be used as it is (its base URL); nothing was sent."""

    default_key = "bad_base_url"


class InternalError(CozeError):
    """A bug in Coze Desktop itself (an exception that is not a Coze, network or file fault).

    Never Coze's fault, so its diagnosis says so and points at our log file, not at Coze support.
    """

    default_key = "internal_error"

    traceback_text: str = ""  # the bug's traceback (token-scrubbed), for the error reporter

    @classmethod
    def from_exception(cls, exc: BaseException, log_file: str = "") -> InternalError:
        where = f" (details in {log_file})" if log_file else ""
        error = cls(f"{type(exc).__name__}: {exc}{where}")
        error.traceback_text = scrub_text("".join(traceback.format_exception(exc)))
        return error


class HistorySaveError(CozeError):
    """The answer arrived but could not be saved to the local chat history (a locked, full,
    read-only or damaged history file). Neither Coze's fault nor a bug: its diagnosis names the
    file problem, and the answer is kept in the window to export or save again."""

    default_key = "storage_failed"
    KINDS = ("locked", "disk_full", "readonly", "io", "corrupt")

    @classmethod
    def of_kind(cls, kind: str, msg: str) -> HistorySaveError:
        """From a storage failure's ``kind`` (``StorageError.kind``) and its message."""
        key = f"storage_{kind}" if kind in cls.KINDS else cls.default_key
        return cls(msg, diagnosis=diagnoses.get(key))


class NetworkError(CozeError):
    """The request did not complete at the transport level. ``partial``: some answer arrived."""

    default_key = "network_error"

    def __init__(self, msg: str = "", *, partial: bool = False, **kw: Any) -> None:
        self.partial = partial
        super().__init__(msg, **kw)


class ConnectRefusedError(NetworkError):
    default_key = "connect_refused"


class DNSError(NetworkError):
    default_key = "dns_failure"


class TLSError(NetworkError):
    default_key = "tls_failure"


class ProxyError(NetworkError):
    default_key = "proxy_failure"


class CozeTimeoutError(NetworkError):
    default_key = "read_timeout"


class ResponseLimitError(NetworkError):
    """The server sent more than :class:`desktop.api.models.Limits` allows (a line, an event,
    the answer, the body, or a compressed body too large or too compressed); ``msg`` names the
    limit and what the server did."""

    default_key = "response_too_large"


class StreamCutError(NetworkError):
    """The stream ended (EOF or a dropped socket) before ``chat.completed``/``failed``.

    ``answer_complete``: the answer's ``message.completed`` had arrived, so only the closing
    events are missing (the answer is whole; the turn is not a failure)."""

    default_key = "stream_cut"

    def __init__(self, msg: str = "", *, partial: bool = True, **kw: Any) -> None:
        self.answer_complete = False
        super().__init__(msg, partial=partial, **kw)
