"""The main window: sidebar, chat view, composer and status bar, wired to the controller.

It is the container that knows the services (handed in by ``desktop.app``); its widgets only
emit intents. The widgets are wired in ``_connect_signals``, the backend's signals (which exist
only once it is attached) in ``_connect_backend``, next to it. The slots live in three flows
(``chat_flow``, ``dialog_flow``, ``log_flow``), which see the window as a ``host.WindowHost``.

Built in steps so that it can be on screen early: the constructor builds every widget from the
database and settings; right after the first frame ``show_history`` fills in the open chat's
messages (the database is all they need); ``attach`` wires the backend (controller, network log
dock, secret store) once ``desktop.app`` has built it. A window constructed with its backend
already in ``services`` attaches it at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from PySide6.QtWidgets import QDockWidget

    from desktop.core.attachments import Attachment
    from desktop.storage.models import Profile, Session, StoredMessage

from desktop.storage.errors import StorageError
from desktop.ui.chat.composer import Composer
from desktop.ui.chat.view import ChatView
from desktop.ui.kit import folders
from desktop.ui.kit.chrome import Banner, ChatHeader, StatusPanel, keyring_banner_text
from desktop.ui.kit.shell_style import shell_style_sheet
from desktop.ui.kit.widgets import screen_fit
from desktop.ui.sidebar.panel import FIRST_ROWS, Sidebar
from desktop.ui.sidebar.rows import SessionRows, session_rows
from desktop.ui.window import bot_faces
from desktop.ui.window.actions import WindowActions
from desktop.ui.window.chat_flow import ChatFlow
from desktop.ui.window.compare_flow import CompareFlow
from desktop.ui.window.dialog_flow import DialogFlow
from desktop.ui.window.search_flow import SearchFlow
from desktop.ui.window.services import Backend, WindowServices, ui_state

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from desktop.ui.bridge.controller import ChatController
    from desktop.ui.kit.intents import FilterIntent, HeaderAction
    from desktop.ui.window.log_flow import LogFlow
    from desktop.ui.window.welcome import WelcomeView

HISTORY_PAGE = 50  # messages loaded when a session opens (the rest stays in the database)
DRAFT_SAVE_MS = 300  # the composer's text is saved this long after the last keystroke
LOG_OPEN_KEY = "window/log_open"  # whether the log dock was open at the last quit
SIDEBAR_KEY = "window/sidebar"  # whether the user wants the sidebar (View > Sidebar)
NARROW_PX = 720  # a narrower splitter hides the sidebar, which would leave the chat < 450 px


class MainWindow(QMainWindow):
    """Coze Desktop's main window (objectName ``mainWindow``)."""

    log: LogFlow  # the network log dock and doctor: created by ``attach``
    _welcome: WelcomeView | None

    def __init__(self, services: WindowServices, *, demo_starting: bool = False) -> None:
        """``demo_starting``: a first ``--demo``, whose profiles the backend makes after the
        first frame; until ``demo_start_over`` the window shows the (empty) chat page, not the
        welcome page it would leave a moment later."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.services = services
        self._demo_starting = demo_starting
        self.db = services.db
        folders.configure(services.ui_state_path)  # one folder for every file dialog
        self.session_id: int | None = None
        self._history_due = False
        self._profile_filter = services.settings.last_profile_id
        self._draft_session: int | None = None  # the chat whose draft the composer holds
        self._draft_files: dict[int, list[Attachment]] = {}  # other chats' unsent attachments
        self.damaged: set[int] = set()  # chats whose messages could not all be read
        self._unreadable: dict[int, int] = {}  # damaged chat -> messages lost (-1: unknown)
        self._damage_banner: Banner | None = None  # made when a damaged chat is first opened
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_SAVE_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._sidebar_wanted = True  # View > Sidebar, kept across restarts
        self._narrow = False  # the splitter is narrower than NARROW_PX: the sidebar steps aside
        self.setStyleSheet(shell_style_sheet(QGuiApplication.palette()))  # before the children:
        self._create_widgets()  # each is then styled once, as it is made
        self._build()
        self.actions_ = WindowActions(self)
        self.actions_.build_menus()
        self.chat = ChatFlow(self)
        self.dialogs = DialogFlow(self)
        self.search = SearchFlow(self, lambda: self._profile_filter)
        self.compare = CompareFlow(self)
        self._connect_signals()
        self._retranslate_own()  # the widgets translated themselves; the refreshes below fill them
        self.restyle()
        self._restore_state()
        self.refresh_profiles()
        self._history_due = self._open_initial_session()
        if services.backend is not None:
            self.attach(services.backend)

    @property
    def welcome(self) -> WelcomeView:
        """The first-run page ("Add your Coze bot" / "Try the demo bot"), made on first use: a
        returning user's window never builds it."""
        if self._welcome is None:
            from desktop.ui.window import welcome

            page = welcome.WelcomeView(self.services.icon_path, self.pages)
            self.pages.insertWidget(0, page)
            page.action_requested.connect(self.dialogs.welcome_action)
            self._welcome = page
        return self._welcome

    def demo_start_over(self) -> None:
        """The first ``--demo`` made its profiles (or failed to): pages as usual again."""
        if self._demo_starting:
            self._demo_starting = False
            if not self.profiles():
                self.refresh_profiles()

    @property
    def controller(self) -> ChatController:
        return self.services.controller

    def attach(self, backend: Backend) -> None:
        """Wire the backend services in: chat turns, the log dock, the keyring banner."""
        from desktop.ui.window.log_flow import LogFlow  # first-frame rule 1

        self.services.backend = backend
        self.log = LogFlow(self)
        self._restore_docks()
        self._connect_backend(backend)
        self._update_banner()
        self.show_history()
        if self.db.sessions.delete_untouched(keep=self.session_id):  # left by earlier versions
            self.refresh_sessions()
        self.update_chrome()
        self.focus_chat()
        self.search.start_indexing()
        backend.controller.refresh_bots(self.profiles())  # the cached faces are already shown

    def show_history(self) -> bool:
        """Fill the chat view with the open chat's messages, which the constructor leaves for
        after the first frame; True if it did. Needs only the database: ``desktop.app`` calls
        it before building the backend, ``attach`` in any case."""
        if not self._history_due:
            return False
        self._history_due = False
        self.open_session(self.session_id)
        return True

    # -- construction -----------------------------------------------------------------------

    def _create_widgets(self) -> None:
        """Every widget is made inside its final parent (first-frame rule 4)."""
        self.splitter = QSplitter(parent=self)  # by keyword: first-frame rule 2
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setHandleWidth(1)
        self.sidebar = Sidebar(self.splitter)
        right = QWidget(self.splitter)
        self.banner = Banner("keyringBanner", right)
        self.banner.setVisible(False)  # until ``attach`` knows whether the keyring works
        self.pages = QStackedWidget(right)
        self._welcome = None  # the first-run page: made when needed
        chat_page = QWidget(self.pages)
        self.header = ChatHeader(chat_page)
        self.chat_view = ChatView(chat_page)
        self.chat_view.setObjectName("chatView")
        self.composer = Composer(chat_page)
        self.status_panel = StatusPanel(self)
        self._right, self._chat_page = right, chat_page

    def _build(self) -> None:
        chat_layout = QVBoxLayout(self._chat_page)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(0)
        chat_layout.addWidget(self.header)
        chat_layout.addWidget(self.chat_view, 1)
        chat_layout.addWidget(self.composer)
        self.pages.addWidget(self._chat_page)
        right_layout = QVBoxLayout(self._right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.pages, 1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self._right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([270, 930])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.splitter.installEventFilter(self)  # a narrow chat: the sidebar steps aside
        self.statusBar().addPermanentWidget(self.status_panel)
        self.resize(*screen_fit(1200, 800))

    def _connect_signals(self) -> None:
        sidebar, actions, chat, dialogs = self.sidebar, self.actions_, self.chat, self.dialogs
        view, composer = self.chat_view, self.composer
        # sidebar
        sidebar.filter_changed.connect(self._on_filter)
        sidebar.session_selected.connect(lambda intent: self.open_session(intent.session_id))
        sidebar.session_clicked.connect(lambda _intent: self.focus_chat())
        sidebar.new_session_requested.connect(lambda intent: self.new_session(intent.profile_id))
        sidebar.rename_requested.connect(chat.rename_session)
        sidebar.pin_requested.connect(chat.pin_session)
        sidebar.delete_requested.connect(lambda intent: dialogs.confirm_delete(intent.session_id))
        sidebar.comparison_selected.connect(self.compare.open)
        sidebar.comparison_delete_requested.connect(self.delete_comparison)
        # composer and header
        composer.send_requested.connect(chat.send)
        composer.edit.textChanged.connect(self._draft_timer.start)
        composer.stop_requested.connect(lambda _intent: chat.stop())
        self.header.action_requested.connect(self._header_action)
        # chat view
        view.follow_up_clicked.connect(chat.follow_up)
        view.regenerate_requested.connect(chat.regenerate)
        view.retry_requested.connect(chat.regenerate)
        view.edit_requested.connect(chat.edit)
        view.diagnose_requested.connect(lambda _intent: dialogs.diagnose_current())
        view.open_in_log_requested.connect(chat.open_in_log)
        view.copy_requested.connect(chat.copied)
        view.tool_outputs_submitted.connect(chat.submit_tools)
        view.tool_call_dismissed.connect(chat.dismiss_tools)
        view.save_again_requested.connect(lambda _intent: chat.save_again())
        view.export_requested.connect(lambda _intent: dialogs.export_session("md"))
        view.notice_action_requested.connect(dialogs.notice_action)
        view.files_dropped.connect(chat.files_dropped)
        # menus and shortcuts
        actions.new_session.triggered.connect(lambda: self.new_session(""))
        actions.new_comparison.triggered.connect(self.compare.pick)
        actions.show_sidebar.toggled.connect(self._show_sidebar)
        actions.find.triggered.connect(lambda: self._with_sidebar(sidebar.focus_search))
        actions.next_session.triggered.connect(lambda: sidebar.select_adjacent(1))
        actions.previous_session.triggered.connect(lambda: sidebar.select_adjacent(-1))
        actions.shortcuts.triggered.connect(dialogs.show_shortcuts)
        actions.focus_composer.triggered.connect(composer.focus_input)
        actions.stop.triggered.connect(
            lambda: self.compare.stop_all() if self.compare.showing else chat.stop()
        )
        actions.regenerate.triggered.connect(chat.regenerate_last)
        actions.clear_context.triggered.connect(dialogs.confirm_clear_context)
        actions.rename_session.triggered.connect(lambda: self._with_sidebar(sidebar.rename_current))
        actions.delete_session.triggered.connect(lambda: dialogs.confirm_delete(self.session_id))
        actions.settings.triggered.connect(dialogs.open_settings)
        actions.profiles.triggered.connect(lambda: dialogs.open_profiles())
        actions.diagnose.triggered.connect(dialogs.diagnose_current)
        actions.export_md.triggered.connect(lambda: dialogs.export_session("md"))
        actions.export_json.triggered.connect(lambda: dialogs.export_session("json"))
        actions.about.triggered.connect(dialogs.about)
        actions.quit.triggered.connect(self.close)

    def _connect_backend(self, backend: Backend) -> None:
        """The backend's signals, wired when ``attach`` hands it in (after the first frame)."""
        controller, chat, log = backend.controller, self.chat, self.log
        # chat turns
        controller.turn_started.connect(chat.turn_started)
        controller.turn_updated.connect(chat.turn_updated)
        controller.turn_finished.connect(chat.turn_finished)
        controller.turn_finished.connect(log.on_turn_finished)
        controller.state_changed.connect(chat.state_changed)
        compare = self.compare  # comparison columns: the same turns, shown side by side
        controller.turn_started.connect(compare.turn_started)
        controller.turn_updated.connect(compare.turn_updated)
        controller.turn_finished.connect(compare.turn_finished)
        controller.state_changed.connect(compare.state_changed)
        controller.context_cleared.connect(chat.context_cleared)
        controller.context_lost.connect(chat.context_lost)
        controller.bot_info_changed.connect(self.bot_info_changed)
        controller.not_saved.connect(chat.not_saved)
        controller.saved_later.connect(chat.saved_later)
        # server conversations: the view, a chat's sync, deletes on the server
        from desktop.ui.window.conversation_flow import ConversationFlow  # first-frame rule 1

        self.conversations = ConversationFlow(self)
        self.actions_.conversations.triggered.connect(self.conversations.open_view)
        self.actions_.sync_session.triggered.connect(
            lambda: self.conversations.sync(self.session_id)
        )
        self.sidebar.sync_requested.connect(
            lambda intent: self.conversations.sync(intent.session_id)
        )
        controller.upload_progress.connect(chat.upload_progress)
        # network log dock (made when first shown)
        self.actions_.show_log.triggered.connect(log.toggle)

    # -- the flows, for each other (``host.WindowHost``) ---------------------------------------

    def add_dock(self, dock: QDockWidget, height: int) -> None:
        """Dock ``dock`` at the bottom, ``height`` pixels tall (the log dock)."""
        from PySide6.QtCore import Qt  # after the first frame: first-frame rule 2

        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resize_dock(dock, height)

    def restore_dock(self, dock: QDockWidget) -> bool:
        """Give ``dock``, made after the window restored its state, the place, size and
        visibility that state gave it; False if it had none."""
        return self.restoreDockWidget(dock)

    def resize_dock(self, dock: QDockWidget, height: int) -> None:
        from PySide6.QtCore import Qt  # after the first frame: first-frame rule 2

        self.resizeDocks([dock], [height], Qt.Orientation.Vertical)

    def diagnose_current(self) -> None:
        self.dialogs.diagnose_current()

    def clear_context(self) -> None:
        self.chat.clear_context()

    def _header_action(self, action: HeaderAction) -> None:
        if action.action == "show_sidebar":
            self.show_sidebar()
        elif action.action == "clear_context":
            self.dialogs.confirm_clear_context()
        elif action.action == "diagnose":
            self.dialogs.diagnose_current()

    def diagnose(self, profile: Profile) -> None:
        self.log.diagnose(profile)

    def show_in_log(self, log_id: str = "", chat_id: str = "") -> bool:
        return self.log.show(log_id, chat_id)

    # -- profiles and sessions ----------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return list(self.db.profiles.list())

    def _show_profiles(self, profiles: list[Profile]) -> None:
        """The profile picker: these bots (with their cached faces), the picked one selected."""
        self.sidebar.set_profiles(bot_faces.choices(self.db, profiles), self._profile_filter)

    def refresh_profiles(self) -> None:
        """Reload the profile selector and session list; show the welcome page when empty."""
        profiles = self.profiles()
        ids = {p.id for p in profiles}
        if self._profile_filter not in ids:
            self._profile_filter = ""
        self._show_profiles(profiles)
        if self.services.backend is not None:
            self.controller.refresh_bots(profiles)  # a new or edited profile
        if not (profiles and self.compare.showing):
            self.compare.close()
            chat = profiles or self._demo_starting
            self.pages.setCurrentWidget(self._chat_page if chat else self.welcome)
        self._mark_unsaved_chat()
        self._update_banner()
        self.actions_.new_session.setEnabled(bool(profiles))
        self.actions_.new_comparison.setEnabled(len(profiles) >= 2)
        self.refresh_sessions(profiles)
        self.update_chrome()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return self.actions_.shortcut_rows()

    def _show_sidebar(self, shown: bool) -> None:
        """View > Sidebar (Ctrl+B), the header's button: what the user wants, in any width. In a
        narrow chat hiding it again only makes room: it still comes back as the chat widens."""
        if shown or not self._narrow:
            self._sidebar_wanted = shown
        self._place_sidebar(shown)

    def _place_sidebar(self, shown: bool) -> None:
        """Show or hide the sidebar; the chat then takes the whole width. The action's check
        and the header's button follow; the focus leaves a sidebar that goes."""
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.sidebar.isAncestorOf(focus)
        self.sidebar.setVisible(shown)
        self.header.offer_sidebar(not shown)
        self.compare.offer_sidebar(not shown)
        action = self.actions_.show_sidebar
        if action.isChecked() != shown:
            action.blockSignals(True)
            action.setChecked(shown)
            action.blockSignals(False)
        if had_focus and not shown:
            self.focus_chat()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The room beside the docks (the splitter's width, not the window's: a docked network
        log narrows it too) narrower than :data:`NARROW_PX` gives the chat its whole width: the
        sidebar steps aside (unless the user brings it back) and returns as it widens. Hiding
        the sidebar leaves the splitter's width as it is."""
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            assert isinstance(event, QResizeEvent)
            narrow = event.size().width() < NARROW_PX
            if narrow != self._narrow:
                self._narrow = narrow
                self._place_sidebar(self._sidebar_wanted and not narrow)
        return super().eventFilter(watched, event)

    def show_sidebar(self) -> None:
        """☰ (a chat's header, the compare page): the user wants the sidebar."""
        self.actions_.show_sidebar.setChecked(True)

    def _with_sidebar(self, then: Callable[[], None]) -> None:
        """Show the sidebar (hidden by View > Sidebar) for what ``then`` does in it."""
        self.show_sidebar()
        then()

    def focus_chat(self) -> None:
        """Put the keyboard focus in the composer when a chat is shown (after start, a session
        picked with the mouse, a dialog closed), so typing goes where the user looks."""
        if self.pages.currentWidget() is self._chat_page:
            self.composer.focus_input()

    def show_chat_page(self) -> None:
        """Leave the compare page (if shown) for the chat page."""
        if self.compare.showing:
            self.compare.close()
            self.pages.setCurrentWidget(self._chat_page)
            self._update_banner()

    def export_dir(self) -> Path:
        return self.dialogs.export_dir()

    def delete_comparison(self, comparison_id: int) -> None:
        """Forget a saved comparison; its chats stay in the session list."""
        shown = self.compare.comparison
        self.db.comparisons.delete(comparison_id)
        if shown is not None and shown.id == comparison_id and self.compare.showing:
            self.show_chat_page()
            self.open_session(self.session_id)
        self.compare.refresh_list()

    def _update_banner(self) -> None:
        """The keyring banner ("token kept for this session only") once there is a bot whose
        token it concerns (the welcome page says nothing yet; the profile dialog has its own)."""
        backend = self.services.backend
        session_only = backend is not None and not backend.secrets.persistent
        self.banner.setVisible(session_only and self.pages.currentWidget() is self._chat_page)

    def refresh_sessions(self, profiles: list[Profile] | None = None) -> None:
        """Refill the session list: a screenful now, the rest read when the list asks
        (``profiles``: the bots, if the caller has just read them). While the search box holds
        text, the search flow fills it instead, off the GUI thread."""
        if self.sidebar.query():
            self.search.run(self.sidebar.query())
            return
        profile_id = self._profile_filter or None
        first = self.db.sessions.list(profile_id=profile_id, limit=FIRST_ROWS)
        names = {p.id: p.name for p in (self.profiles() if profiles is None else profiles)}

        def more() -> SessionRows:
            rest = self.db.sessions.list(profile_id=profile_id, offset=FIRST_ROWS)
            return session_rows(rest, names, damaged)

        damaged = frozenset(self.damaged)
        rows, full = session_rows(first, names, damaged), len(first) == FIRST_ROWS
        self.sidebar.set_sessions(rows, self.session_id, more if full else None)
        self.compare.refresh_list()  # a deleted chat leaves its comparisons

    def _drop_if_untouched(self, session_id: int) -> None:
        """Delete the chat ``session_id`` if nobody wrote in it (the user has left it); files
        attached to its unsent message count as writing."""
        if session_id not in self._draft_files and self.db.sessions.is_untouched(session_id):
            self.db.sessions.delete(session_id)
            self.refresh_sessions()

    def _follow_bot(self, session: Session) -> None:
        """Keep the bot picker in step with the open chat. The picker is one value: "All bots"
        (every chat listed; the current bot is the open chat's) or one bot (only its chats
        listed, and it is the current bot). A chat of another bot opened while one bot is
        picked (at start, from the log, a search) moves the picker to that chat's bot, so the
        open chat is always listed and "New chat" / Ctrl+N use the bot the picker shows."""
        if not self._profile_filter or session.profile_id == self._profile_filter:
            return
        self._profile_filter = session.profile_id
        self.services.remember(last_profile_id=session.profile_id)
        self._show_profiles(self.profiles())
        self.refresh_sessions()

    def _on_filter(self, intent: FilterIntent) -> None:
        changed = intent.profile_id != self._profile_filter
        self._profile_filter = intent.profile_id
        self.services.remember(last_profile_id=intent.profile_id)
        self.refresh_sessions()
        current = self.current_session()
        if (
            changed
            and intent.profile_id
            and (current is None or current.profile_id != intent.profile_id)
        ):
            sessions = self.db.sessions.list(profile_id=intent.profile_id)
            self.open_session(sessions[0].id if sessions else None)
        self.update_chrome()

    def active_profile(self, session: Session | None = None) -> Profile | None:
        """The current bot, which new messages and "New chat" go to: the open session's
        (``session`` if already fetched; the picker shows the same bot unless it says "All
        bots", see ``_follow_bot``), else the picker's, else the first."""
        session = session or self.current_session()
        for profile_id in (session.profile_id if session else "", self._profile_filter):
            profile = self.db.profiles.get(profile_id) if profile_id else None
            if profile is not None:
                return profile
        profiles = self.profiles()
        return profiles[0] if profiles else None

    def current_session(self) -> Session | None:
        return self.db.sessions.get(self.session_id) if self.session_id is not None else None

    def save_draft(self) -> None:
        """Store the composer's unsent text with its chat now (also called by a timer while the
        user types, so a crash loses at most the last ``DRAFT_SAVE_MS``)."""
        self._draft_timer.stop()
        if self._draft_session is None:
            return
        try:
            self.db.sessions.set_draft(self._draft_session, self.composer.text())
        except StorageError as exc:  # the chat itself is unharmed; only the draft is not kept
            log.warning("could not keep the draft of chat %s: %s", self._draft_session, exc)

    def _show_draft(self, session_id: int | None) -> None:
        """Put ``session_id``'s saved draft in the composer (empty for none). Text typed while no
        chat was open stays, as the draft of the chat made for it."""
        previous, self._draft_session = self._draft_session, session_id
        text = self.db.sessions.draft(session_id) if session_id is not None else ""
        if previous is None and not text:
            text = self.composer.text()
        if text != self.composer.text():
            self.composer.restore_draft(text)
        self._keep_draft_files(previous, session_id)
        self._draft_timer.stop()  # restoring is not typing

    def _keep_draft_files(self, previous: int | None, session_id: int | None) -> None:
        """The composer's attachments stay with their chat while the app runs (the files are
        on disk; only the text draft is stored)."""
        files = self.composer.attachments()
        if previous is None:  # attached while no chat was open: they go to the chat made now
            self._draft_files.setdefault(session_id or 0, files)
        elif files:
            self._draft_files[previous] = files
        else:
            self._draft_files.pop(previous, None)
        self.composer.set_attachments(self._draft_files.pop(session_id or 0, []))

    def open_session(self, session_id: int | None) -> None:
        """Show a session: its last HISTORY_PAGE messages, its bot, its streaming state. The
        chat left behind is deleted if nobody wrote in it (no empty "New chat" rows pile up)."""
        self.show_chat_page()
        session = self.db.sessions.get(session_id) if session_id is not None else None
        left = self.session_id
        if self._draft_session != (session.id if session else None):
            self.save_draft()
            self._show_draft(session.id if session else None)
        self.session_id = session.id if session else None
        if left is not None and left != self.session_id:
            self._drop_if_untouched(left)
        if session is not None:
            self._follow_bot(session)
        self.chat.forget_edit()
        if session is None:
            self.chat_view.clear()
        else:
            profile = self.db.profiles.get(session.profile_id)
            self.chat_view.set_tool_replies(profile.local_tools if profile is not None else {})
            self._show_messages(session)
            self.services.remember(last_session_id=session.id)
        self._show_damage(session)
        self.chat.show_empty_state()
        self.sidebar.select_session(self.session_id)
        self._mark_unsaved_chat()
        self.update_chrome()

    def _show_messages(self, session: Session) -> None:
        """The chat's last messages; from a damaged file, those that can still be read (the
        chat is marked damaged: the sidebar and the damage strip say so)."""
        try:
            messages = self.db.messages.list(session.id, limit=HISTORY_PAGE)
        except StorageError as exc:
            log.error("chat %s cannot be read in full: %s", session.id, exc)
            messages, lost = self._readable(session.id)
            self._unreadable[session.id] = lost
            if session.id not in self.damaged:
                self.damaged.add(session.id)
                self.refresh_sessions()
        self.chat_view.set_history(messages)

    def show_start_warnings(self, texts: Sequence[str]) -> None:
        """Problems found at start (a settings file reset to defaults, an unwritable logs or
        settings folder): a strip above the chat until dismissed."""
        banner = Banner("startBanner", self._right)
        banner.set_text("\n".join(texts))
        dismiss = banner.add_button("dismissStartBanner")
        dismiss.setText(self.tr("Dismiss"))
        dismiss.clicked.connect(banner.hide)
        layout = self._right.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, banner)
        self.start_banner = banner
        for text in texts:
            log.info("shown at start: %s", text)

    def _readable(self, session_id: int) -> tuple[list[StoredMessage], int]:
        try:
            return self.db.messages.readable(session_id)
        except StorageError as exc:  # not even the list of its messages can be read
            log.error("chat %s: no message can be read: %s", session_id, exc)
            return [], -1

    def _show_damage(self, session: Session | None) -> None:
        """The damage strip above a damaged chat: what happened, where the file is, and the
        two ways out (export what is readable; move the file aside for a fresh history)."""
        damaged = session is not None and session.id in self.damaged
        if not damaged and self._damage_banner is None:
            return
        banner = self.damage_banner
        banner.setVisible(damaged)
        if damaged:
            assert session is not None
            banner.set_text(self._damage_text(self._unreadable.get(session.id, -1)))

    def _damage_text(self, lost: int) -> str:
        if lost > 0:
            what = self.tr("{n} of this chat's messages could not be read").format(n=lost)
        else:
            what = self.tr("This chat's messages could not be read")
        return self.tr(
            "{what}: part of the chat history file is damaged ({path}). Other chats are not "
            "affected. Export what is still readable, then move the damaged file aside to start "
            "a fresh history (the file is kept, renamed)."
        ).format(what=what, path=self.db.path or "")

    @property
    def damage_banner(self) -> Banner:
        if self._damage_banner is None:
            banner = Banner("damageBanner", self._right)
            self._export_damaged = banner.add_button("exportReadableButton")
            self._move_damaged = banner.add_button("moveAsideButton")
            self._export_damaged.clicked.connect(lambda: self.dialogs.export_session("md"))
            self._move_damaged.clicked.connect(self.dialogs.move_history_aside)
            layout = self._right.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(1, banner)
            self._damage_banner = banner
            self._retranslate_damage()
        return self._damage_banner

    def _retranslate_damage(self) -> None:
        if self._damage_banner is None:
            return
        self._export_damaged.setText(self.tr("Export what is readable…"))
        self._move_damaged.setText(self.tr("Move the damaged file aside…"))
        self._show_damage(self.current_session())

    def _mark_unsaved_chat(self) -> None:
        shown = self.pages.currentWidget() is self._chat_page
        self.sidebar.set_unsaved_chat(shown and self.session_id is None)

    def new_session(self, profile_id: str = "") -> Session | None:
        """Open an empty chat with ``profile_id`` (or the current bot, see ``active_profile``);
        reuses the bot's untouched chat if it has one."""
        profile = self.db.profiles.get(profile_id) if profile_id else self.active_profile()
        if profile is None:
            self.dialogs.open_profiles(add=True)
            return None
        current = self.current_session()
        if current and current.profile_id == profile.id and not self.db.messages.count(current.id):
            session = current
        else:
            session = self.db.sessions.find_empty(profile.id) or self.db.sessions.create(profile.id)
        self.refresh_sessions()
        self.open_session(session.id)
        self.composer.focus_input()
        return session

    def _open_initial_session(self) -> bool:
        """Select the last (or newest) session; its messages are shown by ``attach``, after the
        first frame. True when there are messages to show."""
        last = self.services.settings.last_session_id
        session = self.db.sessions.get(last) if last is not None else None
        if session is None:
            sessions = self.db.sessions.list(profile_id=self._profile_filter or None, limit=1)
            session = sessions[0] if sessions else None
        if session is None:
            self.open_session(None)
            return False
        self.session_id = session.id
        self._show_draft(session.id)
        self._follow_bot(session)
        self.sidebar.select_session(session.id)
        self.update_chrome()
        return True

    def update_chrome(self) -> None:
        """Header, status bar and composer state for the open session."""
        session = self.current_session()
        profile = self.active_profile(session)
        self._show_face(session, profile)
        self.status_panel.set_profile(profile)
        backend = self.services.backend
        controller = backend.controller if backend is not None else None
        busy = session is not None and controller is not None and controller.is_busy(session.id)
        state = controller.connection_state(session.id) if session and controller else "idle"
        self.status_panel.set_state(state)
        self.composer.set_busy(busy)
        self.actions_.stop.setEnabled(busy or self.compare.busy())  # Esc: Stop all there
        if session is not None and session.id in self.damaged:  # nothing more is written to it
            self.composer.set_ready(False, self.tr("This chat is damaged: start a new chat"))
        else:
            self.composer.set_ready(profile is not None, self.tr("Add a bot profile first"))
        has_session = session is not None
        for action in (
            self.actions_.export_md,
            self.actions_.export_json,
            self.actions_.rename_session,
            self.actions_.delete_session,
            self.actions_.regenerate,
        ):
            action.setEnabled(has_session)  # fmt: skip
        clearable = not busy and self._has_context(session)
        self.actions_.clear_context.setEnabled(clearable)
        self.header.clear_button.setEnabled(clearable)
        self.actions_.sync_session.setEnabled(bool(session and session.conversation_id))
        self.actions_.conversations.setEnabled(profile is not None)

    def _has_context(self, session: Session | None) -> bool:
        """Whether "Clear context" has something to clear: a message after the last divider."""
        kind = self.db.messages.last_kind(session.id) if session is not None else None
        return kind is not None and kind != "divider"

    def _show_face(self, session: Session | None, profile: Profile | None) -> None:
        """The header's bot: its own name and avatar when cached, else the profile's name."""
        title = session.title if session else ""
        card = bot_faces.card_for(self.db, profile)
        if card is not None and card.name:
            self.header.set_session(title, card.name, card.icon_file, card.description)
            return
        failure = bot_faces.failure_of(self.db, profile)
        note = ""
        if failure:
            note = self.tr(
                "Coze did not send this bot's name and avatar: {error}. Diagnose tells why."
            ).format(error=failure)
        self.header.set_session(title, profile.name if profile else "", "", note)

    def bot_info_changed(self, _card: object) -> None:
        """A bot's face was refreshed (or failed to): show it wherever it appears."""
        self._show_profiles(self.profiles())
        self.update_chrome()
        self.chat.show_empty_state()

    # -- language, state ----------------------------------------------------------------------

    def retranslate(self) -> None:
        self._retranslate_own()
        # Children also get LanguageChange later (posted); do it now so the switch is atomic.
        for part in (self.sidebar, self.composer, self.header, self._welcome, self.status_panel,
                     self.chat_view):  # fmt: skip
            if part is not None:
                part.retranslate()
        self.refresh_sessions()  # the rows' times and "Yesterday" follow the UI locale
        self.chat.show_empty_state()
        self.update_chrome()

    def _retranslate_own(self) -> None:
        self.setWindowTitle(self.tr("Coze Desktop"))
        self.actions_.retranslate()
        self.banner.set_text(keyring_banner_text())
        self._retranslate_damage()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.restyle()
        super().changeEvent(event)

    def restyle(self) -> None:
        """Re-derive the chrome's style sheet from the (possibly new) palette."""
        sheet = shell_style_sheet(QGuiApplication.palette())
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        self.banner.restyle()

    def _ui_state(self) -> QSettings:
        return ui_state(self.services.ui_state_path)

    def _restore_state(self) -> None:
        state = self._ui_state()
        geometry = state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = state.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        if not state.value(SIDEBAR_KEY, True, type=bool):
            self._show_sidebar(False)

    def _restore_docks(self) -> None:
        state = self._ui_state()
        docks = state.value("window/state")  # the log dock's place, size, visibility
        if state.value(LOG_OPEN_KEY, False, type=bool):  # open at the last quit: made now
            self.log.make_dock()
        if isinstance(docks, QByteArray):
            self.restoreState(docks)

    def save_state(self) -> None:
        state = self._ui_state()
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("window/splitter", self.splitter.saveState())
        state.setValue(SIDEBAR_KEY, self._sidebar_wanted)
        log = getattr(self, "log", None)  # None: closed before the backend was attached
        if log is not None and log.dock_made:  # else the state read at start is kept
            state.setValue("window/state", self.saveState())
            state.setValue(LOG_OPEN_KEY, log.dock_open)
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_draft()
        self.save_state()
        backend = self.services.backend
        if backend is not None:
            backend.controller.stop_all()
        self.dialogs.close_all()
        self.search.close()
        if backend is not None:
            self.log.close()
        super().closeEvent(event)
