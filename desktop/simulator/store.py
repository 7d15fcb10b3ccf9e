"""In-memory state of one simulator: conversations, chats, messages, files, ids and log ids.

Everything here is guarded by one re-entrant lock (`Store.lock`): request handler threads and
background non-stream workers mutate it concurrently. Objects are plain dataclasses whose
``to_json`` produce the wire shapes of hosted Coze (or Coze Studio, for the Studio dialect).
"""

from __future__ import annotations

import itertools
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

TERMINAL = frozenset({"completed", "failed", "requires_action", "canceled"})


def now() -> int:
    """Unix seconds, like every Coze timestamp."""
    return int(time.time())


def new_logid() -> str:
    """A fresh log id shaped like hosted Coze's: timestamp + 18 hex digits."""
    return time.strftime("%Y%m%d%H%M%S") + secrets.token_hex(9).upper()


class IdGen:
    """Monotonic 19-digit numeric-string ids (chat, message, conversation, section, file)."""

    def __init__(self) -> None:
        start = 7_490_000_000_000_000_000 + random.randrange(10**15)
        self._counter = itertools.count(start, 7)
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            return str(next(self._counter))


@dataclass
class Conversation:
    """A conversation: its messages (chronological) and its current context section."""

    id: str
    bot_id: str
    section_id: str
    created_at: int
    meta_data: dict[str, str] = field(default_factory=dict)
    name: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    updated_at: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "created_at": self.created_at,
            "updated_at": self.updated_at or self.created_at,
            "meta_data": self.meta_data,
            "creator_id": "7480000000000000800",
            "last_section_id": self.section_id,
            "connector_id": "1024",
        }

    def section_messages(self) -> list[dict[str, Any]]:
        """Messages of the current context section (what the model would still see)."""
        return [m for m in self.messages if m.get("section_id") == self.section_id]


@dataclass
class ChatRecord:
    """One chat (one bot turn) and everything it produced except the user question."""

    id: str
    conversation_id: str
    bot_id: str
    section_id: str
    created_at: int
    status: str
    meta_data: dict[str, str] = field(default_factory=dict)
    studio: bool = False
    auto_save: bool = True
    completed_at: int = 0
    failed_at: int = 0
    last_error: dict[str, Any] = field(default_factory=lambda: {"code": 0, "msg": ""})
    usage: dict[str, int] = field(
        default_factory=lambda: {"token_count": 0, "output_count": 0, "input_count": 0}
    )
    required_action: dict[str, Any] | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)

    def to_json(self, status: str | None = None) -> dict[str, Any]:
        """The Chat object; *status* overrides the stored one (for the `created` event)."""
        if self.studio:
            return self._studio_json(status or self.status)
        data: dict[str, Any] = {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "bot_id": self.bot_id,
            "created_at": self.created_at,
        }
        if self.completed_at:
            data["completed_at"] = self.completed_at
        if self.failed_at:
            data["failed_at"] = self.failed_at
        if self.meta_data:
            data["meta_data"] = self.meta_data
        data["last_error"] = self.last_error
        data["status"] = status or self.status
        if self.required_action is not None:
            data["required_action"] = self.required_action
        data["usage"] = self.usage
        data["section_id"] = self.section_id
        if self.inserted:
            data["inserted_additional_messages"] = [{"id": i} for i in self.inserted]
        return data

    def _studio_json(self, status: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "conversation_id": self.conversation_id,
            "bot_id": self.bot_id,
            "created_at": self.created_at,
            "completed_at": self.completed_at,
            "failed_at": self.failed_at,
            "status": "cancelled" if status == "canceled" else status,
            "section_id": self.section_id,
        }
        return data  # no usage, no last_error: Coze Studio's chat events carry neither


