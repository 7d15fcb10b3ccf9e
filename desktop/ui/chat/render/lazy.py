"""Segments far from the viewport wait as empty placeholders until they are needed.

Laying out rich text is the expensive part of showing an answer (about 2 ms per 4 KB segment,
plus parsing and styling). When an answer arrives faster than it can be rendered while the view
follows the bottom, most segments settle and scroll away before anybody could see them. Such a
segment is not rendered at once: it gets a ``PendingBlock``, an empty widget as tall as an
estimate of its text, and is rendered as soon as it comes within a screen of the viewport (the
``Band`` the chat view reports) or, once the answer is final, in the background, nearest to the
viewport first. A slow stream, or one the user watches from the top, renders everything as before;
only what nobody can see yet waits.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import msgspec
from PySide6.QtWidgets import QSizePolicy, QSpacerItem

from desktop.ui.chat.render.segments import CODE_SHOW_MAX_LINES

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetricsF

    from desktop.ui.chat.render.segments import Segment

_CODE_CHROME = 58  # header + padding of a long code block
_PARAGRAPH_GAP = 0.6  # a blank line in markdown: a paragraph gap of about this many lines


class Band(msgspec.Struct, frozen=True):
    """The part of a widget worth rendering now, in the widget's coordinates.

    With ``from_end`` the view follows the bottom: ``top``/``bottom`` are distances above the
    widget's end (the widget is growing and the view will show its end). Otherwise
    ``visible_top`` is where the viewport starts: what is rendered above it must not move what
    the user looks at."""

    top: int
    bottom: int
    from_end: bool = False
    visible_top: int = 0

    def keeps(self, y: int, height: int, total: int) -> bool:
        """Whether an item at ``y`` with ``height`` (in a widget ``total`` tall) is in the band."""
        if self.from_end:
            return total - y > self.top and total - (y + height) < self.bottom
        return y < self.bottom and y + height > self.top


class PendingBlock:
    """An off-screen segment not rendered yet: a spacer as tall as its estimated height (no
    widget, so thousands of them cost no styling, painting or events)."""

    def __init__(self) -> None:
        self.item = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.segment: Segment | None = None
        self.final = False
        self.codes: list[object] = []
        self._height = 0

    def hold(self, seg: Segment, final: bool, height: int) -> bool:
        """Stand in for ``seg``; True when the height changed (the layout must be updated)."""
        self.segment, self.final = seg, final
        if height == self._height:
            return False
        self._height = height
        self.item.changeSize(0, height, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        return True

    def height(self) -> int:
        return self._height

    def y(self) -> int:
        return self.item.geometry().y()

    def rerender(self) -> None:
        """Nothing is drawn yet: a theme switch changes nothing."""

    def retranslate(self) -> None:
        """No strings yet."""

    def discard(self) -> None:
        """No queued work."""


def estimate_height(seg: Segment, width: int, metrics: QFontMetricsF) -> int:
    """A cheap guess of a segment's rendered height at ``width`` (no layout, no loop over the
    text): wrapped source lines times the line height; wide (CJK) characters count twice."""
    line = metrics.lineSpacing()
    text = seg.text
    rows = text.count("\n") + 1
    if seg.kind == "code":  # a long block shows its head and a note (``CodeBlock``)
        return math.ceil(min(rows, CODE_SHOW_MAX_LINES + 2) * line) + _CODE_CHROME
    columns = max(20.0, width / max(1.0, metrics.averageCharWidth()))
    cells = (len(text) + len(text.encode())) / 2  # ASCII 1 cell, CJK (3 bytes in UTF-8) 2
    blank = text.count("\n\n")
    # every source line takes at least one line, a long one wraps (half a line lost on average)
    lines = cells / columns + (rows - blank) * 0.5 + blank * _PARAGRAPH_GAP
    return max(1, math.ceil(lines * line))
