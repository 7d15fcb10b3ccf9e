"""The Response tab of a stream: SSE frames (receive time, gap, event, data) and a merged view.

Frames are read straight from the exchange's compact frame tuples: the table model only keeps
the sequence numbers that pass the event-type filter, so a 20,000-frame stream is shown without
building 20,000 objects. A growing stream appends rows; nothing is rebuilt. A very long stream
keeps only its first and last frames: a marker row shows how many in between were not kept.

The merged view is built lazily (only while its tab is shown) and in steps, one per event-loop
turn: frames are folded ``MERGE_CHUNK`` at a time, then the text is added ``CHUNK_CHARS`` at a
time with very long lines broken (:func:`~desktop.ui.logdock.text.display_chunks`), so even a
300 KB single-line answer never blocks the UI for long.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.transcript import TurnState
from desktop.ui.kit.widgets import refill_combo, row_table
from desktop.ui.logdock.text import (
    display_chunks,
    fold_frames,
    frame_data,
    frame_summary,
    merged_text,
    source_slice,
)

if TYPE_CHECKING:
    from desktop.netlog import Exchange
    from desktop.ui.logdock.model import AnyIndex

GAP = -2  # FrameModel row value of the "frames not kept" marker
MERGE_CHUNK = 2000  # frames folded per event-loop turn for the merged view
DATA_PREVIEW = 240  # characters of a frame's data shown in the table
_COLUMNS = 4  # time, gap, event, data


class FrameModel(QAbstractTableModel):
    """The kept frames of one exchange, optionally only one event type.

    Rows hold frame sequence numbers. When the middle of a long stream was not kept, one marker
    row (``GAP``) stands between the first frames and the last ones; while a stream grows, rows
    whose frame has left the netlog's tail are removed and new frames appended.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ex: Exchange | None = None
        self._event = ""
        self._rows: list[int] = []  # sequence numbers, sorted, with GAP at self._gap_row
        self._gap_row = -1
        self._scanned = 0  # frames (by sequence number) looked at so far
        self._headers = ["t", "gap", "event", "data"]
        self.gap_text = "{n} frames not kept"

    def set_exchange(self, ex: Exchange | None, event: str = "") -> None:
        self.beginResetModel()
        self._ex, self._event, self._rows, self._gap_row, self._scanned = ex, event, [], -1, 0
        if ex is not None:
            self._scanned = ex.event_count
            self._rows = self._matching(0, self._scanned)
            if ex.frames_dropped:
                self._gap_row = bisect_left(self._rows, len(ex.head_frames))
                self._rows.insert(self._gap_row, GAP)
        self.endResetModel()

    def refresh(self) -> None:
        """Follow a growing stream: mark the gap, forget rows that left the tail, append new ones."""
        ex = self._ex
        if ex is None or self._scanned >= ex.event_count:
            return
        if ex.frames_dropped:
            self._update_gap(ex)
        end = ex.event_count
        new = self._matching(self._scanned, end)
        self._scanned = end
        if new:
            before = len(self._rows)
            self.beginInsertRows(QModelIndex(), before, before + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def _update_gap(self, ex: Exchange) -> None:
        if self._gap_row < 0:
            at = bisect_left(self._rows, len(ex.head_frames))
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, GAP)
            self._gap_row = at
            self.endInsertRows()
        else:
            self.dataChanged.emit(
                self.index(self._gap_row, 0), self.index(self._gap_row, _COLUMNS - 1)
            )
        first = self._gap_row + 1
        last = bisect_left(self._rows, ex.tail_start, lo=first)
        if last > first:
            self.beginRemoveRows(QModelIndex(), first, last - 1)
            del self._rows[first:last]
            self.endRemoveRows()

    def _matching(self, start: int, end: int) -> list[int]:
        """Sequence numbers of the kept frames in ``start..end`` that pass the filter."""
        ex, event = self._ex, self._event
        assert ex is not None
        if event:
            return [seq for seq, frame in ex.kept_between(start, end) if frame[1] == event]
        head_end = min(end, len(ex.head_frames))
        seqs = list(range(start, head_end))
        seqs += range(max(start, ex.tail_start), min(end, ex.event_count))
        return seqs

    def frame_rows(self) -> int:
        """Rows that are frames (the gap marker row not counted)."""
        return len(self._rows) - (self._gap_row >= 0)

    def frame_index(self, row: int) -> int:
        """The sequence number of the frame in ``row``: ``GAP`` for the marker row, -1 for none."""
        return self._rows[row] if 0 <= row < len(self._rows) else -1

    def set_headers(self, labels: list[str]) -> None:
        self._headers = labels
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, _COLUMNS - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        seq = self.frame_index(index.row())
        ex = self._ex
        if ex is None or seq == -1:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() < 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if seq == GAP:
            return {2: "⋯", 3: self.gap_text.format(n=ex.frames_dropped)}.get(index.column(), "")
        frame = ex.frame_at(seq)
        if frame is None:  # left the tail since the last refresh
            return None
        t, event, data = frame
        column = index.column()
        if column == 0:
            return f"{t * 1000:,.1f} ms"
        if column == 1:
            previous = ex.frame_at(seq - 1)
            return f"+{(t - previous[0]) * 1000:,.1f}" if previous is not None else ""
        if column == 2:
            return event
        return frame_summary(data, DATA_PREVIEW)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
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
        self.head.setWordWrap(False)  # one line (the whole head is its tooltip): room for frames
        self.head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.filter_label = QLabel(self)
        self.event_filter = QComboBox(self)
        self.event_filter.setObjectName("eventFilter")
        self.event_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count_label = QLabel(self)
        self.model = FrameModel(self)
        self.table = _table(self, self.model)
        self.frame_detail = _text(self, mono, "frameData", QPlainTextEdit)
        self.frame_detail.setPlaceholderText(self.tr("Select a frame to see its data."))
        self.merged = _text(self, mono, "mergedView", MergedText)
        self.inner = QTabWidget(self)
        self.inner.setObjectName("streamTabs")
        self.inner.setDocumentMode(True)
        self._build()
        self.event_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.selectionModel().currentRowChanged.connect(self._frame_selected)
        self.inner.currentChanged.connect(lambda _i: self._render_merged())
        self.retranslate()

    def _build(self) -> None:
        """The event filter sits on the tabs' line and the selected frame's data beside the
        frame list, so the list has the pane's whole height: at the default window size the
        dock shows several frames without any divider dragged."""
        corner = QWidget(self.inner)
        bar = QHBoxLayout(corner)
        bar.setContentsMargins(8, 0, 0, 0)
        bar.addWidget(self.filter_label)
        bar.addWidget(self.event_filter)
        bar.addSpacing(8)
        bar.addWidget(self.count_label)
        split = QSplitter(Qt.Orientation.Horizontal, self.inner)
        split.setObjectName("frameSplitter")
        split.addWidget(self.table)
        split.addWidget(self.frame_detail)
        split.setStretchFactor(0, 3)  # the frame list grows; the selected frame's data less
        split.setStretchFactor(1, 2)
        split.setSizes([600, 400])
        self.inner.addTab(split, "")
        self.inner.addTab(self.merged, "")
        self.inner.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.inner.currentChanged.connect(lambda index: corner.setVisible(index == 0))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.head)
        outer.addWidget(self.inner, 1)

    def show_exchange(self, ex: Exchange, head: str) -> None:
        """Show ``ex`` (a new exchange resets the view; the same one only grows)."""
        self.head.setText(head)
        self.head.setToolTip(head)
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
        ex = self._ex
        new = ex.kept_between(self._events_scanned, ex.event_count)
        self._events_seen.update(dict.fromkeys(frame[1] for _seq, frame in new))
        self._events_scanned = ex.event_count
        events = sorted(self._events_seen)
        if events == self._events:
            return
        self._events = events
        items = [("", self.tr("All events")), *((event, event) for event in events)]
        refill_combo(self.event_filter, items)

    def _filter_changed(self) -> None:
        self.model.set_exchange(self._ex, self.event_filter.currentData() or "")
        self._update_count()

    def _update_count(self) -> None:
        ex = self._ex
        total = ex.event_count if ex is not None else 0
        text = self.tr("{shown} of {total} frames").format(
            shown=self.model.frame_rows(), total=total
        )
        if ex is not None and ex.frames_dropped:
            text += " · " + self.tr("{n} not kept").format(n=ex.frames_dropped)
        self.count_label.setText(text)

    def _frame_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        seq = self.model.frame_index(current.row())
        frame = self._ex.frame_at(seq) if self._ex is not None else None
        if seq == GAP and self._ex is not None:
            self.frame_detail.setPlainText(
                self.tr(
                    "{n} frames from the middle of the stream were not kept (the network log keeps the "
                    "first and the last frames of a long stream)."
                ).format(n=self._ex.frames_dropped)
            )
        elif frame is None:
            self.frame_detail.clear()
        else:
            self.frame_detail.setPlainText(f"event: {frame[1]}\n{frame_data(frame[2])}")

    def _render_merged(self) -> None:
        """Fold new frames in chunks (one per event-loop turn), then show the text."""
        ex = self._ex
        if ex is None or self.inner.currentWidget() is not self.merged:
            return  # built lazily: only when the merged view is on screen
        if self._merged_for == (ex.id, ex.event_count) or self._merge_timer.isActive():
            return
        if _kept_from(ex, self._merged_upto) > MERGE_CHUNK:
            self.merged.source = ""
            self.merged.setPlainText(self.tr("Merging {n} frames…").format(n=ex.kept_count))
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
        start = ex.next_kept(self._merged_upto)  # (sequence numbers: skips frames not kept)
        end = min(ex.event_count, start + MERGE_CHUNK)
        fold_frames(ex, self._merge_state, start, end)
        self._merged_upto = end
        if end < ex.event_count:
            self._merge_timer.start()
            return
        self._merged_for = (ex.id, end)
        labels = {"reasoning": self.tr("Reasoning"), "tool": self.tr("Tool call"),
                  "answer": self.tr("Answer"), "follow_ups": self.tr("Follow-ups"),
                  "usage": self.tr("Usage"),
                  "gap": self.tr("[{n} frames from the middle of the stream were not kept]")}  # fmt: skip
        text = merged_text(ex, labels, self._merge_state)
        chunks = display_chunks(text)
        self._keep_scroll = (
            self.merged.verticalScrollBar().value()
        )  # a live re-render keeps its place
        self.merged.source = text
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
        self.model.gap_text = self.tr("{n} frames not kept")
        if self.event_filter.count():
            self.event_filter.setItemText(0, self.tr("All events"))
        self._update_count()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _kept_from(ex: Exchange, seq: int) -> int:
    """How many kept frames have a sequence number >= ``seq``."""
    head = max(0, len(ex.head_frames) - seq)
    return head + ex.event_count - max(seq, ex.tail_start)


