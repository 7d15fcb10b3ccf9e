"""What the "Conversations on Coze" view and the window see of the import runner.

The payloads of ``desktop.ui.bridge.conversation_sync.ConversationSync``'s signals, and the
Protocol it satisfies, so the view takes it without importing the bridge (which is async code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import SignalInstance

    from desktop.api.errors import CozeError
    from desktop.core.conversations import ImportProgress, ImportResult, ServerConversation
    from desktop.storage.models import Profile, Session


@dataclass(frozen=True)
class ConversationsListed:
    """The bot's server conversations (newest first), or why they could not be read."""

    profile_id: str
    items: tuple[ServerConversation, ...]
    error: CozeError | None = None


@dataclass(frozen=True)
class ImportProgressed:
    profile_id: str
    progress: ImportProgress


@dataclass(frozen=True)
class ImportDone:
    """An import (or a session's sync) ended: what it added, and whether it was stopped or
    failed part-way (what was imported is kept either way)."""

    profile_id: str
    results: tuple[ImportResult, ...]
    stopped: bool = False
    error: CozeError | None = None
    sync: bool = False

    @property
    def added(self) -> int:
        return sum(r.added for r in self.results)

    @property
    def session_ids(self) -> tuple[int, ...]:
        return tuple(r.session_id for r in self.results if r.session_id is not None)


@dataclass(frozen=True)
class ServerDeleteDone:
    """Deleting a conversation on the server ended; ``error`` says why the server kept it."""

    profile_id: str
    conversation_id: str
    title: str
    error: CozeError | None = None


class ConversationRuns(Protocol):
    """Lists and imports server conversations, one job at a time.

    Signals: listed(ConversationsListed), progress(ImportProgressed), finished(ImportDone),
    server_deleted(ServerDeleteDone)."""

    @property
    def listed(self) -> SignalInstance: ...
    @property
    def progress(self) -> SignalInstance: ...
    @property
    def finished(self) -> SignalInstance: ...
    @property
    def running(self) -> bool: ...
    def list_for(self, profile: Profile) -> bool: ...
    def import_for(self, profile: Profile, items: Sequence[ServerConversation]) -> bool: ...
    def sync(self, session: Session) -> bool: ...
    def stop(self) -> None: ...
