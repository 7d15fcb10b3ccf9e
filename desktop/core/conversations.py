"""The Coze server as the sync engine: list a bot's server conversations, import them, sync.

Shared by the CLI (``conversations``, ``import``) and the window's "Conversations on Coze" view;
nothing here imports Qt. What the server keeps is what was sent with ``auto_save_history``.

* :func:`list_conversations` reads every page of ``GET /v1/conversations`` (newest first) and
  marks the ones a local session already holds; the title is the conversation's name, else its
  first question where it can be read.
* :func:`import_conversation` reads ``POST /v1/conversation/message/list`` page by page, oldest
  first (``order=asc``, ``after_id=last_id``; coze-protocol.md §5), with the intermediate
  messages, and folds each chat's messages into the rows the app stores: the question, and one
  answer with its reasoning, tool steps and follow-ups. Each page is written in one transaction,
  so a Stop, a dropped connection or a server error keeps every page before it. Rows already
  here are skipped: imported ones by their server message id, turns sent from this machine by
  their chat id — importing again (a "sync") brings new messages only.
* :func:`delete_session` deletes a local session and, when asked, its server conversation
  (``DELETE /v1/conversations/{id}``); a refusal is reported, the local delete still happens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from desktop.api import errors
from desktop.core.transcript import from_messages

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from desktop.api import events as ev
    from desktop.api.client import CozeClient
    from desktop.storage import Database, Profile, Session

PAGE_SIZE = 50  # the most either list returns per page
MAX_PAGES = 10_000  # a server that never says "no more" cannot keep an import running forever
TITLE_CHARS = 60


@dataclass(frozen=True)
class ServerConversation:
    """One conversation on the server, and the local session that holds it (if any)."""

    id: str
    created_at: int = 0
    updated_at: int = 0
    title: str = ""
    session_id: int | None = None

    @property
    def local(self) -> bool:
        return self.session_id is not None


@dataclass(frozen=True)
class ImportProgress:
    """Reported after every stored page: which conversation, and how far."""

    conversation_id: str
    index: int  # 1-based position among the conversations being imported
    count: int
    added: int  # rows stored for this conversation so far
    pages: int


@dataclass
class ImportResult:
    """What one conversation's import did. ``error`` is set when the server or the network
    failed part-way: ``added`` rows were kept."""

    conversation_id: str
    session_id: int | None = None
    added: int = 0
    pages: int = 0
    created: bool = False  # a new local session was made for it
    stopped: bool = False
    error: errors.CozeError | None = None

    @property
    def complete(self) -> bool:
        return not self.stopped and self.error is None


@dataclass
class ImportSummary:
    """The results of importing several conversations (stops at the first failure)."""

    results: list[ImportResult] = field(default_factory=list)

    @property
    def added(self) -> int:
        return sum(r.added for r in self.results)

    @property
    def stopped(self) -> bool:
        return any(r.stopped for r in self.results)

    @property
    def error(self) -> errors.CozeError | None:
        return next((r.error for r in self.results if r.error is not None), None)


# -- listing ----------------------------------------------------------------------------------------


async def list_conversations(
    client: CozeClient, db: Database, profile: Profile, *, with_titles: bool = True
) -> list[ServerConversation]:
    """Every page of the bot's server conversations, newest first, marked when local."""
    found: dict[str, ServerConversation] = {}
    for page_num in range(1, MAX_PAGES + 1):
        page, has_more = await client.list_conversations(
            profile.bot_id, page_num=page_num, page_size=PAGE_SIZE
        )
        for conv in page:
            if conv.id and conv.id not in found:
                found[conv.id] = ServerConversation(conv.id, conv.created_at, conv.updated_at,
                                                    _clip(conv.name))  # fmt: skip
        if not has_more or not page:
            break
    local = db.sessions.by_conversation(profile.id)
    items = sorted(found.values(), key=lambda c: (c.created_at, c.id), reverse=True)
    result = []
    for item in items:
        title = item.title or (await _first_question(client, item.id) if with_titles else "")
        result.append(
            ServerConversation(item.id, item.created_at, item.updated_at, title, local.get(item.id))
        )
    return result


