"""What the window's flows may use of the main window: the ``WindowHost`` protocol.

The chat, dialog and log flows (``chat_flow``, ``dialog_flow``, ``log_flow``) hold a
``WindowHost``, not a ``MainWindow``: they see the widgets and services they act on, the few
window operations they call, and each other only through the window's own methods
(``diagnose_current``, ``diagnose``, ``show_in_log``). ``MainWindow`` satisfies it; no flow
imports the window's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget, QStatusBar, QWidget

    from desktop.storage import Database
    from desktop.storage.models import Profile, Session
    from desktop.ui.bridge.controller import ChatController
    from desktop.ui.chat.composer import Composer
    from desktop.ui.chat.view import ChatView
    from desktop.ui.sidebar.panel import Sidebar
    from desktop.ui.window.services import WindowServices


class WindowHost(Protocol):
    """The main window as its flows see it."""

    db: Database
    services: WindowServices
    session_id: int | None
    chat_view: ChatView
    composer: Composer
    sidebar: Sidebar

    @property
    def controller(self) -> ChatController: ...

    # Qt: the window as a parent for dialogs, and its status bar
    def window(self) -> QWidget: ...
    def statusBar(self) -> QStatusBar: ...
    def add_dock(self, dock: QDockWidget, height: int) -> None: ...

    # profiles and sessions
    def profiles(self) -> list[Profile]: ...
    def active_profile(self, session: Session | None = None) -> Profile | None: ...
    def current_session(self) -> Session | None: ...
    def open_session(self, session_id: int | None) -> None: ...
    def new_session(self, profile_id: str = "") -> Session | None: ...
    def refresh_profiles(self) -> None: ...
    def refresh_sessions(self, profiles: list[Profile] | None = None) -> None: ...
    def update_chrome(self) -> None: ...
    def save_draft(self) -> None: ...
    def focus_chat(self) -> None: ...
    def retranslate(self) -> None: ...

    # the other flows, through the window
    def diagnose_current(self) -> None: ...
    def diagnose(self, profile: Profile) -> None: ...
    def show_in_log(self, log_id: str = "", chat_id: str = "") -> bool: ...
