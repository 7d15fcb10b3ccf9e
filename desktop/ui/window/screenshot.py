"""Hidden ``--screenshot PATH`` support: play a short scripted scene, grab a window, quit.

Scenes: ``chat`` (a demo turn, then its first follow-up chip), ``error`` (the "Demo: wrong
token" profile's authentication failure), ``compare`` (the demo bot and the demo echo bot
asked the same question side by side), ``profiles`` (the profile dialog after a Test run),
``welcome`` (the first-run page). Everything is signal-driven: no nested loops, no sleeps.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop.demo import DEMO_PROFILE_NAME, ECHO_PROFILE_NAME, WRONG_TOKEN_PROFILE_NAME
from desktop.ui.kit.intents import SendIntent

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.ui.bridge.controller import TurnFinished
    from desktop.ui.kit.ports import DoctorFinished
    from desktop.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

SCENES = ("chat", "error", "compare", "profiles", "welcome")
FIRST_QUESTION = "北京今天天气怎么样？适合出门吗？"
SETTLE_MS = 900
TIMEOUT_MS = 60_000


class ScreenshotScript(QObject):
    """Runs one scene on ``window`` and saves a PNG of it to ``path``; ``exit_code`` after."""

    def __init__(self, window: MainWindow, path: Path, scene: str = "chat") -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.scene = scene if scene in SCENES else "chat"
        self.exit_code = 1
        self._turns = 0
        self._target: QWidget = window

    def start(self) -> None:
        QTimer.singleShot(400, self._run)
        QTimer.singleShot(TIMEOUT_MS, self._timeout)

    def _run(self) -> None:
        getattr(self, f"_scene_{self.scene}")()

    # -- scenes -------------------------------------------------------------------------------

    def _scene_welcome(self) -> None:
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _scene_chat(self) -> None:
        self._chat_with(DEMO_PROFILE_NAME, FIRST_QUESTION)

    def _scene_error(self) -> None:
        self._chat_with(WRONG_TOKEN_PROFILE_NAME, "你好，帮我查一下上海的天气")

    def _scene_compare(self) -> None:
        profiles = [
            self.window.db.profiles.by_name(n) for n in (DEMO_PROFILE_NAME, ECHO_PROFILE_NAME)
        ]
        if any(p is None for p in profiles):
            log.error("screenshot: no demo profiles (use --demo)")
            self._finish(2)
            return
        comparison = self.window.compare.start([p.id for p in profiles if p is not None])
        if comparison is None:
            self._finish(2)
            return
        self.window.controller.turn_finished.connect(self._on_column_finished)
        self.window.compare.send(SendIntent(FIRST_QUESTION))

    def _on_column_finished(self, _event: TurnFinished) -> None:
        self._turns += 1
        comparison = self.window.compare.comparison
        if comparison is not None and self._turns == len(comparison.session_ids):
            QTimer.singleShot(SETTLE_MS, self._grab)

    def _chat_with(self, profile_name: str, text: str) -> None:
        profile = self.window.db.profiles.by_name(profile_name)
        if profile is None:
            log.error("screenshot: no profile %r (use --demo)", profile_name)
            self._finish(2)
            return
        self.window.sidebar.select_profile(profile.id)
        self.window.new_session(profile.id)
        self.window.controller.turn_finished.connect(self._on_turn_finished)
        self.window.chat.send(SendIntent(text))

    def _on_turn_finished(self, event: TurnFinished) -> None:
        self._turns += 1
        follow_ups = event.message.follow_ups
        if self.scene == "chat" and self._turns == 1 and follow_ups:
            QTimer.singleShot(300, lambda: self.window.chat.send(SendIntent(follow_ups[0])))
            return
        QTimer.singleShot(SETTLE_MS, self._grab)

    def _scene_profiles(self) -> None:
        profile = self.window.db.profiles.by_name(DEMO_PROFILE_NAME)
        dialog = self.window.dialogs.open_profiles(select_id=profile.id if profile else "")
        self._target = dialog
        self.window.controller.doctor.finished.connect(self._on_doctor_finished)
        dialog.run_test()

    def _on_doctor_finished(self, _event: DoctorFinished) -> None:
        QTimer.singleShot(SETTLE_MS, self._grab)

    # -- output -------------------------------------------------------------------------------

    def _grab(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ok = self._target.grab().save(str(self.path))
        log.info("screenshot %s: %s", "saved" if ok else "FAILED", self.path)
        self._finish(0 if ok else 1)

    def _timeout(self) -> None:
        log.error("screenshot scene %r timed out", self.scene)
        self._grab()
        self.exit_code = 1

    def _finish(self, code: int) -> None:
        self.exit_code = code
        for widget in QApplication.topLevelWidgets():
            widget.close()
