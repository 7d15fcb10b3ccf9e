"""Small pieces of window chrome: the status bar panel, the warning banner, the chat header."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication, QEvent, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from desktop.ui.kit.elide import ElidedLabel
from desktop.ui.kit.theme import palette_is_dark
from desktop.ui.kit.widgets import set_by_name

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QPushButton

    from desktop.storage.models import Profile

STATE_COLOURS = {"idle": "#34a853", "connecting": "#f9ab00", "uploading": "#f9ab00",
                 "streaming": "#4d53e8", "waiting": "#4d53e8", "error": "#d93025"}  # fmt: skip


def region_label(profile: Profile) -> str:
    """coze.cn / coze.com / the custom server's host."""
    if profile.region == "cn":
        return "coze.cn"
    if profile.region == "com":
        return "coze.com"
    host = urlsplit(profile.base_url).netloc or profile.base_url
    return QCoreApplication.translate("StatusPanel", "Custom: {host}").format(host=host)


def state_label(state: str) -> str:
    labels = {
        "idle": QCoreApplication.translate("StatusPanel", "Idle"),
        "connecting": QCoreApplication.translate("StatusPanel", "Connecting…"),
        "uploading": QCoreApplication.translate("StatusPanel", "Uploading…"),
        "streaming": QCoreApplication.translate("StatusPanel", "Streaming"),
        "waiting": QCoreApplication.translate("StatusPanel", "Waiting for the answer…"),
        "error": QCoreApplication.translate("StatusPanel", "Error"),
    }
    return labels.get(state, state)


class StatusPanel(QWidget):
    """Permanent status bar widget: active profile · region · connection state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusPanel")
        self.profile_label = ElidedLabel(self)  # a long name or URL ends in "…"
        self.profile_label.setObjectName("statusProfile")
        self.region_label = ElidedLabel(self)
        self.region_label.setObjectName("statusRegion")
        self.state_dot = QLabel("●", self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("statusState")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(10)
        for widget in (self.profile_label, _separator(self), self.region_label, _separator(self),
                       self.state_dot, self.state_label):  # fmt: skip
            layout.addWidget(widget)
        self._profile: Profile | None = None
        self._state = "idle"
        self.retranslate()

    def set_profile(self, profile: Profile | None) -> None:
        self._profile = profile
        self.retranslate()

    def set_state(self, state: str) -> None:
        self._state = state
        self.state_label.setText(state_label(state))
        sheet = f"color: {STATE_COLOURS.get(state, '#888')};"
        if sheet != self.state_dot.styleSheet():  # each new sheet restyles the label
            self.state_dot.setStyleSheet(sheet)

    @property
    def state(self) -> str:
        return self._state

    def retranslate(self) -> None:
        profile = self._profile
        self.profile_label.setText(profile.name if profile else self.tr("No bot selected"))
        self.region_label.setText(region_label(profile) if profile else "—")
        self.set_state(self._state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _separator(parent: QWidget) -> QLabel:
    label = QLabel("·", parent)
    label.setEnabled(False)
    return label


class Banner(QFrame):
    """A one-line warning strip across the top of a window (e.g. no keyring)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        set_by_name(self.label, "textInteractionFlags", "TextSelectableByMouse")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(QLabel("⚠", self))
        layout.addWidget(self.label, 1)
        self._layout = layout
        self.restyle()

    def add_button(self, object_name: str) -> QPushButton:
        """An action at the strip's end (its text is set by the owner, who retranslates)."""
        from PySide6.QtWidgets import QPushButton

        button = QPushButton(self)
        button.setObjectName(object_name)
        self._layout.addWidget(button)
        return button

    def restyle(self) -> None:
        dark = palette_is_dark(QGuiApplication.palette())
        bg, border, fg = (
            ("#3a2f1a", "#7a5a1e", "#f3d9a4") if dark else ("#fff4e5", "#f5c26b", "#5f3b00")
        )
        name = self.objectName()
        sheet = (f"#{name} {{ background: {bg}; border: 1px solid {border}; border-radius: 6px; }}"
                 f"#{name} QLabel {{ color: {fg}; }}")  # fmt: skip
        if sheet != self.styleSheet():  # setting a sheet sends change events of its own
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        # A theme switch reaches child widgets as PaletteChange (only top-level windows get
        # ApplicationPaletteChange), so both must re-derive the colours.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.restyle()
        super().changeEvent(event)

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def text(self) -> str:
        return self.label.text()


