"""First-run welcome page: add your own Coze bot, or try the built-in demo bot.

A first start without ``--demo`` (the frozen app's first double-click) paints it in its first
frame, so it follows the first-frame rules: no ``Qt`` enum (rule 2; ``kit.widgets``' helpers,
a ``QFrame`` for the styled background, the logo scaled as it is read).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QFont, QImageReader, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.ui.kit.scroll import WholeScroll
from desktop.ui.kit.widgets import centred, set_by_name

if TYPE_CHECKING:
    from pathlib import Path

COLUMN_WIDTH = 520
COLUMN_MIN_WIDTH = 300
LOGO_PX = 96


class WelcomeView(QFrame):
    """Centered logo, a short explanation and two big buttons (a ``QFrame``: it paints its
    style sheet background, which a plain ``QWidget`` needs an attribute for).

    Signals:
        action_requested(WelcomeIntent) (from ``desktop.ui.kit.intents``)
    """

    action_requested = Signal(object)

    def __init__(self, icon_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeView")
        self.logo = QLabel(self)
        self.title = QLabel(self)
        self.body = QLabel(self)
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("addBotButton")
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("tryDemoButton")
        self.hint = QLabel(self)
        self._build(icon_path)
        self.add_button.clicked.connect(lambda: self._emit("add_profile"))
        self.demo_button.clicked.connect(lambda: self._emit("demo"))
        self.retranslate()

    def _emit(self, action: str) -> None:
        from desktop.ui.kit.intents import WelcomeIntent

        self.action_requested.emit(WelcomeIntent(action))

    def _build(self, icon_path: Path | None) -> None:
        if icon_path is not None and icon_path.exists():
            reader = QImageReader(str(icon_path))  # scaled smoothly as it is read
            reader.setScaledSize(QSize(LOGO_PX, LOGO_PX))  # the icon is square
            self.logo.setPixmap(QPixmap.fromImage(reader.read()))
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        for label in (self.logo, self.title, self.body, self.hint):
            set_by_name(label, "alignment", "AlignCenter")
            label.setWordWrap(True)
        self.hint.setEnabled(False)
        for button in (self.add_button, self.demo_button):
            button.setMinimumSize(260, 40)
        self.add_button.setDefault(True)
        self._layout()

    def _layout(self) -> None:
        """The column centred in a frameless scroll area: a small window (the log dock open,
        a large CJK font) squeezes the page and scrolls it, and never grows the window."""
        page = QWidget(self)
        page.setObjectName("welcomePage")
        scroll = WholeScroll(page, self)
        scroll.setObjectName("welcomeScroll")
        for transparent in (scroll, scroll.page_viewport, page):
            transparent.setAutoFillBackground(False)
        scroll.setStyleSheet("#welcomeScroll, #welcomePage { background: transparent; }")
        column = QWidget(page)
        column.setMinimumWidth(COLUMN_MIN_WIDTH)  # fits a small (or scaled) screen
        column.setMaximumWidth(COLUMN_WIDTH)
        inner = QVBoxLayout(column)
        inner.setSpacing(10)
        inner.addWidget(self.logo)
        inner.addSpacing(6)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addSpacing(16)
        inner.addLayout(centred(self.add_button))
        inner.addLayout(centred(self.demo_button))
        inner.addSpacing(6)
        inner.addWidget(self.hint)
        middle = QVBoxLayout(page)
        middle.addStretch(2)
        middle.addLayout(centred(column))
        middle.addStretch(3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome to Coze Desktop"))
        self.body.setText(
            self.tr(
                "Chat with your Coze (扣子) bots from coze.cn, coze.com or your own Coze Studio. "
                "Replies stream in with thinking, tool calls and follow-up suggestions, and when "
                "something goes wrong you see why, in plain words."
            )
        )
        self.add_button.setText(self.tr("Add your Coze bot"))
        self.demo_button.setText(self.tr("Try the demo bot"))
        self.hint.setText(
            self.tr("The demo bot runs inside the app: no account or network needed.")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
