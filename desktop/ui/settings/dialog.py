"""Preferences: language, appearance, network proxy and log behaviour.

The dialog edits a copy of ``Settings`` and emits it on OK; the window applies and saves it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.settings import Settings, SettingsError
from desktop.ui.kit.widgets import refill_combo, select_value
from desktop.ui.settings.network import NetworkSettings

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class SettingsChanged:
    """The user accepted new ``settings``."""

    settings: Settings


class SettingsDialog(QDialog):
    """Modeless-friendly preferences dialog (use ``open()``).

    Signals:
        settings_accepted(SettingsChanged)
    """

    settings_accepted = Signal(SettingsChanged)

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 language: Callable[[], str] = lambda: "en") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._original = settings
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        self.theme = QComboBox(self)
        self.theme.setObjectName("themeCombo")
        self.network = NetworkSettings(language, self)  # proxy mode, URL and its "Test"
        self.proxy_mode = self.network.mode
        self.proxy_url = self.network.url
        self.open_log = QCheckBox(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("settingsError")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._build()
        self.retranslate()
        self._load(settings)
        self._connect_signals()

    def _build(self) -> None:
        self.form = QFormLayout()
        self.labels = [QLabel(self) for _ in range(2)]
        fields = (self.language, self.theme)
        for label, widget in zip(self.labels, fields, strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.form.addRow(self.network)
        self.form.addRow("", self.open_log)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d93025;")
        self.error_label.hide()
        self.setMinimumWidth(460)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        texts = (self.tr("&Language:"), self.tr("&Appearance:"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        refill_combo(
            self.language,
            [("system", self.tr("Follow the system")), ("en", "English"), ("zh", "简体中文")],
        )
        refill_combo(
            self.theme,
            [
                ("system", self.tr("Follow the system")),
                ("light", self.tr("Light")),
                ("dark", self.tr("Dark")),
            ],
        )
        self.open_log.setText(self.tr("Open the network log when a request fails"))
        self._align_labels()

    def _align_labels(self) -> None:
        """One label column for both forms (the proxy rows live in their own layout)."""
        labels = [*self.labels, *self.network.labels]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    def _load(self, settings: Settings) -> None:
        select_value(self.language, settings.language)
        select_value(self.theme, settings.theme)
        self.network.set_values(settings.proxy_mode, settings.proxy_url)
        self.open_log.setChecked(settings.open_log_on_error)

    def edited_settings(self) -> Settings:
        """The settings as edited; raises ``SettingsError`` for an invalid proxy URL."""
        return dataclasses.replace(
            self._original,
            language=self.language.currentData(),
            theme=self.theme.currentData(),
            proxy_mode=self.proxy_mode.currentData(),
            proxy_url=self.proxy_url.text().strip(),
            open_log_on_error=self.open_log.isChecked(),
        )

    def _on_accept(self) -> None:
        try:
            settings = self.edited_settings()
        except SettingsError:
            self.error_label.setText(self.network.validation_error())
            self.error_label.show()
            return
        self.settings_accepted.emit(SettingsChanged(settings))
        self.accept()
