"""Runs the server-conversation jobs for the UI (list, import, sync, delete on the server)
and reports them as Qt signals. The work itself is :mod:`desktop.core.conversations`, shared
with the CLI; this object owns the tasks and their clients (each closed when its job ends)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.api.errors import CozeError, InternalError
from desktop.core import conversations as cv
from desktop.ui.kit.conversation_ports import (
    ConversationsListed,
    ImportDone,
    ImportProgressed,
    ServerDeleteDone,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtCore import SignalInstance

    from desktop.api.client import CozeClient
    from desktop.core.clients import ClientPool
    from desktop.core.conversations import ServerConversation
    from desktop.storage.db import Database
    from desktop.storage.models import Profile, Session

log = logging.getLogger(__name__)

Spawn = Callable[[Coroutine[Any, Any, Any], str], asyncio.Task[Any]]
TokenFor = Callable[[str], "str | None"]


class ConversationSync(QObject):
    """One list/import/sync job at a time (``running``); a server delete runs beside it.

    Signals:
        listed(ConversationsListed), progress(ImportProgressed), finished(ImportDone),
        server_deleted(ServerDeleteDone)
    """

    listed = Signal(ConversationsListed)
    progress = Signal(ImportProgressed)
    finished = Signal(ImportDone)
    server_deleted = Signal(ServerDeleteDone)

    def __init__(
        self,
        db: Database,
        clients: ClientPool,
        token_for: TokenFor,
        spawn: Spawn,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clients = clients
        self._token_for = token_for
        self._spawn = spawn
        self._busy = False  # a job runs (cleared just before it reports its end)
        self._stop = False

    @property
    def running(self) -> bool:
        return self._busy

    def stop(self) -> None:
        """Stop after the page being read: every page stored so far is kept."""
        self._stop = True

    def list_for(self, profile: Profile) -> bool:
        """Read the bot's server conversations; False when busy or without a token."""
        return self._start(profile, "list", lambda client: self._list(client, profile))

    def import_for(self, profile: Profile, items: Sequence[ServerConversation]) -> bool:
        chosen = tuple(items)
        return self._start(profile, "import", lambda client: self._import(client, profile, chosen))

    def sync(self, session: Session) -> bool:
        """Pull what was added to the session's conversation elsewhere."""
        profile = self._db.profiles.get(session.profile_id)
        if profile is None or not session.conversation_id:
            return False
        return self._start(profile, "sync", lambda client: self._sync(client, profile, session))

    def delete_on_server(self, profile: Profile, conversation_id: str, title: str) -> bool:
        """Delete the conversation on the server (the local session is already gone)."""
        token = self._token_for(profile.id)
        if not token or not conversation_id:
            return False
        client = self._clients.make(profile, token)
        self._spawn(self._delete(client, profile, conversation_id, title), "delete-conversation")
        return True

    # -- jobs ---------------------------------------------------------------------------------

    def _start(
        self, profile: Profile, name: str, job: Callable[[CozeClient], Coroutine[Any, Any, None]]
    ) -> bool:
        if self.running:
            return False
        token = self._token_for(profile.id)
        if not token:
            return False
        self._stop, self._busy = False, True
        client = self._clients.make(profile, token)
        self._spawn(self._closing(client, profile, job(client)), f"conversations-{name}")
        return True

    async def _closing(
        self, client: CozeClient, profile: Profile, job: Coroutine[Any, Any, None]
    ) -> None:
        """Run the job; a bug of ours (or a storage fault) still ends it with a message."""
        try:
            await job
        except Exception as exc:
            log.exception("a conversations job failed")
            self._end(
                self.finished, ImportDone(profile.id, (), error=InternalError.from_exception(exc))
            )
        except asyncio.CancelledError:
            self._busy = False  # the app is closing
            raise
        finally:
            await client.aclose()

    def _end(self, signal: SignalInstance, payload: object) -> None:
        """Report a job's end; the runner is free first, so a listener may start the next."""
        self._busy = False
        signal.emit(payload)

    async def _list(self, client: CozeClient, profile: Profile) -> None:
        try:
            items = await cv.list_conversations(client, self._db, profile)
        except CozeError as exc:
            self._end(self.listed, ConversationsListed(profile.id, (), exc))
            return
        self._end(self.listed, ConversationsListed(profile.id, tuple(items)))

    async def _import(
        self, client: CozeClient, profile: Profile, items: tuple[ServerConversation, ...]
    ) -> None:
        summary = await cv.import_all(
            client, self._db, profile, items,
            on_progress=lambda p: self.progress.emit(ImportProgressed(profile.id, p)),
            should_stop=lambda: self._stop,
        )  # fmt: skip
        stopped = summary.stopped or (self._stop and len(summary.results) < len(items))
        self._end(
            self.finished, ImportDone(profile.id, tuple(summary.results), stopped, summary.error)
        )

    async def _sync(self, client: CozeClient, profile: Profile, session: Session) -> None:
        result = await cv.sync_session(
            client, self._db, profile, session,
            on_progress=lambda p: self.progress.emit(ImportProgressed(profile.id, p)),
            should_stop=lambda: self._stop,
        )  # fmt: skip
        self._end(
            self.finished,
            ImportDone(profile.id, (result,), result.stopped, result.error, sync=True),
        )

    async def _delete(
        self, client: CozeClient, profile: Profile, conversation_id: str, title: str
    ) -> None:
        try:
            error = await cv.delete_on_server(client, conversation_id)
        finally:
            await client.aclose()
        self.server_deleted.emit(ServerDeleteDone(profile.id, conversation_id, title, error))