class Store:
    """All simulator state; use ``with store.lock:`` around multi-step changes."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.new_id = IdGen()
        self.conversations: dict[str, Conversation] = {}
        self.chats: dict[str, ChatRecord] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self._once_fired: set[str] = set()
        # conversation id -> [pages still answered, the answer after them] (tests' faults)
        self._list_faults: dict[str, list[Any]] = {}

    def create_conversation(
        self, bot_id: str, meta_data: dict[str, str] | None = None, conv_id: str = ""
    ) -> Conversation:
        """A new conversation; *conv_id* adopts a given id (one a restarted simulator forgot)."""
        with self.lock:
            conv = Conversation(
                id=conv_id or self.new_id(),
                bot_id=bot_id,
                section_id=self.new_id(),
                created_at=now(),
                meta_data=dict(meta_data or {}),
            )
            self.conversations[conv.id] = conv
            return conv

    def conversation(self, conv_id: str) -> Conversation | None:
        with self.lock:
            return self.conversations.get(conv_id)

    def clear_section(self, conv: Conversation) -> str:
        """Start a new context section; old messages stay readable."""
        with self.lock:
            conv.section_id = self.new_id()
            conv.updated_at = now()
            return conv.section_id

    def add_chat(self, chat: ChatRecord) -> ChatRecord:
        with self.lock:
            self.chats[chat.id] = chat
            return chat

    def chat(self, chat_id: str) -> ChatRecord | None:
        with self.lock:
            return self.chats.get(chat_id)

    def first_time(self, key: str) -> bool:
        """True exactly once per key (the `*_ONCE` faults)."""
        with self.lock:
            if key in self._once_fired:
                return False
            self._once_fired.add(key)
            return True

    def add_file(self, name: str, size: int) -> dict[str, Any]:
        with self.lock:
            file_id = self.new_id()
            info: dict[str, Any] = {
                "id": file_id,
                "bytes": size,
                "file_name": name,
                "created_at": now(),
            }
            self.files[file_id] = info
            return info

    def conversations_of(self, bot_id: str) -> list[Conversation]:
        with self.lock:
            return [c for c in self.conversations.values() if c.bot_id == bot_id]

    def delete_conversation(self, conv_id: str) -> bool:
        with self.lock:
            return self.conversations.pop(conv_id, None) is not None

    def fail_message_list(self, conv_id: str, after_pages: int, response: Any) -> None:
        """Answer the conversation's message list normally *after_pages* times, then always
        with *response* (an error envelope, or a dropped connection): a fault mid-import."""
        with self.lock:
            self._list_faults[conv_id] = [after_pages, response]

    def heal_message_list(self, conv_id: str) -> None:
        with self.lock:
            self._list_faults.pop(conv_id, None)

    def message_list_fault(self, conv_id: str) -> Any:
        """The fault to answer this message-list call with, if one is due."""
        with self.lock:
            fault = self._list_faults.get(conv_id)
            if fault is None:
                return None
            if fault[0] > 0:
                fault[0] -= 1
                return None
            return fault[1]

    def seed_history(
        self, bot_id: str, turns: list[tuple[str, str]], *, created_at: int = 0
    ) -> Conversation:
        """A conversation with *turns* (question, answer) already in it, as if chatted on
        another machine: each answer has a follow-up and the "answers finished" packet."""
        with self.lock:
            conv = self.create_conversation(bot_id)
            conv.created_at = created_at or conv.created_at
            for n, (question, answer) in enumerate(turns):
                self.add_turn(conv, question, answer, at=conv.created_at + n)
            return conv

    def add_turn(self, conv: Conversation, question: str, answer: str, *, at: int = 0) -> str:
        """Append one finished turn (a question, its answer, a follow-up) to *conv*; returns
        the chat id."""
        stamp = at or now()
        chat_id = self.new_id()
        base = {"conversation_id": conv.id, "bot_id": conv.bot_id, "chat_id": chat_id,
                "content_type": "text", "section_id": conv.section_id, "created_at": stamp,
                "updated_at": stamp}  # fmt: skip
        finish = (
            '{"msg_type":"generate_answer_finish","data":"","from_module":null,"from_unit":null}'
        )
        with self.lock:
            for role, type_, content in (
                ("user", "question", question),
                ("assistant", "answer", answer),
                ("assistant", "verbose", finish),
                ("assistant", "follow_up", f"Tell me more about “{question[:20]}”"),
            ):
                conv.messages.append(
                    dict(base, id=self.new_id(), role=role, type=type_, content=content)
                )
            conv.updated_at = stamp
        return chat_id
