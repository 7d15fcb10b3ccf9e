"""The typed parts of a stored message: an answer's tool steps, token usage and error; a
question's attachments.

``StoredMessage.tools``/``usage``/``error`` hold these (JSON columns in the table); the chat
view, the exports and the CLI read their fields, never a dict. Loaded when the first message
row is read, not for the first frame (defining classes costs start-up time).

Rows written by older versions decode leniently: unknown keys are dropped, a damaged value
reads as empty.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ToolRecord:
    """One tool use: a plugin call and its result, or a client-side call waiting for output."""

    name: str = ""
    arguments: Any = None
    output: str | None = None
    kind: str = "plugin"  # "plugin" (server-side) | "client" (requires_action)
    call_id: str = ""
    plugin_id: str = ""
    thought: str = ""

    @property
    def done(self) -> bool:
        return self.output is not None


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """Token counts of a turn (Coze's ``usage``)."""

    token_count: int = 0
    output_count: int = 0
    input_count: int = 0


@dataclass(frozen=True, slots=True)
class ErrorRecord:
    """Why a turn failed: the facts (status, code, msg, log id) and the diagnosis key."""

    code: int | None = None
    msg: str = ""
    status: int | None = None
    log_id: str = ""
    diagnosis: str = ""


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """A file or image sent with a question: what the user saw, and what Coze knows it by.

    ``file_id`` is empty until the upload (``POST /v1/files/upload``) answered. ``path`` is the
    file the user picked (empty for a pasted image); ``thumb`` the name of the app's own copy of
    a small image under ``paths.attachments_dir()`` (empty when none was kept).
    """

    name: str = ""
    size: int = 0
    kind: str = "file"  # "image" | "file": the object_string item type
    mime: str = ""
    file_id: str = ""
    path: str = ""
    thumb: str = ""
    width: int = 0
    height: int = 0

    @property
    def is_image(self) -> bool:
        return self.kind == "image"


# Other names for the usage counts that older rows (and other Coze clients) used.
_USAGE_ALIASES = {"total_tokens": "token_count", "input_tokens": "input_count",
                  "prompt_tokens": "input_count", "output_tokens": "output_count",
                  "completion_tokens": "output_count"}  # fmt: skip


def _record[R](cls: type[R], value: Any) -> R | None:
    if not isinstance(value, dict):
        return None
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in value.items() if k in names})


def _loads(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def tools_from_json(text: str | None) -> list[ToolRecord]:
    value = _loads(text)
    items = value if isinstance(value, list) else []
    return [r for r in (_record(ToolRecord, item) for item in items) if r is not None]


def attachments_from_json(text: str | None) -> list[AttachmentRecord]:
    value = _loads(text)
    items = value if isinstance(value, list) else []
    return [r for r in (_record(AttachmentRecord, item) for item in items) if r is not None]


def usage_from_json(text: str | None) -> UsageRecord | None:
    value = _loads(text)
    if not isinstance(value, dict):
        return None
    counts = {_USAGE_ALIASES.get(k, k): v for k, v in value.items() if isinstance(v, int)}
    return _record(UsageRecord, counts)


def error_from_json(text: str | None) -> ErrorRecord | None:
    return _record(ErrorRecord, _loads(text))


def to_json(value: Any) -> str | None:
    """A part (or a list of parts) as its JSON column text; None stays NULL."""
    if value is None:
        return None
    if isinstance(value, list):
        return json.dumps([asdict(v) for v in value], ensure_ascii=False)
    return json.dumps(asdict(value), ensure_ascii=False)
