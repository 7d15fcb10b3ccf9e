"""What the window benches share: a stand-in for pytest-qt's ``qtbot`` and a 5 ms heartbeat."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class NoQtBot:
    """What ``tests.ui.harness.make_shell`` needs of pytest-qt's ``qtbot``."""

    def addWidget(self, _widget: object) -> None:
        return None


class Heartbeat:
    """A 5 ms timer; ``longest`` is the longest gap (seconds) between its ticks: a main-loop stall."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def reset(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
