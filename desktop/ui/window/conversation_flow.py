"""The window's side of the server conversations: the "Conversations on Coze" view, a chat's
"Sync with Coze", and the answer of a delete on the server.

Made when the backend is attached (after the first frame). The jobs run in the controller's
``conversations`` runner (``desktop.ui.bridge.conversation_sync``); this flow opens the view,
refreshes the chat list when an import or a sync ends, and says what happened in plain words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from desktop.ui.conversations.view import ConversationsDialog
    from desktop.ui.kit.conversation_ports import ImportDone, ServerDeleteDone
    from desktop.ui.window.host import WindowHost

STATUS_MS = 8000


class ConversationFlow(QObject):
    """Opens the conversations view and applies the runner's results to the window."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self.w = host
        self.view: ConversationsDialog | None = None
        runs = host.controller.conversations
        runs.finished.connect(self.on_import_done)
        runs.server_deleted.connect(self.on_server_deleted)

    def open_view(self) -> ConversationsDialog | None:
        """The active profile's conversations on Coze (one view at a time)."""
        from desktop.ui.conversations.view import ConversationsDialog

        profile = self.w.active_profile()
        if profile is None:
            self.w.statusBar().showMessage(self.tr("Add a bot profile first."), STATUS_MS)
            return None
        if self.view is not None and self.view.profile.id != profile.id:
            self.view.close()
            self.view = None
        if self.view is None:
            runs = self.w.controller.conversations
            self.view = ConversationsDialog(
                profile, runs, self.w.services.language, self.w.window()
            )
            self.view.open_session_requested.connect(self.w.open_session)
            self.view.finished.connect(self._closed)
        self.view.show()
        self.view.raise_()
        self.view.refresh()
        return self.view

    def _closed(self, _result: int) -> None:
        if self.view is not None:
            self.view.deleteLater()
        self.view = None
        self.w.focus_chat()

    def sync(self, session_id: int | None) -> bool:
        """Pull what was added to the chat's conversation on another machine or client."""
        session = self.w.db.sessions.get(session_id) if session_id is not None else None
        if session is None:
            return False
        if not session.conversation_id:
            self.w.statusBar().showMessage(
                self.tr("This chat has nothing on the Coze server yet."), STATUS_MS
            )
            return False
        if not self.w.controller.conversations.sync(session):
            self.w.statusBar().showMessage(
                self.tr("Cannot sync now: another import or sync is running, or the profile "
                        "has no token."), STATUS_MS)  # fmt: skip
            return False
        self.w.statusBar().showMessage(self.tr("Syncing with Coze…"))
        return True

    def on_import_done(self, event: ImportDone) -> None:
        self.w.refresh_sessions()
        current = self.w.current_session()
        if current is not None and current.id in event.session_ids and event.added:
            self.w.open_session(current.id)  # show what arrived
        if not event.sync:
            return
        lang = "zh" if self.w.services.language().startswith("zh") else "en"
        if event.error is not None:
            text = self.tr("Sync stopped part-way: {error} — the {added} messages it brought "
                           "are kept.").format(error=event.error.describe(lang), added=event.added)  # fmt: skip
        elif event.added:
            text = self.tr("Synced: {added} new messages from Coze.").format(added=event.added)
        else:
            text = self.tr("Synced: nothing new on Coze.")
        self.w.statusBar().showMessage(text, STATUS_MS)

    def on_server_deleted(self, event: ServerDeleteDone) -> None:
        if event.error is None:
            self.w.statusBar().showMessage(
                self.tr("“{title}” was deleted on the Coze server too.").format(title=event.title),
                STATUS_MS,
            )
            return
        from PySide6.QtWidgets import QMessageBox

        lang = "zh" if self.w.services.language().startswith("zh") else "en"
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Not deleted on Coze"),
                          self.tr("The chat “{title}” was deleted here, but the Coze server "
                                  "kept its conversation.").format(title=event.title),
                          QMessageBox.StandardButton.Ok, self.w.window())  # fmt: skip
        box.setObjectName("serverDeleteRefused")
        box.setInformativeText(event.error.describe(lang))
        box.finished.connect(box.deleteLater)
        box.open()
