"""A frameless scroll area around a page that shows all of it when there is room and scrolls
it when there is not (a small or scaled screen, the taller CJK UI font): the window holding it
never has to be taller than the screen. On a first run's first frame (the welcome page): it
touches no ``Qt`` enum (first-frame rule 2)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QScrollArea, QWidget

from desktop.ui.kit.widgets import own_viewport, set_by_name


class WholeScroll(QScrollArea):
    """Scrolls ``page`` vertically, asking for its whole size (QScrollArea's own hint stops at a
    few dozen lines of text) and needing next to no height itself."""

    def __init__(self, page: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        set_by_name(self, "frameShape", "NoFrame")
        self.setWidgetResizable(True)
        set_by_name(self, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.page_viewport = own_viewport(self)  # Qt's own would set up dozens of widget types
        self.setWidget(page)

    def sizeHint(self) -> QSize:
        page = self.widget()
        if page is None:
            return super().sizeHint()
        hint = page.sizeHint()
        return QSize(hint.width() + self.verticalScrollBar().sizeHint().width(), hint.height())
