"""Paints one session entry: a bold title, a muted meta line, and a drawn pin mark.

Whether a row is selected is asked of the list, and whether it is under the mouse is tracked
from the viewport's hover events; neither is read from the style option's ``state``: reading
that would make PySide6 set up the whole ``QStyle`` type (5-10 ms) before the first frame.

Painting uses no ``Qt`` namespace enum either: PySide6 builds all 94 of them on the first use of
one (20-35 ms, see ``widget_kit.set_by_name``), and it does so even to rule out an overload that
takes one. Item roles and text flags are plain ints, titles are elided here; the text keeps the
painter's pen (the viewport's text colour; ``setPen`` has a ``Qt.PenStyle`` overload), the meta
line is drawn at half opacity, and the row fills are brushes taken from a palette (the
``QBrush`` constructor and ``setColor`` have ``Qt`` enum overloads). The viewport asks for hover
events (a ``Qt.WidgetAttribute``) when the mouse first enters it.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6 import QtCore
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QEnterEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHoverEvent,
    QPainter,
    QPainterPath,
    QPalette,
)
from PySide6.QtWidgets import QListView, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.ui.kit.elide import elide_right
from desktop.ui.kit.shell_style import selection_colour
from desktop.ui.kit.theme import mix

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
USER_ROLE = 256  # Qt.ItemDataRole.UserRole: the first role for an application's own data
META_ROLE = USER_ROLE + 1
PINNED_ROLE = USER_ROLE + 2
SNIPPET_ROLE = USER_ROLE + 3  # a search hit's text: drawn instead of the meta line
MARKS_ROLE = USER_ROLE + 4  # (start, length) of each match in it: drawn highlighted
TITLE_MARKS_ROLE = USER_ROLE + 5  # the same for the title
_ALIGN_LEFT, _ALIGN_TOP, _ALIGN_BOTTOM = 0x1, 0x20, 0x40  # Qt.AlignmentFlag values
_META_OPACITY = 0.5  # the theme's PlaceholderText is about Text at half strength
_PAD_X = 12
_PAD_Y = 7
_PIN_GAP = 5  # between the pin mark and the title

Index = QModelIndex | QPersistentModelIndex


class _RowFonts(NamedTuple):
    key: str  # QFont.key() of the view font they were made from
    title: tuple[QFont, QFontMetrics]
    meta: tuple[QFont, QFontMetrics]
    mark: tuple[QFont, QFontMetrics]  # a match in a snippet: the meta font, bold


class _RowBrushes(NamedTuple):
    key: int  # QPalette.cacheKey() of the palette they were made from
    selected: QBrush
    hovered: QBrush
    mark: QBrush  # behind a match in a snippet


class SessionDelegate(QStyledItemDelegate):
    """Two-line rendering of a session row in ``view`` (editing uses the default line edit);
    ``viewport`` is the view's viewport."""

    def __init__(self, view: QListView, viewport: QWidget) -> None:
        super().__init__(view)
        self._view = view
        self._selection = view.selectionModel()  # an item view's own: it never changes
        self._fonts: _RowFonts | None = None
        self._tints: _RowBrushes | None = None
        self._hover: QPoint | None = None  # the mouse, in viewport coordinates
        self._hover_on = False  # whether the viewport gets hover events yet
        self._viewport = viewport
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._viewport:
            # The view installs its delegate on the editors it opens: Return, Escape, Tab and
            # focus-out commit or close the edit there.
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind in (QEvent.Type.HoverEnter, QEvent.Type.HoverMove):
            assert isinstance(event, QHoverEvent)
            self._hover = event.position().toPoint()
        elif kind == QEvent.Type.HoverLeave:
            self._hover = None
        elif kind == QEvent.Type.Enter and not self._hover_on:
            assert isinstance(event, QEnterEvent)
            assert isinstance(watched, QWidget)
            self._start_hover(watched, event.position().toPoint())
        # Not the base class's filter: that one treats whatever it watches as an editor, and a
        # Return the editor passes on to the viewport would "commit" the viewport.
        return False

    def _start_hover(self, viewport: QWidget, pos: QPoint) -> None:
        """From now on the viewport gets hover events: the view repaints the rows the mouse
        enters and leaves, and this delegate tints the one under it."""
        self._hover_on = True
        viewport.setAttribute(QtCore.Qt.WidgetAttribute.WA_Hover)
        self._hover = pos
        viewport.update(self._view.visualRect(self._view.indexAt(pos)))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)
        height = metrics.height() * 2 + _PAD_Y * 2 + 3
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row: QRect = option.rect
        fonts = self._fonts_for(option.font)
        self._paint_background(painter, row, index)
        title = str(index.data(DISPLAY_ROLE) or "")
        meta = str(index.data(META_ROLE) or "")
        pinned = bool(index.data(PINNED_ROLE))
        rect = row.adjusted(_PAD_X, _PAD_Y, -_PAD_X, -_PAD_Y)
        painter.save()  # its pen is the viewport's text colour: the title's
        title_rect = (
            rect.adjusted(_paint_pin(painter, rect, fonts.title[1]), 0, 0, 0) if pinned else rect
        )
        title_marks = _marks(index.data(TITLE_MARKS_ROLE))
        if title_marks:
            self._draw_marked(painter, (fonts.title, fonts.title), title_rect, title, title_marks,
                              _ALIGN_TOP, 1.0)  # fmt: skip
        else:
            self._draw_line(painter, fonts.title, title_rect, title, _ALIGN_TOP)
        snippet = str(index.data(SNIPPET_ROLE) or "")
        if snippet:
            self._draw_marked(painter, (fonts.meta, fonts.mark), rect, snippet,
                              _marks(index.data(MARKS_ROLE)), _ALIGN_BOTTOM, _META_OPACITY)  # fmt: skip
        else:
            painter.setOpacity(_META_OPACITY)
            self._draw_line(painter, fonts.meta, rect, meta, _ALIGN_BOTTOM)
        painter.restore()

    def _draw_marked(
        self, painter: QPainter, fonts: tuple[tuple[QFont, QFontMetrics], tuple[QFont, QFontMetrics]],
        rect: QRect, text: str, marks: list[tuple[int, int]], where: int, opacity: float,
    ) -> None:  # fmt: skip
        """A line of a search hit: the text at ``opacity`` in ``fonts[0]``, each match in
        ``fonts[1]`` in the palette's highlight colours; cut with "…" where it stops fitting.
        (Only search results have marks, and they are never on the first frame: the pen may be
        set from a colour here.)"""
        x, right = rect.left(), rect.right() + 1
        for piece, marked in split_marks(text, marks):
            font = fonts[1] if marked else fonts[0]
            room = right - x
            shown = elide_right(font[1], piece, room)
            width = font[1].horizontalAdvance(shown)
            line = QRect(x, rect.top(), max(room, 0), rect.height())
            if marked and shown:
                painter.save()
                height = font[1].height()
                top = rect.top() if where == _ALIGN_TOP else rect.bottom() - height + 1
                shape = QPainterPath()
                shape.addRoundedRect(QRect(x - 1, top, width + 2, height), 3, 3)
                painter.setOpacity(1.0)
                painter.fillPath(shape, self._brushes().mark)
                palette = QGuiApplication.palette()
                painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
                self._draw_line(painter, font, line, shown, where)
                painter.restore()
            else:
                painter.setOpacity(opacity)
                self._draw_line(painter, font, line, shown, where)
            x += width
            if shown != piece or x >= right:
                break

    def _fonts_for(self, base: QFont) -> _RowFonts:
        """The title and meta fonts for the view's font (made once per font, not per row)."""
        key = base.key()
        if self._fonts is None or self._fonts.key != key:
            title = QFont(base)
            title.setWeight(QFont.Weight.DemiBold)
            meta = QFont(base)
            meta.setPointSizeF(max(meta.pointSizeF() * 0.88, 7.0))
            mark = QFont(meta)
            mark.setWeight(QFont.Weight.Bold)
            self._fonts = _RowFonts(key, (title, QFontMetrics(title)), (meta, QFontMetrics(meta)),
                                    (mark, QFontMetrics(mark)))  # fmt: skip
        return self._fonts

    @staticmethod
    def _draw_line(
        painter: QPainter, font: tuple[QFont, QFontMetrics], rect: QRect, text: str, where: int
    ) -> None:
        painter.setFont(font[0])
        painter.drawText(rect, _ALIGN_LEFT | where, elide_right(font[1], text, rect.width()))

    def _paint_background(self, painter: QPainter, row: QRect, index: Index) -> None:
        if self._selection.isSelected(index):
            brush = self._brushes().selected
        elif self._is_hovered(index):
            brush = self._brushes().hovered
        else:
            return
        shape = QPainterPath()
        shape.addRoundedRect(row.adjusted(2, 2, -2, -2), 8, 8)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(shape, brush)
        painter.restore()

    def _brushes(self) -> _RowBrushes:
        """The selected and hovered row fills for the application palette (the list's own is
        transparent), made once per palette."""
        palette = QGuiApplication.palette()
        key = palette.cacheKey()
        if self._tints is None or self._tints.key != key:
            hovered = mix(palette.color(QPalette.ColorRole.Window),
                          palette.color(QPalette.ColorRole.Text), 0.06)  # fmt: skip
            mark = palette.color(QPalette.ColorRole.Highlight)
            self._tints = _RowBrushes(key, _solid(selection_colour(palette)), _solid(hovered),
                                      _solid(mark))  # fmt: skip
        return self._tints

    def _is_hovered(self, index: Index) -> bool:
        return self._hover is not None and self._view.indexAt(self._hover) == index


