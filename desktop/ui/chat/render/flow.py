"""A wrapping row layout (after Qt's FlowLayout example) and the follow-up suggestion chips.

An empty chat's starter prompts use them on the way to the first frame (``render.empty``), so
the layout and ``make_chip(pointing=False)`` touch no ``Qt`` enum and a chip's click loads the
intent records only when it comes (first-frame rules 1 and 2, ``kit.qt_startup``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QMargins, QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from desktop.ui.chat.render.context import RenderContext


class WrapLayout(QLayout):
    """Lays items out left to right, wrapping to a new row when the width runs out. It expands
    as any layout does, which is never asked on a box of a fixed size (the starter prompts')."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m: QMargins = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _do_layout(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and row_height > 0:
                x, y, row_height = area.x(), y + row_height + self._gap, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + m.bottom()


CHIP_HEIGHT = 30  # fixed: a style sheet radius above half the height would square the corners


class FlowLayout(WrapLayout):
    """A ``WrapLayout`` that never asks its widget to grow (follow-ups, attachment chips)."""

    def expandingDirections(self) -> Qt.Orientation:
        return QtCore.Qt.Orientation(0)


def make_chip(text: str, name: str, parent: QWidget, *, pointing: bool = True) -> QPushButton:
    """A rounded suggestion chip (``name`` is its style sheet object name); the same height
    whatever the script, so Latin and CJK chips look alike. ``pointing``: with the pointing
    hand cursor now (else the caller sets it, ``point_at``)."""
    chip = QPushButton(parent)  # (text, parent) would set up QIcon and its enums: an overload
    chip.setText(text)
    chip.setObjectName(name)
    chip.setFixedHeight(CHIP_HEIGHT)
    if pointing:
        point_at(chip)
    return chip


def point_at(chip: QWidget) -> None:
    chip.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)


def emit_follow_up(ctx: RenderContext, text: str) -> None:
    """A chip's click, reported as a follow-up."""
    from desktop.ui.kit.intents import FollowUpIntent  # with the first click (rule 1)

    ctx.emit("follow_up_clicked", FollowUpIntent(text))


class FollowUps(QWidget):
    """Suggested next questions as clickable chips (emit ``follow_up_clicked``)."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUps")
        self._ctx = ctx
        self._flow = FlowLayout(self)
        self.chips: list[QPushButton] = []
        self._texts: list[str] = []

    def set_suggestions(self, texts: list[str]) -> None:
        if texts == self._texts:
            return
        self._texts = list(texts)
        for chip in self.chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self.chips = [self._chip(text) for text in texts]
        self.setVisible(bool(texts))

    def _chip(self, text: str) -> QPushButton:
        chip = make_chip(text, "followUpChip", self)
        chip.clicked.connect(lambda: emit_follow_up(self._ctx, text))
        self._flow.addWidget(chip)
        return chip
