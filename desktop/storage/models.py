"""Records returned by the storage repositories (plain dataclasses, no SQL).

Table columns are named after the record fields, so :func:`column_list` and
:func:`row_reader` serve every repository.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # loaded with the first message row (desktop.storage.parts)
    import sqlite3
    from collections.abc import Callable, Mapping

    from desktop.storage.parts import AttachmentRecord, ErrorRecord, ToolRecord, UsageRecord

Region = Literal["cn", "com", "custom"]
Role = Literal["user", "assistant", "system"]
Kind = Literal["question", "answer", "divider", "error"]
Status = Literal["streaming", "complete", "interrupted", "stopped", "failed", "requires_action"]

REGIONS: tuple[str, ...] = ("cn", "com", "custom")
ROLES: tuple[str, ...] = ("user", "assistant", "system")
KINDS: tuple[str, ...] = ("question", "answer", "divider", "error")
STATUSES: tuple[str, ...] = (
    "streaming",
    "complete",
    "interrupted",
    "stopped",
    "failed",
    "requires_action",
)

# Same values as desktop.api.client.REGION_BASE_URLS; kept here so storage does
# not import the HTTP stack.
REGION_BASE_URLS: dict[str, str] = {"cn": "https://api.coze.cn", "com": "https://api.coze.com"}


def to_json(value: Any) -> str | None:
    """Serialise a JSON column (None stays NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def from_json(text: str | None, default: Any = None) -> Any:
    """Parse a JSON column; NULL or damaged text gives ``default``."""
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def new_profile_id() -> str:
    """A fresh profile id (uuid4 hex)."""
    import uuid  # only when a profile is created: ``uuid`` costs start-up time

    return uuid.uuid4().hex


def now() -> float:
    """Timestamps are seconds since the epoch (``time.time()``)."""
    return time.time()


@dataclass
class Profile:
    """A bot profile. Holds no secret: the token lives in the keyring under ``id``."""

    id: str = field(default_factory=new_profile_id)
    name: str = ""
    region: Region = "cn"
    base_url: str = ""
    bot_id: str = ""
    user_id: str = ""
    stream: bool = True
    auto_save_history: bool = True
    custom_variables: dict[str, str] = field(default_factory=dict)
    # A chatflow target (``POST /v1/workflows/chat``) when ``workflow_id`` is set: the workflow,
    # the app it belongs to (or ``bot_id``), and the workflow's input parameters.
    workflow_id: str = ""
    app_id: str = ""
    parameters: dict[str, Any] = field(default_factory=dict)
    # Local tools: a fixed result per client-side tool name, for demo and test bots. Offered in
    # the request card (the user confirms each call) unless ``auto_local_tools`` is on.
    local_tools: dict[str, str] = field(default_factory=dict)
    auto_local_tools: bool = False
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def is_chatflow(self) -> bool:
        """The profile talks to a chatflow, not a bot's ``/v3/chat``."""
        return bool(self.workflow_id)

    @property
    def api_base_url(self) -> str:
        """The API root: the region's public URL, or ``base_url`` for custom (Coze Studio)."""
        if self.region in REGION_BASE_URLS:
            return REGION_BASE_URLS[self.region]
        return self.base_url.rstrip("/")


@dataclass
class Session:
    """One chat session = one Coze conversation (``conversation_id`` empty until known)."""

    id: int
    profile_id: str
    conversation_id: str = ""
    title: str = ""
    pinned: bool = False
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class StoredMessage:
    """A persisted chat message (a user question, an answer, a divider or an error)."""

    id: int = 0
    session_id: int = 0
    role: Role = "assistant"
    kind: Kind = "answer"
    content: str = ""
    reasoning: str = ""
    tools: list[ToolRecord] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    status: Status = "complete"
    usage: UsageRecord | None = None
    log_id: str = ""
    chat_id: str = ""
    error: ErrorRecord | None = None
    ttft_ms: int | None = None
    total_ms: int | None = None
    debug_url: str = ""  # a chatflow run's page in Coze (the ``done`` event's ``debug_url``)
    server_id: str = ""  # the Coze message id of an imported row ("" for rows sent from here)
    attachments: list[AttachmentRecord] = field(default_factory=list)  # a question's files
    created_at: float = 0.0


def field_names(record: type[Any]) -> tuple[str, ...]:
    """The fields of a record class, in declaration order."""
    return tuple(f.name for f in fields(record))


def column_list(record: type[Any]) -> str:
    """The fields of a record class as a ``SELECT`` column list, in field order."""
    return ", ".join(field_names(record))


def row_reader[R](
    record: type[R], decoders: Mapping[str, Callable[[Any], Any]] | None = None
) -> Callable[[sqlite3.Row], R]:
    """A function turning a row (selected with :func:`column_list`) into a ``record``.

    ``decoders`` convert the columns that are not stored as-is (JSON text, 0/1 flags).
    """
    plan = tuple((name, (decoders or {}).get(name)) for name in field_names(record))

    def read(row: sqlite3.Row) -> R:
        values = {name: row[name] if decode is None else decode(row[name]) for name, decode in plan}
        return record(**values)

    return read


# Fields a message update may change (identity and creation time are fixed).
MESSAGE_MUTABLE_FIELDS: tuple[str, ...] = tuple(
    name for name in field_names(StoredMessage) if name not in ("id", "session_id", "created_at")
)

# How sessions are read and ordered, in the sidebar (``repos.SessionRepo``) and in a search alike.
SESSION_COLUMNS = column_list(Session)
SESSION_ORDER = "ORDER BY s.pinned DESC, s.updated_at DESC, s.id DESC"
row_to_session = row_reader(Session, {"pinned": bool})
