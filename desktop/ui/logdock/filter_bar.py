"""The log dock's bar: filters (errors only, profile, session, text) and the action buttons.

It only says what the user asked for (``filter_changed``, ``action_triggered``); the dock acts.
The session filter shows chat titles (with the profile) from a ``session_label`` callable the
window hands in; labels are refreshed whenever the list is opened, so a renamed chat shows its
new title. Without a label (no provider, deleted chat) it falls back to "Session 12".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.kit.widgets import refill_combo
from desktop.ui.logdock.model import FilterState, profile_name

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from desktop.netlog import Exchange

MESSAGE_MS = 5000
SessionLabel = Callable[[str], str | None]  # session id -> "Title · Profile" (None: unknown)


@dataclass(frozen=True)
class LogAction:
    """A toolbar action by name (see ``LogDock.trigger``)."""

    name: str


class _PopupCombo(QComboBox):
    """A combo box that says when its list is about to open."""

    about_to_popup = Signal()

    def showPopup(self) -> None:
        self.about_to_popup.emit()
        super().showPopup()


class LogBar(QWidget):
    """Filter widgets and action buttons above the log table.

    Signals:
        filter_changed(FilterState), action_triggered(LogAction)
    """

    filter_changed = Signal(FilterState)
    action_triggered = Signal(LogAction)

    def __init__(
        self, parent: QWidget | None = None, session_label: SessionLabel | None = None
    ) -> None:
        super().__init__(parent)
        self._session_label = session_label
        self.errors_only = QCheckBox(self)
        self.errors_only.setObjectName("logErrorsOnly")
        self.profile = QComboBox(self)
        self.profile.setObjectName("logProfileFilter")
        self.session = _PopupCombo(self)
        self.session.setObjectName("logSessionFilter")
        self.search = QLineEdit(self)
        self.search.setObjectName("logSearch")
        self.search.setClearButtonEnabled(True)
        self.message = QLabel(self)
        self.message.setObjectName("logMessage")
        self._message_timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._message_timer.timeout.connect(self.message.clear)
        self._profiles: list[str] = []
        self._sessions: list[str] = []
        self.buttons: dict[str, QToolButton] = {}
        self.actions_: dict[str, QAction] = {}
        self._build()
        for combo in (self.profile, self.session):
            combo.addItem("", "")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._emit_filter)
        self.session.about_to_popup.connect(self.refresh_session_labels)
        self.errors_only.toggled.connect(self._emit_filter)
        self.search.textChanged.connect(self._emit_filter)
        self.retranslate()
        self.set_selection(None)

    def _build(self) -> None:
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for widget in (self.errors_only, self.profile, self.session):
            filters.addWidget(widget)
        filters.addWidget(self.search, 1)
        actions = QHBoxLayout()
        actions.setSpacing(4)
        self._button(actions, "copy_curl", ["copy_curl", "copy_curl_token"])
        self._button(actions, "copy_log_id")
        self._button(actions, "copy_bundle")
        self._button(actions, "export", ["export_selected_har", "export_selected_jsonl", None,
                                         "export_all_har", "export_all_jsonl"])  # fmt: skip
        self._button(actions, "go_to_message")
        self._button(actions, "clear")
        actions.addSpacing(8)
        actions.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addLayout(actions)

    def _button(self, row: QHBoxLayout, name: str, menu_items: Sequence[str | None] = ()) -> None:
        button = QToolButton(self)
        button.setObjectName(f"log_{name}")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if menu_items:
            menu = QMenu(button)
            for item in menu_items:
                if item is None:
                    menu.addSeparator()
                    continue
                action = menu.addAction("")
                action.setObjectName(f"log_{item}")
                action.triggered.connect(
                    lambda _c=False, n=item: self.action_triggered.emit(LogAction(n))
                )
                self.actions_[item] = action
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.clicked.connect(lambda _c=False, n=name: self._clicked(n))
        self.buttons[name] = button
        row.addWidget(button)

    def _clicked(self, name: str) -> None:
        if name == "export":
            self.buttons[name].showMenu()
            return
        self.action_triggered.emit(LogAction(name))

    # -- state ----------------------------------------------------------------------------------

    def state(self) -> FilterState:
        return FilterState(self.errors_only.isChecked(), self.profile.currentData() or "",
                           self.session.currentData() or "", self.search.text().strip())  # fmt: skip

    def _emit_filter(self) -> None:
        self.filter_changed.emit(self.state())

    def reset_filters(self) -> None:
        for widget in (self.errors_only, self.profile, self.session, self.search):
            widget.blockSignals(True)
        self.errors_only.setChecked(False)
        self.profile.setCurrentIndex(0)
        self.session.setCurrentIndex(0)
        self.search.clear()
        for widget in (self.errors_only, self.profile, self.session, self.search):
            widget.blockSignals(False)
        self._emit_filter()

    def update_choices(self, exchanges: Sequence[Exchange]) -> None:
        """Offer the profiles and sessions seen in the log."""
        profiles = sorted({p for ex in exchanges if (p := profile_name(ex))})
        sessions = sorted(
            {s for ex in exchanges if (s := ex.context.get("session_id", ""))}, key=_num
        )
        if profiles != self._profiles:
            self._profiles = profiles
            _refill(self.profile, [(p, p) for p in profiles])
        if sessions != self._sessions:
            self._sessions = sessions
            _refill(self.session, [(s, self._label(s)) for s in sessions])

    def refresh_session_labels(self) -> None:
        """Re-read the chats' titles (a chat may have been renamed or titled since)."""
        for row in range(1, self.session.count()):
            label = self._label(str(self.session.itemData(row)))
            if self.session.itemText(row) != label:
                self.session.setItemText(row, label)

    def _label(self, session_id: str) -> str:
        title = self._session_label(session_id) if self._session_label is not None else None
        return title or self.tr("Session {id}").format(id=session_id)

    def set_selection(self, ex: Exchange | None) -> None:
        for name in ("copy_curl", "copy_log_id", "copy_bundle"):
            self.buttons[name].setEnabled(ex is not None)
        self.buttons["copy_log_id"].setEnabled(ex is not None and bool(ex.log_id))
        self.buttons["go_to_message"].setEnabled(
            ex is not None and bool(ex.context.get("session_id"))
        )
        for name in ("export_selected_har", "export_selected_jsonl"):
            self.actions_[name].setEnabled(ex is not None)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self._message_timer.start()

    # -- language -------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.errors_only.setText(self.tr("Errors only"))
        self.profile.setItemText(0, self.tr("All profiles"))
        self.session.setItemText(0, self.tr("All sessions"))
        self.search.setPlaceholderText(self.tr("Filter: path, status, code, log ID…"))
        texts = {"copy_curl": self.tr("Copy as cURL"), "copy_log_id": self.tr("Copy log ID"),
                 "copy_bundle": self.tr("Copy support bundle"), "export": self.tr("Export"),
                 "go_to_message": self.tr("Go to message"), "clear": self.tr("Clear")}  # fmt: skip
        for name, text in texts.items():
            self.buttons[name].setText(text)
        menu = {"copy_curl": self.tr("Copy as cURL (token as $COZE_API_TOKEN)"),
                "copy_curl_token": self.tr("Copy as cURL with the real token…"),
                "export_selected_har": self.tr("Selected requests as HAR…"),
                "export_selected_jsonl": self.tr("Selected requests as JSON lines…"),
                "export_all_har": self.tr("All shown requests as HAR…"),
                "export_all_jsonl": self.tr("All shown requests as JSON lines…")}  # fmt: skip
        for name, text in menu.items():
            self.actions_[name].setText(text)
        self.buttons["copy_bundle"].setToolTip(
            self.tr(
                "Log ID, code, message, region, bot ID, times and a masked cURL command — "
                "what Coze support asks for"
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _num(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (1 << 62, value)


def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
    """Replace every item after the first ("All ...")."""
    refill_combo(combo, [(combo.itemData(0), combo.itemText(0)), *items])
