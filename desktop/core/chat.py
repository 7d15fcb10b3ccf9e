"""ChatSession: send one turn to a bot, persist it while it streams, stop it on request.

The flow of a turn (:meth:`ChatSession.send`):

1. the user's question is stored, then an assistant row with status ``streaming``;
2. the answer streams in (``/v3/chat`` with ``stream: true``) or, for non-stream profiles, the
   chat is created and polled; every event is folded into a :class:`TurnState` and handed to
   ``on_update`` (cheap: no string joins);
3. the assistant row is saved about every 0.5 s of wall time, so a crash keeps the partial text;
4. the final status is stored: ``complete``, ``failed`` (with the error record), ``stopped``
   (partial kept) or ``interrupted`` (the stream was cut). A stream that ends early *after* the
   answer's completed message is ``complete``, with the early end kept as a notice (stored in
   the row's error record, returned as :attr:`TurnResult.notice`). A non-stream chat that
   completes without any answer is ``failed`` (``empty_answer``), never a silent success.

Errors are *returned* in the :class:`TurnResult`, never raised; only ``CancelledError`` propagates
(after the row is marked ``stopped``), and a ``StorageError`` when the question itself cannot be
stored (nothing has been sent then). A history that cannot be written while the answer streams
(locked by another program, a full disk) does not stop the answer: the periodic saves are skipped,
and when the final save fails too, the turn ends as a :class:`~desktop.api.errors.HistorySaveError`
with the whole answer in :attr:`ChatSession.unsaved`, for :meth:`ChatSession.save_unsaved` to
write later (a row it never reaches is marked ``interrupted`` at the next open).
The session's ``conversation_id`` is kept and saved the moment the server announces it
(``conversation.chat.created``, together with the chat id on the turn's question and answer
rows, in one transaction): Coze needs it (as a query parameter) to remember the previous turns,
also after a restart or a crash during the first answer. :meth:`ChatSession.unlinked` tells a
session that had turns but lost its conversation, so the caller can warn before sending.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from desktop.api import diagnoses, errors
from desktop.api.client import ChatRequest, CozeClient
from desktop.api.events import (
    Chat,
    ChatEvent,
    LastError,
    Message,
    MessageCompleted,
    MessageDelta,
    StreamEvent,
    StreamOpened,
    ToolCall,
)
from desktop.core import attachments as att
from desktop.core import transcript as tr
from desktop.logsetup import log_file
from desktop.storage import Database, Profile, Session, StorageError, StoredMessage
from desktop.storage.parts import ErrorRecord

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.netlog import Exchange
    from desktop.storage.parts import AttachmentRecord

log = logging.getLogger(__name__)

SAVE_INTERVAL = 0.5  # seconds of wall time between two saves of a streaming row
REMOTE_CANCEL_TIMEOUT = 3.0
STEP_SECONDS = 0.003  # the events of one read folded in a row before the loop gets a turn
TITLE_MAX = 40

UpdateCallback = Callable[[tr.TurnState], None]
EventCallback = Callable[[StreamEvent], None]
ToolHandler = Callable[[Sequence[ToolCall]], Awaitable[Sequence[tuple[str, str]]]]


@dataclass
class TurnResult:
    """The outcome of :meth:`ChatSession.send`: the final assistant row and the error, if any."""

    message: StoredMessage
    user_message: StoredMessage
    error: errors.CozeError | None
    conversation_id: str
    state: tr.TurnState
    notice: errors.CozeError | None = None  # something irregular that did not spoil the answer

    @property
    def ok(self) -> bool:
        return self.error is None and self.message.status == "complete"


class ChatSession:
    """One chat session (one Coze conversation) of one profile, turn after turn."""

    def __init__(
        self,
        client: CozeClient,
        db: Database,
        profile: Profile,
        session: Session,
        *,
        clock: Callable[[], float] = time.monotonic,
        tool_handler: ToolHandler | None = None,
        on_event: EventCallback | None = None,
        poll_interval: float = 1.0,
        files_dir: Path | None = None,
        on_upload: att.ProgressCallback | None = None,
        pace: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.profile = profile
        self.session = session
        self.clock = clock
        self.tool_handler = tool_handler
        self.on_event = on_event
        self.poll_interval = poll_interval
        self.files_dir = files_dir  # the app's copies of small images (paths.attachments_dir)
        self.on_upload = on_upload
        self.pace = pace  # awaited before the final save (``pacing.OnePerPass``: one per pass)
        self.user_message: StoredMessage | None = None
        self.state: tr.TurnState | None = None
        self._task: asyncio.Task[None] | None = None
        self._sending = False  # from the start of send() until it returns
        self._stop_pending = False  # Stop pressed before the turn's task existed
        self._started = 0.0
        self._asked = 0.0  # when the chat request went out (after the uploads): ttft counts from it
        self._last_save = 0.0
        self._exchange: Exchange | None = None
        self._notice: errors.CozeError | None = None
        self._background: set[asyncio.Future[None]] = set()
        self.unsaved: StoredMessage | None = None  # the final answer the history did not take
        self._save_error: errors.HistorySaveError | None = None

    # -- public API -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A turn is in progress: ``send`` has started and not returned yet."""
        return self._sending

    async def send(
        self,
        text: str,
        on_update: UpdateCallback | None = None,
        attachments: Sequence[att.Attachment] = (),
    ) -> TurnResult:
        """Send ``text`` (with ``attachments``, uploaded first) as the next turn; stream,
        persist and return the outcome. The caller has checked ``att.check_limits``."""
        if self._sending:
            raise RuntimeError("a turn is already in progress in this session")
        self._sending = True
        try:
            return await self._send(text, on_update, attachments)
        finally:
            self._sending = False

    async def _send(
        self, text: str, on_update: UpdateCallback | None, attachments: Sequence[att.Attachment]
    ) -> TurnResult:
        records, sources = self._records(attachments)
        self.user_message = self._add_question(text, records)
        self._notice = None
        state = self._begin_turn()
        notify = on_update or _ignore
        error: errors.CozeError | None = None
        try:
            error = await self._run(text, sources, state, notify)
        except asyncio.CancelledError:
            self._stop_task()
            self._finish(state, tr.STOPPED)
            self._cancel_remote_later(state)
            raise
        except Exception as exc:  # not a Coze/network fault: our bug, reported as ours
            log.exception("chat turn failed: a bug in Coze Desktop")
            error = self._our_bug(state, exc)
        return await self._conclude(state, error, notify)

    async def regenerate(self, on_update: UpdateCallback | None = None) -> TurnResult | None:
        """Ask the last question of this session again, with its attachments (None when there
        is none)."""
        message = self.db.messages.find_latest(self.session.id, question=True)
        if message is None:
            return None
        return await self.send(message.content, on_update, message.attachments)

    def unlinked(self) -> bool:
        """The server has answered in this session, yet it has no conversation id: the next
        question would start a new conversation and the bot would forget the earlier turns."""
        return not self.session.conversation_id and self.db.sessions.had_turns(self.session.id)

    def cancel(self) -> None:
        """Stop the current turn now: close the stream; ``send`` then cancels it on the server.

        Called while no turn runs (a ``send`` was scheduled but has not started yet), the stop is
        kept: the next turn ends ``stopped`` as soon as it starts, without a request, and the
        stop is used up. A turn that is already concluding is not affected.
        """
        if not self._sending:
            self._stop_pending = True
        else:
            self._stop_task()

    async def answer_tools(
        self,
        message: StoredMessage,
        outputs: Sequence[tuple[str, str]],
        on_update: UpdateCallback | None = None,
    ) -> TurnResult:
        """Submit the results of the client-side tool calls a stored answer waits for (status
        ``requires_action``, also one saved before a restart) and stream the rest into the same
        row. A chat Coze no longer holds ends ``failed`` with a plain diagnosis."""
        if self._sending:
            raise RuntimeError("a turn is already in progress in this session")
        self._sending = True
        try:
            return await self._answer(message, list(outputs), on_update or _ignore)
        finally:
            self._sending = False

    async def _answer(
        self, message: StoredMessage, outputs: list[tuple[str, str]], notify: UpdateCallback
    ) -> TurnResult:
        question = self.db.messages.find_latest(self.session.id, question=True)
        self.user_message = question or message  # (a question deleted meanwhile: the answer)
        self._notice = None
        state = self._resume_state(message)
        self._started = self._last_save = self._asked = self.clock()
        error: errors.CozeError | None = None
        try:
            error = await self._run_body(self._submit(state, outputs, notify), state)
        except asyncio.CancelledError:
            self._stop_task()
            self._finish(state, tr.STOPPED)
            self._cancel_remote_later(state)  # as a cancelled turn does: stop it on Coze too
            raise
        except Exception as exc:  # not a Coze/network fault: our bug, reported as ours
            log.exception("tool outputs failed: a bug in Coze Desktop")
            error = self._our_bug(state, exc)
        return await self._conclude(state, error, notify)

    async def dismiss_tools(self, message: StoredMessage) -> StoredMessage:
        """Give up on a waiting answer: cancel the chat on Coze (best effort: Coze may refuse
        to cancel a ``requires_action`` chat) and store the answer as ``stopped``."""
        state = self._resume_state(message)
        state.tool_calls = ()
        state.status = tr.STOPPED
        saved = self._save(state)
        await self._cancel_remote(state)
        return saved

    def _resume_state(self, message: StoredMessage) -> tr.TurnState:
        """A live turn state rebuilt from a stored waiting answer."""
        state = tr.resume(message, self.session.conversation_id)
        self.state = state
        return state

    async def forget_turn(self, chat_id: str) -> errors.CozeError | None:
        """Delete a replaced turn (regenerate, edit-and-resend) from the server conversation:
        its question and answer (``POST /v1/conversation/message/delete``), found by listing
        the conversation's messages of ``chat_id``. Returns the error when the server refused
        (the bot then still remembers the old turn); None when it is gone or there was none."""
        conversation_id = self.session.conversation_id
        if not (conversation_id and chat_id):
            return None
        try:
            page = await self.client.list_messages(conversation_id, chat_id=chat_id)
            for message in page.messages:
                if message.type in ("question", "answer") and message.chat_id == chat_id:
                    await self.client.delete_message(conversation_id, message.id)
        except errors.CozeError as exc:
            log.info("replaced turn %s not deleted on the server: %s", chat_id, exc)
            return exc
        return None

    async def clear_context(self) -> StoredMessage:
        """Start a new context: clear the conversation on the server and store a divider row."""
        if self.session.conversation_id:
            await self.client.clear_conversation(self.session.conversation_id)
        return self.db.messages.add(self.session.id, "system", "divider")

    # -- turn setup -----------------------------------------------------------------------------

    def _add_question(self, text: str, records: list[AttachmentRecord]) -> StoredMessage:
        if not self.session.title:
            self.session.title = title_from(text)
            self.db.sessions.rename(self.session.id, self.session.title)
        return self.db.messages.add(self.session.id, "user", "question", text, attachments=records)

    def _records(
        self, attachments: Sequence[att.Attachment]
    ) -> tuple[list[AttachmentRecord], dict[int, att.Upload]]:
        """The question's attachment records, and where each one without a file id is
        uploaded from (a record sent before: its file, or the app's copy of the image)."""
        records: list[AttachmentRecord] = []
        sources: dict[int, att.Upload] = {}
        for index, item in enumerate(attachments):
            if isinstance(item, att.Upload):
                records.append(att.record_for(item, self.files_dir))
                sources[index] = item
                continue
            records.append(item)
            source = None if item.file_id else att.source_of(item, self.files_dir)
            if source is not None:
                sources[index] = source
        return records, sources

    def _begin_turn(self) -> tr.TurnState:
        row = self.db.messages.add(self.session.id, "assistant", "answer", status="streaming")
        state = tr.TurnState(
            row_id=row.id,
            session_id=self.session.id,
            conversation_id=self.session.conversation_id,
            created_at=row.created_at,
        )
        self.state = state
        self._started = self._last_save = self._asked = self.clock()
        return state

    def _request(self, text: str, records: Sequence[AttachmentRecord] = ()) -> ChatRequest:
        messages = (att.question_message(text, records),) if records else ()
        return ChatRequest(
            bot_id=self.profile.bot_id,
            user_id=self.profile.user_id or "coze-desktop-user",
            text=text,
            additional_messages=messages,
            conversation_id=self.session.conversation_id,
            custom_variables=dict(self.profile.custom_variables),
            auto_save_history=self.profile.auto_save_history,
            context=self._log_context(),
            workflow_id=self.profile.workflow_id,
            app_id=self.profile.app_id,
            parameters=dict(self.profile.parameters),
        )

    def _log_context(self) -> dict[str, str]:
        """What every request of this session's turns is labelled with in the network log (the
        dock filters by it)."""
        return {"session_id": str(self.session.id)}

    # -- running --------------------------------------------------------------------------------

    async def _run(
        self,
        text: str,
        sources: dict[int, att.Upload],
        state: tr.TurnState,
        notify: UpdateCallback,
    ) -> errors.CozeError | None:
        """Run the turn in its own task, so Stop can end an upload or close the stream at once."""
        return await self._run_body(self._turn(text, sources, state, notify), state)

    async def _turn(
        self,
        text: str,
        sources: dict[int, att.Upload],
        state: tr.TurnState,
        notify: UpdateCallback,
    ) -> None:
        records = await self._upload(sources)
        self._asked = self.clock()
        req = self._request(text, records)
        if self.profile.stream or self.profile.is_chatflow:  # chatflows only stream
            await self._stream(req, state, notify)
        else:
            await self._poll(req, state, notify)

    async def _upload(self, sources: dict[int, att.Upload]) -> list[AttachmentRecord]:
        """Upload the question's new files; their file ids are stored on the question at once
        (a regenerate or a retry then sends them again without uploading)."""
        question = self.user_message
        if question is None or not question.attachments:
            return []
        if all(record.file_id for record in question.attachments):
            return list(question.attachments)  # all sent before: nothing to upload
        try:
            records = await att.upload_all(
                self.client, question.attachments, sources,
                on_progress=self.on_upload, context=self._log_context(),
            )  # fmt: skip
        except att.SourceMissingError as exc:
            raise _missing_file_error(exc, self.profile.region) from exc
        question.attachments = records
        self.db.messages.update(question.id, attachments=records)
        return records

    async def _run_body(
        self, body: Coroutine[Any, Any, None], state: tr.TurnState
    ) -> errors.CozeError | None:
        task = self._task = asyncio.ensure_future(body)
        if self._stop_pending:  # Stop came before the task existed: it never sends anything
            self._stop_pending = False
            task.cancel()
        await asyncio.wait({task})  # our own cancellation propagates; Stop cancels only `task`
        self._take_log_id(state)
        if task.cancelled():
            state.status = tr.STOPPED
            return None
        exc = task.exception()
        if exc is None:
            return self._error_from_state(state)
        if isinstance(exc, errors.StreamCutError) and exc.answer_complete:
            self._ended_early(state, exc)
            return None
        if isinstance(exc, errors.CozeError):
            if self.profile.is_chatflow and exc.diagnosis.key == "bot_not_found":
                exc.diagnosis = diagnoses.get("workflow_not_found", self.profile.region)
            return self._record_error(state, exc)
        raise exc

    def _ended_early(self, state: tr.TurnState, exc: errors.StreamCutError) -> None:
        """The answer arrived whole, only the closing events did not: complete, with a notice."""
        self._record_error(state, exc)
        state.status = tr.COMPLETE
        self._notice = exc

    @property
    def exchange(self) -> Exchange | None:
        """The network log record of the current/last turn's chat request (None before one)."""
        return self._exchange

    def _opened(self, ex: Exchange) -> None:
        """The turn's chat request (the stream's first item, or the non-stream create call)
        answered: its log id is the turn's, and the log dock can find the turn by it."""
        self._exchange = ex

    def _take_log_id(self, state: tr.TurnState) -> None:
        if self._exchange is not None and self._exchange.log_id:
            state.log_id = self._exchange.log_id

    async def _consume(
        self, stream: AsyncGenerator[StreamEvent], state: tr.TurnState, notify: UpdateCallback
    ) -> None:
        clock = time.perf_counter
        async with contextlib.aclosing(stream) as events:
            due = clock() + STEP_SECONDS
            async for event in events:
                if type(event) is StreamOpened:
                    self._opened(event.exchange)
                else:
                    self._fold(state, event, notify)
                if clock() > due:
                    # One read can hold hundreds of events (the loop was busy while they
                    # came; several streams at once): folding them all in one step would
                    # hold the window for its sum, so others get a turn in between.
                    await asyncio.sleep(0)
                    due = clock() + STEP_SECONDS

    async def _stream(self, req: ChatRequest, state: tr.TurnState, notify: UpdateCallback) -> None:
        if req.workflow_id:
            stream = self.client.stream_workflow_chat(req)
        else:
            stream = self.client.stream_chat(req)
        await self._consume(stream, state, notify)
        await self._handle_tools(state, notify)

    async def _poll(self, req: ChatRequest, state: tr.TurnState, notify: UpdateCallback) -> None:
        chat, messages = await self.client.chat_and_poll(
            req, self.poll_interval, self._poller(state, notify), on_opened=self._opened
        )
        self._take_polled(state, chat, messages, notify)
        await self._handle_tools(state, notify)

    async def _handle_tools(self, state: tr.TurnState, notify: UpdateCallback) -> None:
        """Answer client-side tool calls through ``tool_handler`` while it has outputs; a handler
        that returns none leaves the turn waiting (``requires_action``, answerable later)."""
        while state.status == tr.REQUIRES_ACTION and self.tool_handler is not None:
            outputs = list(await self.tool_handler(state.tool_calls))
            if not outputs:
                return
            await self._submit(state, outputs, notify)

    async def _submit(
        self, state: tr.TurnState, outputs: list[tuple[str, str]], notify: UpdateCallback
    ) -> None:
        """Send the outputs of the pending calls and fold the rest of the chat into ``state``."""
        conv, chat_id = state.conversation_id, state.chat_id
        state.resume_after_tools(dict(outputs))
        notify(state)
        try:
            if self.profile.is_chatflow:  # a chatflow continues with the reply as a message
                await self._continue_chatflow(state, outputs, notify)
            elif self.profile.stream:
                stream = self.client.submit_tool_outputs(
                    conv, chat_id, outputs, self._log_context()
                )
                await self._consume(stream, state, notify)
            else:
                chat, messages = await self.client.submit_tool_outputs_and_poll(
                    conv, chat_id, outputs, self.poll_interval, self._poller(state, notify),
                    context=self._log_context(),
                )  # fmt: skip
                self._take_polled(state, chat, messages, notify)
        except errors.CozeAPIError as exc:
            if self.profile.is_chatflow:
                raise
            raise _tool_submit_error(exc, self.profile.region) from exc
        await self._handle_tools(state, notify)

    async def _continue_chatflow(
        self, state: tr.TurnState, outputs: list[tuple[str, str]], notify: UpdateCallback
    ) -> None:
        """Coze's chatflows resume after a question (or input) node when called again in the
        same conversation with the answer as the user's message; it streams into this row."""
        reply = "\n".join(out for _cid, out in outputs)
        self.session.conversation_id = state.conversation_id or self.session.conversation_id
        req = self._request(reply)
        state.chat_id, state.done = "", False
        await self._consume(self.client.stream_workflow_chat(req), state, notify)

    def _poller(self, state: tr.TurnState, notify: UpdateCallback) -> Callable[[Chat], None]:
        def on_poll(chat: Chat) -> None:
            event = ChatEvent("conversation.chat." + chat.status, chat)
            if self.on_event is not None:
                self.on_event(event)
            state.apply(event)
            if state.conversation_id != self.session.conversation_id:
                self._bind_conversation(state)
            if state.status == tr.COMPLETE:  # messages are not folded in yet
                state.status = tr.STREAMING
            notify(state)

        return on_poll

    def _take_polled(
        self, state: tr.TurnState, chat: Chat, messages: list[Message], notify: UpdateCallback
    ) -> None:
        if self.on_event is not None:
            for message in messages:
                self.on_event(MessageCompleted(message))
        final = tr.from_messages(list(messages), chat)
        _merge(state, final)
        self._note_first_output(state)
        notify(state)
        if state.status == tr.COMPLETE and not (state.has_content or state.follow_ups):
            raise self._empty_answer()

    def _empty_answer(self) -> errors.CozeAPIError:
        """A completed non-stream chat whose message list holds no answer: a failure to show,
        not an empty success (a list in a shape we do not read ends up here too)."""
        ex = self._exchange
        return errors.CozeAPIError(
            "the chat completed, but its message list holds no answer",
            log_id=ex.log_id if ex is not None else "",
            url=self.client.base_url + "/v3/chat/message/list",
            diagnosis=diagnoses.get("empty_answer", self.profile.region),
        )

    def _fold(self, state: tr.TurnState, event: StreamEvent, notify: UpdateCallback) -> None:
        if self.on_event is not None:
            self.on_event(event)
        state.apply(event)
        if state.conversation_id != self.session.conversation_id:
            self._bind_conversation(state)
        if state.ttft_ms is None and type(event) is MessageDelta:
            self._note_first_output(state)
        notify(state)
        now = self.clock()
        if now - self._last_save >= SAVE_INTERVAL:
            self._last_save = now
            self._save_while_streaming(state)

    def _save_while_streaming(self, state: tr.TurnState) -> None:
        """A periodic save; a history that cannot be written now does not stop the answer (the
        final save tries again)."""
        try:
            self._save(state)
        except StorageError as exc:
            log.warning("answer %s not saved while streaming: %s", state.row_id, exc)

    def _bind_conversation(self, state: tr.TurnState) -> None:
        """The server named the turn's conversation (``chat.created``): stored at once, with the
        chat id on the question and answer, so a crash before the answer keeps the context."""
        if not state.conversation_id:
            return
        rows = [state.row_id]
        if self.user_message is not None:
            rows.insert(0, self.user_message.id)
        try:
            self.db.sessions.bind_conversation(
                self.session.id, state.conversation_id, state.chat_id, rows
            )
        except StorageError as exc:  # kept in memory; the final save stores it
            log.warning("conversation of session %s not saved yet: %s", self.session.id, exc)
            return
        self.session.conversation_id = state.conversation_id

    def _note_first_output(self, state: tr.TurnState) -> None:
        state.ttft_ms = int((self.clock() - self._asked) * 1000)

    # -- outcomes -------------------------------------------------------------------------------

    def _our_bug(self, state: tr.TurnState, exc: Exception) -> errors.CozeError:
        """An exception that is no Coze/network fault, recorded as an internal error (it names
        the log file that holds the traceback)."""
        path = log_file()
        return self._record_error(
            state, errors.InternalError.from_exception(exc, str(path) if path else "")
        )

    def _record_error(self, state: tr.TurnState, exc: errors.CozeError) -> errors.CozeError:
        cut = isinstance(exc, errors.NetworkError) and exc.partial and state.has_content
        state.status = tr.INTERRUPTED if cut else tr.FAILED
        state.error = tr.TurnError(
            code=exc.code,
            msg=exc.msg,
            status=exc.status,
            log_id=exc.log_id,
            diagnosis=exc.diagnosis.key,
        )
        state.log_id = state.log_id or exc.log_id
        return exc

    def _error_from_state(self, state: tr.TurnState) -> errors.CozeError | None:
        """A turn that ended normally may still be a failure (``chat.failed``)."""
        if state.status == tr.STREAMING and state.done:
            state.status = tr.COMPLETE  # a "done" without chat.completed: take what arrived
        if state.status == tr.STREAMING:
            cut = errors.StreamCutError("the stream ended before the chat finished")
            return self._record_error(state, cut)
        if state.status != tr.FAILED:
            return None
        err = state.error or tr.TurnError()
        last = LastError(code=err.code or 0, msg=err.msg)
        chat = Chat(
            id=state.chat_id,
            conversation_id=state.conversation_id,
            status="failed",
            last_error=last,
        )
        exc = errors.ChatFailedError.from_chat(
            chat, log_id=state.log_id, region=self.profile.region
        )
        return self._record_error(state, exc)

    async def _conclude(
        self,
        state: tr.TurnState,
        error: errors.CozeError | None,
        notify: UpdateCallback,
    ) -> TurnResult:
        self._save_error = None
        try:
            if self.pace is not None:
                await self.pace()
        finally:  # saved first (even when cancelled while waiting): nothing below can undo it
            message = self._finish(state, state.status)
        if self._save_error is not None:
            error = self._save_error
        notify(state)
        if state.status == tr.STOPPED:
            await self._cancel_remote(state)
        assert self.user_message is not None
        return TurnResult(
            message, self.user_message, error, self.session.conversation_id, state, self._notice
        )

    def _finish(self, state: tr.TurnState, status: str) -> StoredMessage:
        state.status = status if status != tr.STREAMING else tr.INTERRUPTED
        state.total_ms = int((self.clock() - self._started) * 1000)
        try:  # the answer first: a history that cannot take it is not asked again right away
            saved = self._save(state)
            self._keep_conversation(state.conversation_id)
        except StorageError as exc:
            return self._not_saved(state, exc)
        return saved

    def _not_saved(self, state: tr.TurnState, exc: StorageError) -> StoredMessage:
        """The final save failed: the answer is kept in :attr:`unsaved`; the turn ends as a
        storage failure (shown as such, with the answer's text)."""
        log.warning("answer %s could not be saved: %s", state.row_id, exc)
        self._take_log_id(state)
        self.unsaved = state.snapshot()
        raw = f"SQLite: {exc.__cause__}" if exc.__cause__ is not None else str(exc)
        self._save_error = errors.HistorySaveError.of_kind(exc.kind, raw)
        record = ErrorRecord(msg=raw, diagnosis=self._save_error.diagnosis.key)
        return dataclasses.replace(self.unsaved, status="failed", error=record)

    def save_unsaved(self) -> StoredMessage | None:
        """Write the answer the history did not take (raises ``StorageError`` while it still
        cannot); returns it once saved, None when nothing waits."""
        message = self.unsaved
        if message is None:
            return None
        conversation_id = self.state.conversation_id if self.state is not None else ""
        if conversation_id:
            rows = [m.id for m in (self.user_message, message) if m is not None]
            self.db.sessions.bind_conversation(
                self.session.id, conversation_id, message.chat_id, rows
            )
        self._keep_conversation(conversation_id)
        self.db.messages.replace(message)
        self.unsaved = None
        return message

    def _keep_conversation(self, conversation_id: str) -> None:
        if conversation_id and conversation_id != self.session.conversation_id:
            self.session.conversation_id = conversation_id
            self.db.sessions.set_conversation_id(self.session.id, conversation_id)
        try:
            self.db.sessions.touch(self.session.id)
        except StorageError as exc:  # only the sidebar order is lost; the turn itself is saved
            log.warning("could not mark session %s active: %s", self.session.id, exc)

    def _save(self, state: tr.TurnState) -> StoredMessage:
        self._take_log_id(state)
        snap = state.snapshot()
        self.db.messages.replace(snap)
        return snap

    async def _cancel_remote(self, state: tr.TurnState) -> None:
        """Best effort ``/v3/chat/cancel``: closing the stream alone does not stop billing."""
        if not (state.conversation_id and state.chat_id):
            return
        try:
            await asyncio.wait_for(
                self.client.cancel_chat(state.conversation_id, state.chat_id),
                REMOTE_CANCEL_TIMEOUT,
            )
        except (errors.CozeError, TimeoutError) as exc:
            log.info("cancel of chat %s not confirmed: %r", state.chat_id, exc)

    async def wait_background(self) -> None:
        """Wait for the server-side cancel a cancelled turn left running (``send`` re-raises the
        cancellation at once); bounded by ``REMOTE_CANCEL_TIMEOUT``. Await it before closing
        the client, or the cancel is cut off and its connection left open."""
        if self._background:
            await asyncio.wait(list(self._background))

    def _cancel_remote_later(self, state: tr.TurnState) -> None:
        """Our task was cancelled: cancel on the server in the background (kept referenced)."""
        task = asyncio.ensure_future(self._cancel_remote(state))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _stop_task(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()


def title_from(text: str) -> str:
    """A session title from the first question: its first line, shortened."""
    line = " ".join(text.strip().split())
    return line if len(line) <= TITLE_MAX else line[: TITLE_MAX - 1] + "…"


def _merge(state: tr.TurnState, final: tr.TurnState) -> None:
    """Copy a non-stream result into the live state (keeping the owner's fields)."""
    state._answers, state._reasoning = final._answers, final._reasoning
    state.tools, state.follow_ups, state.knowledge = final.tools, final.follow_ups, final.knowledge
    state.verbose, state.usage, state.tool_calls = final.verbose, final.usage, final.tool_calls
    state.chat_id = final.chat_id or state.chat_id
    state.conversation_id = final.conversation_id or state.conversation_id
    state.status, state.error = final.status, final.error


def _tool_submit_error(exc: errors.CozeAPIError, region: str) -> errors.CozeError:
    """A refused ``submit_tool_outputs`` in plain words: Coze Studio has no such endpoint, and
    a chat that is gone (or no longer waiting) cannot take the result any more."""
    if region == "custom" and exc.status in (404, 405):
        key = "tool_outputs_unsupported"
    elif isinstance(exc, errors.NotFoundError | errors.BadRequestError):
        key = "tool_call_expired"
    else:
        return exc
    return errors.CozeAPIError(
        exc.msg or str(exc),
        status=exc.status,
        code=exc.code,
        log_id=exc.log_id,
        url=exc.url,
        diagnosis=diagnoses.get(key, region),
    )


def _missing_file_error(exc: att.SourceMissingError, region: str) -> errors.CozeError:
    """A question sent again whose file was never uploaded and is gone: said as such (nothing
    was sent to Coze)."""
    return errors.CozeError(str(exc), diagnosis=diagnoses.get("attachment_missing", region))


def _ignore(_state: tr.TurnState) -> None:
    return None
