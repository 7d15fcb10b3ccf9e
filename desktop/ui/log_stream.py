"""The Response tab of a stream: SSE frames (receive time, gap, event, data) and a merged view.

Frames are read straight from the exchange's compact ``raw_frames`` list: the table model only
keeps the indices that pass the event-type filter, so a 20,000-frame stream is shown without
building 20,000 objects. A growing stream appends rows; nothing is rebuilt.

The merged view is built lazily (only while its tab is shown) and in steps, one per event-loop
turn: frames are folded ``MERGE_CHUNK`` at a time, then the text is added ``CHUNK_CHARS`` at a
time with very long lines broken (:func:`~desktop.ui.log_text.display_chunks`), so even a
300 KB single-line answer never blocks the UI for long.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.transcript import TurnState
from desktop.netlog import Exchange
from desktop.ui.log_model import AnyIndex
from desktop.ui.log_text import display_chunks, fold_frames, frame_data, frame_summary, merged_text

MERGE_CHUNK = 2000  # frames folded per event-loop turn for the merged view
DATA_PREVIEW = 240  # characters of a frame's data shown in the table
_COLUMNS = 4  # time, gap, event, data


class FrameModel(QAbstractTableModel):
    """The frames of one exchange, optionally only one event type."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ex: Exchange | None = None
        self._event = ""
        self._indices: list[int] = []
        self._scanned = 0
        self._headers = ["t", "gap", "event", "data"]

    def set_exchange(self, ex: Exchange | None, event: str = "") -> None:
        self.beginResetModel()
        self._ex, self._event, self._indices, self._scanned = ex, event, [], 0
        self._scan()
        self.endResetModel()

    def refresh(self) -> None:
        """Append the frames recorded since the last call."""
        if self._ex is None or self._scanned >= len(self._ex.raw_frames):
            return
        before = len(self._indices)
        new = self._matching(self._scanned, len(self._ex.raw_frames))
        self._scanned = len(self._ex.raw_frames)
        if new:
            self.beginInsertRows(QModelIndex(), before, before + len(new) - 1)
            self._indices.extend(new)
            self.endInsertRows()

    def _scan(self) -> None:
        if self._ex is not None:
            self._scanned = len(self._ex.raw_frames)
            self._indices = self._matching(0, self._scanned)

    def _matching(self, start: int, end: int) -> list[int]:
        assert self._ex is not None
        raw, event = self._ex.raw_frames, self._event
        if not event:
            return list(range(start, end))
        return [i for i in range(start, end) if raw[i][1] == event]

    def frame_index(self, row: int) -> int:
        return self._indices[row] if 0 <= row < len(self._indices) else -1

    def set_headers(self, labels: list[str]) -> None:
        self._headers = labels
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, _COLUMNS - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._indices)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        i = self.frame_index(index.row())
        if i < 0 or self._ex is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() < 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        raw = self._ex.raw_frames
        t, event, data = raw[i]
        column = index.column()
        if column == 0:
            return f"{t * 1000:,.1f} ms"
        if column == 1:
            return f"+{(t - raw[i - 1][0]) * 1000:,.1f}" if i > 0 else ""
        if column == 2:
            return event
        return frame_summary(data, DATA_PREVIEW)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class StreamView(QWidget):
    """Event filter, frames table, the selected frame's data, and the merged view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ex: Exchange | None = None
        self._merged_for: tuple[int, int] = (-1, -1)  # (exchange id, frames folded) rendered
        self._merge_state = TurnState()
        self._merged_upto = 0  # frames of self._ex folded into self._merge_state
        self._pending: list[str] = []  # merged text still to add to the view (reversed)
        self._keep_scroll = 0
        self._merge_timer = QTimer(self, singleShot=True, interval=0)
        self._merge_timer.timeout.connect(self._merge_step)
        self._events: list[str] = []
        self._events_seen: dict[str, None] = {}
        self._events_scanned = 0
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.head = QLabel(self)
        self.head.setObjectName("streamHead")
        self.head.setWordWrap(True)
        self.head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter_label = QLabel(self)
        self.event_filter = QComboBox(self)
        self.event_filter.setObjectName("eventFilter")
        self.event_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel(self)
        self.model = FrameModel(self)
        self.table = _table(self, self.model)
        self.frame_detail = _text(self, mono, "frameData")
        self.frame_detail.setPlaceholderText(self.tr("Select a frame to see its data."))
        self.merged = _text(self, mono, "mergedView")
        self.inner = QTabWidget(self)
        self.inner.setObjectName("streamTabs")
        self.inner.setDocumentMode(True)
        self._build()
        self.event_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._frame_selected)
        self.inner.currentChanged.connect(lambda _i: self._render_merged())
        self.retranslate()

    def _build(self) -> None:
        frames = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_label)
        bar.addWidget(self.event_filter)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Vertical, frames)
        split.addWidget(self.table)
        split.addWidget(self.frame_detail)
        split.setSizes([300, 90])
        layout = QVBoxLayout(frames)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.inner.addTab(frames, "")
        self.inner.addTab(self.merged, "")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.head)
        outer.addWidget(self.inner, 1)

    def show_exchange(self, ex: Exchange, head: str) -> None:
        """Show ``ex`` (a new exchange resets the view; the same one only grows)."""
        self.head.setText(head)
        if ex is not self._ex:
            self._ex = ex
            self._events, self._events_seen, self._events_scanned = [], {}, 0
            self.model.set_exchange(ex, "")
            self.frame_detail.clear()
            self._merged_for, self._merge_state, self._merged_upto = (-1, -1), TurnState(), 0
            self._pending = []
        else:
            self.model.refresh()
        self._update_events()
        self._update_count()
        self._render_merged()

    def _update_events(self) -> None:
        assert self._ex is not None
        raw = self._ex.raw_frames
        self._events_seen.update(dict.fromkeys(e for _t, e, _d in raw[self._events_scanned :]))
        self._events_scanned = len(raw)
        events = sorted(self._events_seen)
        if events == self._events:
            return
        current = self.event_filter.currentData() or ""
        self._events = events
        self.event_filter.blockSignals(True)
        self.event_filter.clear()
        self.event_filter.addItem(self.tr("All events"), "")
        for event in events:
            self.event_filter.addItem(event, event)
        self.event_filter.setCurrentIndex(max(0, self.event_filter.findData(current)))
        self.event_filter.blockSignals(False)

    def _filter_changed(self) -> None:
        self.model.set_exchange(self._ex, self.event_filter.currentData() or "")
        self._update_count()

    def _update_count(self) -> None:
        ex = self._ex
        total = ex.event_count if ex is not None else 0
        text = self.tr("{shown} of {total} frames").format(shown=self.model.rowCount(), total=total)
        if ex is not None and ex.frames_dropped:
            text += " · " + self.tr("{n} not kept").format(n=ex.frames_dropped)
        self.count_label.setText(text)

    def _frame_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        i = self.model.frame_index(current.row())
        if self._ex is None or i < 0:
            self.frame_detail.clear()
            return
        _t, event, data = self._ex.raw_frames[i]
        self.frame_detail.setPlainText(f"event: {event}\n{frame_data(data)}")

    def _render_merged(self) -> None:
        """Fold new frames in chunks (one per event-loop turn), then show the text."""
        ex = self._ex
        if ex is None or self.inner.currentWidget() is not self.merged:
            return  # built lazily: only when the merged view is on screen
        if self._merged_for == (ex.id, len(ex.raw_frames)) or self._merge_timer.isActive():
            return
        if len(ex.raw_frames) - self._merged_upto > MERGE_CHUNK:
            self.merged.setPlainText(self.tr("Merging {n} frames…").format(n=len(ex.raw_frames)))
        self._merge_step()

    def is_merging(self) -> bool:
        """Frames are still being folded or text added to the merged view."""
        return self._merge_timer.isActive()

    def _merge_step(self) -> None:
        ex = self._ex
        if ex is None:
            return
        if self._pending:
            self._append_pending()
            return
        end = min(len(ex.raw_frames), self._merged_upto + MERGE_CHUNK)
        fold_frames(ex, self._merge_state, self._merged_upto, end)
        self._merged_upto = end
        if end < len(ex.raw_frames):
            self._merge_timer.start()
            return
        self._merged_for = (ex.id, end)
        labels = {"reasoning": self.tr("Reasoning"), "tool": self.tr("Tool call"),
                  "answer": self.tr("Answer"), "follow_ups": self.tr("Follow-ups"),
                  "usage": self.tr("Usage")}  # fmt: skip
        chunks = display_chunks(merged_text(ex, labels, self._merge_state))
        self._keep_scroll = self.merged.verticalScrollBar().value()  # a live re-render keeps its place
        self.merged.setPlainText(chunks[0])
        self._pending = chunks[:0:-1]
        self._restore_scroll()
        if self._pending:
            self._merge_timer.start()

    def _append_pending(self) -> None:
        """Add the next piece of the merged text (one per event-loop turn)."""
        cursor = QTextCursor(self.merged.document())  # not the view's cursor: no scrolling along
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock()
        cursor.insertText(self._pending.pop())
        self._restore_scroll()
        if self._pending:
            self._merge_timer.start()

    def _restore_scroll(self) -> None:
        bar = self.merged.verticalScrollBar()
        if self._keep_scroll and bar.value() != self._keep_scroll:
            bar.setValue(min(self._keep_scroll, bar.maximum()))

    def retranslate(self) -> None:
        self.filter_label.setText(self.tr("Event:"))
        self.inner.setTabText(0, self.tr("Frames"))
        self.inner.setTabText(1, self.tr("Merged"))
        self.model.set_headers([self.tr("Received"), self.tr("Gap (ms)"), self.tr("Event"),
                                self.tr("Data")])  # fmt: skip
        if self.event_filter.count():
            self.event_filter.setItemText(0, self.tr("All events"))
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _table(parent: QWidget, model: FrameModel) -> QTableView:
    table = QTableView(parent)
    table.setObjectName("frameTable")
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(22)
    header = table.horizontalHeader()
    for column, width in ((0, 90), (1, 70), (2, 230)):
        header.resizeSection(column, width)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


def _text(parent: QWidget, font: object, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setFont(font)  # type: ignore[arg-type]
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return box