def keyring_banner_text() -> str:
    return QCoreApplication.translate(
        "Banner",
        "Token kept for this session only: no system keyring is available, so tokens stay in "
        "memory and are never written to disk.",
    )


class SidebarButton(QToolButton):
    """☰ at the start of a chat's header or the comparison's bar: brings the hidden sidebar
    back (``offer_sidebar``)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("showSidebarButton")
        self.setText("☰")
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("Show the sidebar"))
        self.setAccessibleName(self.tr("Show the sidebar"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def offer_sidebar(
    button: SidebarButton | None, row: QHBoxLayout, offer: bool, clicked: Callable[[], None]
) -> SidebarButton | None:
    """Show or hide ``button``, made at the start of ``row`` the first time it is offered
    (clicks go to ``clicked``); returns it (None while never offered)."""
    if button is None:
        if not offer:
            return None
        parent = row.parentWidget()
        assert parent is not None
        button = SidebarButton(parent)
        button.clicked.connect(clicked)
        row.insertWidget(0, button)
    button.setVisible(offer)
    return button


class ChatHeader(QFrame):
    """Title of the open session with its bot, plus per-session actions.

    Signals:
        action_requested(HeaderAction) (from ``desktop.ui.kit.intents``)
    """

    action_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatHeader")
        self.avatar = QLabel(self)  # the bot's avatar, when the server sent one
        self.avatar.setObjectName("botAvatar")
        self.avatar.setFixedSize(28, 28)
        self.avatar.setScaledContents(True)
        self.avatar.hide()
        self._avatar_file = ""
        self.title = ElidedLabel(self)
        self.title.setObjectName("sessionTitle")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.subtitle = ElidedLabel(self)
        self.subtitle.setEnabled(False)
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("clearContextButton")
        self.diagnose_button = QToolButton(self)
        self.diagnose_button.setObjectName("diagnoseButton")
        self.sidebar_button: SidebarButton | None = None  # while the sidebar is hidden
        self._row = layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 8)
        layout.addWidget(self.avatar)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addStretch(1)
        layout.addWidget(self.clear_button)
        layout.addWidget(self.diagnose_button)
        self.clear_button.clicked.connect(lambda: self._emit("clear_context"))
        self.diagnose_button.clicked.connect(lambda: self._emit("diagnose"))
        self._title = ""
        self.retranslate()

    def _emit(self, action: str) -> None:
        from desktop.ui.kit.intents import HeaderAction

        self.action_requested.emit(HeaderAction(action))

    def offer_sidebar(self, offer: bool) -> None:
        """While the sidebar is hidden, ☰ at the header's start brings it back."""
        self.sidebar_button = offer_sidebar(
            self.sidebar_button, self._row, offer, lambda: self._emit("show_sidebar")
        )

    def set_session(self, title: str, bot_name: str, avatar: str = "", note: str = "") -> None:
        """The chat's title, its bot's name and avatar (an image file, "" for none); ``note``
        (the bot's description, or why its details are missing) is the name's tooltip."""
        self._title = title
        self.subtitle.setText(bot_name)
        self.subtitle.set_tip(note)
        if avatar != self._avatar_file:
            self._avatar_file = avatar
            pixmap = QPixmap(avatar) if avatar else QPixmap()
            self.avatar.setPixmap(pixmap)
            self.avatar.setVisible(not pixmap.isNull())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self._title or self.tr("New chat"))
        self.clear_button.setText(self.tr("Clear context"))
        self.clear_button.setToolTip(
            self.tr("Start fresh: the bot forgets the earlier messages of this chat")
        )
        self.diagnose_button.setText(self.tr("Diagnose"))
        self.diagnose_button.setToolTip(self.tr("Check this bot profile step by step"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
