"""Shows profile doctor results: one line per check with a verdict mark, what was found, the fix."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.core.doctor import CheckResult

MARKS = {"pass": ("✔", "#1e8e3e"), "warn": ("▲", "#e37400"), "fail": ("✖", "#d93025"),
         "skip": ("–", "#80868b")}  # fmt: skip


@dataclass(frozen=True)
class TestIntent:
    """The user asked to test the profile being edited."""


class DoctorPanel(QWidget):
    """ "Test" button plus the results of the last run.

    Signals:
        test_requested(TestIntent)
    """

    test_requested = Signal(TestIntent)

    def __init__(self, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._results: list[CheckResult] = []
        self._running = False
        self._stale = False
        self.button = QPushButton(self)
        self.button.setObjectName("testButton")
        self.summary = QLabel(self)
        self.summary.setObjectName("doctorSummary")
        self.view = QTextBrowser(self)
        self.view.setObjectName("doctorResults")
        self.view.setOpenLinks(False)
        self.view.setMinimumHeight(150)
        top = QHBoxLayout()
        top.addWidget(self.button)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.button.clicked.connect(lambda: self.test_requested.emit(TestIntent()))
        self.retranslate()

    def start(self) -> None:
        self._results = []
        self._running = True
        self._stale = False
        self._render()

    def mark_stale(self) -> None:
        """The profile was edited after the last run: its results no longer describe it."""
        if self._results and not self._running and not self._stale:
            self._stale = True
            self._render()

    @property
    def stale(self) -> bool:
        return self._stale

    def add(self, result: CheckResult) -> None:
        self._results.append(result)
        self._render()

    def finish(self) -> None:
        self._running = False
        self._render()

    def clear(self) -> None:
        self._results = []
        self._running = False
        self._stale = False
        self._render()

    def results(self) -> list[CheckResult]:
        return list(self._results)

    def retranslate(self) -> None:
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _render(self) -> None:
        self.button.setEnabled(not self._running)
        self.button.setText(self.tr("Testing…") if self._running else self.tr("Test connection"))
        self.button.setToolTip(self.tr("Check the token, region, bot, streaming and context"))
        self.summary.setText(self._summary_text())
        self.view.setEnabled(not self._stale)  # greyed out: results of the profile as it was
        lang = self._language()
        self.view.setHtml(
            "".join(_row_html(result, lang, self.tr("Fix:")) for result in self._results)
        )

    def _summary_text(self) -> str:
        if self._running:
            return self.tr("Running checks…")
        if not self._results:
            return self.tr("Run a test to check this profile step by step.")
        if self._stale:
            return self.tr("The profile changed after this test: run it again.")
        verdicts = {r.verdict for r in self._results}
        if "fail" in verdicts:
            return self.tr("Some checks failed: see the fixes below.")
        if "warn" in verdicts:
            return self.tr("Works, with warnings.")
        return self.tr("All checks passed.")


def _row_html(result: CheckResult, lang: str, fix_label: str) -> str:
    mark, colour = MARKS.get(result.verdict, ("?", "#80868b"))
    parts = [
        f'<p style="margin:4px 0"><span style="color:{colour}; font-weight:600">{mark} '
        f"{html.escape(result.title(lang))}</span><br>{html.escape(result.found(lang))}"
    ]
    fix = result.fix(lang)
    if fix:
        parts.append(f"<br><b>{html.escape(fix_label)}</b> {html.escape(fix)}")
    if result.details:
        parts.append(f'<br><span style="color:#80868b">{html.escape(result.details)}</span>')
    parts.append("</p>")
    return "".join(parts)
