"""Paints one session entry: a bold title, a muted meta line, and a pin mark.

Whether a row is selected is asked of the list, and whether it is under the mouse is tracked
from the viewport's hover events; neither is read from the style option's ``state``: reading
that would make PySide6 set up the whole ``QStyle`` type (5-10 ms) before the first frame.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication, QHoverEvent, QPainter, QPalette
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.ui.shell_style import selection_colour
from desktop.ui.theme import mix

META_ROLE = Qt.ItemDataRole.UserRole + 1
PINNED_ROLE = Qt.ItemDataRole.UserRole + 2
_PAD_X = 12
_PAD_Y = 7
_PIN = "📌"

Index = QModelIndex | QPersistentModelIndex


class SessionDelegate(QStyledItemDelegate):
    """Two-line rendering of a session row in ``view`` (editing uses the default line edit);
    ``viewport`` is the view's viewport."""

    def __init__(self, view: QListView, viewport: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._hover: QPoint | None = None  # the mouse, in viewport coordinates
        viewport.setAttribute(Qt.WidgetAttribute.WA_Hover)  # the view repaints rows on hover
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.HoverEnter, QEvent.Type.HoverMove):
            assert isinstance(event, QHoverEvent)
            self._hover = event.position().toPoint()
        elif kind == QEvent.Type.HoverLeave:
            self._hover = None
        return super().eventFilter(watched, event)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)  # type: ignore[attr-defined]
        height = metrics.height() * 2 + _PAD_Y * 2 + 3
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        self._paint_background(painter, opt, index)
        title = str(opt.text)  # type: ignore[attr-defined]
        meta = str(index.data(META_ROLE) or "")
        self._paint_text(painter, opt, title, meta, bool(index.data(PINNED_ROLE)))

    def _is_hovered(self, index: Index) -> bool:
        return self._hover is not None and self._view.indexAt(self._hover) == index

    def _paint_background(self, painter: QPainter, opt: QStyleOptionViewItem, index: Index) -> None:
        palette = QGuiApplication.palette()  # the list's own is transparent
        if self._view.selectionModel().isSelected(index):
            colour = selection_colour(palette)
        elif self._is_hovered(index):
            colour = mix(
                palette.color(QPalette.ColorRole.Window),
                palette.color(QPalette.ColorRole.Text),
                0.06,
            )
        else:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(opt.rect.adjusted(2, 2, -2, -2), 8, 8)  # type: ignore[attr-defined]
        painter.restore()

    def _paint_text(
        self, painter: QPainter, opt: QStyleOptionViewItem, title: str, meta: str, pinned: bool
    ) -> None:
        rect: QRect = opt.rect.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)  # type: ignore[attr-defined]
        palette = QGuiApplication.palette()  # the list's own is transparent
        role = QPalette.ColorRole.Text
        painter.save()
        title_font = QFont(opt.font)  # type: ignore[attr-defined]
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(palette.color(role))
        metrics = QFontMetrics(title_font)
        prefix = _PIN + " " if pinned else ""
        line = metrics.elidedText(prefix + title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, line)
        self._paint_meta(painter, opt, rect, meta)
        painter.restore()

    def _paint_meta(
        self, painter: QPainter, opt: QStyleOptionViewItem, rect: QRect, meta: str
    ) -> None:
        font = QFont(opt.font)  # type: ignore[attr-defined]
        font.setPointSizeF(max(font.pointSizeF() * 0.88, 7.0))
        painter.setFont(font)
        palette = QGuiApplication.palette()  # the list's own is transparent
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        metrics = QFontMetrics(font)
        line = metrics.elidedText(meta, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, line)
