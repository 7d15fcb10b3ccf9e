"""The main window's actions, keyboard shortcuts and menus (texts retranslated at runtime)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMenu


class WindowActions(QObject):
    """Every menu/shortcut action of the main window, created once and added to its menus."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.new_session = self._action("actionNewSession", "Ctrl+N")
        self.new_comparison = self._action("actionNewComparison", "Ctrl+Shift+N")
        self.find = self._action("actionFind", "Ctrl+F")
        self.focus_composer = self._action("actionFocusComposer", "Ctrl+L")
        self.stop = self._action("actionStop", "Esc")
        self.settings = self._action("actionSettings", "Ctrl+,")
        self.profiles = self._action("actionProfiles", "Ctrl+Shift+B")
        self.export_md = self._action("actionExportMarkdown")
        self.export_json = self._action("actionExportJson")
        self.clear_context = self._action("actionClearContext", "Ctrl+Shift+K")
        self.regenerate = self._action("actionRegenerate", "Ctrl+R")
        self.diagnose = self._action("actionDiagnose")
        self.conversations = self._action("actionConversations")
        self.sync_session = self._action("actionSyncSession")
        self.rename_session = self._action("actionRenameSession", "F2")
        self.delete_session = self._action("actionDeleteSession")
        self.show_log = self._action("actionShowLog", "Ctrl+Shift+L")
        self.show_sidebar = self._action("actionShowSidebar", "Ctrl+B")
        self.show_sidebar.setCheckable(True)
        self.show_sidebar.setChecked(True)
        self.next_session = self._action("actionNextSession", "Ctrl+PgDown")
        self.previous_session = self._action("actionPreviousSession", "Ctrl+PgUp")
        self.shortcuts = self._action("actionShortcuts", "Ctrl+/")
        self.quit = self._action("actionQuit", None if sys.platform == "win32" else "Ctrl+Q")
        self.about = self._action("actionAbout")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.menus: dict[str, QMenu] = {}

    def _action(self, name: str, shortcut: str | None = None) -> QAction:
        """A window-wide action; ``shortcut`` in Qt's portable text ("Ctrl+N" is Cmd+N on macOS;
        Windows has no quit shortcut, as Qt's ``StandardKey.Quit`` has none there).
        The shortcut is set as text through Qt's property system (first-frame rule 2: a
        ``QKeySequence`` made in Python sets up its 70-value ``StandardKey`` enum)."""
        action = QAction(self._window)
        action.setObjectName(name)
        if shortcut is not None:  # for the whole window (Qt's default context)
            action.setProperty("shortcut", shortcut)
        self._window.addAction(action)
        return action

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) of every action with a shortcut, in the user's language and platform
        notation (Cmd on macOS), for Help → Keyboard shortcuts."""
        rows = []
        for action in self._window.actions():
            keys = action.shortcut().toString(action.shortcut().SequenceFormat.NativeText)
            if keys:
                rows.append((action.text().replace("&", "").rstrip("…"), keys))
        return rows

    def build_menus(self) -> None:
        bar = self._window.menuBar()
        layout: dict[str, list[QAction | None]] = {
            "file": [self.new_session, self.new_comparison, None, self.export_md, self.export_json, None,
                     self.settings, None, self.quit],
            "chat": [self.focus_composer, self.find, self.next_session, self.previous_session,
                     None, self.stop, self.regenerate, self.clear_context, None,
                     self.sync_session, self.rename_session, self.delete_session],
            "bots": [self.profiles, self.diagnose, None, self.conversations],
            "view": [self.show_sidebar, self.show_log],
            "help": [self.shortcuts, None, self.about],
        }  # fmt: skip
        for key, actions in layout.items():
            menu = bar.addMenu("")
            menu.setObjectName(f"menu_{key}")
            for action in actions:
                if action is None:
                    menu.addSeparator()
                else:
                    menu.addAction(action)
            self.menus[key] = menu

    def retranslate(self) -> None:
        texts = {
            self.new_session: self.tr("&New chat"),
            self.new_comparison: self.tr("New c&omparison…"),
            self.find: self.tr("&Search sessions"),
            self.focus_composer: self.tr("&Write a message"),
            self.stop: self.tr("S&top reply"),
            self.settings: self.tr("Se&ttings…"),
            self.profiles: self.tr("&Bot profiles…"),
            self.export_md: self.tr("Export session as &Markdown…"),
            self.export_json: self.tr("Export session as &JSON…"),
            self.clear_context: self.tr("&Clear context"),
            self.regenerate: self.tr("&Regenerate last answer"),
            self.diagnose: self.tr("&Diagnose profile"),
            self.conversations: self.tr("Conversations on &Coze…"),
            self.sync_session: self.tr("S&ync with Coze"),
            self.rename_session: self.tr("Re&name session"),
            self.delete_session: self.tr("&Delete session…"),
            self.show_log: self.tr("Network &log"),
            self.show_sidebar: self.tr("&Sidebar"),
            self.next_session: self.tr("Ne&xt chat"),
            self.previous_session: self.tr("&Previous chat"),
            self.shortcuts: self.tr("&Keyboard shortcuts"),
            self.quit: self.tr("&Quit"),
            self.about: self.tr("&About Coze Desktop"),
        }
        for action, text in texts.items():
            action.setText(text)
        titles = {"file": self.tr("&File"), "chat": self.tr("&Chat"), "bots": self.tr("&Bots"),
                  "view": self.tr("&View"), "help": self.tr("&Help")}  # fmt: skip
        for key, title in titles.items():
            if key in self.menus:
                self.menus[key].setTitle(title)
