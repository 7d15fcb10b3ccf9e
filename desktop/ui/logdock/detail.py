"""The selected exchange in four tabs: Request, Response, Timing and Diagnosis.

Request: method, full URL (query included, so a missing ``conversation_id`` shows), every header
as sent with the token masked, the body pretty-printed. Response: status line, headers, the body
(JSON pretty-printed, HTML as text) or, for a stream, the frames and the merged answer
(:mod:`desktop.ui.logdock.stream_tab`). Timing: a painted waterfall (:mod:`desktop.ui.logdock.timing_tab`).
Diagnosis: the core's plain-language verdict and fix with Coze's code, msg and the log id.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QStackedWidget, QTabWidget, QTextBrowser, QWidget

from desktop.core.log_insights import Insight, chat_failure, insights, outcome_code
from desktop.ui.logdock.stream_tab import StreamView
from desktop.ui.logdock.text import request_text, response_head, response_text
from desktop.ui.logdock.timing_tab import TimingChart

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.netlog import Exchange

LEVEL_STYLE = {"ok": ("✔", "#1e8e3e"), "info": ("ℹ", "#1a73e8"), "warn": ("▲", "#e37400"),
               "error": ("✖", "#d93025"), "pending": ("…", "#80868b")}  # fmt: skip
TABS = ("request", "response", "timing", "diagnosis")


class ExchangeDetail(QTabWidget):
    """Shows one exchange; ``show_exchange(None)`` empties every tab."""

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logDetail")
        self.setDocumentMode(True)
        self._language = language
        self._ex: Exchange | None = None
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.request = QPlainTextEdit(self)
        self.request.setObjectName("requestText")
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("responseText")
        for box in (self.request, self.body):
            box.setReadOnly(True)
            box.setFont(mono)
        self.stream = StreamView(self)
        self.response = QStackedWidget(self)
        self.response.addWidget(self.body)
        self.response.addWidget(self.stream)
        self.timing = TimingChart(self)
        self.diagnosis = QTextBrowser(self)
        self.diagnosis.setObjectName("diagnosisText")
        self.diagnosis.setOpenLinks(False)
        for widget in (self.request, self.response, self.timing, self.diagnosis):
            self.addTab(widget, "")
        self.currentChanged.connect(lambda _i: self._render_current())
        self.retranslate()

    @property
    def exchange(self) -> Exchange | None:
        return self._ex

    def show_exchange(self, ex: Exchange | None) -> None:
        """Show ``ex`` (or refresh it when it is the one already shown and it changed)."""
        self._ex = ex
        self._render_current()

    def select_tab(self, name: str) -> None:
        self.setCurrentIndex(TABS.index(name))

    def _render_current(self) -> None:
        """Only the visible tab is rendered: switching tabs renders the new one."""
        ex = self._ex
        tab = TABS[max(0, self.currentIndex())]
        if tab == "request":
            self._set_text(self.request, request_text(ex, self.tr("Body")) if ex else "")
        elif tab == "response":
            self._render_response(ex)
        elif tab == "timing":
            self.timing.show_exchange(ex)
        else:
            self.diagnosis.setHtml(self._diagnosis_html(ex) if ex else "")

    def _render_response(self, ex: Exchange | None) -> None:
        if ex is not None and ex.is_stream and (ex.event_count or not ex.response_body):
            self.response.setCurrentWidget(self.stream)
            self.stream.show_exchange(
                ex, response_head(ex).replace("\n", " · ") or self.tr("Waiting for the response…")
            )
            return
        self.response.setCurrentWidget(self.body)
        note = self.tr("[body truncated: only the first part was kept]")
        self._set_text(self.body, response_text(ex, note) if ex else "")

    @staticmethod
    def _set_text(box: QPlainTextEdit, text: str) -> None:
        if box.toPlainText() != text:
            box.setPlainText(text)

    def _diagnosis_html(self, ex: Exchange) -> str:
        lang = self._language()
        found = insights(ex)
        rows = [
            _insight_html(item, lang, self.tr("Fix:"), main=i == 0) for i, item in enumerate(found)
        ]
        facts = self._facts(ex)
        table = "".join(f"<tr><td style='color:#80868b; padding-right:14px'>{html.escape(k)}</td>"
                        f"<td><code>{html.escape(v)}</code></td></tr>" for k, v in facts if v)  # fmt: skip
        return "".join(rows) + f"<table style='margin:12px 0 0 20px'>{table}</table>"

    def _facts(self, ex: Exchange) -> list[tuple[str, str]]:
        error = ex.error
        code = outcome_code(ex)
        failure = chat_failure(ex) if error is None and ex.is_stream else None
        msg = error.msg if error is not None else (failure[1] if failure else "")
        return [
            (self.tr("HTTP status"), "" if ex.status is None else str(ex.status)),
            (self.tr("Coze code"), "" if code is None else str(code)),
            (self.tr("Message"), msg),
            (self.tr("Log ID"), ex.log_id),
            (self.tr("Error type"), type(error).__name__ if error is not None else ""),
            (self.tr("Attempt"), str(ex.attempt) if ex.attempt > 1 else ""),
        ]

    def retranslate(self) -> None:
        for i, text in enumerate((self.tr("Request"), self.tr("Response"), self.tr("Timing"),
                                  self.tr("Diagnosis"))):  # fmt: skip
            self.setTabText(i, text)
        self._render_current()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _insight_html(item: Insight, lang: str, fix_label: str, *, main: bool) -> str:
    """The first finding is the verdict (large); later ones are hints (normal size)."""
    mark, colour = LEVEL_STYLE[item.level]
    size = "16px" if main else "13px"
    weight = 600 if main else 500
    text = (f"<p style='margin:{10 if main else 6}px 0 2px 0'><span style='color:{colour}; font-size:{size};"
            f" font-weight:{weight}'>{mark}&nbsp;{html.escape(item.title(lang))}</span></p>")  # fmt: skip
    if item.fix(lang):
        text += (f"<p style='margin:0 0 6px 22px'><b>{html.escape(fix_label)}</b> "
                 f"{html.escape(item.fix(lang))}</p>")  # fmt: skip
    return text
