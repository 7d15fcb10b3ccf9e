"""The compare page: a title bar (Stop all, Export), the columns (or tabs), one composer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.chat.composer import Composer
from desktop.ui.compare.column import CompareColumn
from desktop.ui.kit.chrome import SidebarButton, offer_sidebar

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QResizeEvent

    from desktop.storage.models import StoredMessage

COLUMN_MIN_WIDTH = 320  # narrower than this per column: the columns become tabs


class CompareView(QWidget):
    """2-4 bots answering the same questions (objectName ``compareView``).

    Signals:
        send_requested(SendIntent): the composer sent (goes to every column).
        stop_requested(int): one column's Stop (session id).
        stop_all_requested(): Stop all (also the composer's Stop).
        open_requested(int): open a column's session as a normal chat.
        export_requested(): Export as Markdown.
        sidebar_requested(): ☰, shown while the sidebar is hidden (``offer_sidebar``).
    """

    send_requested = Signal(object)
    stop_requested = Signal(int)
    stop_all_requested = Signal()
    open_requested = Signal(int)
    export_requested = Signal()
    sidebar_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.columns: list[CompareColumn] = []
        self.sidebar_button: SidebarButton | None = None  # while the sidebar is hidden
        self.title = QLabel(self)
        self.title.setObjectName("compareTitle")
        self.stop_all_button = QPushButton(self)
        self.stop_all_button.setObjectName("compareStopAll")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("compareExport")
        self.body = QStackedWidget(self)
        self.splitter = QSplitter(parent=self.body)
        self.splitter.setObjectName("compareColumns")
        self.splitter.setChildrenCollapsible(False)
        self.tabs = QTabWidget(self.body)
        self.tabs.setObjectName("compareTabs")
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.tabs)
        self.composer = Composer(self)
        self._build()
        self.composer.send_requested.connect(self.send_requested)
        self.composer.stop_requested.connect(lambda _intent: self.stop_all_requested.emit())
        self.stop_all_button.clicked.connect(self.stop_all_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.retranslate()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QWidget(self)
        bar.setObjectName("compareBar")
        self._bar_row = row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 12, 8)
        row.addWidget(self.title, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.stop_all_button)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.composer)

    # -- public API -------------------------------------------------------------------------

    def offer_sidebar(self, offer: bool) -> None:
        """While the sidebar is hidden, ☰ at the bar's start brings it back."""
        self.sidebar_button = offer_sidebar(
            self.sidebar_button, self._bar_row, offer, self.sidebar_requested.emit
        )

    def set_columns(self, title: str, columns: Sequence[tuple[int, str]]) -> None:
        """Show a comparison: ``(session id, bot name)`` per column, in order (emptied)."""
        self.title.setText(title)
        self.tabs.clear()
        for column in self.columns:
            column.hide()
            column.setParent(None)
            column.deleteLater()
        self.columns = []
        for session_id, name in columns:
            column = CompareColumn(session_id, name, self.splitter)
            column.stop_requested.connect(self.stop_requested)
            column.open_requested.connect(self.open_requested)
            self.columns.append(column)
        self._layout_columns(force=True)
        self.update_busy()

    def set_title(self, title: str) -> None:
        self.title.setText(title)

    def column(self, session_id: int) -> CompareColumn | None:
        for column in self.columns:
            if column.session_id == session_id:
                return column
        return None

    def session_ids(self) -> list[int]:
        return [column.session_id for column in self.columns]

    def set_history(self, session_id: int, messages: Sequence[StoredMessage]) -> None:
        column = self.column(session_id)
        if column is not None:
            column.set_history(messages)

    def upsert(self, session_id: int, message: StoredMessage) -> bool:
        """Show ``message`` in its column; False when the session is not a column here."""
        column = self.column(session_id)
        if column is None:
            return False
        column.upsert(message)
        return True

    def set_busy(self, session_id: int, busy: bool) -> None:
        column = self.column(session_id)
        if column is not None:
            column.set_busy(busy)
            index = self.tabs.indexOf(column)
            if index >= 0:  # a tab says that its bot is still answering
                self.tabs.setTabText(index, f"{column.name} …" if busy else column.name)
            self.update_busy()

    def update_busy(self) -> None:
        busy = any(column.busy for column in self.columns)
        self.composer.set_busy(busy)
        self.stop_all_button.setEnabled(busy)

    @property
    def tabbed(self) -> bool:
        """The columns are shown as tabs (the view is too narrow for them side by side)."""
        return self.body.currentWidget() is self.tabs

    # -- columns or tabs ----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout_columns()

    def _layout_columns(self, force: bool = False) -> None:
        narrow = bool(self.columns) and self.width() < COLUMN_MIN_WIDTH * len(self.columns)
        if narrow == self.tabbed and not force:
            return
        current = self.tabs.currentIndex()
        self.tabs.clear()
        if narrow:
            for column in self.columns:
                self.tabs.addTab(column, f"{column.name} …" if column.busy else column.name)
            self.tabs.setCurrentIndex(max(0, current))
            self.body.setCurrentWidget(self.tabs)
        else:
            for column in self.columns:
                self.splitter.addWidget(column)
                column.show()
            self.splitter.setSizes([1000] * len(self.columns))
            self.body.setCurrentWidget(self.splitter)

    def retranslate(self) -> None:
        self.stop_all_button.setText(self.tr("Stop all"))
        self.export_button.setText(self.tr("Export…"))
        self.export_button.setToolTip(
            self.tr("Save the comparison as Markdown, one section per bot")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
