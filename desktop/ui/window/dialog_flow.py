"""Dialog flows of the main window: profiles, settings, delete confirmation, export, log, about.

Every dialog is shown with ``open()``/``show()`` and answers through signals: no nested event
loop ever runs inside the app's asyncio tasks. The dialogs' modules are imported when a dialog
first opens, not with the window (they are not needed for its first frame); so are
``QMessageBox`` and ``QFileDialog``, whose Python types take milliseconds to set up.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.settings import atomic_write_text
from desktop.storage.errors import StorageError
from desktop.ui.kit import folders

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.storage.models import Session, StoredMessage
    from desktop.ui.kit.intents import NoticeAction, WelcomeIntent
    from desktop.ui.profiles.dialog import ProfileDialog, ProfilesChanged
    from desktop.ui.settings.dialog import SettingsChanged
    from desktop.ui.window.host import WindowHost

log = logging.getLogger(__name__)


class DialogFlow(QObject):
    """Opens the window's dialogs and applies their results."""

    def __init__(self, host: WindowHost) -> None:
        super().__init__(host.window())
        self.w = host
        self._open: dict[str, QWidget] = {}

    # -- profiles -------------------------------------------------------------------------------

    def open_profiles(
        self, add: bool = False, select_id: str = "", run_test: bool = False
    ) -> ProfileDialog:
        from desktop.ui.profiles.dialog import ProfileDialog

        dialog = self._open.get("profiles")
        if not isinstance(dialog, ProfileDialog):
            services = self.w.services
            dialog = ProfileDialog(services.db, services.secrets, services.controller.doctor,
                                   services.language, self.w.window())  # fmt: skip
            dialog.profiles_changed.connect(self._on_profiles_changed)
            dialog.finished.connect(lambda _r: self._open.pop("profiles", None))
            dialog.finished.connect(lambda _r: self.w.focus_chat())
            self._open["profiles"] = dialog
        if add:
            dialog.add_profile()
        else:  # the profile asked for, else the one the open chat talks to
            current = self.w.active_profile()
            target = select_id or (current.id if current is not None else "")
            if target:
                dialog.select_profile(target)
        dialog.open()
        if run_test:
            dialog.run_test()
        return dialog

    def diagnose_current(self) -> None:
        profile = self.w.active_profile()
        if profile is not None:
            self.w.diagnose(profile)

    def _on_profiles_changed(self, event: ProfilesChanged) -> None:
        for profile in self.w.profiles():
            self.w.services.clients.forget(profile.id)
        if event.profile_id:
            self.w.services.clients.forget(event.profile_id)
        current = self.w.current_session()
        self.w.refresh_profiles()
        if current is not None and self.w.db.sessions.get(current.id) is None:
            self.w.open_session(None)
        if self.w.current_session() is None and event.profile_id:
            self.w.new_session(event.profile_id)

    def welcome_action(self, intent: WelcomeIntent) -> None:
        if intent.action == "add_profile":
            self.open_profiles(add=True)
        elif intent.action == "demo":
            self.start_demo()

    def start_demo(self) -> None:
        demo = self.w.services.demo
        if demo is None:
            return
        profile = demo.ensure_profiles()
        self.w.refresh_profiles()
        self.w.sidebar.select_profile(profile.id)
        self.w.new_session(profile.id)

    # -- settings -------------------------------------------------------------------------------

    def open_settings(self) -> None:
        from desktop.api.client import REGION_BASE_URLS
        from desktop.ui.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self.w.services.settings, self.w.window(), self.w.services.language)
        dialog.settings_accepted.connect(self.apply_settings)
        tester = self.w.controller.network
        profile = self.w.active_profile()
        base_url = profile.api_base_url if profile is not None else REGION_BASE_URLS["cn"]
        dialog.network.test_requested.connect(lambda intent: tester.run(base_url, intent))
        tester.finished.connect(dialog.network.on_test_done)
        dialog.finished.connect(lambda _r: self.w.focus_chat())
        self._keep("settings", dialog)
        dialog.open()

    def apply_settings(self, event: SettingsChanged) -> None:
        services = self.w.services
        services.settings = event.settings
        services.save()
        services.translations.apply(event.settings.language)
        dark = services.apply_theme(event.settings.theme)
        self.w.chat_view.set_palette_mode(dark)
        services.clients.set_proxy(event.settings.proxy(), event.settings.proxy_mode != "none")
        self.w.retranslate()

    # -- sessions -------------------------------------------------------------------------------

    def confirm_delete(self, session_id: int | None) -> None:
        from PySide6.QtWidgets import QCheckBox, QMessageBox

        session = self.w.db.sessions.get(session_id) if session_id is not None else None
        if session is None:
            return
        title = session.title or self.tr("New chat")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Delete chat"),
                          self.tr("Delete “{title}” and all its messages? This cannot be undone.").format(title=title),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.w.window())  # fmt: skip
        box.setObjectName("confirmDeleteSession")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        if session.conversation_id:  # off by default: the server's copy stays unless asked
            server = QCheckBox(self.tr("Also delete the conversation on the Coze server"), box)
            server.setObjectName("deleteOnServer")
            box.setCheckBox(server)
        box.finished.connect(lambda result: self._delete_answered(session.id, result, box))
        self._keep("confirm", box)
        box.open()

    def notice_action(self, action: NoticeAction) -> None:
        """A notice's button in the chat ("No token is saved" → the bot's profile)."""
        if action.action == "open_profile":
            self.open_profiles(select_id=action.profile_id)

    def confirm_clear_context(self) -> None:
        """Ask before "Clear context" (the bot forgets the chat so far; the messages stay)."""
        from PySide6.QtWidgets import QMessageBox

        session_id = self.w.session_id
        if session_id is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Clear context"),
                          self.tr("Start fresh in this chat? The bot forgets the messages so far; "
                                  "they stay here, above a divider."),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self.w.window())  # fmt: skip
        box.setObjectName("confirmClearContext")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Clear context"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self._clear_answered(session_id, result))
        self._keep("confirm", box)
        box.open()

    def _clear_answered(self, session_id: int, result: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        if result == QMessageBox.StandardButton.Yes and self.w.session_id == session_id:
            self.w.clear_context()
        self.w.focus_chat()

    def _delete_answered(self, session_id: int, result: int, box: QWidget) -> None:
        from PySide6.QtWidgets import QMessageBox

        if result != QMessageBox.StandardButton.Yes or not isinstance(box, QMessageBox):
            return
        on_server = box.checkBox() is not None and box.checkBox().isChecked()
        session = self.w.db.sessions.get(session_id)
        profile = self.w.db.profiles.get(session.profile_id) if session is not None else None
        self.delete_session(session_id)  # the local delete happens whatever the server says
        if on_server and session is not None and profile is not None:
            title = session.title or self.tr("New chat")
            runs = self.w.controller.conversations
            if not runs.delete_on_server(profile, session.conversation_id, title):
                self.w.statusBar().showMessage(
                    self.tr("Not deleted on the Coze server: the profile has no token."), 8000
                )

    def delete_session(self, session_id: int) -> None:
        self.w.controller.stop(session_id)
        self.w.db.sessions.delete(session_id)
        if self.w.session_id == session_id:
            self.w.open_session(None)
        self.w.refresh_sessions()
        self.w.update_chrome()

    def export_session(self, fmt: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        session = self.w.current_session()
        if session is None:
            return
        dialog = QFileDialog(self.w.window(), self.tr("Export session"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(
            self.tr("Markdown (*.md)") if fmt == "md" else self.tr("JSON (*.json)")
        )
        dialog.setDefaultSuffix(fmt)
        folders.prepare(dialog)  # the folder of the last file picked, not the working directory
        dialog.selectFile(_file_name(session.title, fmt))
        dialog.fileSelected.connect(lambda path: self.write_export(session.id, fmt, Path(path)))
        self._keep("export", dialog)
        dialog.open()

    def write_export(self, session_id: int, fmt: str, path: Path) -> bool:
        from desktop.core.export import ExportError, to_json, to_markdown  # only when exporting

        try:
            pairs = [self._export_pair(session_id)]
            atomic_write_text(path, to_markdown(pairs) if fmt == "md" else to_json(pairs))
        except (ExportError, OSError, StorageError) as exc:
            self.w.statusBar().showMessage(
                self.tr("Export failed: {error}").format(error=exc), 8000
            )
            return False
        folders.remember(path)
        self.w.statusBar().showMessage(self.tr("Exported to {path}").format(path=path), 5000)
        return True

    def _export_pair(self, session_id: int) -> tuple[Session, list[StoredMessage]]:
        """The chat and its messages as this window has them: from a damaged file, those that
        can be read; an answer the history did not take, as it arrived."""
        db = self.w.db
        session = db.sessions.get(session_id)
        if session is None:
            raise StorageError(self.tr("This chat no longer exists."))
        try:
            messages = db.messages.list(session_id)
        except StorageError:
            messages, _lost = db.messages.readable(session_id)
        unsaved = self.w.controller.unsaved_answer(session_id) if self.w.services.attached else None
        if unsaved is not None:
            messages = [unsaved if m.id == unsaved.id else m for m in messages]
            if all(m.id != unsaved.id for m in messages):
                messages.append(unsaved)
        return session, messages

    # -- a damaged history ------------------------------------------------------------------

    def move_history_aside(self) -> None:
        """Ask, then rename the damaged history file (kept, not deleted), start a fresh one with
        the bot profiles, and close (the next start opens the fresh history)."""
        from PySide6.QtWidgets import QMessageBox

        path = self.w.db.path
        if path is None:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Move the damaged file aside"),
                          self.tr("Move the damaged chat history aside and start a fresh one?"),
                          QMessageBox.StandardButton.Cancel, self.w.window())  # fmt: skip
        box.setObjectName("moveAsideDialog")
        box.setInformativeText(
            self.tr(
                "The file {path} is renamed, not deleted, and Coze Desktop closes. The next start "
                "begins a fresh history with your bot profiles. Export what you need from the "
                "damaged chats first."
            ).format(path=path)
        )
        move = box.addButton(self.tr("Move aside and close"), QMessageBox.ButtonRole.AcceptRole)
        move.setObjectName("confirmMoveAside")
        move.clicked.connect(self.move_aside_now)
        self._keep("move-aside", box)
        box.open()

    def move_aside_now(self) -> Path | None:
        """Move the history file aside (see ``move_history_aside``); the window closes once the
        user has read where the file went. None when it could not be moved."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from desktop.storage.db import Database

        db = self.w.db
        try:
            profiles = db.profiles.list()
        except StorageError:
            profiles = []
        self.w.save_draft()
        if self.w.services.attached:
            self.w.controller.stop_all()
        try:
            moved = db.move_aside()
            assert db.path is not None
            Database.start_fresh(db.path, profiles)
        except StorageError as exc:
            log.error("history not moved aside: %s", exc)
            self.w.statusBar().showMessage(str(exc), 15000)
            return None
        log.warning("damaged history moved to %s", moved)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Coze Desktop"),
                          self.tr("The damaged history was moved to:\n{path}").format(path=moved),
                          QMessageBox.StandardButton.Ok, self.w.window())  # fmt: skip
        box.setObjectName("movedAsideDialog")
        box.setInformativeText(self.tr("Coze Desktop closes now; start it again to go on."))
        box.setWindowModality(Qt.WindowModality.ApplicationModal)
        box.finished.connect(lambda _result: self.w.window().close())
        self._keep("moved-aside", box)
        box.open()
        return moved

    def export_dir(self) -> Path:
        """Where the export dialog opens (``kit.folders``: one folder for every file dialog)."""
        return folders.start_folder()

    # -- log, about -----------------------------------------------------------------------------

    def show_log(self, log_id: str = "", chat_id: str = "") -> bool:
        """Show the log dock, selecting the request with ``log_id``/``chat_id`` when given."""
        return self.w.show_in_log(log_id, chat_id)

    def about(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About Coze Desktop"),
                          self.tr("Coze Desktop — a native desktop client for Coze (扣子) chat bots."),
                          QMessageBox.StandardButton.Ok, self.w.window())  # fmt: skip
        box.setInformativeText(self._about_facts())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy a path
        self._keep("about", box)
        box.open()

    def show_shortcuts(self) -> None:
        """Help → Keyboard shortcuts: every shortcut of the window, as this platform writes it."""
        import html  # first-frame rule 1 (html.entities: 1-2 ms)

        from PySide6.QtWidgets import QMessageBox

        rows = self.w.shortcut_rows()
        table = "".join(f"<tr><td style='padding-right:18px'>{html.escape(what)}</td>"
                        f"<td><b>{html.escape(keys)}</b></td></tr>" for what, keys in rows)  # fmt: skip
        extra = [(self.tr("Send the message"), "Enter"), (self.tr("New line"), "Shift+Enter")]
        table += "".join(f"<tr><td>{html.escape(a)}</td><td><b>{b}</b></td></tr>" for a, b in extra)
        box = QMessageBox(self.w.window())
        box.setObjectName("shortcutsDialog")
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setText(f"<table>{table}</table>")
        self._keep("shortcuts", box)
        box.open()

    def _about_facts(self) -> str:
        """The version and where this copy keeps its data (the paths can be copied)."""
        from desktop import __version__, paths

        rows = [
            (self.tr("Version"), __version__),
            (self.tr("History"), str(paths.db_path())),
            (self.tr("Settings"), str(paths.settings_path())),
            (self.tr("Logs"), str(paths.log_dir())),
        ]
        return "\n".join(f"{label}: {value}" for label, value in rows)

    def _keep(self, key: str, widget: QWidget) -> None:
        """Hold a reference while the dialog is open (Qt would otherwise lose it to the GC)."""
        old = self._open.get(key)
        if old is not None and old is not widget:
            old.close()
        self._open[key] = widget

    def close_all(self) -> None:
        for widget in list(self._open.values()):
            widget.close()
        self._open.clear()


def _file_name(title: str, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else "_" for ch in title)
    safe = safe[:60].strip(" _") or "chat"  # "天气怎么样?" -> "天气怎么样", not "天气怎么样_"
    return f"{safe}.{fmt}"
