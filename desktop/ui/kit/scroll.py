"""A frameless scroll area around a page that shows all of it when there is room and scrolls
it when there is not (a small or scaled screen, the taller CJK UI font): the window holding it
never has to be taller than the screen. Not on the first frame's path."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


class WholeScroll(QScrollArea):
    """Scrolls ``page`` vertically, asking for its whole size (QScrollArea's own hint stops at a
    few dozen lines of text) and needing next to no height itself."""

    def __init__(self, page: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(page)

    def sizeHint(self) -> QSize:
        page = self.widget()
        if page is None:
            return super().sizeHint()
        hint = page.sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())
