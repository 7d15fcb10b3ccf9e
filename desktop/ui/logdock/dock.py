"""The network log dock (objectName ``logDock``): every request to Coze, and why it failed.

A filter bar (errors only, profile, chat session by title, free text), the table of exchanges (newest at the
bottom, sticky autoscroll: it follows new rows only while already scrolled to the bottom), the
selected exchange's tabs (:class:`~desktop.ui.logdock.detail.ExchangeDetail`) and the actions: copy
as cURL (``$COZE_API_TOKEN``; the real token only after a confirmation), copy log id, copy a
support bundle, export selected/all as HAR or JSON lines, clear, go to the chat message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.log_insights import is_error
from desktop.netlog import Exchange, NetLog, to_curl
from desktop.ui.kit.widgets import row_table
from desktop.ui.logdock.detail import ExchangeDetail
from desktop.ui.logdock.export import ExportFormat, LogExporter, support_bundle
from desktop.ui.logdock.filter_bar import LogBar, SessionLabel
from desktop.ui.logdock.model import COLUMNS, DEFAULT_CAP, ExchangeRole, LogFilter, LogModel

TokenLookup = Callable[[Exchange], str | None]
_WIDTHS = {"time": 96, "profile": 110, "method": 58, "status": 54, "code": 78, "duration": 78,
           "ttfb": 72, "events": 58, "log_id": 250}  # fmt: skip


@dataclass(frozen=True)
class GoToMessageIntent:
    """Show the chat message a request belongs to (session from the request's context)."""

    session_id: int | None
    log_id: str
    chat_id: str = ""


class LogDock(QDockWidget):
    """Dockable network log.

    Signals:
        go_to_message_requested(GoToMessageIntent)
    """

    go_to_message_requested = Signal(GoToMessageIntent)

    def __init__(self, netlog: NetLog, language: Callable[[], str], token_for: TokenLookup | None = None,
                 parent: QWidget | None = None, *, cap: int = DEFAULT_CAP,
                 session_label: SessionLabel | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("logDock")
        self._token_for = token_for
        self._follow = True
        self.model = LogModel(netlog, cap, self)
        self.proxy = LogFilter(self)
        self.proxy.setSourceModel(self.model)
        self.bar = LogBar(self, session_label)  # chat titles come from the window, not the database
        self.table = _table(self, self.proxy)
        self.detail = ExchangeDetail(language, self)
        self.exporter = LogExporter(self, self.bar.show_message)
        self._confirm: QMessageBox | None = None
        self._scroll_timer = QTimer(self, singleShot=True, interval=0)  # dies with the dock
        self._scroll_timer.timeout.connect(self._scroll_if_following)
        self._build()
        self._connect_signals()
        self.retranslate()

    def _build(self) -> None:
        body = QWidget(self)
        split = QSplitter(Qt.Orientation.Vertical, body)
        split.setObjectName("logSplitter")
        split.addWidget(self.table)
        split.addWidget(self.detail)
        # Small explicit minimums: the tabs' own hint (~260 px) made the dock taller than a
        # small window could give, so opening it grew the window and squeezed the table.
        rows = self.table.verticalHeader().defaultSectionSize()
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 3 * rows)
        self.detail.setMinimumHeight(120)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)  # the detail (request, stream frames) gets the room
        split.setSizes([90, 400])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.bar)
        layout.addWidget(split, 1)
        self.setWidget(body)
        self.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)

    def _connect_signals(self) -> None:
        bar = self.bar
        bar.filter_changed.connect(lambda state: self.proxy.set_state(state))
        bar.action_triggered.connect(lambda action: self.trigger(action.name))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.proxy.rowsAboutToBeInserted.connect(self._remember_follow)
        self.proxy.rowsInserted.connect(self._after_insert)
        self.model.dataChanged.connect(self._on_data_changed)
        self.model.rowsInserted.connect(self._offer_choices)
        self.model.modelReset.connect(self._offer_choices)  # the earlier runs' requests, restored
        self._offer_choices()  # the requests logged before the dock was made
        self.model.modelReset.connect(lambda: self._on_current(QModelIndex(), QModelIndex()))

    # -- selection ------------------------------------------------------------------------------

    def selected(self) -> Exchange | None:
        ex = self.table.currentIndex().data(ExchangeRole)
        return ex if isinstance(ex, Exchange) else None

    def selected_exchanges(self) -> list[Exchange]:
        rows = self.table.selectionModel().selectedRows()
        found = [index.data(ExchangeRole) for index in sorted(rows, key=lambda i: i.row())]
        return [ex for ex in found if isinstance(ex, Exchange)] or [
            ex for ex in [self.selected()] if ex
        ]

    def visible_exchanges(self) -> list[Exchange]:
        return [self.proxy.index(row, 0).data(ExchangeRole) for row in range(self.proxy.rowCount())]

    def select_exchange(self, log_id: str = "", chat_id: str = "") -> bool:
        """Select the newest exchange with ``log_id`` (or mentioning ``chat_id``); clears filters
        that would hide it. False when no recorded exchange matches."""
        self.model.flush()
        ex = self._find(log_id, chat_id)
        if ex is None:
            return False
        source = self.model.index(self.model.row_of(ex.id), 0)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.bar.reset_filters()
            index = self.proxy.mapFromSource(source)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QTableView.ScrollHint.PositionAtCenter)
        return True

    def _find(self, log_id: str, chat_id: str) -> Exchange | None:
        rows = self.model.exchanges()
        for ex in reversed(rows):
            if log_id and ex.log_id == log_id:
                return ex
        if not chat_id:
            return None
        return next(
            (
                ex
                for ex in reversed(rows)
                if chat_id in ex.url
                or any(chat_id in data for _t, _e, data in ex.head_frames[:4])
                or chat_id in ex.response_body
            ),
            None,
        )

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        ex = current.data(ExchangeRole) if current.isValid() else None
        self.detail.show_exchange(ex if isinstance(ex, Exchange) else None)
        self.bar.set_selection(ex if isinstance(ex, Exchange) else None)

    def _on_data_changed(self, top: QModelIndex, bottom: QModelIndex) -> None:
        ex = self.detail.exchange
        if ex is not None and top.row() <= self.model.row_of(ex.id) <= bottom.row():
            self.detail.show_exchange(ex)
            self.bar.set_selection(ex)

    # -- sticky autoscroll ----------------------------------------------------------------------

    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.table.verticalScrollBar().maximum() - 2

    def _remember_follow(self) -> None:
        bar = self.table.verticalScrollBar()
        self._follow = bar.value() >= bar.maximum() - 2

    def _after_insert(self) -> None:
        if self._follow:
            self._scroll_timer.start()  # after the view laid out the rows

    def _scroll_if_following(self) -> None:
        if self._follow:  # the user may have scrolled up meanwhile
            self.table.scrollToBottom()

    # -- actions --------------------------------------------------------------------------------

    def trigger(self, name: str) -> None:
        """Run a toolbar action by name (the bar's buttons and tests call this)."""
        handlers: dict[str, Callable[[], object]] = {
            "copy_curl": self.copy_curl, "copy_curl_token": self.ask_copy_curl_with_token,
            "copy_log_id": self.copy_log_id, "copy_bundle": self.copy_bundle,
            "export_selected_har": lambda: self.export("selected", "har"),
            "export_selected_jsonl": lambda: self.export("selected", "jsonl"),
            "export_all_har": lambda: self.export("all", "har"),
            "export_all_jsonl": lambda: self.export("all", "jsonl"),
            "go_to_message": self.go_to_message, "clear": self.clear,
        }  # fmt: skip
        handlers[name]()

    def copy_curl(self) -> None:
        ex = self.selected()
        if ex is not None:
            self._copy(to_curl(ex), self.tr("Copied as cURL (the token is $COZE_API_TOKEN)."))

    def ask_copy_curl_with_token(self) -> QMessageBox | None:
        """Ask before putting the real token on the clipboard (``open()``, never ``exec()``)."""
        ex = self.selected()
        token = self._token_for(ex) if ex is not None and self._token_for is not None else None
        if ex is None or not token:
            self.bar.show_message(self.tr("The token of this request is not available."))
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Copy with the real token?"),
                          self.tr("The command will contain your access token in plain text. Anyone who "
                                  "sees it can use your bot and your quota. Copy it anyway?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        box.setObjectName("confirmTokenCopy")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda result: self._token_answered(ex, result))
        self._confirm = box
        box.open()
        return box

    def _token_answered(self, ex: Exchange, result: int) -> None:
        self._confirm = None
        token = self._token_for(ex) if self._token_for is not None else None
        if result == QMessageBox.StandardButton.Yes and token:
            self._copy(
                to_curl(ex, token), self.tr("Copied as cURL with the real token: keep it private.")
            )

    def copy_log_id(self) -> None:
        ex = self.selected()
        if ex is not None and ex.log_id:
            self._copy(ex.log_id, self.tr("Copied the log ID."))

    def copy_bundle(self) -> None:
        ex = self.selected()
        if ex is not None:
            self._copy(support_bundle(ex), self.tr("Copied the support bundle (token masked)."))

    def export(self, scope: str, fmt: ExportFormat) -> object:
        chosen = self.selected_exchanges() if scope == "selected" else self.visible_exchanges()
        return self.exporter.ask(chosen, fmt)

    def go_to_message(self) -> None:
        ex = self.selected()
        if ex is None:
            return
        raw = ex.context.get("session_id", "")
        session_id = int(raw) if raw.isdigit() else None
        self.go_to_message_requested.emit(GoToMessageIntent(session_id, ex.log_id))

    def _offer_choices(self, *_: object) -> None:
        """The filters' profiles and sessions: those of the requests in the table."""
        self.bar.update_choices(self.model.exchanges())

    def clear(self) -> None:
        self.model.clear()  # its reset empties the filters' choices too (``_offer_choices``)
        self.bar.show_message(self.tr("Log cleared."))

    def _copy(self, text: str, message: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.bar.show_message(message)

    # -- state, language ------------------------------------------------------------------------

    def error_count(self) -> int:
        return sum(1 for ex in self.model.exchanges() if is_error(ex))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Network log"))
        self.model.set_headers([self.tr("Time"), self.tr("Profile"), self.tr("Method"), self.tr("Path"),
                                self.tr("HTTP"), self.tr("Coze code"), self.tr("Duration"), self.tr("TTFB"),
                                self.tr("Events"), self.tr("Log ID")])  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self.model.restyle()
        super().changeEvent(event)


def _table(parent: QWidget, model: LogFilter) -> QTableView:
    table = row_table(parent, model, "logTable", QTableView.SelectionMode.ExtendedSelection)
    table.setShowGrid(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    for column, name in enumerate(COLUMNS):
        if name in _WIDTHS:
            header.resizeSection(column, _WIDTHS[name])
    header.setSectionResizeMode(COLUMNS.index("path"), QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    return table
