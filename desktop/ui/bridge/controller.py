"""The only bridge between asyncio and Qt: turns, stops, context clears and doctor runs.

A comparison (``send_many``) runs one turn per column at once, each its own task and session.

Widgets call plain methods here (``send``, ``stop``...) and listen to typed signals. This
object owns every task it starts: one turn task per session (kept referenced, cancelled on
request or at shutdown, logged by a done-callback). Stream updates arrive per event from
``ChatSession``; they are coalesced so the view sees at most one snapshot per 16 ms frame. Of
N sessions streaming at once (a comparison), each gets a snapshot every N frames, one session
per pass of the event loop, so N columns cost the loop about what one chat costs.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import paths
from desktop.api.errors import CozeError, HistorySaveError, InternalError
from desktop.core import local_tools
from desktop.core.attachments import Attachment, UploadProgress, check_limits
from desktop.core.chat import ChatSession, TurnResult
from desktop.core.context_guard import ContextGuard, ContextWarning
from desktop.core.pacing import OnePerPass
from desktop.secrets import SecretStore, resolve_token
from desktop.storage.errors import StorageError
from desktop.ui.bridge.conversation_sync import ConversationSync
from desktop.ui.bridge.doctor_runner import DoctorRunner
from desktop.ui.bridge.network_tester import NetworkTester

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Sequence
    from pathlib import Path

    from desktop.api.client import CozeClient
    from desktop.core import transcript as tr
    from desktop.core.clients import ClientPool
    from desktop.storage.db import Database
    from desktop.storage.models import Profile, Session, StoredMessage

log = logging.getLogger(__name__)

# "waiting": a non-streaming profile's chat is running on the server (the app polls it)
# "uploading": the turn's attachments are being uploaded (the chat starts after them)
ConnectionStateName = Literal["idle", "connecting", "uploading", "streaming", "waiting", "error"]
# "unlinked": held back once, with a context_lost warning: the session had turns but has lost
# its conversation id, so this question would start over (sent as is when asked again)
# "attachments": the files break a limit (desktop.core.attachments.check_limits says which)
SendOutcome = Literal[
    "started", "busy", "no_token", "no_session", "no_profile", "empty", "unlinked", "attachments"
]
FRAME_MS = 16
SAVE_RETRY_S = 2.0  # an answer the history did not take is offered to it again this often


@dataclass(frozen=True)
class NotSaved:
    """A question could not be stored (the history is locked, full, read-only or damaged):
    nothing was sent. ``text``: the question, for the composer; ``error``: plain words."""

    session_id: int
    text: str
    error: str
    kind: str


@dataclass(frozen=True)
class TurnStarted:
    """A turn began: the question and the (empty, streaming) answer rows exist."""

    session_id: int
    question: StoredMessage
    answer: StoredMessage


@dataclass(frozen=True)
class TurnUpdated:
    """A coalesced snapshot of the streaming answer."""

    session_id: int
    message: StoredMessage


@dataclass(frozen=True)
class TurnFinished:
    """The turn ended (complete, failed, stopped or interrupted); ``error`` when it failed."""

    session_id: int
    message: StoredMessage
    error: CozeError | None
    conversation_id: str

    @property
    def failed(self) -> bool:
        """It ended with an error the user did not cause (a Stop is not a failure)."""
        return self.error is not None and self.message.status != "stopped"

    @property
    def not_saved(self) -> bool:
        """The answer arrived but the chat history could not take it (not a network or Coze
        failure: the connection is fine, the network log has nothing to show)."""
        return isinstance(self.error, HistorySaveError)


@dataclass(frozen=True)
class UploadUpdate:
    """How far the uploads of a session's turn are (at most one per frame)."""

    session_id: int
    progress: UploadProgress


@dataclass(frozen=True)
class ConnectionState:
    session_id: int
    state: ConnectionStateName


@dataclass(frozen=True)
class ContextCleared:
    """A clear-context request ended; ``divider`` on success, ``error`` otherwise."""

    session_id: int
    divider: StoredMessage | None
    error: CozeError | None


@dataclass
class _Turn:
    session_id: int
    chat: ChatSession
    stored_conversation: str = ""  # the session's conversation id when the turn started
    task: asyncio.Task[None] | None = None
    started_emitted: bool = False
    streaming: bool = False
    pending: tr.TurnState | None = field(default=None, repr=False)
    upload: UploadProgress | None = None  # not yet emitted