async def _first_question(client: CozeClient, conversation_id: str) -> str:
    """The conversation's first question, or "" when it cannot be read (a title is optional)."""
    try:
        page = await client.list_messages(conversation_id, order="asc", limit=10)
    except errors.CozeError:
        return ""
    for message in page.messages:
        if message.role == "user":
            return _clip(question_text(message))
    return ""


def _clip(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1].rstrip() + "…"


def question_text(message: ev.Message) -> str:
    """A user message as the text the chat shows: ``object_string`` items become their text
    and a ``[file]`` mark per image or file."""
    if message.content_type != "object_string":
        return message.content
    try:
        items = json.loads(message.content)
    except ValueError:
        return message.content
    if not isinstance(items, list):
        return message.content
    parts = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "text":
            parts.append(str(item.get("text") or ""))
        else:
            name = item.get("name") or item.get("file_id") or item.get("file_url") or ""
            parts.append(f"[{item.get('type') or 'file'}: {name}]" if name else "[file]")
    return "\n".join(p for p in parts if p)


# -- importing --------------------------------------------------------------------------------------


async def import_conversation(
    client: CozeClient,
    db: Database,
    profile: Profile,
    conversation_id: str,
    *,
    session_id: int | None = None,
    title: str = "",
    on_progress: Callable[[ImportProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    position: tuple[int, int] = (1, 1),
) -> ImportResult:
    """Bring the conversation's messages the session does not hold yet (all of them for a
    conversation not yet local). ``session_id`` syncs that session; otherwise the profile's
    session bound to the conversation is used, or a new one is made for the first new row."""
    if session_id is None:
        session_id = db.sessions.by_conversation(profile.id).get(conversation_id)
    result = ImportResult(conversation_id, session_id)
    writer = _Writer(db, profile, result, title)
    after_id = ""
    pending: list[ev.Message] = []  # the last chat of a page may go on on the next page
    try:
        for _ in range(MAX_PAGES):
            page = await client.list_messages(
                conversation_id, order="asc", limit=PAGE_SIZE, after_id=after_id,
                include_middle_message=True,
            )  # fmt: skip
            result.pages += 1
            last = not page.has_more or not page.last_id or page.last_id == after_id
            groups = _groups([*pending, *page.messages])
            pending = [] if last or not groups else groups.pop()
            writer.write(row for group in groups for row in _rows(group))
            _report(on_progress, result, position)
            if last:
                break
            if should_stop is not None and should_stop():
                result.stopped = True
                break
            after_id = page.last_id
    except errors.CozeError as exc:
        result.error = exc
    writer.finish()
    return result


async def import_all(
    client: CozeClient,
    db: Database,
    profile: Profile,
    conversations: Iterable[ServerConversation] | None = None,
    *,
    on_progress: Callable[[ImportProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import every given conversation (default: all of the bot's), stopping at the first
    failure or when ``should_stop`` says so."""
    items = list(
        conversations
        if conversations is not None
        else await list_conversations(client, db, profile, with_titles=False)
    )
    summary = ImportSummary()
    for index, conv in enumerate(items, start=1):
        if should_stop is not None and should_stop():
            break
        result = await import_conversation(
            client, db, profile, conv.id, title=conv.title, on_progress=on_progress,
            should_stop=should_stop, position=(index, len(items)),
        )  # fmt: skip
        summary.results.append(result)
        if not result.complete:
            break
    return summary


async def sync_session(
    client: CozeClient,
    db: Database,
    profile: Profile,
    session: Session,
    *,
    on_progress: Callable[[ImportProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportResult:
    """Pull what was added to the session's server conversation elsewhere."""
    if not session.conversation_id:
        return ImportResult("", session.id)
    return await import_conversation(
        client, db, profile, session.conversation_id, session_id=session.id,
        on_progress=on_progress, should_stop=should_stop,
    )  # fmt: skip


def _report(
    on_progress: Callable[[ImportProgress], None] | None,
    result: ImportResult,
    position: tuple[int, int],
) -> None:
    if on_progress is not None:
        index, count = position
        on_progress(
            ImportProgress(result.conversation_id, index, count, result.added, result.pages)
        )


def _groups(messages: list[ev.Message]) -> list[list[ev.Message]]:
    """Consecutive messages of one chat; a message without a chat id stands alone."""
    groups: list[list[ev.Message]] = []
    key = None
    for message in messages:
        this = message.chat_id or f"message:{message.id}"
        if groups and this == key:
            groups[-1].append(message)
        else:
            groups.append([message])
            key = this
    return groups


def _rows(group: list[ev.Message]) -> list[dict[str, Any]]:
    """The stored rows of one chat: its questions, then one answer for the bot's messages."""
    rows: list[dict[str, Any]] = []
    for message in group:
        if message.role == "user":
            rows.append({
                "role": "user", "kind": "question", "content": question_text(message),
                "chat_id": message.chat_id, "server_id": message.id,
                "created_at": float(message.created_at or 0) or None,
            })  # fmt: skip
    replies = [m for m in group if m.role != "user"]
    if not replies:
        return rows
    state = from_messages(replies)
    snapshot = state.snapshot()
    if not (snapshot.content or snapshot.reasoning or snapshot.tools or snapshot.follow_ups):
        return rows  # only control packets (verbose): nothing to show
    anchor = next((m for m in replies if m.type in ("answer", "")), replies[0])
    rows.append({
        "role": "assistant", "kind": "answer", "content": snapshot.content,
        "reasoning": snapshot.reasoning, "tools": snapshot.tools,
        "follow_ups": snapshot.follow_ups, "status": "complete",
        "chat_id": anchor.chat_id, "server_id": anchor.id,
        "created_at": float(anchor.created_at or 0) or None,
    })  # fmt: skip
    return rows


class _Writer:
    """Stores the rows of an import, one transaction per page, skipping what is already here."""

    def __init__(self, db: Database, profile: Profile, result: ImportResult, title: str) -> None:
        self._db = db
        self._profile = profile
        self._result = result
        self._title = title
        self._server_ids: set[str] = set()
        self._local_turns: set[tuple[str, str]] = set()
        self._latest = 0.0
        if result.session_id is not None:
            self._server_ids, self._local_turns = db.messages.server_keys(result.session_id)

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        fresh = [row for row in rows if self._new(row)]
        if not fresh:
            return
        session_id = self._session_id(fresh)
        for row in fresh:
            row["session_id"] = session_id
            self._latest = max(self._latest, row["created_at"] or 0.0)
        self._result.added += self._db.messages.add_many(fresh)
        self._server_ids.update(row["server_id"] for row in fresh)

    def _new(self, row: dict[str, Any]) -> bool:
        if row["server_id"] in self._server_ids:
            return False
        return not (row["chat_id"] and (row["chat_id"], row["role"]) in self._local_turns)

    def _session_id(self, rows: list[dict[str, Any]]) -> int:
        if self._result.session_id is None:
            first = next((r["content"] for r in rows if r["role"] == "user"), "")
            title = self._title or _clip(first)
            session = self._db.sessions.create(
                self._profile.id, title=title, conversation_id=self._result.conversation_id
            )
            self._result.session_id, self._result.created = session.id, True
        return self._result.session_id

    def finish(self) -> None:
        """A new session sorts by its conversation's last message, not by the import time."""
        if self._result.created and self._result.session_id is not None and self._latest:
            self._db.sessions.touch(self._result.session_id, self._latest)


# -- deleting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeleteOutcome:
    """The local delete always happens; ``server_error`` says why the server kept its copy."""

    deleted: bool
    server_deleted: bool = False
    server_error: errors.CozeError | None = None


async def delete_on_server(client: CozeClient, conversation_id: str) -> errors.CozeError | None:
    """``DELETE /v1/conversations/{id}``; the server's refusal is returned, not raised."""
    try:
        await client.delete_conversation(conversation_id)
    except errors.CozeError as exc:
        return exc
    return None


async def delete_session(
    client: CozeClient | None, db: Database, session: Session, *, on_server: bool
) -> DeleteOutcome:
    """Delete the local session; with ``on_server`` also its conversation on the server."""
    server_deleted, server_error = False, None
    if on_server and client is not None and session.conversation_id:
        server_error = await delete_on_server(client, session.conversation_id)
        server_deleted = server_error is None
    deleted = db.sessions.delete(session.id)
    return DeleteOutcome(deleted, server_deleted, server_error)
