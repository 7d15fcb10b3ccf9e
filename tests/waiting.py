"""Waiting on a condition instead of for a fixed time."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytestqt.qtbot import QtBot


def wait_until(predicate: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Poll ``predicate`` (every 10 ms) until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(0.01)  # the poll interval, not a wait for something


def run_queued(qtbot: QtBot, timeout: int = 2_000) -> None:
    """Let Qt handle what is queued already — posted events, due and zero-interval timers —
    before a test asserts that something did *not* happen: a zero-interval timer started now
    fires after those started before it."""
    from PySide6.QtCore import QTimer

    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=timeout)
