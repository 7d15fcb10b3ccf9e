"""Troubleshooting flows of the main window: the network log dock and the doctor dialog.

The dock (objectName ``logDock``) lives at the bottom of the window, hidden until asked for
(Ctrl+Shift+L toggles it); its position and size are part of the window's saved state. It is
made when it is first shown (or at start, when it was open at the last quit): until then the
network log records without it, and the dock shows all of it once made. "Open in
log" on an error bubble selects the request; "Go to message" in the dock opens the chat and
scrolls to the answer; the first failed turn of a session opens the dock when the setting says
so. "Diagnose profile" opens the doctor dialog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop.storage.errors import StorageError

if TYPE_CHECKING:
    from desktop.netlog import Exchange
    from desktop.storage.models import Profile, Session
    from desktop.ui.bridge.controller import TurnFinished
    from desktop.ui.doctor.dialog import DoctorDialog
    from desktop.ui.logdock.dock import GoToMessageIntent, LogDock
    from desktop.ui.window.host import WindowHost

DOCK_HEIGHT = 380  # shows a few requests and a few stream frames at the default window size
AUTO_SHARE = 0.48  # opened by itself on an error: at most about half the window


class LogFlow(QObject):
    """Owns the window's log dock and doctor dialog."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self.w = host
        self._dock: LogDock | None = None
        self.doctor: DoctorDialog | None = None
        self._errored_sessions: set[int] = set()

    # -- dock -----------------------------------------------------------------------------------

    @property
    def dock(self) -> LogDock:
        """The dock, made the first time it is needed (``make_dock``)."""
        return self.make_dock()

    @property
    def dock_made(self) -> bool:
        return self._dock is not None

    @property
    def dock_open(self) -> bool:
        return self._dock is not None and self._dock.isVisible()

    def make_dock(self) -> LogDock:
        """The dock, made now if it was not yet, with the place and size it had when the window
        last saved its state."""
        if self._dock is not None:
            return self._dock
        from desktop.ui.logdock.dock import LogDock

        services = self.w.services
        dock = LogDock(services.netlog, services.language, self._token_for, self.w.window(),
                       session_label=self._session_label)  # fmt: skip
        dock.go_to_message_requested.connect(self.go_to_message)
        if not self.w.restore_dock(dock):  # first (adding it would drop the saved place)
            self.w.add_dock(dock, DOCK_HEIGHT)
            dock.hide()
        self._dock = dock
        return dock

    def toggle(self) -> None:
        """Ctrl+Shift+L: show the dock (and focus its table), or hide it."""
        if self.dock_open:
            self.dock.hide()
        else:
            self.show()

    def show(self, log_id: str = "", chat_id: str = "") -> bool:
        """Show the dock; select the request with ``log_id``/``chat_id`` when given."""
        self.dock.show()
        self.dock.raise_()
        self.dock.table.setFocus()
        if not (log_id or chat_id):
            return False
        found = self.dock.select_exchange(log_id, chat_id)
        if not found:
            self.w.statusBar().showMessage(
                self.tr("That request is no longer in the network log."), 5000
            )
        return found

    def on_turn_finished(self, event: TurnFinished) -> None:
        """Open the dock on a session's first failed turn (when the setting is on); not for an
        answer the history could not save (the network log has nothing to show for it)."""
        if not event.failed or event.not_saved or event.session_id in self._errored_sessions:
            return
        self._errored_sessions.add(event.session_id)
        if self.w.services.settings.open_log_on_error:
            was_open = self.dock_open
            self.show(event.message.log_id, event.message.chat_id)
            if not was_open:  # leave the chat most of the room, and the error bubble in view
                height = min(DOCK_HEIGHT, int(self.w.window().height() * AUTO_SHARE))
                self.w.resize_dock(self.dock, height)
                if event.session_id == self.w.session_id:
                    QTimer.singleShot(0, self.w.chat_view.scroll_to_bottom)

    def go_to_message(self, intent: GoToMessageIntent) -> None:
        """Open the request's chat session and scroll to the answer it produced."""
        session = (
            self.w.db.sessions.get(intent.session_id) if intent.session_id is not None else None
        )
        if session is None:
            self.w.statusBar().showMessage(self.tr("This request does not belong to a chat."), 5000)
            return
        if self.w.session_id != session.id:
            self.w.open_session(session.id)
        target = (
            self.w.db.messages.find_latest(session.id, log_id=intent.log_id)
            if intent.log_id
            else None
        )
        if target is None or not self.w.chat_view.scroll_to_message(target.id):
            self.w.chat_view.scroll_to_bottom()

    def _session_label(self, session_id: str) -> str | None:
        """The session filter's label: the chat's title and its profile (None: chat deleted)."""
        try:
            session: Session | None = (
                self.w.db.sessions.get(int(session_id)) if session_id.isdigit() else None
            )
            profile = self.w.db.profiles.get(session.profile_id) if session is not None else None
        except StorageError:  # e.g. the history is already closed at shutdown: plain id label
            return None
        if session is None:
            return None
        title = session.title or self.tr("New chat")
        return f"{title} · {profile.name}" if profile is not None else title

    def _token_for(self, ex: Exchange) -> str | None:
        """The real token of the request's profile (only used after the user confirmed)."""
        profile_id = ex.context.get("profile_id", "")
        return self.w.controller.token_for(profile_id) if profile_id else None

    # -- doctor ---------------------------------------------------------------------------------

    def diagnose(self, profile: Profile) -> DoctorDialog | None:
        """Run the doctor for ``profile`` in its dialog (live progress)."""
        from desktop.ui.doctor.dialog import DoctorDialog

        token = self.w.controller.token_for(profile.id) or ""
        if self.doctor is None:
            self.doctor = DoctorDialog(
                self.w.controller.doctor, self.w.services.language, self.w.window()
            )
        self.doctor.start(profile, token)
        self.doctor.show()
        self.doctor.raise_()
        return self.doctor

    def close(self) -> None:
        if self.doctor is not None:
            self.doctor.close()
        if self._dock is not None:
            self._dock.model.close()
