"""The sidebar: bot profile selector, session search, the session list and "New chat".

It shows what the window hands it (``set_profiles``, ``set_sessions``) and reports what the
user wants as intents; it never touches the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.kit.widgets import own_viewport, refill_combo, set_by_name
from desktop.ui.sidebar.delegate import (
    MARKS_ROLE,
    META_ROLE,
    PINNED_ROLE,
    SNIPPET_ROLE,
    TITLE_MARKS_ROLE,
    USER_ROLE,
    SessionDelegate,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

ID_ROLE = USER_ROLE
_TOOLTIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole, as an int: first-frame rule 2
FIRST_ROWS = 40  # rows added at once; the rest a loop turn later (after the list's first paint)
# Qt.Key values, as ints (a Qt namespace enum costs its first use: first-frame rule 2)
_KEY_ESCAPE, _KEY_RETURN, _KEY_ENTER, _KEY_DOWN = 0x01000000, 0x01000004, 0x01000005, 0x01000015


class SessionRow(NamedTuple):
    """What one list entry shows (a plain value; cheaper to define than a dataclass)."""

    id: int
    title: str
    meta: str  # second line: bot name · time
    pinned: bool
    snippet: str = ""  # when searching: the matching text, shown instead of ``meta``
    marks: tuple[tuple[int, int], ...] = ()  # (start, length) of each match in ``snippet``
    title_marks: tuple[tuple[int, int], ...] = ()  # the same in ``title``


class ProfileChoice(NamedTuple):
    """One profile selector entry."""

    id: str
    name: str
    icon: str = ""  # the bot's avatar file ("" while unknown)
    tooltip: str = ""  # the bot's own name and description, when the server sent them


class Sidebar(QWidget):
    """Profile selector + search + session list.

    Keyboard: Down in the search box moves into the list (its first row), where the arrows
    move between rows without opening them, Enter opens the row and Escape goes back to the
    search box.

    Signals:
        session_selected(SessionIntent), session_clicked(SessionIntent) (picked with the mouse
        or Enter from the search results: the window then moves the focus to the composer),
        delete_requested(SessionIntent),
        sync_requested(SessionIntent) ("Sync with Coze": pull what was added elsewhere),
        rename_requested(RenameIntent), pin_requested(PinIntent),
        filter_changed(FilterIntent) (debounced for typing), new_session_requested(NewSessionIntent)
        (payloads from ``desktop.ui.kit.intents``),
        comparison_selected(int), comparison_delete_requested(int) (a saved comparison's id: the
        "Comparisons" list under the sessions, made when the first comparison exists)
    """

    session_selected = Signal(object)
    session_clicked = Signal(object)
    delete_requested = Signal(object)
    sync_requested = Signal(object)
    rename_requested = Signal(object)
    pin_requested = Signal(object)
    filter_changed = Signal(object)
    new_session_requested = Signal(object)
    comparison_selected = Signal(int)
    comparison_delete_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.profile_selector = QComboBox(self)
        self.profile_selector.setObjectName("profileSelector")
        self.search = QLineEdit(self)
        self.search.setObjectName("sessionSearch")  # its clear button: with the first text
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("newSessionButton")
        self.session_list = QListWidget(self)
        self.session_list.setObjectName("sessionList")
        self.session_list.setUniformItemSizes(True)  # every row is two lines: no per-row sizeHint
        set_by_name(self.session_list, "contextMenuPolicy", "CustomContextMenu")
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("sessionListEmpty")
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._filling = False
        self._rest: Sequence[SessionRow] = ()  # rows not added yet (see ``set_sessions``)
        self._more_rows: Callable[[], Sequence[SessionRow]] | None = None
        self._current: int | None = None
        self._unsaved_chat = False  # the window shows a new chat not saved yet
        self._browsing = False  # in the list from the search box: moving does not open rows
        self._more = QTimer(self, singleShot=True, interval=0)
        self._more.timeout.connect(self._add_rest)
        # The rest waits for the list's first paint; so does renaming in place (double-click,
        # F2, the context menu): a row's "editable" flag is a Qt enum (first-frame rules 2, 5).
        self._painted = False
        self._rows_editable = False  # set once the rows made before that paint are editable
        self.comparison_list: QListWidget | None = None  # made with the first comparison
        self._comparison_label: QLabel | None = None
        self._viewport = own_viewport(self.session_list, QPalette.ColorRole.Base)
        self.session_list.setItemDelegate(SessionDelegate(self.session_list, self._viewport))
        self._viewport.installEventFilter(self)
        self.search.installEventFilter(self)
        self.session_list.installEventFilter(self)
        self._build()
        self._connect_signals()
        self.retranslate()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 6, 10)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(self.profile_selector, 1)
        layout.addLayout(top)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.session_list, 1)
        layout.addWidget(self.empty_label, 1)
        self.empty_label.setWordWrap(True)
        set_by_name(self.empty_label, "alignment", "AlignHCenter|AlignTop")
        self.empty_label.setContentsMargins(0, 24, 0, 0)
        self.empty_label.setEnabled(False)
        self.empty_label.hide()
        self.setMinimumWidth(220)

    def _connect_signals(self) -> None:
        self.profile_selector.currentIndexChanged.connect(self._emit_filter)
        self.search.textChanged.connect(self._on_search_text)
        self._debounce.timeout.connect(self._emit_filter)
        self.new_button.clicked.connect(self._emit_new)
        self.session_list.currentItemChanged.connect(self._on_current_changed)
        self.session_list.itemClicked.connect(self._on_clicked)
        self.session_list.itemChanged.connect(self._on_item_edited)
        self.session_list.customContextMenuRequested.connect(self._show_menu)

    # -- public API -------------------------------------------------------------------------

    def set_profiles(self, profiles: list[ProfileChoice], current: str) -> None:
        """Refill the selector without emitting; ``current`` "" selects "All bots"."""
        items = [("", self.tr("All bots")), *((p.id, p.name) for p in profiles)]
        refill_combo(self.profile_selector, items, current)
        for index, choice in enumerate(profiles, start=1):
            if choice.icon:
                from PySide6.QtGui import QIcon  # its ThemeIcon enum: only for a bot's face

                self.profile_selector.setItemIcon(index, QIcon(choice.icon))
            if choice.tooltip:
                self.profile_selector.setItemData(index, choice.tooltip, _TOOLTIP_ROLE)

    def current_profile_id(self) -> str:
        return str(self.profile_selector.currentData() or "")

    def select_profile(self, profile_id: str) -> None:
        """Select a profile in the selector (emits ``filter_changed``)."""
        index = self.profile_selector.findData(profile_id)
        if index >= 0:
            self.profile_selector.setCurrentIndex(index)

    def query(self) -> str:
        return self.search.text().strip()

    def set_sessions(
        self, rows: Sequence[SessionRow], current: int | None,
        more: Callable[[], Sequence[SessionRow]] | None = None,
    ) -> None:  # fmt: skip
        """Refill the list, keeping ``current`` selected, without emitting selection. About a
        screenful of rows is added at once, the rest on the next event-loop turn (on the first
        fill: once the list has been painted, so the window's first frame never waits for them).
        Only the rows added are read from ``rows``, which may build them on demand; ``more``
        gives the rows after ``rows`` and is called only then."""
        self._rest, self._more_rows = rows[FIRST_ROWS:], more
        self._current = current
        self._filling = True
        self.session_list.clear()
        for row in rows[:FIRST_ROWS]:
            self.session_list.addItem(self._make_item(row))
        self._select_silently(current)
        self._filling = False
        self._update_empty(bool(rows))
        if self._has_rest() and self._painted:
            self._more.start()

    def set_comparisons(self, rows: Sequence[tuple[int, str]], current: int | None) -> None:
        """The saved comparisons, ``(id, title)`` newest first, ``current`` selected; the list
        is hidden while there are none."""
        if not rows and self.comparison_list is None:
            return
        listing = self._comparisons()
        listing.blockSignals(True)
        listing.clear()
        for comparison_id, title in rows:
            item = QListWidgetItem(title or self.tr("New comparison"), listing)
            item.setData(ID_ROLE, comparison_id)
            item.setToolTip(title)
        listing.blockSignals(False)
        self.select_comparison(current)
        shown = min(len(rows), 4)  # the newest four without scrolling, the rest scroll
        row_height = listing.sizeHintForRow(0) if rows else 0
        listing.setFixedHeight(shown * row_height + 2 * listing.frameWidth() + 4)
        listing.setVisible(bool(rows))
        if self._comparison_label is not None:
            self._comparison_label.setVisible(bool(rows))

    def select_comparison(self, comparison_id: int | None) -> None:
        """Mark the comparison shown (None: none is, a chat is)."""
        listing = self.comparison_list
        if listing is None:
            return
        listing.blockSignals(True)
        listing.setCurrentRow(-1)
        for index in range(listing.count()):
            if listing.item(index).data(ID_ROLE) == comparison_id:
                listing.setCurrentRow(index)
        listing.blockSignals(False)
        if comparison_id is not None:
            self._select_silently(None)

    def comparison_ids(self) -> list[int]:
        listing = self.comparison_list
        if listing is None:
            return []
        return [int(listing.item(i).data(ID_ROLE)) for i in range(listing.count())]

    def _comparisons(self) -> QListWidget:
        if self.comparison_list is None:
            label = QLabel(self)
            label.setObjectName("comparisonListLabel")
            label.setText(self.tr("Comparisons"))
            listing = QListWidget(self)
            listing.setObjectName("comparisonList")
            listing.setMaximumHeight(120)
            set_by_name(listing, "contextMenuPolicy", "CustomContextMenu")
            listing.itemClicked.connect(self._on_comparison)
            listing.itemActivated.connect(self._on_comparison)
            listing.customContextMenuRequested.connect(self._comparison_menu)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(label)
            layout.addWidget(listing)
            self.comparison_list, self._comparison_label = listing, label
        return self.comparison_list

    def _on_comparison(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.comparison_selected.emit(int(item.data(ID_ROLE)))

    def _comparison_menu(self, pos: QPoint) -> None:
        from PySide6.QtWidgets import QMenu

        listing = self.comparison_list
        item = listing.itemAt(pos) if listing is not None else None
        if listing is None or item is None:
            return
        comparison_id = int(item.data(ID_ROLE))
        menu = QMenu(self)
        menu.addAction(
            self.tr("Delete comparison (keep its chats)"),
            lambda: self.comparison_delete_requested.emit(comparison_id),
        )
        menu.popup(listing.viewport().mapToGlobal(pos))

    def _has_rest(self) -> bool:
        return bool(self._rest) or self._more_rows is not None

    def _ensure_rows(self) -> None:
        """Add the rows that wait for the list's first paint now (a sidebar hidden since the
        start is never painted): moving through the chats or renaming one needs them."""
        if self._has_rest() or not self._rows_editable:
            self._more.stop()
            self._add_rest()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress and watched in (self.search, self.session_list):
            assert isinstance(event, QKeyEvent)
            if self._key(watched, int(event.key())):
                return True
        elif kind == QEvent.Type.FocusOut and watched is self.session_list and self._browsing:
            if not self.search.hasFocus():
                self._stop_browsing()
        elif not self._painted and kind == QEvent.Type.Paint and watched is self._viewport:
            self._painted = True
            watched.removeEventFilter(self)
            self._more.start()
        return super().eventFilter(watched, event)

    def _key(self, watched: QObject, key: int) -> bool:
        """Down from the search box into the list; Enter / Escape in the list when come from
        it. True when the key was used."""
        if watched is self.search:
            if key == _KEY_DOWN and self.session_list.count():
                self._browse()
                return True
            return False
        if key in (_KEY_RETURN, _KEY_ENTER) and self.session_list.currentItem() is not None:
            self._open_current()
            return True
        if key == _KEY_ESCAPE and self._browsing:
            self._stop_browsing()
            self.focus_search()
            return True
        return False

    def _browse(self) -> None:
        self._browsing = True
        self.session_list.setCurrentRow(0)  # not opened: see _on_current_changed
        self.session_list.setFocus()

    def _stop_browsing(self) -> None:
        """Leave the results: the open chat's row is selected again."""
        self._browsing = False
        self._filling = True
        self._select_silently(self._current)
        self._filling = False

    def _open_current(self) -> None:
        from desktop.ui.kit.intents import SessionIntent

        item = self.session_list.currentItem()
        self._browsing = False
        intent = SessionIntent(int(item.data(ID_ROLE)))
        self.session_selected.emit(intent)
        self.session_clicked.emit(intent)

    def _add_rest(self) -> None:
        rest, self._rest = self._rest, ()
        more, self._more_rows = self._more_rows, None
        if more is not None:
            rest = [*rest, *more()]
        current = self.current_session_id()
        current = self._current if current is None else current
        self._filling = True
        if not self._rows_editable:  # once: the rows made before the first paint
            self._rows_editable = True
            for index in range(self.session_list.count()):
                self._make_editable(self.session_list.item(index))
        for row in rest:
            self.session_list.addItem(self._make_item(row))
        self._select_silently(current)
        self._filling = False

    def current_session_id(self) -> int | None:
        item = self.session_list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def select_session(self, session_id: int | None) -> None:
        self._current = session_id
        self._filling = True
        self._select_silently(session_id)
        self._filling = False

    def set_unsaved_chat(self, unsaved: bool) -> None:
        """Whether the window shows a new chat that is saved with its first message (the empty
        list then says so, instead of a bare "No chats yet" next to a chat)."""
        if unsaved != self._unsaved_chat:
            self._unsaved_chat = unsaved
            self._update_empty(self.session_list.count() > 0)

    def select_adjacent(self, step: int) -> None:
        """Open the chat ``step`` rows below (above when negative) the open one, as a click
        would (Ctrl+PgDown / Ctrl+PgUp); nothing happens past either end."""
        self._ensure_rows()
        count = self.session_list.count()
        if not count:
            return
        row = self.session_list.currentRow()
        target = 0 if row < 0 else row + step
        if 0 <= target < count:
            self.session_list.setCurrentRow(target)

    def focus_search(self) -> None:
        self.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def retranslate(self) -> None:
        self.profile_selector.setItemText(0, self.tr("All bots"))
        self.profile_selector.setToolTip(self.tr("Show sessions of one bot profile, or of all"))
        self.search.setPlaceholderText(self.tr("Search sessions (Ctrl+F)"))
        self.new_button.setText(self.tr("+  New chat"))
        self.new_button.setToolTip(self.tr("Start a new chat (Ctrl+N)"))
        self._update_empty(self.session_list.count() > 0)
        if self._comparison_label is not None:
            self._comparison_label.setText(self.tr("Comparisons"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- internals --------------------------------------------------------------------------

    def _make_item(self, row: SessionRow) -> QListWidgetItem:
        item = QListWidgetItem(row.title or self.tr("New chat"))
        item.setData(ID_ROLE, row.id)
        item.setData(META_ROLE, row.meta)
        item.setData(PINNED_ROLE, row.pinned)
        if row.snippet:
            item.setData(SNIPPET_ROLE, row.snippet)
            item.setData(MARKS_ROLE, row.marks)
        if row.title_marks:
            item.setData(TITLE_MARKS_ROLE, row.title_marks)
        item.setToolTip(f"{row.title}\n{row.meta}" if row.snippet else row.title)
        if self._rows_editable:
            self._make_editable(item)
        return item

    @staticmethod
    def _make_editable(item: QListWidgetItem) -> None:
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable)

    def _select_silently(self, session_id: int | None) -> None:
        self.session_list.blockSignals(True)
        self.session_list.setCurrentRow(-1)
        for row in range(self.session_list.count()):
            item = self.session_list.item(row)
            if item.data(ID_ROLE) == session_id:
                self.session_list.setCurrentItem(item)
                break
        self.session_list.blockSignals(False)

    def _update_empty(self, has_rows: bool) -> None:
        searching = bool(self.query())
        if searching:
            text = self.tr("No matching sessions")
        elif self._unsaved_chat:
            text = self.tr("Your new chat is listed here once you send its first message.")
        else:
            text = self.tr("No chats yet")
        self.empty_label.setText(text)
        self.empty_label.setVisible(not has_rows)
        self.session_list.setVisible(has_rows)

    def _on_search_text(self, text: str) -> None:
        if text and not self.search.isClearButtonEnabled():
            # made when first needed: the button loads its icon (1-2 ms before the first frame)
            self.search.setClearButtonEnabled(True)
        self._debounce.start()

    def _emit_filter(self) -> None:
        from desktop.ui.kit.intents import FilterIntent

        self.filter_changed.emit(FilterIntent(self.current_profile_id(), self.query()))

    def _emit_new(self) -> None:
        from desktop.ui.kit.intents import NewSessionIntent

        self.new_session_requested.emit(NewSessionIntent(self.current_profile_id()))

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        from desktop.ui.kit.intents import SessionIntent

        if current is not None and not self._filling and not self._browsing:
            self.session_selected.emit(SessionIntent(int(current.data(ID_ROLE))))

    def _on_clicked(self, item: QListWidgetItem) -> None:
        from desktop.ui.kit.intents import SessionIntent

        if self._browsing:  # the click chose among the results: open it
            self._browsing = False
            self.session_selected.emit(SessionIntent(int(item.data(ID_ROLE))))
        self.session_clicked.emit(SessionIntent(int(item.data(ID_ROLE))))

    def _on_item_edited(self, item: QListWidgetItem) -> None:
        if self._filling:  # also every row made editable after the first paint
            return
        from desktop.ui.kit.intents import RenameIntent

        title = item.text().strip()
        if title:
            self.rename_requested.emit(RenameIntent(int(item.data(ID_ROLE)), title))

    def _show_menu(self, pos: QPoint) -> None:
        from PySide6.QtWidgets import QMenu

        from desktop.ui.kit.intents import PinIntent, SessionIntent

        item = self.session_list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        session_id = int(item.data(ID_ROLE))
        pinned = bool(item.data(PINNED_ROLE))
        menu.addAction(self.tr("Rename"), lambda: self.session_list.editItem(item))
        pin_text = self.tr("Unpin") if pinned else self.tr("Pin to top")
        menu.addAction(pin_text, lambda: self.pin_requested.emit(PinIntent(session_id, not pinned)))
        menu.addAction(
            self.tr("Sync with Coze"), lambda: self.sync_requested.emit(SessionIntent(session_id))
        )
        menu.addSeparator()
        menu.addAction(
            self.tr("Delete…"), lambda: self.delete_requested.emit(SessionIntent(session_id))
        )
        menu.popup(self._viewport.mapToGlobal(pos))

    def rename_current(self) -> None:
        self._ensure_rows()
        item = self.session_list.currentItem()
        if item is not None:
            self.session_list.editItem(item)
