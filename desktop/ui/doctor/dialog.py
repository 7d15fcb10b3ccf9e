"""The "Diagnose profile" dialog: the doctor's checks with live progress, and "Copy report".

Every check is listed from the start (waiting), the running one is marked, and each row fills in
as its result arrives: pass / warn / fail / skip, what was found and the one-line fix, in the UI
language. The run itself belongs to :class:`~desktop.ui.kit.ports.DoctorRuns` (the
controller's task owner); this dialog only listens to its signals. Use ``open()``/``show()``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core.doctor_checks import TITLES, format_report, summary
from desktop.netlog import scrub_text
from desktop.ui.doctor.panel import MARKS

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.core.doctor import CheckResult
    from desktop.storage.models import Profile
    from desktop.ui.kit.ports import DoctorCheck, DoctorFinished, DoctorRuns

CHECK_ORDER = tuple(TITLES)


class CheckRow(QFrame):
    """One check: a verdict mark, its title, what was found and the fix."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"check_{key}")
        self.result: CheckResult | None = None
        self.mark = QLabel(self)
        self.mark.setFixedWidth(22)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(self)
        self.found = QLabel(self)
        self.fix = QLabel(self)
        for label in (self.found, self.fix):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.mark, 0, 0, 3, 1)
        grid.addWidget(self.title, 0, 1)
        grid.addWidget(self.found, 1, 1)
        grid.addWidget(self.fix, 2, 1)
        grid.setColumnStretch(1, 1)

    def show_state(self, lang: str, state: str, texts: dict[str, str]) -> None:
        """``state``: "waiting", "running" or "done" (then ``self.result`` is shown)."""
        en, zh = TITLES.get(self.key, (self.key, self.key))
        self.title.setText(f"<b>{zh if lang.startswith('zh') else en}</b>")
        res = self.result
        if res is None:
            running = state == "running"
            self._mark("◌" if not running else "●", "#1a73e8" if running else "#9aa0a6")
            self.found.setText(f"<span style='color:#80868b'>{texts[state]}</span>")
            self.fix.hide()
            return
        mark, colour = MARKS.get(res.verdict, ("?", "#80868b"))
        self._mark(mark, colour)
        found = res.found(lang) + (
            f"<br><span style='color:#80868b'>{res.details}</span>" if res.details else ""
        )
        self.found.setText(found)
        fix = res.fix(lang) if res.verdict in ("fail", "warn") else ""
        self.fix.setText(f"<b>{texts['fix']}</b> {fix}")
        self.fix.setVisible(bool(fix))

    def _mark(self, text: str, colour: str) -> None:
        self.mark.setText(
            f"<span style='color:{colour}; font-size:15px; font-weight:700'>{text}</span>"
        )


class DoctorDialog(QDialog):
    """Runs the profile doctor with live per-check progress (objectName ``doctorDialog``)."""

    def __init__(
        self, runner: DoctorRuns, language: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("doctorDialog")
        self._runner = runner
        self._language = language
        self._run_id = 0
        self._profile: Profile | None = None
        self._token = ""
        self._started = 0.0
        self._results: list[CheckResult] = []
        self.header = QLabel(self)
        self.header.setObjectName("doctorHeader")
        self.header.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("doctorSummary")
        self.rows = {key: CheckRow(key) for key in CHECK_ORDER}
        self.again = QPushButton(self)
        self.again.setObjectName("doctorRunAgain")
        self.copy = QPushButton(self)
        self.copy.setObjectName("doctorCopyReport")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self._build()
        runner.check_done.connect(self._on_check)
        runner.finished.connect(self._on_finished)
        self.again.clicked.connect(self.run_again)
        self.copy.clicked.connect(self.copy_report)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(lambda _r: self._runner.cancel(self._run_id))
        self.retranslate()

    def _build(self) -> None:
        body = QWidget()
        rows = QVBoxLayout(body)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        for row in self.rows.values():
            rows.addWidget(row)
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 620)

    # -- running --------------------------------------------------------------------------------

    def start(self, profile: Profile, token: str) -> int:
        """Diagnose ``profile`` with ``token`` (kept only for "Run again"); returns the run id."""
        self._runner.cancel(self._run_id)  # a run still going is replaced
        self._profile, self._token = profile, token
        self._results = []
        for row in self.rows.values():
            row.result = None
        self._started = time.monotonic()
        self._run_id = self._runner.run(profile, token)
        self._render()
        return self._run_id

    def run_again(self) -> None:
        if self._profile is not None and not self.is_running():
            self.start(self._profile, self._token)

    def is_running(self) -> bool:
        return self._runner.is_running(self._run_id)

    def results(self) -> list[CheckResult]:
        return list(self._results)

    def _on_check(self, event: DoctorCheck) -> None:
        if event.run_id != self._run_id:
            return
        self._results.append(event.result)
        row = self.rows.get(event.result.key)
        if row is not None:
            row.result = event.result
        self._render()

    def _on_finished(self, event: DoctorFinished) -> None:
        if event.run_id == self._run_id:
            self._render(finished=True)

    # -- report ---------------------------------------------------------------------------------

    def report(self) -> str:
        """The whole result as masked plain text, in the UI language."""
        lang = self._language()
        profile = self._profile
        title = self.tr("Coze Desktop — profile diagnosis")
        lines = [title]
        if profile is not None:
            lines.append(f"{profile.name} · {profile.api_base_url} · bot {profile.bot_id}")
        lines += [time.strftime("%Y-%m-%d %H:%M:%S"), "", format_report(self._results, lang)]
        return scrub_text("\n".join(lines))

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report())
        self.summary.setText(self.tr("Report copied to the clipboard (the token is masked)."))

    # -- rendering ------------------------------------------------------------------------------

    def _render(self, finished: bool = False) -> None:
        lang = self._language()
        texts = {
            "waiting": self.tr("Waiting…"),
            "running": self.tr("Checking…"),
            "fix": self.tr("Fix:"),
        }
        running_key = next((k for k in CHECK_ORDER if self.rows[k].result is None), "")
        running = self.is_running() and not finished
        for key, row in self.rows.items():
            row.show_state(lang, "running" if running and key == running_key else "waiting", texts)
        self.again.setEnabled(not running and self._profile is not None)
        self.copy.setEnabled(bool(self._results))
        self.summary.setText(self._summary_text(running))
        if self._profile is not None:
            self.header.setText(
                self.tr("Diagnosing <b>{name}</b> · {url}").format(
                    name=self._profile.name, url=self._profile.api_base_url
                )
            )

    def _summary_text(self, running: bool) -> str:
        if running:
            return self.tr("Running check {n} of {total}…").format(
                n=min(len(self._results) + 1, len(CHECK_ORDER)), total=len(CHECK_ORDER)
            )
        if not self._results:
            return self.tr("Stopped before any check finished.") if self._profile else ""
        seconds = time.monotonic() - self._started
        verdict = summary(self._results)
        texts = {"fail": self.tr("Some checks failed: see the fixes below."),
                 "warn": self.tr("Works, with warnings."), "pass": self.tr("All checks passed."),
                 "skip": self.tr("Nothing could be checked.")}  # fmt: skip
        colour = MARKS.get(verdict, ("", "#80868b"))[1]
        done = self.tr("Finished in {s:.1f} s.").format(s=seconds)
        return f"<span style='color:{colour}; font-weight:600'>{texts[verdict]}</span> {done}"

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Diagnose profile"))
        self.again.setText(self.tr("Run again"))
        self.copy.setText(self.tr("Copy report"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
