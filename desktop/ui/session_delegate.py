"""Paints one session entry: a bold title, a muted meta line, and a pin mark.

Whether a row is selected is asked of the list, and whether it is under the mouse is tracked
from the viewport's hover events; neither is read from the style option's ``state``: reading
that would make PySide6 set up the whole ``QStyle`` type (5-10 ms) before the first frame.
"""

from __future__ import annotations

from typing import NamedTuple

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
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHoverEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.ui.shell_style import selection_colour
from desktop.ui.theme import mix

META_ROLE = Qt.ItemDataRole.UserRole + 1
PINNED_ROLE = Qt.ItemDataRole.UserRole + 2
_PAD_X = 12
_PAD_Y = 7
_PIN = "📌"

Index = QModelIndex | QPersistentModelIndex


class _RowFonts(NamedTuple):
    key: str  # QFont.key() of the view font they were made from
    title: tuple[QFont, QFontMetrics]
    meta: tuple[QFont, QFontMetrics]


class SessionDelegate(QStyledItemDelegate):
    """Two-line rendering of a session row in ``view`` (editing uses the default line edit);
    ``viewport`` is the view's viewport."""

    def __init__(self, view: QListView, viewport: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._selection = view.selectionModel()  # an item view's own: it never changes
        self._fonts: _RowFonts | None = None
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
        row: QRect = option.rect  # type: ignore[attr-defined]
        fonts = self._fonts_for(option.font)  # type: ignore[attr-defined]
        self._paint_background(painter, row, index)
        title = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        meta = str(index.data(META_ROLE) or "")
        pinned = bool(index.data(PINNED_ROLE))
        rect = row.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        palette = QGuiApplication.palette()  # the list's own is transparent
        painter.save()
        prefix = _PIN + " " if pinned else ""
        self._draw_line(painter, fonts.title, palette.color(QPalette.ColorRole.Text), rect,
                        prefix + title, Qt.AlignmentFlag.AlignTop)  # fmt: skip
        self._draw_line(painter, fonts.meta, palette.color(QPalette.ColorRole.PlaceholderText),
                        rect, meta, Qt.AlignmentFlag.AlignBottom)  # fmt: skip
        painter.restore()

    def _fonts_for(self, base: QFont) -> _RowFonts:
        """The title and meta fonts for the view's font (made once per font, not per row)."""
        key = base.key()
        if self._fonts is None or self._fonts.key != key:
            title = QFont(base)
            title.setWeight(QFont.Weight.DemiBold)
            meta = QFont(base)
            meta.setPointSizeF(max(meta.pointSizeF() * 0.88, 7.0))
            self._fonts = _RowFonts(key, (title, QFontMetrics(title)), (meta, QFontMetrics(meta)))
        return self._fonts

    @staticmethod
    def _draw_line(
        painter: QPainter, font: tuple[QFont, QFontMetrics], colour: QColor, rect: QRect,
        text: str, where: Qt.AlignmentFlag,
    ) -> None:  # fmt: skip
        painter.setFont(font[0])
        painter.setPen(colour)
        line = font[1].elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | where, line)

    def _paint_background(self, painter: QPainter, row: QRect, index: Index) -> None:
        palette = QGuiApplication.palette()  # the list's own is transparent
        if self._selection.isSelected(index):
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
        painter.drawRoundedRect(row.adjusted(2, 2, -2, -2), 8, 8)
        painter.restore()

    def _is_hovered(self, index: Index) -> bool:
        return self._hover is not None and self._view.indexAt(self._hover) == index
