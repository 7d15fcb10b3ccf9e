"""What the chat view reads from a message, and the plain-text bits it derives from one.

``MessageLike`` is the structural type of ``desktop.storage.StoredMessage`` (any object with
these attributes works, e.g. a ``TurnState.snapshot()``). The helpers here are Qt-light: they
only need ``QCoreApplication.translate`` for their words.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.storage.parts import AttachmentRecord, ErrorRecord, ToolRecord, UsageRecord


class MessageLike(Protocol):
    """The fields of a stored message the view renders."""

    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def content(self) -> str: ...
    @property
    def reasoning(self) -> str: ...
    @property
    def tools(self) -> Sequence[ToolRecord]: ...
    @property
    def follow_ups(self) -> list[str]: ...
    @property
    def status(self) -> str: ...
    @property
    def usage(self) -> UsageRecord | None: ...
    @property
    def log_id(self) -> str: ...
    @property
    def chat_id(self) -> str: ...
    @property
    def error(self) -> ErrorRecord | None: ...
    @property
    def ttft_ms(self) -> int | None: ...
    @property
    def total_ms(self) -> int | None: ...
    @property
    def debug_url(self) -> str: ...
    @property
    def attachments(self) -> Sequence[AttachmentRecord]: ...


def is_question(msg: MessageLike) -> bool:
    return msg.kind == "question" or (msg.role == "user" and msg.kind != "divider")


def is_error(msg: MessageLike) -> bool:
    return msg.kind == "error" or msg.status == "failed"


def ui_language() -> str:
    """ "zh" or "en": the language of the installed translation (translators write "zh")."""
    lang = QCoreApplication.translate("ChatView", "en", "language code of this translation")
    return "zh" if lang.lower().startswith("zh") else "en"


def pretty_json(value: Any) -> str:
    """``value`` (a JSON string or a structure) indented for reading; other text unchanged."""
    if isinstance(value, str):
        text = value
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.2f} s" if ms < 10_000 else f"{ms / 1000:.1f} s"


def usage_text(usage: UsageRecord | None) -> str:
    """ "1,234 tokens (in 100 · out 1,134)" or "" when unknown."""
    if usage is None:
        return ""
    tokens_in, tokens_out = usage.input_count, usage.output_count
    total = usage.token_count or tokens_in + tokens_out
    if not total:
        return ""
    text = QCoreApplication.translate("ChatView", "{n} tokens").format(n=f"{total:,}")
    if tokens_in or tokens_out:
        text += " " + QCoreApplication.translate("ChatView", "(in {i} · out {o})").format(
            i=f"{tokens_in:,}", o=f"{tokens_out:,}"
        )
    return text


def timing_parts(msg: MessageLike) -> list[str]:
    """ "first token 0.42 s", "total 3.10 s" (those known)."""
    parts = []
    if msg.ttft_ms is not None:
        parts.append(
            QCoreApplication.translate("ChatView", "first token {t}").format(
                t=_seconds(msg.ttft_ms)
            )
        )
    if msg.total_ms is not None:
        parts.append(
            QCoreApplication.translate("ChatView", "total {t}").format(t=_seconds(msg.total_ms))
        )
    return parts


def error_texts(error: ErrorRecord | None, lang: str) -> tuple[str, str, str]:
    """``(title, fix, details)`` of a stored error, e.g. details "HTTP 401 · code 4100 · log id …"."""
    key = error.diagnosis if error is not None else ""
    title, fix = _diagnosis_texts(key, lang)
    return title, fix, error_details(error) if error is not None else ""


def is_storage_failure(error: ErrorRecord | None) -> bool:
    """The answer arrived but the chat history could not take it (kept in the window)."""
    return error is not None and error.diagnosis.startswith("storage_")


def _diagnosis_texts(key: str, lang: str) -> tuple[str, str]:
    from desktop.api import diagnoses

    diagnosis = diagnoses.get(key or "api_error")
    return diagnosis.title(lang), diagnosis.fix(lang)


def error_details(error: ErrorRecord) -> str:
    """The raw facts of an error in one line (words translated); parts present only."""
    translate = QCoreApplication.translate
    parts = []
    if error.status:
        parts.append(f"HTTP {error.status}")
    if error.code:
        parts.append(translate("ChatView", "code {code}").format(code=error.code))
    if error.msg:
        parts.append(error.msg)
    if error.log_id:
        label = translate("ChatView", "log id")
        parts.append(f"{label} {error.log_id}")
    return " · ".join(parts)
