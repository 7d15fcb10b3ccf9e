"""Network settings: proxy mode (system/environment, none, custom HTTP/SOCKS URL) and "Test".

The widget edits the choice and asks for a test (``test_requested``); the test itself runs in
:class:`desktop.ui.bridge.network_tester.NetworkTester`, which answers with ``on_test_done``. A proxy password is never shown back or logged (``mask_url_credentials``), and TLS
certificate verification is never turned off: there is no option for it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.core.network_check import NETWORK_TITLES
from desktop.settings import PROXY_MODES, ProxyCredentialsError, Settings, SettingsError
from desktop.ui.doctor.panel import MARKS
from desktop.ui.kit.ports import NetworkTestDone, ProxyTestIntent
from desktop.ui.kit.widgets import refill_combo, select_value

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.core.doctor import CheckResult


class NetworkSettings(QWidget):
    """Proxy mode, proxy URL and a Test button with its results.

    Signals:
        test_requested(ProxyTestIntent)
    """

    test_requested = Signal(ProxyTestIntent)

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkSettings")
        self._language = language
        self.mode = QComboBox(self)
        self.mode.setObjectName("proxyModeCombo")
        self.url = QLineEdit(self)
        self.url.setObjectName("proxyUrlEdit")
        self.test = QPushButton(self)
        self.test.setObjectName("proxyTestButton")
        self.result = QLabel(self)
        self.result.setObjectName("proxyTestResult")
        self.result.setWordWrap(True)
        self.result.hide()  # shown with a test's outcome; no empty gap before that
        self.labels = (QLabel(self), QLabel(self))
        self._build()
        self.mode.currentIndexChanged.connect(self._update_enabled)
        self.test.clicked.connect(self._on_test)
        self.retranslate()

    def _build(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.test)
        form.addRow(self.labels[0], self.mode)
        form.addRow(self.labels[1], url_row)
        form.addRow(self.result)
        self.labels[0].setBuddy(self.mode)
        self.labels[1].setBuddy(self.url)

    # -- values ---------------------------------------------------------------------------------

    def set_values(self, mode: str, url: str) -> None:
        select_value(self.mode, mode)
        self.url.setText(url)
        self._update_enabled()

    def values(self) -> tuple[str, str]:
        return str(self.mode.currentData() or "system"), self.url.text().strip()

    def validation_error(self) -> str:
        """ "" when the choice is valid, else a sentence for the user."""
        mode, url = self.values()
        try:
            Settings(proxy_mode=mode, proxy_url=url)  # type: ignore[arg-type]
        except ProxyCredentialsError:
            return self.tr(
                "The proxy URL must not contain a user name or password: Coze Desktop does not "
                "store passwords in plain text. Set a proxy that needs a password as the system "
                "proxy (or HTTPS_PROXY); Coze Desktop uses it without storing it."
            )
        except SettingsError:
            return self.tr("The proxy URL must look like http://host:port or socks5://host:port.")
        if mode == "custom" and not url:
            return self.tr("Enter the proxy URL, or choose another proxy mode.")
        return ""

    def _update_enabled(self) -> None:
        self.url.setEnabled(self.mode.currentData() == "custom")

    # -- test -----------------------------------------------------------------------------------

    def _on_test(self) -> None:
        error = self.validation_error()
        if error:
            self.set_result(f"<span style='color:#d93025'>{html.escape(error)}</span>")
            return
        self.test.setEnabled(False)
        self.set_result(self.tr("Testing the connection…"))
        self.test_requested.emit(ProxyTestIntent(*self.values()))

    def on_test_done(self, done: NetworkTestDone) -> None:
        self.show_results(done.results)

    def show_results(self, results: tuple[CheckResult, ...] | list[CheckResult]) -> None:
        self.test.setEnabled(True)
        lang = self._language()
        self.set_result("<br>".join(_result_html(r, lang, self.tr("Fix:")) for r in results))

    def set_result(self, text: str) -> None:
        self.result.setText(text)
        self.result.setVisible(bool(text))

    def retranslate(self) -> None:
        self.labels[0].setText(self.tr("&Proxy:"))
        self.labels[1].setText(self.tr("Proxy &URL:"))
        self.test.setText(self.tr("Test"))
        self.test.setToolTip(self.tr("Check the proxy and whether Coze answers through it"))
        self.url.setPlaceholderText("http://127.0.0.1:7890 · socks5://user:pass@host:1080")
        texts = {"system": self.tr("System / environment proxy"), "none": self.tr("No proxy"),
                 "custom": self.tr("Custom HTTP or SOCKS proxy")}  # fmt: skip
        refill_combo(self.mode, [(value, texts[value]) for value in PROXY_MODES])
        self._update_enabled()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _result_html(res: CheckResult, lang: str, fix_label: str) -> str:
    mark, colour = MARKS.get(res.verdict, ("?", "#80868b"))
    en, zh = NETWORK_TITLES.get(res.key, (res.key, res.key))
    title = zh if lang.startswith("zh") else en
    text = (f"<span style='color:{colour}; font-weight:600'>{mark} {html.escape(title)}</span>: "
            f"{html.escape(res.found(lang))}")  # fmt: skip
    if res.fix(lang) and res.verdict in ("fail", "warn"):
        text += f"<br><b>{html.escape(fix_label)}</b> {html.escape(res.fix(lang))}"
    return text
