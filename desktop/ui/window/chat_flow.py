"""Chat-flow slots of the main window: sending, stopping, follow-ups, regenerate, edit, retry.

Separated from ``main_window`` to keep each module small; it acts on the window's widgets
and calls the controller's plain methods (it never awaits anything itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.demo import (
    CHATFLOW_PROFILE_NAME,
    DEMO_PROFILE_NAME,
    WRONG_TOKEN_PROFILE_NAME,
    is_demo_profile,
)

# Starter prompts of the built-in demo bot (its own words: the bot is bilingual, not the UI).
DEMO_PROMPTS = ("北京今天天气怎么样？适合出门吗？", "上海明天会下雨吗？", "What can you do?")
# The demo chatflow's: it asks back which city (its question node), so the prompts name none.
CHATFLOW_PROMPTS = ("帮我查一下天气", "What's the weather like?")
# The demos whose prompts are built in (the file and tool bots' come with their cards).
BUILT_IN_PROMPTS = {
    DEMO_PROFILE_NAME: DEMO_PROMPTS,
    WRONG_TOKEN_PROFILE_NAME: DEMO_PROMPTS,
    CHATFLOW_PROFILE_NAME: CHATFLOW_PROMPTS,
}

if TYPE_CHECKING:  # first-frame rule 1: the controller (asyncio, httpx) loads later
    from desktop.core.context_guard import ContextWarning
    from desktop.storage.models import StoredMessage
    from desktop.ui.bridge.controller import (
        ConnectionState,
        ContextCleared,
        NotSaved,
        SendOutcome,
        TurnFinished,
        TurnStarted,
        TurnUpdated,
        UploadUpdate,
    )
    from desktop.ui.kit.intents import (
        CopyIntent,
        FilesIntent,
        FollowUpIntent,
        LogIntent,
        MessageIntent,
        PinIntent,
        RenameIntent,
        SendIntent,
        ToolOutputsIntent,
    )
    from desktop.ui.window.host import WindowHost


class ChatFlow(QObject):
    """Owns the "what happens when the user chats" logic of one main window."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self.w = host
        self._editing: int | None = None  # question id being edited for resend
        self._queued: SendIntent | None = None  # sent before the backend was attached
        self._uploading: dict[int, SendIntent] = {}  # a turn's new files: given back on failure

    # -- sending ------------------------------------------------------------------------------

    def send(self, intent: SendIntent) -> SendOutcome | None:
        """Send the composer's text (or a follow-up) in the open session, creating one if needed.
        Before the backend is attached (start-up) the message waits, still in the composer, for
        ``send_queued``."""
        if not self.w.services.attached:
            self._queued = intent
            return None
        session = self.w.current_session() or self.w.new_session()
        if session is None:
            return None
        controller = self.w.controller
        if self._editing is not None:
            outcome = controller.resend(session.id, self._editing, intent.text, intent.attachments)
        else:
            outcome = controller.send(session.id, intent.text, intent.attachments)
        if outcome == "started" and _has_new_files(intent):
            self._uploading[session.id] = intent
        self._after_send(outcome, session.id)
        return outcome

    def send_queued(self) -> None:
        """Send what the user sent before the backend was attached (``desktop.app`` calls this
        once the backend, and with ``--demo`` the simulator, is up)."""
        intent, self._queued = self._queued, None
        if intent is not None:
            self.send(intent)

    def _after_send(self, outcome: SendOutcome, session_id: int, reload: bool = False) -> None:
        w = self.w
        if outcome == "started":
            w.composer.clear()
            w.save_draft()  # sent: a crash now must not bring the question back as a draft
            if reload or self._editing is not None:
                self._editing = None
                w.open_session(session_id)
            w.update_chrome()
        elif outcome == "busy":
            w.statusBar().showMessage(
                self.tr("A reply is still streaming. Stop it (Esc) before sending again."), 5000
            )
        elif outcome == "no_token":
            self._no_token_notice()
        elif outcome == "unlinked":  # the controller's context_lost warning says why; text kept
            w.statusBar().showMessage(
                self.tr("Not sent yet: read the warning, then send again to go on."), 6000
            )
        elif outcome == "attachments":  # the composer checks first; this is the last guard
            w.statusBar().showMessage(
                self.tr("Not sent: the attachments break a limit (see above the input)."), 6000
            )
        elif outcome in ("no_profile", "no_session"):
            w.chat_view.add_notice("warning", self.tr("This chat's bot profile no longer exists."))

    def _no_token_notice(self) -> None:
        """ "No token is saved", with a button to the profile dialog on that bot."""
        from desktop.ui.kit.intents import NoticeAction

        profile = self.w.active_profile()
        name, profile_id = (profile.name, profile.id) if profile else ("", "")
        self.w.chat_view.add_notice(
            "warning",
            self.tr("No token is saved for “{name}”. Add it in the bot's profile.").format(
                name=name
            ),
            NoticeAction("open_profile", profile_id),
            self.tr("Open the profile…"),
        )

    def show_empty_state(self) -> None:
        """Greet an empty chat with the bot's avatar, name and prologue (its first bubble) and
        its suggested questions as starter prompts (sent like follow-ups), from the cached bot
        info; without it, the profile's name and built-in prompts. The view shows it only while
        the chat has no messages."""
        from desktop.ui.window.bot_faces import card_for

        profile = self.w.active_profile()
        card = card_for(self.w.db, profile)
        if card is not None and card.suggested_questions:
            prompts: tuple[str, ...] = card.suggested_questions
        elif profile is not None and is_demo_profile(profile) and profile.name in BUILT_IN_PROMPTS:
            prompts = BUILT_IN_PROMPTS[profile.name]
        else:
            prompts = (self.tr("What can you do?"), self.tr("Introduce yourself briefly."))
        title = profile.name if profile is not None else self.tr("New chat")
        if card is not None and card.name:
            title = card.name
        hint = self.tr("Type a message below, or start with one of these:")
        prologue, avatar = (card.prologue, card.icon_file) if card is not None else ("", "")
        self.w.chat_view.set_empty_state(title, hint, prompts, prologue, avatar)

    def stop(self) -> None:
        if self.w.session_id is not None:
            self.w.controller.stop(self.w.session_id)

    def regenerate_last(self) -> None:
        question = self._last_question()
        if question is not None:
            self._resend(question)

    def clear_context(self) -> None:
        session_id = self.w.session_id
        if session_id is not None and not self.w.controller.clear_context(session_id):
            self.w.statusBar().showMessage(self.tr("Wait for the reply to finish first."), 4000)

    def forget_edit(self) -> None:
        self._editing = None

    # -- view intents -------------------------------------------------------------------------

    def follow_up(self, intent: FollowUpIntent) -> None:
        from desktop.ui.kit.intents import SendIntent

        self.send(SendIntent(intent.text))

    def regenerate(self, intent: MessageIntent) -> None:
        question = self._question_before(intent.message_id)
        if question is not None:
            self._resend(question)

    def edit(self, intent: MessageIntent) -> None:
        message = self.w.db.messages.get(intent.message_id)
        if message is None or message.role != "user":
            message = self._question_before(intent.message_id)
        if message is None:
            return
        self._editing = message.id
        self.w.composer.set_text(message.content)
        self.w.composer.set_attachments(message.attachments)
        self.w.statusBar().showMessage(
            self.tr("Editing your question: press Enter to send it again."), 6000
        )

    def submit_tools(self, intent: ToolOutputsIntent) -> None:
        """Submit on a waiting answer: the results go to Coze, the answer continues in place."""
        session_id = self.w.session_id
        if session_id is None:
            return
        outcome = self.w.controller.answer_tools(session_id, intent.message_id, intent.outputs)
        if outcome != "started":
            self.w.chat_view.reopen_tool_request(intent.message_id)
        self._after_send(outcome, session_id)

    def dismiss_tools(self, intent: MessageIntent) -> None:
        """Cancel on a waiting answer: the chat is cancelled and the answer stored as stopped."""
        session_id = self.w.session_id
        if session_id is None or not self.w.controller.dismiss_tools(session_id, intent.id):
            self.w.chat_view.reopen_tool_request(intent.id)
            self.w.statusBar().showMessage(
                self.tr("A reply is still streaming. Stop it (Esc) before sending again."), 5000
            )
            return
        self.w.update_chrome()

    def open_in_log(self, intent: LogIntent) -> None:
        self.w.show_in_log(intent.log_id, intent.chat_id)

    def copied(self, _intent: CopyIntent) -> None:
        self.w.statusBar().showMessage(self.tr("Copied to the clipboard."), 2500)

    def _resend(self, question: StoredMessage) -> None:
        session_id = self.w.session_id
        if session_id is None:
            return
        outcome = self.w.controller.resend(session_id, question.id, question.content)
        self._after_send(outcome, session_id, reload=True)

    def _question_before(self, message_id: int) -> StoredMessage | None:
        """The user question that led to ``message_id`` (itself when it is a question)."""
        if self.w.session_id is None:
            return None
        return self.w.db.messages.find_latest(self.w.session_id, question=True, up_to=message_id)

    def _last_question(self) -> StoredMessage | None:
        if self.w.session_id is None:
            return None
        return self.w.db.messages.find_latest(self.w.session_id, question=True)

    # -- sidebar intents ----------------------------------------------------------------------

    def rename_session(self, intent: RenameIntent) -> None:
        self.w.db.sessions.rename(intent.session_id, intent.title)
        self.w.refresh_sessions()
        self.w.update_chrome()

    def pin_session(self, intent: PinIntent) -> None:
        self.w.db.sessions.set_pinned(intent.session_id, intent.pinned)
        self.w.refresh_sessions()

    # -- controller signals ---------------------------------------------------------------------

    def turn_started(self, event: TurnStarted) -> None:
        if event.session_id == self.w.session_id:
            self.w.chat_view.upsert(event.question)
            self.w.chat_view.upsert(event.answer)
        self.w.refresh_sessions()
        self.w.update_chrome()

    def turn_updated(self, event: TurnUpdated) -> None:
        if event.session_id == self.w.session_id:
            self.w.chat_view.upsert(event.message)

    def turn_finished(self, event: TurnFinished) -> None:
        sent = self._uploading.pop(event.session_id, None)
        if event.session_id == self.w.session_id:
            self.w.chat_view.upsert(event.message)
            self.w.composer.show_upload(None)
            if sent is not None:
                self._show_uploaded(event.session_id)
            if sent is not None and event.message.status in ("failed", "stopped"):
                self._give_back(event.session_id, sent)
        self.w.refresh_sessions()
        self.w.update_chrome()

    def upload_progress(self, event: UploadUpdate) -> None:
        if event.session_id == self.w.session_id:
            self.w.composer.show_upload(event.progress)

    def files_dropped(self, intent: FilesIntent) -> None:
        """Files dropped on the chat go with the message being written."""
        self.w.composer.add_files(intent.paths)
        self.w.composer.focus_input()

    def _show_uploaded(self, session_id: int) -> None:
        """The question as stored now: its files with the ids the uploads gave them."""
        question = self.w.db.messages.find_latest(session_id, question=True)
        if question is not None:
            self.w.chat_view.upsert(question)

    def _give_back(self, session_id: int, sent: SendIntent) -> None:
        """An upload failed or was stopped: the question and its files go back into an empty
        composer, so nothing has to be picked again (the failed turn stays in the history)."""
        question = self.w.db.messages.find_latest(session_id, question=True)
        if question is None or all(a.file_id for a in question.attachments):
            return  # the files went up: the chat itself failed, Retry sends them again
        if self.w.composer.text().strip() or self.w.composer.attachments():
            return  # the user is already writing something else
        self.w.composer.set_text(sent.text)
        self.w.composer.set_attachments(sent.attachments)

    def state_changed(self, event: ConnectionState) -> None:
        if event.session_id == self.w.session_id:
            self.w.update_chrome()

    def context_lost(self, warning: ContextWarning) -> None:
        if warning.session_id == self.w.session_id:
            self.w.chat_view.add_notice("warning", warning.text(self.w.services.language()))

    def not_saved(self, event: NotSaved) -> None:
        """A question the history could not store: nothing was sent; it goes back into the
        composer (if the user has not typed anew) and a warning says why."""
        if event.session_id != self.w.session_id:
            return
        if not self.w.composer.text():
            self.w.composer.restore_draft(event.text)
        self.w.chat_view.add_notice(
            "warning",
            self.tr(
                "Could not save your question to the chat history, so it was not sent: {error}"
            ).format(error=event.error),
        )
        self.w.update_chrome()

    def save_again(self) -> None:
        session_id = self.w.session_id
        if session_id is not None and not self.w.controller.save_again(session_id):
            self.w.statusBar().showMessage(
                self.tr("Still not saved: the chat history cannot be written yet."), 6000
            )

    def saved_later(self, event: TurnUpdated) -> None:
        """An answer the history did not take is saved now: show it as stored."""
        if event.session_id == self.w.session_id:
            self.w.chat_view.upsert(event.message)
        self.w.statusBar().showMessage(self.tr("The answer is saved to the chat history."), 5000)
        self.w.refresh_sessions()

    def context_cleared(self, event: ContextCleared) -> None:
        if event.session_id != self.w.session_id:
            return
        if event.divider is not None:
            self.w.chat_view.upsert(event.divider)
        elif event.error is not None:
            self.w.chat_view.add_notice("warning", event.error.describe(self.w.services.language()))
        self.w.update_chrome()


def _has_new_files(intent: SendIntent) -> bool:
    """The intent carries files not yet uploaded (records sent before have a file id)."""
    return any(not getattr(item, "file_id", "") for item in intent.attachments)
