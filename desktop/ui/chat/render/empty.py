"""What an empty chat shows: the bot's avatar and name, its prologue as its first bubble, a
one-line hint and starter prompt chips (the bot's suggested questions when it has some).

The texts come from the window (``ChatView.set_empty_state``), already translated; a chip click
is reported like a follow-up (``follow_up_clicked``), so sending a starter prompt needs no new
controller path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.chat.render.flow import WrapLayout, emit_follow_up, make_chip, point_at
from desktop.ui.kit.widgets import centred, set_by_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PySide6.QtGui import QEnterEvent

    from desktop.ui.chat.render.context import RenderContext


AVATAR_PX = 56


class EmptyState(QWidget):
    """A centred greeting with starter prompts; hidden by the view once a message exists."""

    def __init__(self, ctx: RenderContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self._ctx = ctx
        self.avatar = QLabel(self)
        self.avatar.setObjectName("emptyAvatar")
        self.avatar.setFixedSize(AVATAR_PX, AVATAR_PX)
        self.avatar.setScaledContents(True)
        self.avatar.hide()
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        set_by_name(self.title, "alignment", "AlignHCenter")
        self.title.setWordWrap(True)
        self.hint = QLabel(self)
        self.hint.setObjectName("emptyHint")
        set_by_name(self.hint, "alignment", "AlignHCenter")
        self.hint.setWordWrap(True)
        self.prologue = QLabel(self)  # the bot's first bubble
        self.prologue.setObjectName("prologueBubble")
        self.prologue.setWordWrap(True)
        set_by_name(self.prologue, "textFormat", "PlainText")
        set_by_name(self.prologue, "textInteractionFlags", "TextSelectableByMouse")
        self.prologue.hide()
        self._chips_box = QWidget(self)
        self._flow = WrapLayout(self._chips_box, spacing=8)
        self.chips: list[QPushButton] = []
        self._pointing = False  # chips get the pointing hand when the mouse first comes
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 72, 0, 0)
        col.setSpacing(10)
        col.addLayout(centred(self.avatar))
        col.addWidget(self.title)
        col.addWidget(self.prologue)
        col.addWidget(self.hint)
        col.addSpacing(8)
        col.addLayout(centred(self._chips_box))

    @property
    def has_content(self) -> bool:
        return bool(self.title.text() or self.hint.text() or self.chips)

    def set_content(
        self, title: str, hint: str, prompts: Sequence[str], prologue: str = "", avatar: str = ""
    ) -> None:
        """``prologue``: the bot's opening words (its first bubble); ``avatar``: an image file."""
        pixmap = QPixmap(avatar) if avatar else QPixmap()
        self.avatar.setPixmap(pixmap)
        self.avatar.setVisible(not pixmap.isNull())
        self.prologue.setText(prologue)
        self.prologue.setVisible(bool(prologue))
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
        chip = make_chip(text, "starterChip", self._chips_box, pointing=self._pointing)
        chip.clicked.connect(lambda: emit_follow_up(self._ctx, text))
        self._flow.addWidget(chip)
        chip.show()
        return chip

    def enterEvent(self, event: QEnterEvent) -> None:
        """The chips' cursor, set when the mouse first comes (a ``Qt`` enum: not on the way to
        the first frame)."""
        if not self._pointing:
            self._pointing = True
            for chip in self.chips:
                point_at(chip)
        super().enterEvent(event)

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
