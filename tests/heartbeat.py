"""A 5 ms heartbeat timer: how long the GUI thread was held (tests and benches)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


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

    def stop(self) -> float:
        self.timer.stop()
        return self.longest

    def reset(self) -> None:
        self.longest, self._last = 0.0, time.perf_counter()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now
