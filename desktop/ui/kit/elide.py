"""Text that ends in "…" where it does not fit, without ``Qt.TextElideMode``.

``elide_right`` cuts between graphemes; ``ElidedLabel`` is a one-line label built on it. Neither
touches the ``Qt`` namespace (PySide6 builds all of its enums on the first use of any: 20-35 ms
before the first frame, see ``widgets.set_by_name``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTextBoundaryFinder, QTimer
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics, QResizeEvent, QShowEvent

ELLIPSIS = "…"


def elide_right(metrics: QFontMetrics, text: str, width: int) -> str:
    """``text`` if it fits ``width`` pixels, else its longest start that fits with "…" after it,
    cut between characters as the user sees them (graphemes: a letter with its marks, a flag, a
    joined emoji); "" if not even "…" fits. What ``QFontMetrics.elidedText`` gives with
    ``Qt.TextElideMode.ElideRight``, without that enum (give or take a character where Qt sums
    the characters' widths instead of measuring the start as drawn)."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    if metrics.horizontalAdvance(ELLIPSIS) > width:
        return ""
    cuts = _grapheme_starts(text)
    low, high = 0, len(cuts) - 1  # the longest start that fits is text[:cuts[low]]
    while low < high:
        mid = (low + high + 1) // 2
        if metrics.horizontalAdvance(text[: cuts[mid]] + ELLIPSIS) <= width:
            low = mid
        else:
            high = mid - 1
    return text[: cuts[low]] + ELLIPSIS


def _grapheme_starts(text: str) -> list[int]:
    """Where in ``text`` each grapheme starts, as string indices (Qt counts in UTF-16 units)."""
    index_at: dict[int, int] = {}
    unit = 0
    for index, char in enumerate(text):
        index_at[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    starts = [0]
    while (unit := finder.toNextBoundary()) in index_at:
        starts.append(index_at[unit])
    return starts


class ElidedLabel(QLabel):
    """One line of text that ends in "…" where it does not fit (the whole text is then its
    tooltip): a long chat title never makes the window wider than the screen."""

    _MIN_CHARS = 4  # the least it shrinks to: a few characters and the ellipsis

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""

    def setText(self, text: str) -> None:
        """Show ``text`` (whole until the layout has given the label its width: then, on the
        next pass of the event loop or at the resize, cut to fit)."""
        self._full = text
        super().setText(text)
        self.setToolTip(self._tip)
        self.updateGeometry()
        QTimer.singleShot(0, self, self._elide)

    def set_tip(self, tip: str) -> None:
        """The tooltip when the text fits (when it does not, the whole text comes first)."""
        self._tip = tip
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 1, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        few = self.fontMetrics().horizontalAdvance("M" * self._MIN_CHARS + ELLIPSIS)
        return QSize(min(few, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        fits = not self.isVisible() or room <= 0  # not laid out yet: the whole text
        shown = self._full if fits else elide_right(self.fontMetrics(), self._full, room)
        if shown != self.text():
            super().setText(shown)
        cut = shown != self._full
        tip = "\n".join(t for t in (self._full if cut else "", self._tip) if t)
        if tip != self.toolTip():
            self.setToolTip(tip)