def _table(parent: QWidget, model: FrameModel) -> QTableView:
    table = row_table(parent, model, "frameTable", QTableView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    for column, width in ((0, 90), (1, 70), (2, 230)):
        header.resizeSection(column, width)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


class MergedText(QPlainTextEdit):
    """The merged view: very long lines are broken for display (``display_chunks``), and a copy
    (Ctrl+C or the context menu) gives the text without those breaks (``source`` is what the
    display was made from). The clipboard gets plain text set from here: a QMimeData made in
    Python and handed to Qt would be freed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = ""

    def copy_source(self) -> None:
        """Copy the selection as received (as ``copy()`` would, where no breaks were added)."""
        cursor = self.textCursor()
        if not self.source or not cursor.hasSelection():
            self.copy()
            return
        text = source_slice(self.source, self.toPlainText(), cursor.selectionStart(),
                            cursor.selectionEnd())  # fmt: skip
        QGuiApplication.clipboard().setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_source()
            event.accept()
            return
        super().keyPressEvent(event)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu, its Copy copying as received."""
        menu = self.createStandardContextMenu(pos)
        for action in menu.actions():
            if action.objectName() == "edit-copy":
                action.triggered.disconnect()
                action.triggered.connect(self.copy_source)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())


def _text[Box: QPlainTextEdit](parent: QWidget, font: object, name: str, kind: type[Box]) -> Box:
    box = kind(parent)
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setFont(font)  # type: ignore[arg-type]
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return box
