"""What the window benches share: a stand-in for pytest-qt's ``qtbot``; destroying a view;
letting the event loop run for a while."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


class NoQtBot:
    """What ``tests.ui.harness.make_shell`` needs of pytest-qt's ``qtbot``."""

    def addWidget(self, _widget: object) -> None:
        return None


def destroy_now(widget: QWidget) -> None:
    """Close and destroy ``widget`` before the next measurement. Left to ``deleteLater`` outside
    an event loop, Qt would destroy it inside the next loop run (a next run's measurement)."""
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def idle_for(seconds: float) -> None:
    """Run the event loop for ``seconds``, sleeping a little between passes: timers due
    meanwhile fire (work a view or the app left for later), outside any measurement."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.002)