class ChatController(QObject):
    """Runs chat turns for the window.

    Signals:
        turn_started(TurnStarted), turn_updated(TurnUpdated), turn_finished(TurnFinished),
        state_changed(ConnectionState), context_cleared(ContextCleared),
        context_lost(ContextWarning)  (a turn left the session's conversation: see context_guard),
        bug_found(InternalError)  (a bug of ours ended a turn: the app shows the error reporter),
        bot_info_changed(BotCard)  (a profile's bot face was refreshed, or its refresh failed),
        upload_progress(UploadUpdate)  (a turn's attachments are uploading),
        not_saved(NotSaved)  (a question the history could not store: nothing was sent),
        saved_later(TurnUpdated)  (an answer the history did not take is now saved)
    Doctor runs: see ``self.doctor`` (DoctorRunner); network tests: ``self.network``; server
    conversations (list, import, sync, delete on the server): ``self.conversations``.
    """

    turn_started = Signal(TurnStarted)
    turn_updated = Signal(TurnUpdated)
    turn_finished = Signal(TurnFinished)
    state_changed = Signal(ConnectionState)
    context_cleared = Signal(ContextCleared)
    context_lost = Signal(ContextWarning)
    bug_found = Signal(object)  # InternalError: a bug of ours ended a turn
    bot_info_changed = Signal(object)  # BotCard (desktop.storage.bots)
    upload_progress = Signal(UploadUpdate)
    not_saved = Signal(NotSaved)
    saved_later = Signal(TurnUpdated)

    def __init__(
        self,
        db: Database,
        secrets: SecretStore,
        clients: ClientPool,
        parent: QObject | None = None,
        *,
        poll_interval: float = 1.0,
        files_dir: Path | None = None,
        save_retry: float = SAVE_RETRY_S,
    ) -> None:
        super().__init__(parent)
        self._files_dir = files_dir  # None: paths.attachments_dir(), asked when first needed
        self._db = db
        self._secrets = secrets
        self._clients = clients
        self._poll_interval = poll_interval
        self._turns: dict[int, _Turn] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._states: dict[int, ConnectionStateName] = {}
        self._timer = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._timer.timeout.connect(self._flush)
        # what waits to be handed on, one per pass: sessions whose state changed, and events
        self._due: deque[int | Callable[[], None]] = deque()
        self._next = QTimer(self, singleShot=True, interval=0)  # the next of them, next pass
        self._next.timeout.connect(self._flush_next)
        self.doctor = DoctorRunner(clients, self._spawn, self)
        self.network = NetworkTester(self._spawn, clients, self)
        self.conversations = ConversationSync(db, clients, self.token_for, self._spawn, self)
        self._guard = ContextGuard()
        self._final_saves = OnePerPass()
        self._unlinked_warned: set[int] = set()
        self._faces: dict[str, str] = {}  # profile id -> bot id refreshed (or refreshing) this run
        self._face_tasks: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._save_retry = save_retry
        self._unsaved: dict[int, ChatSession] = {}  # session id -> its answer not yet saved

    # -- queries ------------------------------------------------------------------------------

    def is_busy(self, session_id: int) -> bool:
        return session_id in self._turns

    def busy_sessions(self) -> list[int]:
        return list(self._turns)

    def connection_state(self, session_id: int) -> ConnectionStateName:
        return self._states.get(session_id, "idle")

    def unsaved_answer(self, session_id: int) -> StoredMessage | None:
        """The session's answer the history could not take yet (kept here for export)."""
        chat = self._unsaved.get(session_id)
        return chat.unsaved if chat is not None else None

    def token_for(self, profile_id: str) -> str | None:
        return resolve_token(self._secrets, profile_id)

    # -- turns --------------------------------------------------------------------------------

    def send(
        self, session_id: int, text: str, attachments: Sequence[Attachment] = ()
    ) -> SendOutcome:
        """Start a turn asking ``text`` (with ``attachments``, uploaded first); the outcome says
        why not when it did not start."""
        if not text.strip():
            return "empty"
        if check_limits(text, attachments) is not None:
            return "attachments"
        return self._start(session_id, text.strip(), tuple(attachments))

    def resend(
        self,
        session_id: int,
        question_id: int,
        text: str,
        attachments: Sequence[Attachment] | None = None,
    ) -> SendOutcome:
        """Replace the turn starting at ``question_id`` (and everything after) by ``text``, with
        ``attachments`` (None: those of the replaced question).

        Used by regenerate, retry and edit-and-resend; the window reloads the history.
        """
        if session_id in self._turns:
            return "busy"
        if not text.strip():
            return "empty"
        replaced = self._db.messages.get(question_id)
        if attachments is None:
            attachments = replaced.attachments if replaced is not None else ()
        if check_limits(text, attachments) is not None:
            return "attachments"
        return self._start(
            session_id,
            text.strip(),
            tuple(attachments),
            before=lambda: self._db.messages.delete_from(session_id, question_id),
            forget=replaced.chat_id if replaced is not None else "",
        )

    def answer_tools(
        self, session_id: int, message_id: int, outputs: Sequence[tuple[str, str]]
    ) -> SendOutcome:
        """Submit the results of the client-side tool calls answer ``message_id`` waits for (its
        status is ``requires_action``, also after a restart); the rest streams into that row."""
        if session_id in self._turns:
            return "busy"
        message = self._db.messages.get(message_id)
        if message is None or message.session_id != session_id or not outputs:
            return "empty"
        if message.status != "requires_action":  # answered or cancelled meanwhile
            return "empty"
        prepared = self._prepare(session_id)
        if isinstance(prepared, str):
            return prepared
        turn = _Turn(session_id, prepared, prepared.session.conversation_id, started_emitted=True)
        self._turns[session_id] = turn
        self._set_state(session_id, "connecting")
        run = self._run_answer(turn, message, list(outputs))
        turn.task = self._spawn(run, f"tools-{session_id}")
        return "started"

    def dismiss_tools(self, session_id: int, message_id: int) -> bool:
        """Give up on answer ``message_id``'s tool calls: cancel the chat, store it stopped."""
        if session_id in self._turns:
            return False
        message = self._db.messages.get(message_id)
        if message is None or message.session_id != session_id:
            return False
        prepared = self._prepare(session_id)
        if isinstance(prepared, str):
            return False
        turn = _Turn(session_id, prepared, started_emitted=True)
        self._turns[session_id] = turn
        turn.task = self._spawn(self._dismiss(turn, message), f"dismiss-{session_id}")
        return True

    async def _run_answer(
        self, turn: _Turn, message: StoredMessage, outputs: list[tuple[str, str]]
    ) -> None:
        try:
            result = await turn.chat.answer_tools(message, outputs, partial(self._on_update, turn))
        except asyncio.CancelledError:
            self._conclude_cancelled(turn)
            raise
        finally:
            await turn.chat.wait_background()  # a cancelled submission's server-side cancel
            await self._clients.release(turn.chat.client)
        self._conclude(turn, result)

    async def _dismiss(self, turn: _Turn, message: StoredMessage) -> None:
        try:
            saved = await turn.chat.dismiss_tools(message)
        finally:
            self._turns.pop(turn.session_id, None)
            await self._clients.release(turn.chat.client)
        self.turn_finished.emit(TurnFinished(turn.session_id, saved, None, ""))

    def stop(self, session_id: int) -> bool:
        """Stop the session's turn now (stream closed, cancel sent). False when idle."""
        turn = self._turns.get(session_id)
        if turn is None:
            return False
        turn.chat.cancel()  # kept by the chat when its turn has not started yet
        return True

    def send_many(self, session_ids: Sequence[int], text: str) -> dict[int, SendOutcome]:
        """Ask ``text`` in every session at once (a comparison's columns): one turn each, all
        streaming concurrently on the loop, each in its own conversation; the outcome of each.
        Updates of all of them are coalesced into the same frames (at most one snapshot per
        session per ``FRAME_MS``), so N columns cost the loop no more wake-ups than one."""
        return {session_id: self.send(session_id, text) for session_id in session_ids}

    def stop_many(self, session_ids: Sequence[int]) -> list[int]:
        """Stop the turns of these sessions (a comparison's Stop all); the ones stopped."""
        return [session_id for session_id in session_ids if self.stop(session_id)]

    def stop_all(self) -> None:
        for session_id in list(self._turns):
            self.stop(session_id)

    def _start(
        self,
        session_id: int,
        text: str,
        attachments: tuple[Attachment, ...] = (),
        before: Callable[[], object] | None = None,
        forget: str = "",
    ) -> SendOutcome:
        """``forget``: the chat id of the turn this one replaces, deleted on the server first."""
        if session_id in self._turns:
            return "busy"
        if self._warn_unlinked(session_id):
            return "unlinked"
        prepared = self._prepare(session_id)
        if isinstance(prepared, str):
            return prepared
        if before is not None:
            before()
        turn = _Turn(session_id, prepared, prepared.session.conversation_id)
        self._turns[session_id] = turn
        self._set_state(session_id, "connecting")
        run = self._run_turn(turn, text, attachments, forget)
        turn.task = self._spawn(run, f"turn-{session_id}")
        asyncio.get_event_loop().call_soon(self._hand_on, partial(self._emit_started, turn))
        return "started"

    def _warn_unlinked(self, session_id: int) -> bool:
        """Warn once, before anything is sent, when the session had turns but has no
        conversation id (the next question would start a new conversation)."""
        session = self._db.sessions.get(session_id)
        if session is None or session.conversation_id or session_id in self._unlinked_warned:
            return False
        if not self._db.sessions.had_turns(session_id):
            return False
        self._unlinked_warned.add(session_id)
        log.warning("session %s has turns but no conversation id", session_id)
        self.context_lost.emit(ContextWarning(session_id, "unlinked", "", ""))
        return True

    def _prepare(self, session_id: int) -> ChatSession | SendOutcome:
        session: Session | None = self._db.sessions.get(session_id)
        if session is None:
            return "no_session"
        profile: Profile | None = self._db.profiles.get(session.profile_id)
        if profile is None:
            return "no_profile"
        token = self.token_for(profile.id)
        if not token:
            return "no_token"
        client = self._clients.client_for(profile, token)
        chat = ChatSession(client, self._db, profile, session, poll_interval=self._poll_interval,
                           tool_handler=local_tools.handler_for(profile),
                           files_dir=self._files_dir or paths.attachments_dir())  # fmt: skip
        chat.on_upload = lambda progress: self._on_upload(session_id, progress)
        chat.pace = self._final_saves  # a comparison's columns end together: one save a pass
        return chat

    async def _run_turn(
        self, turn: _Turn, text: str, attachments: tuple[Attachment, ...], forget: str = ""
    ) -> None:
        try:
            if forget:
                await self._forget(turn, forget)
            result = await turn.chat.send(text, partial(self._on_update, turn), attachments)
        except asyncio.CancelledError:
            self._conclude_cancelled(turn)
            raise
        except StorageError as exc:  # the question could not be stored: nothing was sent
            self._conclude_unsent(turn, text, exc)
            return
        finally:
            await turn.chat.wait_background()  # a cancelled turn's server-side cancel
            await self._clients.release(turn.chat.client)
        self._conclude(turn, result)

    async def _forget(self, turn: _Turn, chat_id: str) -> None:
        """Delete the replaced turn from the server conversation before asking again; when the
        server refuses, warn that the bot still remembers it (Clear context makes it forget)."""
        error = await turn.chat.forget_turn(chat_id)
        if error is not None:
            warning = ContextWarning(turn.session_id, "remembered", "", error.summary())
            self.context_lost.emit(warning)

    def _on_update(self, turn: _Turn, state: tr.TurnState) -> None:
        """Called by ChatSession on every event: remember it, render on the next frame."""
        turn.pending = state
        if not turn.streaming and (state.has_content or state.chat_id):
            turn.streaming = True
            live = turn.chat.profile.stream
            self._set_state(turn.session_id, "streaming" if live else "waiting")
        if not self._timer.isActive():
            # N sessions streaming at once (a comparison) share the frame: each is handed on
            # every N frames, so N columns cost the loop the rendering of one chat
            self._timer.setInterval(FRAME_MS * max(1, len(self._turns)))
            self._timer.start()

    def _on_upload(self, session_id: int, progress: UploadProgress) -> None:
        """Called by ChatSession after each uploaded chunk: shown on the next frame."""
        turn = self._turns.get(session_id)
        if turn is None:
            return
        turn.upload = progress
        last = progress.index + 1 == progress.count and progress.sent >= progress.total
        state: ConnectionStateName = "connecting" if last else "uploading"
        if self._states.get(session_id) != state:
            self._set_state(session_id, state)
        if not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        """The frame is due: hand on each streaming turn's latest state (and an upload's
        progress). Several turns at once (a comparison) are handed on one per pass of the event
        loop, so the views' renders of N columns never add up to one long stall: input and
        painting get their turn between."""
        for turn in list(self._turns.values()):
            if turn.upload is not None:
                self._emit_started(turn)
                self.upload_progress.emit(UploadUpdate(turn.session_id, turn.upload))
                turn.upload = None
            if turn.pending is not None and turn.session_id not in self._due:
                self._due.append(turn.session_id)
        if not self._next.isActive():
            self._flush_next()

    def _hand_on(self, emit: Callable[[], None], *, fresh: bool = False) -> None:
        """Emit now, unless something was handed on in this pass of the event loop already
        (a comparison's columns start and finish together): then in a coming pass, in order.
        ``fresh``: this pass did work of its own already (the answer's last save), so the emit
        waits for the next pass either way."""
        if fresh or self._next.isActive() or self._due:
            self._due.append(emit)
            self._next.start()
            return
        emit()
        self._next.start()  # this pass is taken: whatever comes next waits for the next one

    def _flush_next(self) -> None:
        while self._due:
            item = self._due.popleft()
            if callable(item):
                item()
                break
            turn = self._turns.get(item)
            state = turn.pending if turn is not None else None
            if turn is None or state is None:
                continue
            turn.pending = None
            self._emit_started(turn)
            self.turn_updated.emit(TurnUpdated(turn.session_id, state.snapshot()))
            break
        else:
            return  # nothing was handed on: the next pass is free
        self._next.start()

    def _emit_started(self, turn: _Turn) -> None:
        chat = turn.chat
        if turn.started_emitted or chat.user_message is None or chat.state is None:
            return
        turn.started_emitted = True
        self.turn_started.emit(
            TurnStarted(turn.session_id, chat.user_message, chat.state.snapshot())
        )

    def _conclude_unsent(self, turn: _Turn, text: str, exc: StorageError) -> None:
        log.warning("question in session %s not stored: %s", turn.session_id, exc)
        self._turns.pop(turn.session_id, None)
        self._set_state(turn.session_id, "idle")
        self.not_saved.emit(NotSaved(turn.session_id, text, str(exc), exc.kind))

    def _conclude(self, turn: _Turn, result: TurnResult) -> None:
        self._emit_started(turn)
        self._turns.pop(turn.session_id, None)
        if turn.chat.unsaved is not None:
            self._keep_unsaved(turn.session_id, turn.chat)
        finished = TurnFinished(
            turn.session_id, result.message, result.error, result.conversation_id
        )
        failed = finished.failed and not finished.not_saved
        self._set_state(turn.session_id, "error" if failed else "idle")
        self._check_context(turn, result)
        self._hand_on(partial(self._emit_finished, finished), fresh=True)

    def _emit_finished(self, finished: TurnFinished) -> None:
        self.turn_finished.emit(finished)
        if isinstance(finished.error, InternalError):  # ours, not Coze's: the error reporter too
            self.bug_found.emit(finished.error)

    def _check_context(self, turn: _Turn, result: TurnResult) -> None:
        """Warn when the turn did not continue the session's conversation."""
        exchange = turn.chat.exchange
        url = exchange.url if exchange is not None else None
        returned = result.state.conversation_id if result.state is not None else ""
        warning = self._guard.check(turn.session_id, turn.stored_conversation, url, returned)
        if warning is not None:
            log.warning("context lost in session %s: %s", turn.session_id, warning.reason)
            self.context_lost.emit(warning)

    def _conclude_cancelled(self, turn: _Turn) -> None:
        """Our task was cancelled (shutdown): the row is already stored as stopped (or kept for
        the last save of ``shutdown``)."""
        self._turns.pop(turn.session_id, None)
        if turn.chat.unsaved is not None:
            self._keep_unsaved(turn.session_id, turn.chat)
        self._set_state(turn.session_id, "idle")
        state = turn.chat.state
        if state is not None and turn.started_emitted:
            message = state.snapshot()
            self.turn_finished.emit(TurnFinished(turn.session_id, message, None, ""))

    def _set_state(self, session_id: int, state: ConnectionStateName) -> None:
        self._states[session_id] = state
        self.state_changed.emit(ConnectionState(session_id, state))

    # -- answers the history did not take -----------------------------------------------------

    def _keep_unsaved(self, session_id: int, chat: ChatSession) -> None:
        """Keep the answer and offer it to the history again every ``save_retry`` seconds."""
        first = session_id not in self._unsaved
        self._unsaved[session_id] = chat
        if first and not self._closing:
            self._spawn(self._retry_saves(session_id), f"save-{session_id}")

    async def _retry_saves(self, session_id: int) -> None:
        while session_id in self._unsaved:
            await asyncio.sleep(self._save_retry)
            self.save_again(session_id)

    def save_again(self, session_id: int) -> bool:
        """Try to save the session's kept answer now (one short attempt: a history still locked
        fails at once). True when it is saved (``saved_later`` tells the window)."""
        chat = self._unsaved.get(session_id)
        if chat is None:
            return False
        try:
            saved = chat.save_unsaved()
        except StorageError as exc:
            log.info("answer of session %s still not saved: %s", session_id, exc)
            return False
        self._unsaved.pop(session_id, None)
        if saved is not None:
            log.info("answer %s of session %s saved after all", saved.id, session_id)
            self.saved_later.emit(TurnUpdated(session_id, saved))
        return True

    # -- context ------------------------------------------------------------------------------

    def clear_context(self, session_id: int) -> bool:
        """Clear the conversation's context on the server and store a divider."""
        if session_id in self._turns:
            return False
        prepared = self._prepare(session_id)
        if isinstance(prepared, str):
            return False
        self._spawn(self._clear(session_id, prepared), f"clear-{session_id}")
        return True

    async def _clear(self, session_id: int, chat: ChatSession) -> None:
        try:
            divider = await chat.clear_context()
        except CozeError as exc:
            self.context_cleared.emit(ContextCleared(session_id, None, exc))
            return
        finally:
            await self._clients.release(chat.client)
        self.context_cleared.emit(ContextCleared(session_id, divider, None))

    # -- the bot's face -----------------------------------------------------------------------

    def refresh_bots(self, profiles: list[Profile]) -> None:
        """Refresh each profile's bot info in the background, once a run (again when its bot id
        changes); ``bot_info_changed`` tells each outcome."""
        if self._closing:  # a window closing refreshes its lists: start nothing new
            return
        if not _loop_running():  # the app is still being built: desktop.app.run asks again
            return
        for profile in profiles:
            if not profile.bot_id or self._faces.get(profile.id) == profile.bot_id:
                continue
            token = self.token_for(profile.id)
            if not token:
                continue
            self._faces[profile.id] = profile.bot_id
            # a client of its own, closed when the refresh ends (no socket outlives it)
            client = self._clients.make(profile, token)
            task = self._spawn(self._refresh_bot(profile, client), f"bot-{profile.id}")
            self._face_tasks.add(task)
            task.add_done_callback(self._face_tasks.discard)

    async def _refresh_bot(self, profile: Profile, client: CozeClient) -> None:
        from desktop import paths
        from desktop.core import bot_face

        try:
            card = await bot_face.refresh(client, self._db, profile, paths.icons_dir())
        finally:
            await client.aclose()
        self.bot_info_changed.emit(card)

    # -- task ownership -----------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        task.set_name(name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            log.debug("task %s cancelled", task.get_name())
            return
        exc = task.exception()
        if exc is not None:
            log.error("task %s failed", task.get_name(), exc_info=exc)
            self._recover(task)

    def _recover(self, task: asyncio.Task[Any]) -> None:
        """A turn task died of a bug: free its session so the user can go on."""
        for session_id, turn in list(self._turns.items()):
            if turn.task is task:
                self._turns.pop(session_id, None)
                self._set_state(session_id, "error")

    async def shutdown(self) -> None:
        """Cancel everything still running, wait for it, save what the history did not take
        (a last try), close the HTTP clients."""
        self._closing = True
        pending = [task for task in self._tasks if not task.done()]
        for task in pending:
            if task not in self._face_tasks:  # a bot-info refresh is short: let it finish
                task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        for task in pending:
            task.cancel()
        for session_id in list(self._unsaved):
            self.save_again(session_id)
        await self._clients.aclose()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
