"""What an empty chat shows: the bot's name, a one-line hint and a few starter prompt chips.

The texts come from the window (``ChatView.set_empty_state``), already translated; a chip click
is reported like a follow-up (``follow_up_clicked``), so sending a starter prompt needs no new
controller path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.chat.render.flow import FlowLayout, make_chip
from desktop.ui.kit.intents import FollowUpIntent

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop.ui.chat.render.context import RenderContext


class EmptyState(QWidget):
    """A centred greeting with starter prompts; hidden by the view once a message exists."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self._ctx = ctx
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("emptyHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.hint.setWordWrap(True)
        self._chips_box = QWidget(self)
        self._flow = FlowLayout(self._chips_box, spacing=8)
        self.chips: list[QPushButton] = []
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 72, 0, 0)
        col.setSpacing(10)
        col.addWidget(self.title)
        col.addWidget(self.hint)
        col.addSpacing(8)
        col.addWidget(self._chips_box, 0, Qt.AlignmentFlag.AlignHCenter)

    @property
    def has_content(self) -> bool:
        return bool(self.title.text() or self.hint.text() or self.chips)

    def set_content(self, title: str, hint: str, prompts: Sequence[str]) -> None:
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        for chip in self.chips:
            self._flow.removeWidget(chip)
            chip.deleteLater()
        self.chips = [self._chip(text) for text in prompts]
        self._chips_box.setVisible(bool(self.chips))
        self._fit_chips()

    def _chip(self, text: str) -> QPushButton:
        chip = make_chip(text, "starterChip", self._chips_box)
        chip.clicked.connect(lambda: self._ctx.emit("follow_up_clicked", FollowUpIntent(text)))
        self._flow.addWidget(chip)
        chip.show()
        return chip

    def set_max_width(self, width: int) -> None:
        self.setMaximumWidth(max(240, min(width, 720)))
        self._fit_chips()

    def _fit_chips(self) -> None:
        """Centre the chips: the box is as wide as one row of them, or the whole width."""
        gaps = 8 * max(0, len(self.chips) - 1)
        natural = sum(chip.sizeHint().width() for chip in self.chips) + gaps
        width = min(natural, self.maximumWidth())
        self._chips_box.setFixedWidth(max(width, 1))
        self._chips_box.setFixedHeight(self._flow.heightForWidth(width) if self.chips else 0)