def _marks(value: object) -> list[tuple[int, int]]:
    """The (start, length) pairs stored in ``MARKS_ROLE`` (Qt may hand back lists)."""
    if not isinstance(value, (list, tuple)):
        return []
    return [(int(start), int(length)) for start, length in value]


def split_marks(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is a match) in order, the matches given by ``marks``."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, length in sorted(marks):
        if start < at or length <= 0 or start + length > len(text):
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start : start + length], True))
        at = start + length
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def pin_path(x: float, top: float, size: float) -> QPainterPath:
    """A map pin ``size`` px tall with its left edge at ``x``: a round head, a point below."""
    radius = size * 0.32
    cx, cy = x + radius, top + radius
    path = QPainterPath()
    path.moveTo(cx, top + size)
    path.lineTo(cx - radius * 0.92, cy + radius * 0.4)
    path.arcTo(cx - radius, cy - radius, 2 * radius, 2 * radius, 205.0, -230.0)
    path.closeSubpath()
    hole = QPainterPath()
    hole.addEllipse(cx - radius * 0.42, cy - radius * 0.42, radius * 0.84, radius * 0.84)
    return path.subtracted(hole)


def _paint_pin(painter: QPainter, rect: QRect, metrics: QFontMetrics) -> int:
    """Draw the pin mark of a pinned row at the start of its title line, in the title's colour
    (a drawn icon: an emoji would be an empty box without an emoji font); its width + gap."""
    size = metrics.ascent() * 0.95
    top = rect.top() + (metrics.height() - size) / 2
    shape = pin_path(rect.left(), top, size)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillPath(shape, _solid(painter.pen().color()))
    painter.restore()
    return int(shape.boundingRect().width() + 0.99) + _PIN_GAP


def _solid(colour: QColor) -> QBrush:
    """A solid brush of ``colour``, through a palette (see the module docstring)."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, colour)
    return palette.brush(QPalette.ColorRole.Window)
