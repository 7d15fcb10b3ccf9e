"""What the chat view reads from a message, and the plain-text bits it derives from one.

``MessageLike`` is the structural type of ``desktop.storage.StoredMessage`` (any object with
these attributes works, e.g. a ``TurnState.snapshot()``). The helpers here are Qt-light: they
only need ``QCoreApplication.translate`` for their words.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication


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
    def tools(self) -> list[dict[str, Any]]: ...
    @property
    def follow_ups(self) -> list[str]: ...
    @property
    def status(self) -> str: ...
    @property
    def usage(self) -> dict[str, Any] | None: ...
    @property
    def log_id(self) -> str: ...
    @property
    def chat_id(self) -> str: ...
    @property
    def error(self) -> dict[str, Any] | None: ...
    @property
    def ttft_ms(self) -> int | None: ...
    @property
    def total_ms(self) -> int | None: ...


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
        try:
            value = json.loads(value)
        except ValueError:
            return value
        if isinstance(value, str):
            return value
    try:
        return json.dumps(value, indent=2, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.2f} s" if ms < 10_000 else f"{ms / 1000:.1f} s"


def _count(usage: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = usage.get(key)
        if isinstance(value, int):
            return value
    return None


def usage_text(usage: dict[str, Any] | None) -> str:
    """ "1,234 tokens (in 100 · out 1,134)" or "" when unknown."""
    if not usage:
        return ""
    total = _count(usage, "token_count", "total_tokens")
    tokens_in = _count(usage, "input_count", "input_tokens", "prompt_tokens")
    tokens_out = _count(usage, "output_count", "output_tokens", "completion_tokens")
    if total is None and tokens_in is not None and tokens_out is not None:
        total = tokens_in + tokens_out
    if total is None:
        return ""
    text = QCoreApplication.translate("ChatView", "{n} tokens").format(n=f"{total:,}")
    if tokens_in is not None and tokens_out is not None:
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


def error_texts(error: dict[str, Any] | None, lang: str) -> tuple[str, str, str]:
    """``(title, fix, details)`` of a stored error, e.g. details "HTTP 401 · code 4100 · log id …"."""
    error = error or {}
    title, fix = str(error.get("title") or ""), str(error.get("fix") or "")
    describe = str(error.get("describe") or "")
    if not title and describe:
        lines = [*describe.splitlines(), "", ""]
        return lines[0], lines[1], "\n".join(lines[2:]).strip()
    if not title:
        title, fix = _diagnosis_texts(str(error.get("diagnosis") or ""), lang)
    return title, fix, error_details(error)


def _diagnosis_texts(key: str, lang: str) -> tuple[str, str]:
    from desktop.api import diagnoses

    diagnosis = diagnoses.get(key or "api_error")
    return diagnosis.title(lang), diagnosis.fix(lang)


def error_details(error: dict[str, Any]) -> str:
    """The raw facts of an error in one line (words translated); parts present only."""
    translate = QCoreApplication.translate
    parts = []
    if error.get("status"):
        parts.append(f"HTTP {error['status']}")
    if error.get("code"):
        parts.append(translate("ChatView", "code {code}").format(code=error["code"]))
    if error.get("msg"):
        parts.append(str(error["msg"]))
    if error.get("log_id"):
        label = translate("ChatView", "log id")
        parts.append(f"{label} {error['log_id']}")
    return " · ".join(parts)
